/**
 * Documentation placeholders are not secrets: `<signature>`, `XXXX`, `REDACTED`, `...`,
 * `${SAS}`, `{{sig}}`, `your-key-here`. Shared by every rule so all of them agree.
 * The word list only holds words long enough that a random Base64 string essentially never
 * contains them, so a real credential is never dismissed as an example.
 */
const PLACEHOLDER_WORDS = /(?:redacted|placeholder|example|changeme|replace_?me|signature|your[-_]?(?:key|token|sig|secret|password|pass|account)|secret[-_]?here|token[-_]?here|key[-_]?here|insert[-_]?(?:key|token|here))/i;

export function looksLikePlaceholder(value: string): boolean {
  const v = value.trim();
  if (v.length === 0) return true;
  if (/^[<{[(]|[>}\])]$/.test(v) || /\$\{|\{\{|%3C|%7B|\*\*\*|\.\.\.|…/i.test(v)) return true;
  if (/^(.)\1+=*$/.test(v.replace(/%3d/gi, '='))) return true; // XXXX, 0000, AAAA=
  if (/X{5,}|x{5,}|0{8,}/.test(v)) return true;
  if (PLACEHOLDER_WORDS.test(v)) return true;
  return lowVariety(v);
}

/** Few distinct characters for its length: `abcabcabc…`, `1234567890…`. */
export function lowVariety(v: string): boolean {
  const distinct = new Set(v.replace(/[=%]/g, '')).size;
  return v.length >= 16 && distinct < Math.min(10, v.length / 4);
}

/** Shannon entropy in bits per character. */
export function shannonEntropy(s: string): number {
  if (!s.length) return 0;
  const counts = new Map<string, number>();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  for (const c of counts.values()) {
    const p = c / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}
