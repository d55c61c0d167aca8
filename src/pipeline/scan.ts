import { statSync } from 'node:fs';
import path from 'node:path';
import { findingsForBlob, type SecretMaterial } from '../analyze/findings.js';
import { heldBack, listFindings, type Filtered } from '../analyze/listing.js';
import { applySuppressions, countSuppressed, type Suppressions } from '../analyze/suppress.js';
import type { LinkPolicy } from '../analyze/policy.js';
import { Detector } from '../detect/engine.js';
import { toSpecs } from '../detect/rules/serialize.js';
import type { Rule } from '../detect/types.js';
import type { Confidence } from '../model/confidence.js';
import type { Finding } from '../model/finding.js';
import { countBySeverity, type Severity } from '../model/severity.js';
import { walkTargets } from '../sources/fs-walk.js';
import { resolveScanRoot } from '../sources/root.js';
import type { HistoryOptions } from '../sources/git/selection.js';
import { readStream } from '../sources/stdin.js';
import { errorNotice, type FileItem, type Notice, type SkipReason } from '../sources/types.js';
import { DEFAULT_BLOB_OPTIONS, flattenBlobResult, joinRegions, scanBytes, scanFileBatch, scanFileSync, scanRegion, type BlobResult, type BlobScanOptions, type FilesResult, type RegionResult, type SplitFile } from './blob-scanner.js';
import type { HistoryProgress, HistoryStats } from './history.js';
import { lookAlikeFilter } from './match-filter.js';
import { joinNames, packFiles, POOL_MIN_FILES, releasePrestarted, ScanPool, workerCount } from './pool.js';
import { readSmallFiles, scanReadBatch, sliceReadBatch, SMALL_FILE, type ReadBatch } from './read-batch.js';
import { mergeHistory, planRepositories, scanRepositories, type RepositoryPlan, type RepositoryScanOptions } from './repositories.js';

/**
 * The scan pipeline: sources → (extract, decode, detect on worker threads) → analyze.
 * Returns findings and a full account of what was and was not scanned.
 */
export interface ScanOptions {
  targets: string[];
  exclude: string[];
  maxFileSize: number;
  followSymlinks: boolean;
  /** Worker threads; 0 = one per core (up to 4), 1 = scan on the main thread. */
  threads: number;
  showSecrets: boolean;
  includeExamples: boolean;
  now: Date;
  policy: LinkPolicy;
  rules: readonly Rule[];
  stdin?: NodeJS.ReadableStream;
  /** Only scan paths matching one of these globs (empty = everything). */
  include?: string[];
  inlineAllow?: boolean;
  severityOverrides?: ReadonlyMap<string, Severity>;
  suppressions?: Suppressions;
  /** Archive limits and Base64 decoding (defaults: DEFAULT_BLOB_OPTIONS). */
  blob?: Partial<BlobScanOptions>;
  /** Git history of repository targets (all refs unless limited); false = files only. Default: all history. */
  history?: HistoryOptions | false;
  /** Scan only what repository targets have staged (a pre-commit hook). */
  staged?: boolean;
  /** Called now and then during long history scans. */
  onProgress?: (p: HistoryProgress) => void;
  /**
   * Directory reported paths are relative to (absolute, resolved). Default: the top of the git
   * work tree the targets are in, else the current directory (sources/root.ts).
   */
  root?: string;
  /** Exclude patterns typed by the user: each one that matches nothing is a warning. */
  excludeFlags?: readonly string[];
  /** Absolute paths of files this run writes (its report): never scanned. */
  skipFiles?: readonly string[];
  /**
   * Called once per finding (active or suppressed) when it is final: as it is found for files
   * outside git work trees and stdin; after its repository's history for the rest (a finding on
   * disk takes its history block from there). For streaming formats (JSON Lines).
   */
  onFinding?: (f: Finding) => void;
  /** Called as files are scanned (files, bytes, findings so far), for a progress line. */
  onFileProgress?: (p: FileProgress) => void;
  /** Walk directories as git would: leave out what .gitignore & co. ignore (default false here; the CLI's default is true). */
  respectGitignore?: boolean;
  /** History blobs already scanned clean (by the same rules) elsewhere: not read again. */
  knownBlobs?: { has(id: string): boolean };
  /** Told each history blob scanned and found clean. */
  onCleanBlob?: (id: string) => void;
  /** Findings below this confidence are counted, not listed (default low: all are listed). */
  minConfidence?: Confidence;
  /** List info findings of low confidence (default true; the CLI holds them back unless --all). */
  listLowConfidenceInfo?: boolean;
}

export interface FileProgress {
  files: number;
  bytes: number;
  findings: number;
}

export const DEFAULT_HISTORY: HistoryOptions = { branches: [], reflog: false };

export interface ScanStats {
  startedAt: string;
  durationMs: number;
  filesScanned: number;
  bytesScanned: number;
  threads: number;
  skipped: Partial<Record<SkipReason, number>>;
  findingsBySeverity: Record<Severity, number>;
  findingsByRule: Record<string, number>;
  /** Findings accepted by inline comments, the baseline or configuration, by mechanism. */
  suppressed: Record<string, number>;
  /** Findings not listed (below --min-confidence; low-confidence info without --all), counted. */
  filtered?: Filtered;
  /** The minimum confidence listed. */
  minConfidence?: Confidence;
  /** One entry per repository whose history (or index) was read. */
  history?: HistoryStats[];
  /** With --verify: verdicts by status, unknown ones by cause, and how many could not be checked. */
  verification?: { verified: number; byStatus: Record<string, number>; unknownByCause: Record<string, number>; couldNotCheck: number; requestsSent: number };
}

export interface ScanResult {
  /** The directory every reported path is relative to. */
  root: string;
  findings: Finding[];
  /** Findings accepted by inline comments, the baseline or the configuration: kept, not failing. */
  suppressed: Finding[];
  notices: Notice[];
  stats: ScanStats;
  /** Unredacted material per finding fingerprint, for opt-in verification only. */
  material: SecretMaterial;
}

/** Below this much work (and POOL_MIN_FILES), starting threads costs more than it saves. */
const POOL_MIN_BYTES = 16 << 20;

export async function runScan(opts: ScanOptions): Promise<ScanResult> {
  const started = Date.now();
  const notices: Notice[] = [];
  const root = opts.root ?? (await resolveScanRoot(opts.targets)).dir;
  const excludeHits = new Set<string>();
  const gitOpts = { history: opts.history ?? DEFAULT_HISTORY, staged: Boolean(opts.staged), exclude: opts.exclude, include: opts.include ?? [], root, excludeHits };
  const plan = await planRepositories(opts.targets.filter((t) => t !== '-'), gitOpts, notices, opts.onProgress);
  try {
    return await scanPlanned({ ...opts, root }, plan, gitOpts, notices, started);
  } finally {
    plan.cleanup();
    releasePrestarted();
  }
}

/** Files (walked), stdin, then repository history; one finding per secret and path. */
async function scanPlanned(scanOpts: ScanOptions & { root: string }, plan: RepositoryPlan, gitOpts: RepositoryScanOptions & { excludeHits: Set<string> }, notices: Notice[], started: number): Promise<ScanResult> {
  // with one target, paths are relative to it: a target inside node_modules is third-party code
  const single = scanOpts.targets.filter((t) => t !== '-');
  const opts = { ...scanOpts, contextRoot: single.length === 1 ? path.resolve(single[0]!) : undefined };
  const findings: Finding[] = [];
  const material: SecretMaterial = new Map();
  const ruleMap = new Map(opts.rules.map((r) => [r.id, r]));
  const stats = { filesScanned: 0, bytesScanned: 0 };
  // findings on paths no repository target owns are final as found: stream them now
  const finalNow = (p: string) => !plan.repositories.some((t) => t.walkTree && t.owns(p));
  const streamed = new Set<Finding>();
  const emit = (f: Finding) => {
    if (!opts.onFinding || streamed.has(f)) return;
    applySuppressions([f], opts.suppressions ?? {});
    // what the report holds back (below --min-confidence, low-confidence info) is not streamed either
    if (!f.suppressed && heldBack(f, opts)) return;
    streamed.add(f);
    opts.onFinding(f);
  };
  const progress = () => opts.onFileProgress?.({ files: stats.filesScanned, bytes: stats.bytesScanned, findings: findings.length });
  const consume = (blob: BlobResult) => {
    // an archive's members are blobs of their own (`archive.zip!member`)
    for (const r of flattenBlobResult(blob)) {
      for (const n of r.notices) notices.push(n);
      if (r.skipped) continue;
      stats.filesScanned++;
      stats.bytesScanned += r.members ? 0 : r.bytes;
      let found: Finding[];
      try {
        found = findingsForBlob(r.path, r.matches, ruleMap, opts, material);
      } catch (e) {
        // one blob's matches that cannot be analyzed are that blob's error, not the run's
        notices.push(errorNotice(r.path, e, 'analyze its matches'));
        continue;
      }
      for (const f of found) findings.push(f);
      for (const f of found) if (finalNow(f.location.path)) emit(f);
    }
    progress();
  };

  const fileTargets = opts.targets.filter((t) => t !== '-');
  const detector = new Detector(opts.rules);
  detector.keep = lookAlikeFilter(opts.rules, { now: opts.now, policy: opts.policy });
  const blobOptions: BlobScanOptions = { ...DEFAULT_BLOB_OPTIONS, ...opts.blob };
  if (opts.targets.includes('-')) {
    let bytes: Buffer | null = null;
    try {
      bytes = await readStream(opts.stdin ?? process.stdin);
    } catch (e) {
      notices.push(errorNotice('<stdin>', e));
    }
    if (bytes) consume(scanBytes(detector, '<stdin>', bytes, blobOptions));
  }
  const skipFiles = new Set((opts.skipFiles ?? []).map((f) => path.resolve(f)));
  const walkOpts = { ...opts, alwaysPrefix: fileTargets.length > 1, deferSize: true, excludeHits: gitOpts.excludeHits, skipFiles, gitignore: Boolean(opts.respectGitignore) };
  const walk = walkTargets(plan.walk, walkOpts, { notice: (n) => notices.push(n) });
  const threads = await scanFiles(walk, opts, detector, blobOptions, consume, notices, stats, progress);

  const repoCtx = { detector, analysis: { now: opts.now.toISOString(), policy: opts.policy }, rules: opts.rules, threads: opts.threads, maxFileSize: opts.maxFileSize, findingOptions: opts, material, onProgress: opts.onProgress, blobOptions, knownBlobs: opts.knownBlobs, onCleanBlob: opts.onCleanBlob };
  const history = await scanRepositories(plan, gitOpts, repoCtx, notices);
  const all = mergeHistory(findings, history, opts.now).sort(byLocation);
  const suppressions = applySuppressions(all, opts.suppressions ?? {});
  const { listed: active, filtered } = listFindings(suppressions.active, opts);
  const suppressed = suppressions.suppressed;
  for (const f of all) emit(f);
  // bounded: one notice per --exclude pattern
  notices.push(...unmatchedExcludes(opts.excludeFlags ?? [], gitOpts.excludeHits));
  return {
    root: opts.root,
    findings: active,
    suppressed,
    notices,
    material,
    stats: {
      ...stats,
      startedAt: new Date(started).toISOString(),
      durationMs: Date.now() - started,
      threads,
      skipped: countSkips(notices),
      findingsBySeverity: countBySeverity(active),
      findingsByRule: countByRule(active),
      suppressed: countSuppressed(suppressed),
      filtered,
      minConfidence: opts.minConfidence ?? 'low',
      ...(plan.repositories.length ? { history: history.stats } : {}),
    },
  };
}

/**
 * Files from the walk, scanned as they are found: on this thread for a small scan, else in
 * batches (many small files per message) on `threads − 1` workers and on this thread, which
 * takes a batch (or a large text file's region) whenever every worker has its queue full.
 * This thread only walks and collects between batches: as a dispatcher it left a core's
 * worth of CPU unused while one more worker loaded its code and warmed up (50,000 small
 * files on 2 cores: −7 % wall, −10 % CPU against two workers). Returns the number of threads.
 */
async function scanFiles(
  walk: AsyncIterable<FileItem>,
  opts: ScanOptions,
  detector: Detector,
  blobOptions: BlobScanOptions,
  consume: (r: BlobResult) => void,
  notices: Notice[],
  stats: { filesScanned: number; bytesScanned: number },
  progress: () => void,
): Promise<number> {
  const it = walk[Symbol.asyncIterator]();
  // look ahead far enough to know whether threads are worth starting
  const head: FileItem[] = [];
  let done = false;
  while (head.length < POOL_MIN_FILES) {
    const n = await it.next();
    if (n.done) {
      done = true;
      break;
    }
    head.push(n.value);
  }
  const threads = chooseThreads(opts.threads, head, done);
  if (threads <= 1) {
    const rest = async function* () {
      yield* head;
      if (!done) for (let n = await it.next(); !n.done; n = await it.next()) yield n.value;
    };
    for await (const item of rest()) {
      const r = scanFileSync(detector, item.path, item.fsPath, blobOptions, opts.maxFileSize, false);
      consume(r as BlobResult);
    }
    return 1;
  }
  const pool = new ScanPool(threads - 1, toSpecs(opts.rules), blobOptions, { now: opts.now.toISOString(), policy: opts.policy });
  try {
    const inflight = new Set<Promise<void>>();
    const track = (p: Promise<void>) => {
      inflight.add(p);
      void p.finally(() => inflight.delete(p));
    };
    const failed = (paths: string[]) => (e: Error) => {
      for (const path of paths) notices.push(errorNotice(path, e));
    };
    const splitFile = async (f: SplitFile) => {
      const regions: Promise<RegionResult>[] = [];
      // a region that failed costs that region (with a notice), not the file
      const failedRegion = (e: unknown): RegionResult => ({ matches: [], progress: { newlines: 0, column: 0 }, notices: [errorNotice(f.path, e)] });
      for (let start = 0; start < f.size; start += blobOptions.chunkSize) {
        if (!pool.hasRoom) {
          let r: RegionResult;
          try {
            r = scanRegion(detector, f.path, f.fsPath, f.size, start, blobOptions);
          } catch (e) {
            r = failedRegion(e);
          }
          regions.push(Promise.resolve(r));
          await nextTurn();
          continue;
        }
        const p = pool.run({ kind: 'region', path: f.path, fsPath: f.fsPath, size: f.size, start }).catch(failedRegion);
        regions.push(p);
        track(p.then(() => undefined));
      }
      consume(joinRegions(f.path, f.size, await Promise.all(regions)));
    };
    const settled = ({ results, clean }: FilesResult) => {
      stats.filesScanned += clean.files;
      stats.bytesScanned += clean.bytes;
      progress();
      for (const r of results) {
        if ('split' in r) track(splitFile(r).catch(failed([r.path])));
        else consume(r);
      }
    };
    const sendPaths = async (batch: readonly { path: string; fsPath: string }[]) => {
      let files = batch.map((i) => ({ path: i.path, fsPath: i.fsPath }));
      // while every worker has its queue full (or is still loading), this thread scans the
      // batch a few files at a time, letting the workers' answers in between: a worker whose
      // queue ran dry would otherwise wait for the whole batch (a third of its time on node_modules)
      while (!pool.hasRoom && files.length) {
        settled(scanFileBatch(detector, files.slice(0, MAIN_SLICE_FILES), blobOptions, opts.maxFileSize));
        files = files.slice(MAIN_SLICE_FILES);
        await nextTurn();
      }
      if (files.length) track(pool.run({ kind: 'files', files: packFiles(files), maxFileSize: opts.maxFileSize }).then(settled, failed(files.map((f) => f.path))));
    };
    // Small files this thread read while every worker was busy (read-batch.ts), first in first
    // out; `next` is the first file of a batch not yet scanned.
    const backlog: { batch: ReadBatch; next: number }[] = [];
    let backlogBytes = 0;
    /** Files and bytes read here so far: they (else what was scanned) tell a tree of tiny files. */
    const read = { files: 0, bytes: 0 };
    const postRead = (entry: { batch: ReadBatch; next: number }) => {
      const b = entry.next ? sliceReadBatch(entry.batch, entry.next) : entry.batch;
      const paths = b.files.map((f) => f.path);
      track(pool.run({ kind: 'read', paths: joinNames(paths), ends: b.ends, bytes: b.bytes }, [b.bytes.buffer as ArrayBuffer], undefined, READ_DEPTH).then(settled, failed(paths)));
    };
    /**
     * Hands read batches to workers with room. This thread scans from the backlog itself only
     * when it holds READ_AHEAD_BYTES (or the walk is over) and every worker is busy.
     */
    const drain = async (final: boolean) => {
      while (backlog.length) {
        if (pool.hasRoomUpTo(READ_DEPTH)) {
          const entry = backlog.shift()!;
          backlogBytes -= entry.batch.bytes.length;
          postRead(entry);
          continue;
        }
        if (!final && backlogBytes < READ_AHEAD_BYTES) {
          // the workers' answers (which free their queues) arrive only between turns: post
          // to a worker that has caught up before reading on
          await nextTurn();
          if (pool.hasRoomUpTo(READ_DEPTH)) continue;
          return;
        }
        const entry = backlog[0]!;
        const to = Math.min(entry.next + MAIN_SLICE_FILES, entry.batch.files.length);
        settled(scanReadBatch(detector, sliceReadBatch(entry.batch, entry.next, to), blobOptions));
        entry.next = to;
        if (to === entry.batch.files.length) backlogBytes -= backlog.shift()!.batch.bytes.length;
        await nextTurn();
      }
      // nothing read ahead: a worker that ran short gets the next batch by path (send)
      if (!final) await nextTurn();
    };
    /**
     * A worker with room and nothing read ahead gets the batch by path (it reads the files
     * itself: with many workers this thread would not keep up reading for all). So does every
     * batch of a tree whose files are not tiny: there the scan outweighs the reads, and this
     * thread is better used scanning than reading for workers. In a tree of tiny files this
     * thread, which would otherwise scan, reads the batch's files for the next free worker.
     */
    const send = async (batch: FileItem[]) => {
      if ((pool.hasRoom && !backlog.length) || !tinyFiles(stats, read)) return sendPaths(batch);
      const got = readSmallFiles(batch, opts.maxFileSize);
      if (got.read) {
        backlog.push({ batch: got.read, next: 0 });
        backlogBytes += got.read.bytes.length;
      }
      read.files += batch.length;
      read.bytes += got.read?.bytes.length ?? 0;
      // the files too large to read here count as large: a tree of them is not one of tiny files
      read.bytes += got.rest.length * SMALL_FILE;
      await drain(false);
      if (got.rest.length) await sendPaths(got.rest);
    };
    let batch: FileItem[] = [];
    let batchBytes = 0;
    const add = async (item: FileItem) => {
      batch.push(item);
      batchBytes += Math.max(item.size, 0);
      if (batch.length >= BATCH_FILES || batchBytes >= BATCH_BYTES) {
        const b = batch;
        batch = [];
        batchBytes = 0;
        await send(b);
      }
    };
    for (const item of head) await add(item);
    if (!done) for (let n = await it.next(); !n.done; n = await it.next()) await add(n.value);
    if (batch.length) await send(batch);
    await drain(true);
    while (inflight.size) await Promise.all(inflight);
  } finally {
    await pool.close();
  }
  return threads;
}

/**
 * Files per message to a worker, and bytes (when the walk knew the sizes). 256 rather than 64:
 * on 50,000 small files the messages (paths out, results back) cost 8 % of the run.
 */
const BATCH_FILES = 256;
/**
 * Bytes of small files this thread reads ahead while every worker is busy, before it scans
 * some itself: a tree of tiny files is mostly read here while the worker loads and scans,
 * then both threads share what is left.
 */
const READ_AHEAD_BYTES = 16 << 20;
/**
 * Read batches a worker may hold (path batches: 2). It scans one in a few milliseconds, less
 * than this thread's longer stops (a directory listing, a garbage collection, the first
 * findings' analysis); with two it ran dry a quarter of the time on 50,000 small files.
 */
const READ_DEPTH = 4;

/**
 * Whether the files read here (else those scanned) average a few KB at most: on 50,000 files
 * of 0.7 KB the reads were half the work, on node_modules (14 KB) a tenth. Until 256 files
 * tell, it is assumed: reading a batch is work done either way.
 */
function tinyFiles(scanned: { filesScanned: number; bytesScanned: number }, read: { files: number; bytes: number }): boolean {
  if (read.files >= 256) return read.bytes <= read.files * TINY_AVERAGE;
  if (scanned.filesScanned >= 256) return scanned.bytesScanned <= scanned.filesScanned * TINY_AVERAGE;
  return true;
}

const TINY_AVERAGE = 4 << 10;
/** Files this thread scans between two looks at the workers' queues. */
const MAIN_SLICE_FILES = 16;
const BATCH_BYTES = 4 << 20;

/** Lets pending events (workers' answers) run before this thread goes on. */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function chooseThreads(requested: number, head: FileItem[], walkDone: boolean): number {
  if (requested === 1) return 1;
  if (requested === 0 && walkDone) {
    // a few files: threads are worth starting only for enough bytes (sizes measured here)
    const bytes = head.reduce((n, i) => n + (i.size >= 0 ? i.size : sizeOf(i.fsPath)), 0);
    if (bytes < POOL_MIN_BYTES) return 1;
  }
  return workerCount(requested);
}

function sizeOf(fsPath: string): number {
  try {
    return statSync(fsPath).size;
  } catch {
    return 0;
  }
}

export function byLocation(a: Finding, b: Finding): number {
  const pa = a.location.path;
  const pb = b.location.path;
  if (pa !== pb) return pa < pb ? -1 : 1;
  return a.location.line - b.location.line || a.location.column - b.location.column;
}

/** A typed --exclude that matched nothing is most likely a typo, or a path from the wrong directory. */
function unmatchedExcludes(patterns: readonly string[], hits: ReadonlySet<string>): Notice[] {
  return [...new Set(patterns)]
    .filter((p) => !hits.has(p))
    .map((p) => ({ level: 'warning' as const, path: `--exclude ${p}`, message: 'matched nothing (patterns match paths from the repository root, e.g. docs/** or a bare name such as node_modules)' }));
}

function countSkips(notices: Notice[]): Partial<Record<SkipReason, number>> {
  const out: Partial<Record<SkipReason, number>> = {};
  for (const n of notices) if (n.skipped) out[n.skipped] = (out[n.skipped] ?? 0) + (n.count ?? 1);
  return out;
}

function countByRule(findings: Finding[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const f of findings) out[f.rule] = (out[f.rule] ?? 0) + 1;
  return out;
}
