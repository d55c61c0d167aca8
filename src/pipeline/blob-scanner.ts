import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { base64ViewOfRuns, DEFAULT_BASE64_OPTIONS } from '../decode/base64.js';
import { toOriginal, type MappedText } from '../decode/mapped-text.js';
import { Detector } from '../detect/engine.js';
import { AllowMarkers } from '../detect/inline-allow.js';
import { PositionTracker, RegionPlacer } from '../detect/positions.js';
import type { LocatedMatch, RawMatch } from '../detect/types.js';
import { archiveKind, archiveMembers, DEFAULT_ARCHIVE_LIMITS, newBudget, type ArchiveBudget, type ArchiveLimits, type ArchiveSource } from '../extract/archive.js';
import { cellAt, isNotebookPath, readNotebook } from '../extract/notebook.js';
import { KEEP } from '../analyze/redact.js';
import { classifyBytes, utf16Plausible, Utf16Decoder } from '../sources/classify.js';
import { isRedactedEcho, ownReportFormat } from '../sources/own-report.js';
import { tooLargeNotice } from '../sources/fs-walk.js';
import { errorNotice, type Notice, type SkipReason } from '../sources/types.js';

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

/**
 * Scans one blob of bytes. Never throws: a failure while scanning it (a bug, an input no
 * one foresaw) becomes an `internal-error` notice on its path, and the scan goes on.
 */
export function scanBytes(detector: Detector, path: string, bytes: Buffer, options: Partial<BlobScanOptions> = {}, nesting: Nesting = { depth: 0, budget: null }): BlobResult {
  try {
    return scanBytesUnsafe(detector, path, bytes, { ...DEFAULT_BLOB_OPTIONS, ...options }, nesting);
  } catch (e) {
    return failedBlob(path, bytes.length, e);
  }
}

/** What a blob that could not be scanned yields: its notice (an fs error is `unreadable`, anything else an internal error). */
export function failedBlob(path: string, size: number, e: unknown): BlobResult {
  const notice = errorNotice(path, e);
  return { path, matches: [], bytes: size, skipped: notice.skipped!, notices: [notice] };
}

function scanBytesUnsafe(detector: Detector, path: string, bytes: Buffer, opts: BlobScanOptions, nesting: Nesting): BlobResult {
  // both read only the head of what they are given: no view of it made for every blob
  const archive = opts.archives ? archiveKind(path, bytes) : null;
  if (archive) return scanArchive(detector, path, bytes, archive, opts, nesting);
  const kind = classifyBytes(bytes);
  if (kind === 'binary') return skippedBinary(path, bytes.length);
  if (kind !== 'text') return scanUtf16(detector, path, bytes.length, kind, (emit) => emit(bytes), bytes, opts);
  if (bytes.length > opts.chunkSize && !isNotebookPath(path)) return scanLargeText(detector, path, bytes, opts);
  return scanText(detector, path, bytes, opts);
}

/** Text held whole: notebooks get their structure-aware view; only a blob with matches is turned into a string. */
function scanText(detector: Detector, path: string, bytes: Buffer, opts: BlobScanOptions): BlobResult {
  const notices: Notice[] = [];
  let text: string | undefined;
  let scanned = bytes;
  let notebook = null;
  if (isNotebookPath(path)) {
    text = bytes.toString('latin1');
    notebook = readNotebook(text);
    if (!notebook) notices.push({ level: 'warning', path, message: 'not a valid JSON notebook: scanned as plain text' });
    else if (notebook.text !== text) {
      text = notebook.text;
      scanned = Buffer.from(text, 'latin1');
    }
  }
  let raw = detectAll(detector, scanned, 0, scanned.length, opts, 0, text, keeper(detector, path));
  if (raw.length && !notebook) raw = withoutOwnReportEchoes(path, scanned, raw, notices);
  if (!raw.length) return { path, matches: [], notices, bytes: bytes.length };
  text ??= scanned.toString('latin1');
  const tracker = new PositionTracker();
  tracker.skipByteOrderMark(byteOrderMarkUnits(scanned));
  const matches = locate(tracker, text, 0, raw);
  if (notebook) for (const m of matches) m.cell = cellAt(notebook.cells, m.start);
  return { path, matches, notices, bytes: bytes.length };
}

/**
 * sasquatch's own reports (recognised by content) repeat every secret they list in its
 * redacted form: those echoes, and the generic rule's match on the report's own `secret:`
 * field, are dropped, with a notice; a value written in full (a report made with
 * --show-secrets) is still found by the rule of its kind.
 */
function withoutOwnReportEchoes(path: string, scanned: Buffer, raw: RawMatch[], notices: Notice[]): RawMatch[] {
  const format = ownReportFormat(scanned.toString('latin1', 0, Math.min(scanned.length, 4096)));
  if (!format) return raw;
  const text = scanned.toString('latin1');
  const kept = raw.filter((m) => !isRedactedEcho(text, m.start, m.end, KEEP) && !isReportSecretField(m));
  const echoes = raw.length - kept.length;
  notices.push({
    level: 'info',
    path,
    message: `a sasquatch ${format} report: ${echoes} redacted secret${echoes === 1 ? '' : 's'} it lists ${echoes === 1 ? 'is' : 'are'} not reported again${kept.length ? `; ${kept.length} value${kept.length === 1 ? '' : 's'} written in full still ${kept.length === 1 ? 'is' : 'are'}` : ''}`,
  });
  return kept;
}

/** A generic `secret: …` assignment that is the report's own field (it holds the redacted form of a finding made elsewhere). */
function isReportSecretField(m: RawMatch): boolean {
  return m.groups['name']?.toLowerCase() === 'secret';
}

/** A large text blob already in memory (a history blob, an archive member): scanned in regions like a large file, without copying it. */
function scanLargeText(detector: Detector, path: string, bytes: Buffer, opts: BlobScanOptions): BlobResult {
  const source: RegionSource = { size: bytes.length, view: (start, length) => bytes.subarray(start, start + length) };
  const placer = new RegionPlacer();
  const matches: LocatedMatch[] = [];
  const notices: Notice[] = [];
  for (let start = 0; start < bytes.length; start += opts.chunkSize) {
    const r = scanRegionOf(detector, path, source, start, opts);
    for (const m of placer.place(r.matches, r.progress)) matches.push(m);
    if (r.notices) for (const n of r.notices) notices.push(n);
  }
  return { path, matches, notices, bytes: bytes.length };
}

/**
 * UTF-16 text (a byte-order mark, or the NUL pattern of mostly-ASCII UTF-16): decoded as it
 * is read and scanned in regions (never decoded whole), and — since a byte-order mark proves
 * nothing (a UTF-8 file can start with FF FE, a file can mix encodings) — also scanned as the
 * bytes it is, so text in either reading is found. `read` hands the raw bytes to `emit` in
 * order; `whole` is the raw blob when it is in memory (else it is read again for the second reading).
 */
function scanUtf16(detector: Detector, path: string, size: number, kind: 'utf16le' | 'utf16be', read: (emit: (chunk: Buffer) => void) => void, whole: Buffer | null, opts: BlobScanOptions, rawReading?: () => BlobResult): BlobResult {
  const decoder = new Utf16Decoder(kind);
  let head: Buffer | null = null;
  const decoded = new StreamRegions(detector, path, opts);
  read((chunk) => {
    head ??= chunk.subarray(0, 4096);
    decoded.push(decoder.write(chunk));
  });
  decoded.push(decoder.end());
  const utf16 = decoded.end();
  for (const m of utf16.matches) m.encoding = m.encoding === 'plain' ? 'utf16' : `utf16+${m.encoding}`;
  const plausible = head !== null && utf16Plausible(head, kind);
  const notices: Notice[] = [{ level: 'info', path, message: plausible ? `${kind.toUpperCase()} text, decoded (also scanned as bytes)` : `starts like ${kind.toUpperCase()} text but does not read as it: scanned both as ${kind.toUpperCase()} and as bytes` }];
  for (const n of utf16.notices) notices.push(n);
  // the bytes as they are, past a byte-order mark (which would shift the first line's columns)
  const raw = rawReading ? rawReading() : scanBytesAsText(detector, path, whole!, opts);
  for (const n of raw.notices) notices.push(n);
  const matches = utf16.matches;
  for (const m of raw.matches) matches.push(m);
  matches.sort((a, b) => a.line - b.line || a.column - b.column);
  return { path, matches, notices, bytes: size };
}

function scanBytesAsText(detector: Detector, path: string, bytes: Buffer, opts: BlobScanOptions): BlobResult {
  return bytes.length > opts.chunkSize ? scanLargeText(detector, path, bytes, opts) : scanText(detector, path, bytes, opts);
}

function hasUtf16Bom(b: Uint8Array): boolean {
  return b.length >= 2 && ((b[0] === 0xff && b[1] === 0xfe) || (b[0] === 0xfe && b[1] === 0xff));
}

/**
 * Scans a stream of text bytes (decoded as they are read) in regions of `chunkSize` with
 * the usual overlap on both sides, holding no more than one region and its overlaps.
 */
class StreamRegions {
  /** Bytes of the stream from `base` on (`length` of them), in a buffer reused as it slides. */
  private buf: Buffer = Buffer.alloc(0);
  private length = 0;
  private base = 0;
  /** Stream offset of the next region to scan. */
  private next = 0;
  private readonly placer = new RegionPlacer();
  private readonly matches: LocatedMatch[] = [];
  private readonly notices: Notice[] = [];

  constructor(
    private readonly detector: Detector,
    private readonly path: string,
    private readonly opts: BlobScanOptions,
  ) {}

  push(chunk: Uint8Array): void {
    let at = 0;
    while (at < chunk.length) {
      // fill up to what the next region needs (its overlap after it), then scan it
      const need = this.next + this.opts.chunkSize + this.opts.overlap - (this.base + this.length);
      const n = Math.min(chunk.length - at, Math.max(need, 0));
      this.append(chunk.subarray(at, at + n));
      at += n;
      if (this.base + this.length >= this.next + this.opts.chunkSize + this.opts.overlap) this.scanNext(this.next + this.opts.chunkSize + this.opts.overlap);
    }
  }

  end(): { matches: LocatedMatch[]; notices: Notice[]; bytes: number } {
    const size = this.base + this.length;
    while (this.next < size) this.scanNext(size);
    return { matches: this.matches, notices: this.notices, bytes: size };
  }

  private append(bytes: Uint8Array): void {
    if (this.length + bytes.length > this.buf.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.length + bytes.length, this.opts.chunkSize + 2 * this.opts.overlap));
      this.buf.copy(grown, 0, 0, this.length);
      this.buf = grown;
    }
    this.buf.set(bytes, this.length);
    this.length += bytes.length;
  }

  private scanNext(size: number): void {
    const start = this.next;
    const buf = this.buf;
    const base = this.base;
    const source: RegionSource = { size, view: (from, length) => buf.subarray(from - base, from - base + length) };
    const r = scanRegionOf(this.detector, this.path, source, start, this.opts);
    for (const m of this.placer.place(r.matches, r.progress)) this.matches.push(m);
    if (r.notices) for (const n of r.notices) this.notices.push(n);
    this.next = start + this.opts.chunkSize;
    // keep only what the next region's view needs (the overlap before it)
    const keepFrom = Math.max(this.base, this.next - this.opts.overlap);
    this.buf.copyWithin(0, keepFrom - this.base, this.length);
    this.length -= keepFrom - this.base;
    this.base = keepFrom;
  }
}

/** The detector's look-alike filter for one path: rejected matches are dropped where they are found (before they cost memory, lines and columns). */
function keeper(detector: Detector, path: string): ((m: RawMatch) => boolean) | undefined {
  const keep = detector.keep;
  return keep ? (m) => keep(m, path) : undefined;
}

/**
 * A byte-order mark is not a character anyone sees: how many columns the bytes of the one
 * at the start would count for (a UTF-8 mark, or a UTF-16 one read as bytes), to take back.
 */
function byteOrderMarkUnits(b: Uint8Array): number {
  if (b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return 1;
  if (hasUtf16Bom(b)) return 4;
  return 0;
}

/**
 * Matches in bytes[from, to), including those inside Base64 tokens (decoded, and mapped
 * back to the characters of the token that encode them). One pass over all of `bytes` finds
 * both the keyword hits and the Base64 runs. `text`, when given, is `bytes` as latin1;
 * `keep` drops look-alikes as they are found (a match inside a token is judged as mapped).
 */
export function detectAll(detector: Detector, bytes: Buffer, from: number, to: number, opts: Pick<BlobScanOptions, 'base64'>, depth = 0, text?: string, keep?: (m: RawMatch) => boolean): RawMatch[] {
  const decode = opts.base64 && depth < BASE64_DEPTH;
  const pass = detector.pass(bytes, 0, bytes.length, decode ? DEFAULT_BASE64_OPTIONS.minRun : 0, depth);
  const raw = detector.matchHits(bytes, pass, from, to, text, keep);
  if (!decode || !pass.runCount) return raw;
  const nested = opts.base64 && depth + 1 < BASE64_DEPTH;
  let probed: Buffer | null = null;
  // a view no rule can use (no keyword in it, nothing to decode again) is dropped before
  // its offsets are laid out: JavaScript is full of readable Base64-looking runs
  const wanted = (viewText: string): boolean => {
    probed = Buffer.from(viewText, 'latin1');
    const p = detector.pass(probed, 0, probed.length, nested ? DEFAULT_BASE64_OPTIONS.minRun : 0, depth + 1);
    return p.hitCount > 0 || p.runCount > 0;
  };
  const view = base64ViewOfRuns(bytes, pass, from, to, { ...DEFAULT_BASE64_OPTIONS, wanted });
  if (!view) return raw;
  const viewBytes = probed ?? Buffer.from(view.text, 'latin1');
  const keepMapped = keep && ((m: RawMatch) => keep(throughView(view, m)));
  for (const m of detectAll(detector, viewBytes, 0, viewBytes.length, opts, depth + 1, view.text, keepMapped)) raw.push(throughView(view, m));
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

function scanArchive(detector: Detector, path: string, bytes: Buffer | ArchiveSource, kind: string, opts: BlobScanOptions, nesting: Nesting): BlobResult {
  const limits = opts.archives!;
  const notices: Notice[] = [];
  const result: BlobResult = { path, matches: [], notices, bytes: Buffer.isBuffer(bytes) ? bytes.length : bytes.size, members: [] };
  if (nesting.depth >= limits.maxDepth) {
    notices.push({ level: 'warning', path, skipped: 'archive-limit', message: `${kind} archive nested more than ${limits.maxDepth} deep: not opened` });
    result.skipped = 'archive-limit';
    return result;
  }
  const budget = nesting.budget ?? newBudget(limits);
  let binary = 0;
  // each member is scanned on its own (scanBytes never throws): one that fails costs only itself
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
  /** Set when the region could not be scanned (its lines still count, so later positions stay right). */
  notices?: Notice[];
}

/** A batch's answer: the files with something to say, and a count of those scanned clean (no matches, no notices). */
export interface FilesResult {
  results: (BlobResult | SplitFile)[];
  clean: { files: number; bytes: number };
}

/**
 * A batch of files read and scanned one after the other (a worker's task, or the main
 * thread's while the workers start). Most files hold nothing: they are counted, not sent
 * back one object each.
 */
export function scanFileBatch(detector: Detector, files: readonly { path: string; fsPath: string }[], options: Partial<BlobScanOptions>, maxFileSize: number): FilesResult {
  const out: FilesResult = { results: [], clean: { files: 0, bytes: 0 } };
  for (const f of files) {
    let r: BlobResult | SplitFile;
    try {
      r = scanFileSync(detector, f.path, f.fsPath, options, maxFileSize, true);
    } catch (e) {
      // one file's failure is that file's warning, not its batch's
      r = failedBlob(f.path, 0, e);
    }
    addToBatchResult(out, r);
  }
  return out;
}

/** A file's result into its batch's: counted when it has nothing to say, else kept. */
export function addToBatchResult(out: FilesResult, r: BlobResult | SplitFile): void {
  if (!('split' in r) && !r.matches.length && !r.notices.length && !r.skipped && !r.members) {
    out.clean.files++;
    out.clean.bytes += r.bytes;
  } else out.results.push(r);
}

/**
 * Reads and scans a file with synchronous reads (on a worker thread, where blocking is the
 * point: no thread-pool round trip per call). Applies maxFileSize when the walk did not
 * measure the file. A text file over the chunk size comes back as a SplitFile when `split`
 * is set (its regions are then scanned in parallel); otherwise its regions are scanned here.
 * Never throws: what cannot be read or scanned is a notice on the file.
 */
export function scanFileSync(detector: Detector, path: string, fsPath: string, options: Partial<BlobScanOptions>, maxFileSize: number, split: boolean): BlobResult | SplitFile {
  const opts = { ...DEFAULT_BLOB_OPTIONS, ...options };
  let fd: number;
  try {
    fd = openSync(fsPath, 'r');
  } catch (e) {
    return failedBlob(path, 0, e);
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
    const archive = opts.archives ? archiveKind(path, head) : null;
    // a tar or gzip is read from the file front to back, never whole; a zip is read whole
    if (archive && archive !== 'zip') return scanArchive(detector, path, fileArchiveSource(fd, size), archive, opts, { depth: 0, budget: null });
    if (opts.archives && archive) {
      if (size > opts.archives.maxTotalBytes) {
        return { path, matches: [], bytes: size, skipped: 'archive-limit', notices: [{ level: 'warning', path, skipped: 'archive-limit', message: `archive of ${size} bytes exceeds the ${opts.archives.maxTotalBytes}-byte archive limit: not opened` }] };
      }
      return scanBytes(detector, path, readAll(fd, size), opts);
    }
    const kind = classifyBytes(head);
    if (kind === 'binary') return skippedBinary(path, size);
    if (kind !== 'text') return scanUtf16File(detector, path, fd, size, kind, opts);
    if (split) return { split: true, path, fsPath, size };
    return scanRegionsOfFile(detector, path, fd, size, opts);
  } catch (e) {
    return failedBlob(path, 0, e);
  } finally {
    closeSync(fd);
  }
}

/** A large text file's regions, one after the other; a read that fails ends the file with a notice (what was read before stays scanned). */
function scanRegionsOfFile(detector: Detector, path: string, fd: number, size: number, opts: BlobScanOptions): BlobResult {
  const source = fileSource(fd, size);
  const placer = new RegionPlacer();
  const matches: LocatedMatch[] = [];
  const notices: Notice[] = [];
  for (let start = 0; start < size; start += opts.chunkSize) {
    let r: RegionResult;
    try {
      r = scanRegionOf(detector, path, source, start, opts);
    } catch (e) {
      const n = errorNotice(path, e);
      notices.push({ ...n, message: `${n.message} at byte ${start}; the bytes before it were scanned` });
      break;
    }
    for (const m of placer.place(r.matches, r.progress)) matches.push(m);
    if (r.notices) for (const n of r.notices) notices.push(n);
  }
  return { path, matches, notices, bytes: size };
}

/** A large UTF-16 file: decoded as it is read (a piece at a time), and its bytes read again for the second reading. */
function scanUtf16File(detector: Detector, path: string, fd: number, size: number, kind: 'utf16le' | 'utf16be', opts: BlobScanOptions): BlobResult {
  const piece = Buffer.allocUnsafe(1 << 20);
  const read = (emit: (chunk: Buffer) => void) => {
    for (let pos = 0; pos < size; pos += piece.length) {
      const got = readAt(fd, Math.min(piece.length, size - pos), pos, piece);
      if (!got.length) break;
      emit(got);
    }
  };
  return scanUtf16(detector, path, size, kind, read, null, opts, () => scanRegionsOfFile(detector, path, fd, size, opts));
}

/**
 * The buffer small files are read into, reused: scanBytes keeps nothing of the bytes it is
 * given (matches hold strings), so the next file can overwrite them.
 */
const SMALL = Buffer.allocUnsafe(64 << 10);

/** Random access to the bytes regions are cut from: a file (read into the thread's region buffer) or a buffer (viewed, not copied). */
interface RegionSource {
  size: number;
  view(start: number, length: number): Buffer;
}

function fileArchiveSource(fd: number, size: number): ArchiveSource {
  return {
    size,
    *chunks(step: number) {
      for (let pos = 0; pos < size; pos += step) {
        const piece = readAt(fd, Math.min(step, size - pos), pos);
        if (!piece.length) return;
        yield piece;
      }
    },
    read: (position, length) => readAt(fd, length, position),
  };
}

function fileSource(fd: number, size: number): RegionSource {
  return { size, view: (start, length) => readAt(fd, length, start, regionBuffer(length)) };
}

/**
 * Scans the region [start, start + chunkSize) of a large text file, with the overlap on
 * both sides. Never throws: a region that cannot be read or scanned is a notice.
 */
export function scanRegion(detector: Detector, path: string, fsPath: string, size: number, start: number, options: Partial<BlobScanOptions>): RegionResult {
  let fd: number | null = null;
  try {
    fd = openSync(fsPath, 'r');
    return scanRegionOf(detector, path, fileSource(fd, size), start, { ...DEFAULT_BLOB_OPTIONS, ...options });
  } catch (e) {
    const n = errorNotice(path, e);
    return { matches: [], progress: { newlines: 0, column: 0 }, notices: [{ ...n, message: `${n.message} (bytes ${start} on; the positions of later findings may be off)` }] };
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

/**
 * One region: its matches and how far it moves lines and columns. A failure while scanning
 * it (not while reading it) becomes a notice, and its lines are still counted.
 */
function scanRegionOf(detector: Detector, path: string, source: RegionSource, regionStart: number, opts: BlobScanOptions): RegionResult {
  const viewStart = Math.max(0, regionStart - opts.overlap);
  const viewEnd = Math.min(source.size, regionStart + opts.chunkSize + opts.overlap);
  const view = source.view(viewStart, viewEnd - viewStart);
  const rel = regionStart - viewStart;
  const regionEnd = Math.min(regionStart + opts.chunkSize, viewStart + view.length) - viewStart;
  const tracker = new PositionTracker();
  if (regionStart === 0) tracker.skipByteOrderMark(byteOrderMarkUnits(view));
  let matches: LocatedMatch[] = [];
  let notices: Notice[] | undefined;
  try {
    const raw = detectAll(detector, view, rel, regionEnd, opts, 0, undefined, keeper(detector, path));
    if (raw.length) matches = locate(tracker, view.toString('latin1'), rel, raw).map((m) => shift(m, viewStart));
  } catch (e) {
    const n = errorNotice(path, e);
    notices = [{ ...n, message: `${n.message} (bytes ${regionStart}–${regionStart + regionEnd - rel} not scanned)` }];
  }
  tracker.advanceBytes(view, rel, regionEnd);
  return notices ? { matches, progress: tracker.progress, notices } : { matches, progress: tracker.progress };
}

/** Joins the regions of a split file (given in file order) into its result. */
export function joinRegions(path: string, size: number, regions: readonly RegionResult[]): BlobResult {
  const placer = new RegionPlacer();
  const matches: LocatedMatch[] = [];
  const notices: Notice[] = [];
  for (const r of regions) {
    for (const m of placer.place(r.matches, r.progress)) matches.push(m);
    if (r.notices) for (const n of r.notices) notices.push(n);
  }
  return { path, matches, notices, bytes: size };
}

/**
 * The whole file (at most a chunk: larger ones are read in regions), given its first bytes
 * already read, into the thread's reused file buffer. A fresh buffer per file cost more than
 * reading it: the kernel faulted in and zeroed new pages for every file over SMALL. The
 * buffer's bytes are scanned before the next file is read, and no result keeps a view of them.
 */
function readAfter(fd: number, size: number, head: Buffer): Buffer {
  const buf = fileBuffer(Math.max(size, head.length));
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
let whole: Buffer | null = null;
const MAX_REUSED = 16 << 20;

/** The reused buffer readAfter reads into: grown as needed, a view of the length asked for. */
function fileBuffer(length: number): Buffer {
  // a large notebook is read whole too: not kept for the thread's lifetime
  if (length > MAX_REUSED) return Buffer.allocUnsafe(length);
  if (!whole || whole.length < length) whole = Buffer.allocUnsafe(Math.min(MAX_REUSED, Math.max(length, 2 * (whole?.length ?? 0), 1 << 20)));
  return whole.subarray(0, length);
}

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
  const markers = new AllowMarkers(text);
  return raw.map((m, i) => {
    const s = pos[2 * i]!;
    const e = pos[2 * i + 1]!;
    const located: LocatedMatch = { ...m, text: utf8Of(m.text), groups: mapValues(m.groups, utf8Of), line: s.line, column: s.column, endLine: e.line, endColumn: e.column + 1 };
    const marker = markers.at(m.start, s.line);
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
