/**
 * Durations in policy: `7d`, `12h`, `30m`, `90s`, `2w`, `1y`, combinations (`1d12h`), ISO-8601
 * (`P7D`, `PT12H`) and the Azure SAS expiration policy form `DD.HH:MM:SS` (`7.00:00:00`).
 * Returns seconds, or null when the text is none of these.
 */
const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 7 * 86_400, y: 365 * 86_400 };

export function parseDuration(text: string): number | null {
  const t = text.trim();
  const azure = /^(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2})$/.exec(t);
  if (azure) {
    const [, d = '0', h, m, s] = azure;
    if (+h! > 23 || +m! > 59 || +s! > 59) return null;
    return +d * 86_400 + +h! * 3600 + +m! * 60 + +s!;
  }
  const iso = /^P(?:(\d+)Y)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/i.exec(t);
  if (iso && t.length > 1 && !/T$/i.test(t)) {
    const [, y = 0, w = 0, d = 0, h = 0, m = 0, s = 0] = iso;
    return +y * UNITS['y']! + +w * UNITS['w']! + +d * 86_400 + +h * 3600 + +m * 60 + +s;
  }
  if (!/^(?:\d+\s*[smhdwy]\s*)+$/i.test(t)) return null;
  let total = 0;
  for (const part of t.matchAll(/(\d+)\s*([smhdwy])/gi)) total += parseInt(part[1]!, 10) * UNITS[part[2]!.toLowerCase()]!;
  return total;
}
