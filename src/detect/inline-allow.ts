/**
 * Inline allow comments: a marker on the finding's line or on the line before it marks a
 * known test value. Ours and the peers' markers are accepted, so a repository moving to
 * sasquatch keeps its annotations.
 */
const MARKERS: [RegExp, string][] = [
  [/sasquatch:allow/i, 'sasquatch:allow'],
  [/gitleaks:allow/i, 'gitleaks:allow'],
  [/trufflehog:ignore/i, 'trufflehog:ignore'],
  [/pragma:\s*allowlist[ -]secret/i, 'pragma: allowlist secret'],
  [/secretlint-disable-(?:next-)?line/i, 'secretlint-disable-line'],
];

/** Longest stretch of a line searched for a marker (minified files have megabyte lines). */
const MAX_LINE = 64 << 10;

export function allowMarkerAt(text: string, offset: number): string | undefined {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  let lineEnd = text.indexOf('\n', offset);
  if (lineEnd < 0) lineEnd = text.length;
  const here = markerIn(text.slice(Math.max(lineStart, offset - MAX_LINE), Math.min(lineEnd, offset + MAX_LINE)));
  if (here || lineStart === 0) return here;
  const prevStart = text.lastIndexOf('\n', lineStart - 2) + 1;
  return markerIn(text.slice(Math.max(prevStart, lineStart - 1 - MAX_LINE), lineStart - 1));
}

function markerIn(line: string): string | undefined {
  if (!line.includes(':') && !line.includes('-')) return undefined;
  return MARKERS.find(([re]) => re.test(line))?.[1];
}
