import { open } from 'node:fs/promises';
import { Detector } from '../detect/engine.js';
import { allowMarkerAt } from '../detect/inline-allow.js';
import { PositionTracker } from '../detect/positions.js';
import type { LocatedMatch, RawMatch } from '../detect/types.js';
import { cellAt, isNotebookPath, readNotebook } from '../extract/notebook.js';
import { classifyBytes, utf16ToUtf8, type ContentKind } from '../sources/classify.js';
import type { Notice, SkipReason } from '../sources/types.js';

/**
 * One blob through extract → decode → detect: classify the bytes, take the structure-aware
 * view (notebooks, UTF-16), find matches and give them exact lines and columns. Large
 * files are read in chunks with an overlap, so memory stays bounded and a token that
 * spans a chunk boundary is still found, once.
 */
export interface BlobResult {
  path: string;
  matches: LocatedMatch[];
  notices: Notice[];
  bytes: number;
  skipped?: SkipReason;
}

export interface BlobScanOptions {
  chunkSize: number;
  /** Longest token that must survive a chunk boundary. */
  overlap: number;
}

export const DEFAULT_BLOB_OPTIONS: BlobScanOptions = { chunkSize: 8 << 20, overlap: 64 << 10 };

export function scanBytes(detector: Detector, path: string, bytes: Buffer): BlobResult {
  const kind = classifyBytes(bytes.subarray(0, 8000));
  if (kind === 'binary') return skippedBinary(path, bytes.length);
  const { text, notices } = textView(path, bytes, kind);
  const notebook = isNotebookPath(path) ? readNotebook(text) : null;
  if (isNotebookPath(path) && !notebook) notices.push({ level: 'warning', path, message: 'not a valid JSON notebook: scanned as plain text' });
  const scanned = notebook ? notebook.text : text;
  const raw = detector.scan(scanned);
  const tracker = new PositionTracker();
  if (scanned.charCodeAt(0) === 0xef && scanned.startsWith('\xef\xbb\xbf')) tracker.skipByteOrderMark();
  const matches = locate(tracker, scanned, 0, raw);
  if (notebook) for (const m of matches) m.cell = cellAt(notebook.cells, m.start);
  if (kind !== 'text') for (const m of matches) m.encoding = m.encoding === 'plain' ? 'utf16' : `utf16+${m.encoding}`;
  return { path, matches, notices, bytes: bytes.length };
}

function textView(path: string, bytes: Buffer, kind: ContentKind): { text: string; notices: Notice[] } {
  if (kind === 'utf16le' || kind === 'utf16be') {
    return { text: utf16ToUtf8(bytes, kind).toString('latin1'), notices: [{ level: 'info', path, message: `${kind.toUpperCase()} text, decoded` }] };
  }
  return { text: bytes.toString('latin1'), notices: [] };
}

function skippedBinary(path: string, size: number): BlobResult {
  return {
    path,
    matches: [],
    bytes: size,
    skipped: 'binary',
    notices: [{ level: 'info', path, skipped: 'binary', message: 'binary file (NUL bytes), not scanned' }],
  };
}

/** Reads a file and scans it, whole when small, in overlapping chunks when large. */
export async function scanFile(detector: Detector, path: string, fsPath: string, opts: BlobScanOptions = DEFAULT_BLOB_OPTIONS): Promise<BlobResult> {
  let fh;
  try {
    fh = await open(fsPath, 'r');
  } catch (e) {
    return unreadable(path, e);
  }
  try {
    const { size } = await fh.stat();
    if (size <= opts.chunkSize || isNotebookPath(path)) {
      const bytes = await fh.readFile();
      return scanBytes(detector, path, bytes);
    }
    return await scanChunked(detector, path, fh, size, opts);
  } catch (e) {
    return unreadable(path, e);
  } finally {
    await fh.close().catch(() => undefined);
  }
}

function unreadable(path: string, e: unknown): BlobResult {
  const message = e instanceof Error ? e.message : String(e);
  return { path, matches: [], bytes: 0, skipped: 'unreadable', notices: [{ level: 'warning', path, skipped: 'unreadable', message: `cannot read: ${message}` }] };
}

type Handle = Awaited<ReturnType<typeof open>>;

async function scanChunked(detector: Detector, path: string, fh: Handle, size: number, opts: BlobScanOptions): Promise<BlobResult> {
  const head = Buffer.alloc(Math.min(8000, size));
  await fh.read(head, 0, head.length, 0);
  const kind = classifyBytes(head);
  if (kind === 'binary') return skippedBinary(path, size);
  if (kind !== 'text') return scanBytes(detector, path, await fh.readFile());

  const { chunkSize, overlap } = opts;
  const buf = Buffer.alloc(chunkSize + 2 * overlap);
  const tracker = new PositionTracker();
  const matches: LocatedMatch[] = [];
  let regionStart = 0;
  while (regionStart < size) {
    const viewStart = Math.max(0, regionStart - overlap);
    const viewEnd = Math.min(size, regionStart + chunkSize + overlap);
    const { bytesRead } = await fh.read(buf, 0, viewEnd - viewStart, viewStart);
    if (bytesRead === 0) break; // the file shrank while we read it
    const text = buf.toString('latin1', 0, bytesRead);
    const regionEnd = Math.min(regionStart + chunkSize, viewStart + bytesRead);
    const rel = regionStart - viewStart;
    if (regionStart === 0 && text.startsWith('\xef\xbb\xbf')) tracker.skipByteOrderMark();
    const raw = detector.scan(text, rel, regionEnd - viewStart);
    for (const m of locate(tracker, text, rel, raw)) matches.push(shift(m, viewStart));
    tracker.advance(text, rel, regionEnd - viewStart);
    regionStart = regionEnd;
  }
  return { path, matches, notices: [], bytes: size };
}

function shift(m: LocatedMatch, by: number): LocatedMatch {
  m.start += by;
  m.end += by;
  return m;
}

function locate(tracker: PositionTracker, text: string, regionStart: number, raw: RawMatch[]): LocatedMatch[] {
  const offsets = raw.flatMap((m) => [m.start, Math.max(m.start, m.end - 1)]);
  const pos = tracker.locate(text, regionStart, offsets);
  return raw.map((m, i) => {
    const s = pos[2 * i]!;
    const e = pos[2 * i + 1]!;
    const located: LocatedMatch = { ...m, text: utf8Of(m.text), groups: mapValues(m.groups, utf8Of), line: s.line, column: s.column, endLine: e.line, endColumn: e.column + 1 };
    const marker = allowMarkerAt(text, m.start);
    if (marker) located.allowMarker = marker;
    return located;
  });
}

/** Matches are found in a latin1 view of UTF-8 bytes; show them as the text they are. */
function utf8Of(s: string): string {
  // eslint-disable-next-line no-control-regex
  if (!/[\x80-\xff]/.test(s) || /[^\x00-\xff]/.test(s)) return s;
  return Buffer.from(s, 'latin1').toString('utf8');
}

function mapValues(o: Record<string, string>, f: (s: string) => string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(o)) out[k] = f(v);
  return out;
}
