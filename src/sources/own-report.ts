/**
 * sasquatch's own reports, recognised by what they contain (never by their name): a saved
 * JSON, SARIF, HTML, JUnit, GitHub-annotation or text report lists every secret it found in
 * its redacted form (`sig=KqAp…`, `AKIA…XJWW`). Those echoes are not leaks and must not come
 * back as findings when a tree holding its own reports is scanned; a value written in full
 * (a report made with --show-secrets, or anything else in the file) still is a finding.
 */
export type OwnReportFormat = 'json' | 'sarif' | 'html' | 'junit' | 'github' | 'text' | 'logs-json';

const JSON_TOOL = /"tool"\s*:\s*\{\s*"name"\s*:\s*"sasquatch"/;
const MARKERS: [OwnReportFormat, RegExp][] = [
  ['sarif', /^\s*\{[\s\S]{0,400}"version"\s*:\s*"2\.1\.0"[\s\S]{0,400}"driver"\s*:\s*\{\s*"name"\s*:\s*"sasquatch"/],
  ['logs-json', /^\s*\{\s*"schemaVersion"\s*:\s*\d+\s*,\s*"tool"\s*:\s*\{\s*"name"\s*:\s*"sasquatch"[^}]*\}\s*,\s*"report"\s*:\s*"logs"/],
  ['json', /^\s*\{\s*"schemaVersion"\s*:\s*\d+\s*,\s*"tool"\s*:\s*\{\s*"name"\s*:\s*"sasquatch"/],
  ['html', /^\s*<!DOCTYPE html>[\s\S]{0,2000}?(?:<meta name="generator" content="sasquatch[ "]|<title>sasquatch report — )/i],
  ['junit', /^\s*<\?xml[^>]*\?>\s*<testsuites name="sasquatch"/],
  // the first annotation: severity, rule and the finding's fingerprint
  ['github', /^::(?:error|warning|notice) file=[^\n]*,title=(?:CRITICAL|HIGH|MEDIUM|LOW|INFO) [a-z0-9-]+%3A[^\n]*%0Afingerprint [0-9a-f]{32}\r?\n/],
  // a path, then its first finding: position, severity, rule, and the indented lines under it down to `secret:`
  ['text', /^[^\n]+\n {2}\d+:\d+ +(?:CRITICAL|HIGH|MEDIUM|LOW|INFO) +[a-z0-9-]+ {2}[^\n]*\n(?: {11}[^\n]*\n){0,12}? {11}secret: /],
];

/** Which of sasquatch's report formats a blob is, from its first bytes (latin1), or null. */
export function ownReportFormat(head: string): OwnReportFormat | null {
  for (const [format, re] of MARKERS) if (re.test(head)) return format === 'json' || format === 'logs-json' ? (JSON_TOOL.test(head) ? format : null) : format;
  return null;
}

/** The redaction mark (U+2026) as it appears in the bytes read as latin1, and in its escaped spellings. */
const MARKS = ['\u00e2\u0080\u00a6', '\u2026', '\\u2026', '&hellip;', '&#8230;', '&#x2026;'];
/** Characters that end the part of a value a redacted form keeps (`sig=KqAp…`, `AKIA…XJWW`). */
const SEPARATOR = /[\s=&;:,"'<>()[\]{}|`\\/?#]/;

/**
 * A match in an own report that is only the redacted echo of a finding: a redacted value
 * inside it or right after it — at most `keep` characters, the mark, at most `keep` more
 * (`KqAp…`, `AKIA…XJWW`), between separators. A full value followed by a mark
 * (`sig=<44 characters>…`) or cut by one (`Abcd…<40 characters>`) is not an echo.
 */
export function isRedactedEcho(text: string, start: number, end: number, keep: number): boolean {
  const windowEnd = Math.min(text.length, end + 8);
  for (const mark of MARKS) {
    for (let at = text.indexOf(mark, start); at >= 0 && at < windowEnd; at = text.indexOf(mark, at + 1)) {
      if (run(text, at - 1, -1) <= keep && run(text, at + mark.length, 1) <= keep) return true;
    }
  }
  return false;
}

/** How many value characters lie from `i` on, in one direction, up to a separator. */
function run(text: string, i: number, step: 1 | -1): number {
  let n = 0;
  for (; i >= 0 && i < text.length && !SEPARATOR.test(text[i]!); i += step) n++;
  return n;
}
