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
const ANY_MARKER = new RegExp(MARKERS.map(([re]) => re.source).join('|'), 'gi');

/** Longest stretch of a line searched for a marker (minified files have megabyte lines). */
const MAX_LINE = 64 << 10;

/** A marker found on a line: its offset in the text and its rank in MARKERS (lower wins). */
interface Found {
  at: number;
  rank: number;
}

interface Line {
  start: number;
  end: number;
  markers: Found[];
}

/**
 * The inline allow markers of one text, for many matches: each line is read once, however
 * many matches it holds (a minified line with 100,000 matches used to be searched 100,000
 * times). A match sees the markers on its own line within MAX_LINE of it, else those on the
 * line before (within MAX_LINE of that line's end).
 */
export class AllowMarkers {
  private readonly lines = new Map<number, Line>();

  constructor(private readonly text: string) {}

  /** The marker for a match at `offset`, on 1-based line `lineNo` (the line its offset is on). */
  at(offset: number, lineNo: number): string | undefined {
    const line = this.line(lineNo, offset);
    const here = best(line.markers, Math.max(line.start, offset - MAX_LINE), Math.min(line.end, offset + MAX_LINE));
    if (here || line.start === 0) return here;
    const prev = this.line(lineNo - 1, line.start - 1);
    return best(prev.markers, Math.max(prev.start, prev.end - MAX_LINE), prev.end);
  }

  private line(lineNo: number, offset: number): Line {
    let l = this.lines.get(lineNo);
    if (!l) {
      const text = this.text;
      const start = text.lastIndexOf('\n', offset - 1) + 1;
      let end = text.indexOf('\n', offset);
      if (end < 0) end = text.length;
      l = { start, end, markers: markersIn(text, start, end) };
      this.lines.set(lineNo, l);
    }
    return l;
  }
}

function markersIn(text: string, start: number, end: number): Found[] {
  const out: Found[] = [];
  const line = text.slice(start, end);
  if (!line.includes(':') && !line.includes('-')) return out;
  ANY_MARKER.lastIndex = 0;
  for (let m = ANY_MARKER.exec(line); m; m = ANY_MARKER.exec(line)) {
    const rank = MARKERS.findIndex(([re]) => re.test(m![0]));
    out.push({ at: start + m.index, rank });
  }
  return out;
}

/** The highest-ranked marker lying wholly in [from, to). */
function best(markers: readonly Found[], from: number, to: number): string | undefined {
  let rank = Infinity;
  for (const f of markers) if (f.at >= from && f.at < to && f.rank < rank) rank = f.rank;
  return rank === Infinity ? undefined : MARKERS[rank]![1];
}

/** The marker for one match (tests and one-off callers). */
export function allowMarkerAt(text: string, offset: number): string | undefined {
  let lineNo = 1;
  for (let nl = text.indexOf('\n'); nl !== -1 && nl < offset; nl = text.indexOf('\n', nl + 1)) lineNo++;
  return new AllowMarkers(text).at(offset, lineNo);
}
