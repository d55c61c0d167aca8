/** Time helpers shared by every grant parser. All instants are ISO-8601 UTC without fractions. */

const DAY = 86_400;

/**
 * Parses Azure SAS times: `YYYY-MM-DD`, `YYYY-MM-DDThh:mmZ`, `…:ssZ`, fractions, offsets.
 * Returns null for anything else (never guesses).
 */
export function parseIsoLike(value: string | undefined | null): Date | null {
  if (!value) return null;
  const v = value.trim();
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.exec(v);
  if (!m) return null;
  const [, y, mo, d, h = '00', mi = '00', s = '00', tz] = m;
  const base = Date.UTC(+y!, +mo! - 1, +d!, +h, +mi, +s);
  if (Number.isNaN(base)) return null;
  let offsetMin = 0;
  if (tz && tz !== 'Z') {
    const sign = tz[0] === '-' ? -1 : 1;
    const digits = tz.slice(1).replace(':', '');
    offsetMin = sign * (parseInt(digits.slice(0, 2), 10) * 60 + parseInt(digits.slice(2), 10));
  }
  const date = new Date(base - offsetMin * 60_000);
  // reject impossible calendar dates such as 2023-02-31
  if (new Date(Date.UTC(+y!, +mo! - 1, +d!)).getUTCDate() !== +d!) return null;
  return date;
}

/** `YYYYMMDDTHHMMSSZ` as used by AWS and Google signatures. */
export function parseCompactTimestamp(value: string | undefined | null): Date | null {
  if (!value) return null;
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value.trim());
  if (!m) return null;
  const t = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
  return Number.isNaN(t) ? null : new Date(t);
}

export function fromUnixSeconds(value: string | undefined | null): Date | null {
  if (!value || !/^\d{1,12}$/.test(value.trim())) return null;
  return new Date(parseInt(value, 10) * 1000);
}

export function iso(d: Date | null): string | null {
  return d ? d.toISOString().replace(/\.\d{3}Z$/, 'Z') : null;
}

export function secondsBetween(a: Date | null, b: Date | null): number | null {
  return a && b ? Math.round((b.getTime() - a.getTime()) / 1000) : null;
}

/** A duration in the largest unit that reads naturally: "30 years", "16 months", "3 days", "45 minutes". */
export function humanDuration(seconds: number): string {
  const s = Math.abs(seconds);
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  if (s >= 365 * DAY * 2) return plural(Math.floor(s / (365 * DAY)), 'year');
  if (s >= 60 * DAY) return plural(Math.floor(s / (30.44 * DAY)), 'month');
  if (s >= 2 * DAY) return plural(Math.floor(s / DAY), 'day');
  if (s >= 2 * 3600) return plural(Math.floor(s / 3600), 'hour');
  if (s >= 120) return plural(Math.floor(s / 60), 'minute');
  return plural(Math.floor(s), 'second');
}

/** "in 24 years" / "3 days ago", relative to now. */
export function relative(target: Date, now: Date): string {
  const secs = Math.round((target.getTime() - now.getTime()) / 1000);
  return secs >= 0 ? `in ${humanDuration(secs)}` : `${humanDuration(secs)} ago`;
}

export function day(d: Date | string | null): string {
  if (!d) return '?';
  const x = typeof d === 'string' ? new Date(d) : d;
  return x.toISOString().slice(0, 10);
}

export const SECONDS = { minute: 60, hour: 3600, day: DAY, year: 365 * DAY } as const;
