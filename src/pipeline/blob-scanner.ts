import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { base64ViewOfRuns, DEFAULT_BASE64_OPTIONS } from '../decode/base64.js';
import { toOriginal, type MappedText } from '../decode/mapped-text.js';
import { Detector } from '../detect/engine.js';
import { allowMarkerAt } from '../detect/inline-allow.js';
import { PositionTracker, RegionPlacer } from '../detect/positions.js';
import type { LocatedMatch, RawMatch } from '../detect/types.js';
import { archiveKind, archiveMembers, DEFAULT_ARCHIVE_LIMITS, newBudget, type ArchiveBudget, type ArchiveLimits } from '../extract/archive.js';
import { cellAt, isNotebookPath, readNotebook } from '../extract/notebook.js';
import { classifyBytes, utf16ToUtf8, type ContentKind } from '../sources/classify.js';
import { tooLargeNotice } from '../sources/fs-walk.js';
import type { Notice, SkipReason } from '../sources/types.js';

/**
 * One blob through extract → decode → detect: classify the bytes, take the structure-aware
 * view (archive members, notebooks, UTF-16, Base64 tokens), find matches and give them
 * exact lines and columns. Large files are read in chunks with an overlap, so memory stays
 * bounded and a token that spans a chunk boundary is still found, once.
 */
export interface BlobResult {
  path: string;
  matches: LocatedMatch[];
  notices: Notice[];
  bytes: number;
  skipped?: SkipReason;
  /** Members of an archive, each scanned as a blob of its own (`archive.zip!member`). */
  members?: BlobResult[];
}

export interface BlobScanOptions {
  chunkSize: number;
  /** Longest token that must survive a chunk boundary. */
  overlap: number;
  /** Archive extraction limits; null = archives are not opened. */
  archives: ArchiveLimits | null;
  /** Decode Base64 tokens and scan what they hold. */
  base64: boolean;
}

export const DEFAULT_BLOB_OPTIONS: BlobScanOptions = { chunkSize: 8 << 20, overlap: 64 << 10, archives: DEFAULT_ARCHIVE_LIMITS, base64: true };

/** How deep Base64 views nest (a token inside a decoded token). */
const BASE64_DEPTH = 2;

/** The blob and every archive member in it, depth first: what callers turn into findings. */
export function* flattenBlobResult(r: BlobResult): Generator<BlobResult> {
  yield r;
  for (const m of r.members ?? []) yield* flattenBlobResult(m);
}

interface Nesting {
  depth: number;
  budget: ArchiveBudget | null;
}

export function scanBytes(detector: Detector, path: string, bytes: Buffer, options: Partial<BlobScanOptions> = {}, nesting: Nesting = { depth: 0, budget: null }): BlobResult {
  const opts = { ...DEFAULT_BLOB_OPTIONS, ...options };
  const archive = opts.archives ? archiveKind(path, bytes.subarray(0, 1024)) : null;
  if (archive) return scanArchive(detector, path, bytes, archive, opts, nesting);
  const kind = classifyBytes(bytes.subarray(0, 8000));
  if (kind === 'binary') return skippedBinary(path, bytes.length);
  const { bytes: content, notices } = textView(path, bytes, kind);
  // notebooks are read as text (a JSON walk); everything else is scanned as bytes, and only
  // a blob with matches is ever turned into a string (for lines and columns)
  let text: string | undefined;
  let scanned = content;
  let notebook = null;
  if (isNotebookPath(path)) {
    text = content.toString('latin1');
    notebook = readNotebook(text);
    if (!notebook) notices.push({ level: 'warning', path, message: 'not a valid JSON notebook: scanned as plain text' });
    else if (notebook.text !== text) {
      text = notebook.text;
      scanned = Buffer.from(text, 'latin1');
    }
  }
  const raw = kept(detector, path, detectAll(detector, scanned, 0, scanned.length, opts, 0, text));
  if (!raw.length) return { path, matches: [], notices, bytes: bytes.length };
  text ??= scanned.toString('latin1');
  const tracker = new PositionTracker();
  if (hasByteOrderMark(scanned)) tracker.skipByteOrderMark();
  const matches = locate(tracker, text, 0, raw);
  if (notebook) for (const m of matches) m.cell = cellAt(notebook.cells, m.start);
  if (kind !== 'text') for (const m of matches) m.encoding = m.encoding === 'plain' ? 'utf16' : `utf16+${m.encoding}`;
  return { path, matches, notices, bytes: bytes.length };
}

/** Drops the matches the detector's look-alike filter rejects (before they cost lines and columns). */
function kept(detector: Detector, path: string, raw: RawMatch[]): RawMatch[] {
  const keep = detector.keep;
  return keep && raw.length ? raw.filter((m) => keep(m, path)) : raw;
}

function hasByteOrderMark(b: Uint8Array): boolean {
  return b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf;
}

/**
 * Matches in bytes[from, to), including those inside Base64 tokens (decoded, and mapped
 * back to the characters of the token that encode them). One pass over all of `bytes` finds
 * both the keyword hits and the Base64 runs. `text`, when given, is `bytes` as latin1.
 */
export function detectAll(detector: Detector, bytes: Buffer, from: number, to: number, opts: Pick<BlobScanOptions, 'base64'>, depth = 0, text?: string): RawMatch[] {
  const decode = opts.base64 && depth < BASE64_DEPTH;
  const pass = detector.pass(bytes, 0, bytes.length, decode ? DEFAULT_BASE64_OPTIONS.minRun : 0, depth);
  const raw = detector.matchHits(bytes, pass, from, to, text);
  if (!decode || !pass.runCount) return raw;
  const view = base64ViewOfRuns(bytes, pass, from, to);
  if (!view) return raw;
  const viewBytes = Buffer.from(view.text, 'latin1');
  for (const m of detectAll(detector, viewBytes, 0, viewBytes.length, opts, depth + 1, view.text)) raw.push(throughView(view, m));
  return raw;
}

function throughView(view: MappedText, m: RawMatch): RawMatch {
  const span = toOriginal(view, valueStartOf(view, m.start, m.end), m.end);
  const out: RawMatch = { ...m, start: span.start, end: span.end, encoding: m.encoding === 'plain' ? view.encoding : `${view.encoding}+${m.encoding}` };
  if (m.secretStart !== undefined && m.secretEnd !== undefined) {
    const s = toOriginal(view, m.secretStart, m.secretEnd);
    out.secretStart = s.start;
    out.secretEnd = s.end;
  }
  return out;
}

/**
 * Where a match in a Base64 view is placed: a match that begins in the `NAME=` the view puts
 * before a decoded value (`conn=DefaultEndpointsProtocol=…`) starts, in the original, at the
 * encoded value, not at the name.
 */
function valueStartOf(view: MappedText, start: number, end: number): number {
  const starts = view.valueStarts;
  if (!starts) return start;
  let lo = 0;
  let hi = starts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (starts[mid]! <= start) lo = mid + 1;
    else hi = mid;
  }
  const next = starts[lo];
  // inside the name on the value's own line (no line break between), and reaching into the value
  if (next === undefined || next >= end || view.text.lastIndexOf('\n', next - 1) >= start) return start;
  return next;
}

function scanArchive(detector: Detector, path: string, bytes: Buffer, kind: string, opts: BlobScanOptions, nesting: Nesting): BlobResult {
  const limits = opts.archives!;
  const notices: Notice[] = [];
  const result: BlobResult = { path, matches: [], notices, bytes: bytes.length, members: [] };
  if (nesting.depth >= limits.maxDepth) {
    notices.push({ level: 'warning', path, skipped: 'archive-limit', message: `${kind} archive nested more than ${limits.maxDepth} deep: not opened` });
    result.skipped = 'archive-limit';
    return result;
  }
  const budget = nesting.budget ?? newBudget(limits);
  let binary = 0;
  for (const member of archiveMembers(kind as 'zip' | 'tar' | 'gzip', path, bytes, limits, budget, notices)) {
    const r = scanBytes(detector, `${path}!${member.name}`, member.bytes, opts, { depth: nesting.depth + 1, budget });
    // one notice for all binary members of an archive (a jar holds thousands of classes)
    if (r.skipped === 'binary' && !r.members?.length) {
      binary++;
      continue;
    }
    result.members!.push(r);
  }
  if (binary) notices.push({ level: 'info', path, skipped: 'binary', message: `${binary} binary archive member${binary === 1 ? '' : 's'} not scanned` });
  const label = kind === 'gzip' && /\.(?:tar\.gz|tgz)$/i.test(path) ? 'tar.gz' : kind;
  notices.push({ level: 'info', path, message: `${label} archive: ${result.members!.length} member${result.members!.length === 1 ? '' : 's'} scanned` });
  return result;
}

function textView(path: string, bytes: Buffer, kind: ContentKind): { bytes: Buffer; notices: Notice[] } {
  if (kind === 'utf16le' || kind === 'utf16be') {
    return { bytes: utf16ToUtf8(bytes, kind), notices: [{ level: 'info', path, message: `${kind.toUpperCase()} text, decoded` }] };
  }
  return { bytes, notices: [] };
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
export async function scanFile(detector: Detector, path: string, fsPath: string, options: Partial<BlobScanOptions> = {}): Promise<BlobResult> {
  return scanFileSync(detector, path, fsPath, options, 0, false) as BlobResult;
}

function unreadable(path: string, e: unknown): BlobResult {
  const message = e instanceof Error ? e.message : String(e);
  return { path, matches: [], bytes: 0, skipped: 'unreadable', notices: [{ level: 'warning', path, skipped: 'unreadable', message: `cannot read: ${message}` }] };
}

/** A text file too large to read whole: the caller scans its regions (scanRegion), maybe in parallel. */
export interface SplitFile {
  split: true;
  path: string;
  fsPath: string;
  size: number;
}

/** What one region of a large file yields: matches positioned relative to the region (RegionPlacer). */
export interface RegionResult {
  matches: LocatedMatch[];
  progress: { newlines: number; column: number };
}

/**
 * Reads and scans a file with synchronous reads (on a worker thread, where blocking is the
 * point: no thread-pool round trip per call). Applies maxFileSize when the walk did not
 * measure the file. A text file over the chunk size comes back as a SplitFile when `split`
 * is set (its regions are then scanned in parallel); otherwise its regions are scanned here.
 */
export function scanFileSync(detector: Detector, path: string, fsPath: string, options: Partial<BlobScanOptions>, maxFileSize: number, split: boolean): BlobResult | SplitFile {
  const opts = { ...DEFAULT_BLOB_OPTIONS, ...options };
  let fd: number;
  try {
    fd = openSync(fsPath, 'r');
  } catch (e) {
    return unreadable(path, e);
  }
  try {
    // most files are small: one read into a reused buffer tells their size without a stat
    // (a regular file's read comes back short only at its end)
    const small = readSync(fd, SMALL, 0, SMALL.length, 0);
    if (small < SMALL.length && (maxFileSize <= 0 || small <= maxFileSize)) return scanBytes(detector, path, SMALL.subarray(0, small), opts);
    const size = fstatSync(fd).size;
    const over = tooLargeNotice(path, size, maxFileSize);
    if (over) return { path, matches: [], notices: [over], bytes: size, skipped: 'too-large' };
    if (size <= opts.chunkSize || isNotebookPath(path)) return scanBytes(detector, path, readAfter(fd, size, SMALL.subarray(0, small)), opts);
    const head = readAt(fd, Math.min(8000, size), 0);
    if (opts.archives && archiveKind(path, head)) {
      if (size > opts.archives.maxTotalBytes) {
        return { path, matches: [], bytes: size, skipped: 'archive-limit', notices: [{ level: 'warning', path, skipped: 'archive-limit', message: `archive of ${size} bytes exceeds the ${opts.archives.maxTotalBytes}-byte archive limit: not opened` }] };
      }
      return scanBytes(detector, path, readAll(fd, size), opts);
    }
    const kind = classifyBytes(head);
    if (kind === 'binary') return skippedBinary(path, size);
    if (kind !== 'text') return scanBytes(detector, path, readAll(fd, size), opts);
    if (split) return { split: true, path, fsPath, size };
    const placer = new RegionPlacer();
    const matches: LocatedMatch[] = [];
    for (let start = 0; start < size; start += opts.chunkSize) {
      const r = scanRegionFd(detector, path, fd, size, start, opts);
      matches.push(...placer.place(r.matches, r.progress));
    }
    return { path, matches, notices: [], bytes: size };
  } catch (e) {
    return unreadable(path, e);
  } finally {
    closeSync(fd);
  }
}

/**
 * The buffer small files are read into, reused: scanBytes keeps nothing of the bytes it is
 * given (matches hold strings), so the next file can overwrite them.
 */
const SMALL = Buffer.allocUnsafe(64 << 10);

/** Scans the region [start, start + chunkSize) of a large text file, with the overlap on both sides. */
export function scanRegion(detector: Detector, path: string, fsPath: string, size: number, start: number, options: Partial<BlobScanOptions>): RegionResult {
  const fd = openSync(fsPath, 'r');
  try {
    return scanRegionFd(detector, path, fd, size, start, { ...DEFAULT_BLOB_OPTIONS, ...options });
  } finally {
    closeSync(fd);
  }
}

function scanRegionFd(detector: Detector, path: string, fd: number, size: number, regionStart: number, opts: BlobScanOptions): RegionResult {
  const viewStart = Math.max(0, regionStart - opts.overlap);
  const viewEnd = Math.min(size, regionStart + opts.chunkSize + opts.overlap);
  const view = readAt(fd, viewEnd - viewStart, viewStart, regionBuffer(viewEnd - viewStart));
  const rel = regionStart - viewStart;
  const regionEnd = Math.min(regionStart + opts.chunkSize, viewStart + view.length) - viewStart;
  const tracker = new PositionTracker();
  if (regionStart === 0 && hasByteOrderMark(view)) tracker.skipByteOrderMark();
  const raw = kept(detector, path, detectAll(detector, view, rel, regionEnd, opts));
  const matches = raw.length ? locate(tracker, view.toString('latin1'), rel, raw).map((m) => shift(m, viewStart)) : [];
  tracker.advanceBytes(view, rel, regionEnd);
  return { matches, progress: tracker.progress };
}

/** Joins the regions of a split file (given in file order) into its result. */
export function joinRegions(path: string, size: number, regions: readonly RegionResult[]): BlobResult {
  const placer = new RegionPlacer();
  const matches: LocatedMatch[] = [];
  for (const r of regions) matches.push(...placer.place(r.matches, r.progress));
  return { path, matches, notices: [], bytes: size };
}

/** The whole file, given its first bytes already read. */
function readAfter(fd: number, size: number, head: Buffer): Buffer {
  const buf = Buffer.allocUnsafe(Math.max(size, head.length));
  head.copy(buf, 0);
  let got = head.length;
  while (got < size) {
    const n = readSync(fd, buf, got, size - got, got);
    if (n === 0) break;
    got += n;
  }
  return got === buf.length ? buf : buf.subarray(0, got);
}

function readAll(fd: number, size: number): Buffer {
  return readAt(fd, size, 0);
}

let region: Buffer | null = null;

/** One buffer for the regions a thread reads, reused (like SMALL): a fresh 8 MB each time left the garbage collector behind. */
function regionBuffer(length: number): Buffer {
  if (!region || region.length < length) region = Buffer.allocUnsafe(length);
  return region;
}

/** Reads up to `length` bytes at `position` (fewer if the file shrank), into `into` when given. */
function readAt(fd: number, length: number, position: number, into?: Buffer): Buffer {
  const buf = into ?? Buffer.allocUnsafe(length);
  let got = 0;
  while (got < length) {
    const n = readSync(fd, buf, got, length - got, position + got);
    if (n === 0) break;
    got += n;
  }
  return got === buf.length ? buf : buf.subarray(0, got);
}

function shift(m: LocatedMatch, by: number): LocatedMatch {
  m.start += by;
  m.end += by;
  if (m.secretStart !== undefined) m.secretStart += by;
  if (m.secretEnd !== undefined) m.secretEnd += by;
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
    if (m.context) located.context = { before: utf8Of(m.context.before), after: utf8Of(m.context.after) };
    return located;
  });
}

/** Matches are found in a latin1 view of UTF-8 bytes; show them as the text they are. */
export function utf8Of(s: string): string {
  // eslint-disable-next-line no-control-regex
  if (!/[\x80-\xff]/.test(s) || /[^\x00-\xff]/.test(s)) return s;
  return Buffer.from(s, 'latin1').toString('utf8');
}

export function mapValues(o: Record<string, string>, f: (s: string) => string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(o)) out[k] = f(v);
  return out;
}
