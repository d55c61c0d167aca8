/**
 * Text for a terminal or a log, from data anyone could have chosen (file and archive-member
 * names, URL paths, git author names, custom rule titles): C0 and C1 control characters
 * (ESC, CR, newline…), DEL, and the bidirectional controls that reorder what a reader sees
 * (U+202E and its kin, line and paragraph separators) are written as visible escapes
 * (`\x1b`, `\n`, `\u202e`), so a name cannot forge lines, colours or order on a terminal.
 */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

export function printable(text: string): string {
  return text.replace(UNSAFE, (c) => {
    const named = NAMED[c];
    if (named) return named;
    const code = c.charCodeAt(0);
    return code > 0xff ? `\\u${code.toString(16).padStart(4, '0')}` : `\\x${code.toString(16).padStart(2, '0')}`;
  });
}

/** The same, through every string of a record (a finding, a notice) before it is rendered. */
export function printableDeep<T>(value: T): T {
  return mapStrings(value) as T;
}

function mapStrings(v: unknown): unknown {
  if (typeof v === 'string') return printable(v);
  if (Array.isArray(v)) return v.map(mapStrings);
  if (v && typeof v === 'object' && !(v instanceof Date)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, mapStrings(x)]));
  return v;
}
