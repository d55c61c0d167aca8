import { findingsForBlob, type FindingOptions, type SecretMaterial } from '../analyze/findings.js';
import type { Detector } from '../detect/engine.js';
import type { LocatedMatch, Rule } from '../detect/types.js';
import type { Finding, HistoryEvent, HistoryInfo } from '../model/finding.js';
import { CatFileBatch, readBlobs } from '../sources/git/cat-file.js';
import { git, GitError, gitVersion, versionAtLeast } from '../sources/git/git.js';
import { streamLog, type CommitHeader } from '../sources/git/log-stream.js';
import { ObjectIdSet } from '../sources/git/object-set.js';
import { collectEvents, firstParentPositions, pathspecOf, tipState } from '../sources/git/provenance.js';
import type { Repository } from '../sources/git/repo.js';
import type { Selection } from '../sources/git/selection.js';
import { stagedChanges } from '../sources/git/staged.js';
import { buildTimelines, type Timeline } from '../sources/git/timeline.js';
import { errorNotice, type Notice, type SkipReason } from '../sources/types.js';
import { flattenBlobResult, scanBytes, type BlobResult, type BlobScanOptions } from './blob-scanner.js';
import { BlobQueue, POOL_AFTER_BLOBS } from './blob-queue.js';
import { toSpecs } from '../detect/rules/serialize.js';
import { ScanPool, workerCount } from './pool.js';
import type { BlobOutcome } from './worker-blobs.js';
import type { PoolAnalysis } from './pool.js';

/**
 * The history scan of one repository, Nosey Parker style:
 *  1. stream `git log --raw` over the selected refs and send every blob id not seen before
 *     to one `git cat-file --batch`, whose output feeds the scanner (each unique blob is
 *     scanned once, whatever the number of commits and paths holding it);
 *  2. only if some blob had findings: stream the log again keeping just the changes that
 *     touched those blobs, look up what HEAD and each ref hold at those paths, and build
 *     each secret's timeline per path (sources/git/timeline.ts);
 *  3. turn each timeline into one finding (per secret and path) with its history block.
 * Memory: the set of blob ids seen (about 21 bytes each) plus what has findings.
 */
export interface HistoryContext {
  detector: Detector;
  rules: readonly Rule[];
  threads: number;
  /** 0 = no limit. */
  maxFileSize: number;
  findingOptions: FindingOptions;
  material: SecretMaterial;
  /** Archive limits and Base64 decoding, as for files on disk. */
  blobOptions: BlobScanOptions;
  /** The clock and policy workers drop look-alikes with (match-filter.ts). */
  analysis?: PoolAnalysis;
  /** Repository path (from the top) → the path reports show. */
  display: (repoPath: string) => string;
  /** Paths left out (--exclude), as repository paths. */
  skipPath: (repoPath: string) => boolean;
  /** Name of the repository in notices and progress. */
  label: string;
  onProgress?: (p: HistoryProgress) => void;
  /**
   * Blobs already scanned clean elsewhere (by the same rules): not read again. A store of an
   * organisation's scans passes the ids it holds; the pipeline only asks `has`.
   */
  knownBlobs?: { has(id: string): boolean };
  /** Told each blob scanned and found clean (no matches, no warnings): what a store records. */
  onCleanBlob?: (id: string) => void;
}

export interface HistoryProgress {
  repository: string;
  phase: 'clone' | 'blobs' | 'provenance' | 'staged';
  commits: number;
  /** Unique blobs listed so far; final once `listingDone`. */
  blobsListed: number;
  listingDone: boolean;
  blobsRead: number;
  bytesRead: number;
  elapsedMs: number;
}

export interface HistoryStats {
  repository: string;
  mode: 'history' | 'staged';
  /** What was read: refs and limits, or "the index". */
  selection: string;
  bare: boolean;
  shallow: boolean;
  commits: number;
  /** Unique blobs read from the object store. */
  blobs: number;
  /** Bytes of the blobs scanned. */
  bytes: number;
  skipped: { binary: number; tooLarge: number; missing: number };
  /** Unique blobs that held at least one finding. */
  blobsWithFindings: number;
  durationMs: number;
}

export interface HistoryOutcome {
  findings: Finding[];
  notices: Notice[];
  stats: HistoryStats;
}

interface Hits {
  path: string;
  matches: LocatedMatch[];
  /** Matches inside archive members, by the suffix their path adds (`!dir/file.env`). */
  members: { suffix: string; matches: LocatedMatch[] }[];
}

/** `--diff-merges=first-parent` (2.31) and `--show-object-format` (2.25). */
const MIN_GIT = [2, 31, 0] as const;

async function requireGit(min: readonly number[]): Promise<void> {
  const v = await gitVersion();
  if (!versionAtLeast(v, min)) throw new GitError(`git ${v.join('.')} is too old for history scans (${min.join('.')} or newer is needed)`, ['version'], '', 0);
}

/**
 * A partial clone fetches missing blobs when they are read. Git 2.45+ obeys GIT_NO_LAZY_FETCH
 * (always set); older git would go to the network behind the user's back, so it is not read.
 */
async function refuseLazyFetch(repo: Repository): Promise<void> {
  const config = await git(repo.dir, ['config', '--get-regexp', '^(extensions\\.partialclone|remote\\..*\\.promisor)$'], { allowFail: true });
  const partial = config.split('\n').some((l) => /^extensions\.partialclone \S/i.test(l) || /\.promisor true$/i.test(l));
  if (!partial || versionAtLeast(await gitVersion(), [2, 45, 0])) return;
  throw new GitError('partial clone: reading its history would download the missing blobs, and this git (older than 2.45) cannot be told not to', ['config'], '', 0);
}

/** FNV-1a of a path: which worker reads its blobs. */
function pathHash(path: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < path.length; i++) h = Math.imul(h ^ path.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** Blobs per message to a worker. */
const BLOB_BATCH = 32;

/** Occurrences listed per finding; `commits` still counts them all. */
const MAX_OCCURRENCES = 20;

export async function scanHistory(repo: Repository, selection: Selection, ctx: HistoryContext): Promise<HistoryOutcome> {
  await requireGit(MIN_GIT);
  await refuseLazyFetch(repo);
  const state = new ScanState(repo, ctx);
  await state.scanAllBlobs(selection);
  const notices = state.notices();
  if (repo.shallow) {
    notices.unshift({
      level: 'warning',
      path: ctx.label,
      message: `shallow clone: history starts at ${repo.shallowBoundary.size} boundary commit${repo.shallowBoundary.size === 1 ? '' : 's'}; a secret older than that shows the boundary commit as introduced (git fetch --unshallow for the full history)`,
    });
  }
  if (!state.hits.size) return { findings: [], notices, stats: state.stats('history', selection.description) };

  ctx.onProgress?.(state.progress('provenance', true));
  const { events } = await collectEvents(repo, selection, (b) => state.hits.has(b), ctx.skipPath);
  // a limited range does not read what came before it: scan the older blobs its changes start from
  await state.scanMissing(events.flatMap((e) => (e.oldBlob ? [{ id: e.oldBlob, path: e.path }] : [])));
  const paths = [...new Set(events.map((e) => e.path))];
  const tips = await tipState(repo, selection, paths);
  await state.scanMissing(
    paths.flatMap((p) => [tips.head(p), ...tips.tips.map((t) => t.blobAt(p))].flatMap((id) => (id ? [{ id, path: p }] : []))),
  );
  if (tips.skippedRefs) {
    notices.push({ level: 'info', path: ctx.label, message: `${tips.skippedRefs} refs not checked for which secrets their tips still hold (too many refs × paths)` });
  }
  const chain = await firstParentPositions(repo, selection.head, new Set(events.map((e) => e.commit.id)));
  const timelines = buildTimelines({
    events,
    keysAt: (blob, p) => state.keysAt(blob, p),
    headBlob: tips.head,
    tips: tips.tips,
    chainIndex: (c) => chain.get(c),
    requireIntroduction: selection.limited,
  });
  return { findings: state.findingsFor(timelines), notices, stats: state.stats('history', selection.description) };
}

/**
 * `--staged`: the secrets the next commit would add — in staged files, minus those the
 * same path already holds at HEAD. Lines and columns are those of the staged content.
 */
export async function scanStaged(repo: Repository, ctx: HistoryContext): Promise<HistoryOutcome> {
  const state = new ScanState(repo, ctx, 'staged');
  const changes = (await stagedChanges(repo)).filter((c) => c.newBlob && !ctx.skipPath(c.path));
  await state.scanBlobs(changes.map((c) => ({ id: c.newBlob!, path: c.path })), 'staged');
  await state.scanMissing(changes.filter((c) => c.oldBlob && state.hits.has(c.newBlob!)).map((c) => ({ id: c.oldBlob!, path: c.path })));
  const findings: Finding[] = [];
  for (const c of changes) {
    const before = new Set(state.keysAt(c.oldBlob, c.path));
    for (const f of state.findingsAt(c.newBlob!, c.path)) if (!before.has(f.fingerprint)) findings.push(copyFinding(f));
  }
  return { findings, notices: state.notices(), stats: state.stats('staged', 'the index (staged changes)') };
}

class ScanState {
  readonly hits = new Map<string, Hits>();
  private readonly seen: ObjectIdSet;
  private readonly counts = { commits: 0, listed: 0, read: 0, blobs: 0, bytes: 0, binary: 0, tooLarge: 0, missing: 0, readBytes: 0 };
  private readonly warnings = new Map<string, Notice>();
  private readonly tooLargeExamples: string[] = [];
  private readonly memo = new Map<string, Finding[]>();
  private readonly secretIdsMemo = new Map<string, string[]>();
  private listingDone = false;
  private lastProgress = 0;
  private readonly started = Date.now();

  constructor(
    private readonly repo: Repository,
    private readonly ctx: HistoryContext,
    /** Said after each warning: where the blob came from. */
    private readonly where: 'in history' | 'staged' = 'in history',
  ) {
    this.seen = new ObjectIdSet(repo.objectFormat === 'sha256' ? 32 : 20);
  }

  /**
   * Pass 1: every unique blob the selected history wrote, streamed from `git log --raw` to
   * the scanner. A small history (or --threads 1) is read on this thread through one
   * cat-file; a larger one goes to the worker threads, each reading its share of the blobs
   * through a cat-file of its own (worker-blobs.ts).
   */
  async scanAllBlobs(selection: Selection): Promise<void> {
    const log = streamLog(this.repo, selection.revisions, pathspecOf(this.repo))[Symbol.asyncIterator]();
    const first: { id: string; path: string }[] = [];
    let ended = false;
    const workers = workerCount(this.ctx.threads);
    // look ahead: threads cost more than they save on a small history
    while (workers > 1 && first.length <= POOL_AFTER_BLOBS) {
      const n = await log.next();
      if (n.done) {
        ended = true;
        break;
      }
      this.counts.commits++;
      for (const c of n.value.changes) if (c.newBlob && !this.ctx.skipPath(c.path) && this.admit(c.newBlob, c.path)) first.push({ id: c.newBlob, path: c.path });
    }
    if (workers > 1 && !ended) return this.scanInWorkers(workers, first, log);
    const cat = new CatFileBatch(this.repo);
    const queue = this.queue();
    let stop = false;
    const listing = (async () => {
      try {
        for (const b of first) await cat.request(b.id, b.path);
        for (let n = ended ? null : await log.next(); n && !n.done; n = await log.next()) {
          if (stop) break;
          this.counts.commits++;
          for (const c of n.value.changes) {
            if (!c.newBlob || this.ctx.skipPath(c.path) || !this.admit(c.newBlob, c.path)) continue;
            await cat.request(c.newBlob, c.path);
          }
        }
        this.listingDone = true;
      } finally {
        cat.end();
        if (stop) await log.return?.(undefined);
      }
    })();
    const reading = (async () => {
      try {
        await this.consume(cat, queue, 'blobs');
      } catch (e) {
        stop = true;
        throw e;
      }
    })();
    const results = await Promise.allSettled([listing, reading]);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) {
      cat.kill();
      await queue.finish().catch(() => undefined);
      throw failed.reason;
    }
    await queue.finish();
  }

  /** The blobs listed so far and the rest of the log, read and scanned by the workers in batches. */
  private async scanInWorkers(workers: number, first: { id: string; path: string }[], log: AsyncIterator<{ changes: { newBlob: string | null; path: string }[] }>): Promise<void> {
    const pool = new ScanPool(workers, toSpecs(this.ctx.rules), this.ctx.blobOptions, this.ctx.analysis);
    const inflight = new Set<Promise<void>>();
    let failure: unknown = null;
    const send = async (batch: { id: string; path: string }[], on: number) => {
      if (failure) throw failure;
      // a path's worker, unless it is busy and another is not: a few paths can hold most of
      // a history's bytes, and waiting on their worker left the other idle (half the time on redis)
      const p: Promise<void> = pool.run({ kind: 'blobs', repoDir: this.repo.dir, maxBytes: this.ctx.maxFileSize, blobs: batch }, undefined, pool.preferring(on)).then(
        (outcomes) => {
          for (let i = 0; i < outcomes.length; i++) this.recordOutcome(outcomes[i]!, batch[i]!.path);
        },
        (e: unknown) => {
          failure ??= e;
        },
      );
      inflight.add(p);
      void p.finally(() => inflight.delete(p));
      // back-pressure: at most a few batches in flight per worker
      while (inflight.size >= workers * 2) await Promise.race(inflight);
    };
    try {
      // a path's blobs go to one worker: git stores them as deltas of each other, and a
      // worker's cat-file keeps recent delta bases in its cache
      const batches: { id: string; path: string }[][] = Array.from({ length: workers }, () => []);
      const add = async (b: { id: string; path: string }) => {
        const on = pathHash(b.path) % workers;
        const batch = batches[on]!;
        batch.push(b);
        if (batch.length >= BLOB_BATCH) {
          batches[on] = [];
          await send(batch, on);
        }
      };
      for (const b of first) await add(b);
      for (let n = await log.next(); !n.done; n = await log.next()) {
        this.counts.commits++;
        for (const c of n.value.changes) if (c.newBlob && !this.ctx.skipPath(c.path) && this.admit(c.newBlob, c.path)) await add({ id: c.newBlob, path: c.path });
        if (failure) break;
      }
      this.listingDone = true;
      for (let on = 0; on < workers; on++) if (batches[on]!.length && !failure) await send(batches[on]!, on);
      while (inflight.size) await Promise.all(inflight);
      if (failure) throw failure;
      await pool.runOnEach({ kind: 'blobs-end' });
    } finally {
      if (failure) await log.return?.(undefined);
      await pool.close();
    }
  }

  /** Counts and records what a worker said about one blob. */
  private recordOutcome(o: BlobOutcome, path: string): void {
    this.counts.read++;
    this.counts.readBytes += o.size;
    if (o.missing) this.counts.missing++;
    else if (o.tooLarge) {
      this.counts.tooLarge++;
      if (this.tooLargeExamples.length < 3) this.tooLargeExamples.push(`${this.ctx.display(path)} (${o.size} bytes)`);
    } else if (o.clean) {
      this.counts.blobs++;
      this.counts.bytes += o.size;
      this.ctx.onCleanBlob?.(o.id);
    } else if (o.result) this.record(o.result, o.id);
    this.tick('blobs');
  }

  /** Scans the given blobs (a staged change set), streamed through one cat-file. */
  async scanBlobs(blobs: readonly { id: string; path: string }[], phase: HistoryProgress['phase']): Promise<void> {
    const cat = new CatFileBatch(this.repo);
    const queue = this.queue();
    // handled at once: a failure while requests are still being written must not go unhandled
    const reading = this.consume(cat, queue, phase).then(
      () => null,
      (e: unknown) => e,
    );
    try {
      for (const b of blobs) if (this.admit(b.id, b.path)) await cat.request(b.id, b.path);
      this.listingDone = true;
    } finally {
      cat.end();
    }
    const failure = await reading;
    await queue.finish();
    if (failure) throw failure;
  }

  /** Scans, on this thread, the few blobs provenance needs that pass 1 did not read. */
  async scanMissing(blobs: readonly { id: string; path: string }[]): Promise<void> {
    const todo = new Map<string, string>();
    for (const b of blobs) if (!this.seen.has(b.id) && !b.path.includes('\n') && !this.ctx.knownBlobs?.has(b.id)) todo.set(b.id, b.path);
    if (!todo.size) return;
    const contents = await readBlobs(this.repo, [...todo.keys()], this.ctx.maxFileSize);
    for (const [id, path] of todo) {
      this.seen.add(id);
      const bytes = contents.get(id);
      if (bytes) this.record(scanBytes(this.ctx.detector, path, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), this.ctx.blobOptions), id);
    }
  }

  private queue(): BlobQueue {
    return new BlobQueue(this.ctx.detector, this.ctx.rules, this.ctx.threads, this.ctx.blobOptions, (r, id) => this.record(r, id), this.ctx.analysis);
  }

  private admit(id: string, path: string): boolean {
    if (path.includes('\n')) {
      this.warn(path, 'path contains a line break: not read from history');
      return false;
    }
    if (!this.seen.add(id)) return false;
    if (this.ctx.knownBlobs?.has(id)) return false;
    this.counts.listed++;
    return true;
  }

  private async consume(cat: CatFileBatch, queue: BlobQueue, phase: HistoryProgress['phase']): Promise<void> {
    for await (const o of cat.objects(this.ctx.maxFileSize)) {
      this.counts.read++;
      this.counts.readBytes += o.size;
      if (o.missing) this.counts.missing++;
      else if (o.type === 'blob' && !o.bytes) {
        this.counts.tooLarge++;
        if (this.tooLargeExamples.length < 3) this.tooLargeExamples.push(`${this.ctx.display(o.tag)} (${o.size} bytes)`);
      } else if (o.bytes) await queue.submit(o.name, o.tag, o.bytes);
      this.tick(phase);
    }
  }

  private record(r: BlobResult, id: string): void {
    if (r.skipped === 'binary') this.counts.binary++;
    else if (!r.skipped) {
      this.counts.blobs++;
      this.counts.bytes += r.bytes;
    }
    const members: Hits['members'] = [];
    let warned = false;
    for (const part of flattenBlobResult(r)) {
      for (const n of part.notices) {
        if (n.level !== 'warning') continue;
        warned = true;
        this.warn(n.path, n.message, n.skipped);
      }
      if (part !== r && part.matches.length) members.push({ suffix: part.path.slice(r.path.length), matches: part.matches });
    }
    if (r.matches.length || members.length) this.hits.set(id, { path: r.path, matches: r.matches, members });
    else if (!warned && (!r.skipped || r.skipped === 'binary')) this.ctx.onCleanBlob?.(id);
  }

  private warn(repoPath: string, message: string, skipped?: SkipReason): void {
    const path = this.ctx.display(repoPath);
    const key = `${path}\0${message}`;
    const known = this.warnings.get(key);
    if (known) {
      known.count = (known.count ?? 1) + 1;
      return;
    }
    this.warnings.set(key, skipped ? { level: 'warning', path, skipped, message: `${message} (${this.where})` } : { level: 'warning', path, message: `${message} (${this.where})` });
  }

  private tick(phase: HistoryProgress['phase']): void {
    if (!this.ctx.onProgress) return;
    const now = Date.now();
    if (now - this.lastProgress < 100) return;
    this.lastProgress = now;
    this.ctx.onProgress(this.progress(phase, false));
  }

  progress(phase: HistoryProgress['phase'], final: boolean): HistoryProgress {
    return {
      repository: this.ctx.label,
      phase,
      commits: this.counts.commits,
      blobsListed: this.counts.listed,
      listingDone: this.listingDone || final,
      blobsRead: this.counts.read,
      bytesRead: this.counts.readBytes,
      elapsedMs: Date.now() - this.started,
    };
  }

  /** Findings a blob holds at a path (fingerprints depend on the path), computed once. */
  findingsAt(blob: string, repoPath: string): Finding[] {
    const hits = this.hits.get(blob);
    if (!hits) return [];
    const key = `${blob}\0${repoPath}`;
    let found = this.memo.get(key);
    if (!found) {
      const o = this.ctx.findingOptions;
      const shown = this.ctx.display(repoPath);
      found = [];
      try {
        for (const f of findingsForBlob(shown, hits.matches, ruleMapOf(this.ctx.rules), o, this.ctx.material)) found.push(f);
        for (const m of hits.members) for (const f of findingsForBlob(`${shown}${m.suffix}`, m.matches, ruleMapOf(this.ctx.rules), o, this.ctx.material)) found.push(f);
      } catch (e) {
        // one blob's matches that cannot be analyzed are that blob's error, not the history's
        const n = errorNotice(repoPath, e, 'analyze its matches');
        this.warn(repoPath, n.message, n.skipped);
      }
      this.memo.set(key, found);
    }
    return found;
  }

  keysAt(blob: string | null, repoPath: string): string[] {
    return blob ? this.findingsAt(blob, repoPath).map((f) => f.fingerprint) : [];
  }

  /**
   * Path- and ordinal-free identities (rule + secret) of a blob's secrets, index-aligned with
   * findingsAt: they link the same secret across paths and its repeats within a file.
   */
  private secretIds(blob: string): string[] {
    let ids = this.secretIdsMemo.get(blob);
    if (!ids) {
      const hits = this.hits.get(blob)!;
      const rules = ruleMapOf(this.ctx.rules);
      ids = [];
      for (const [i, matches] of [hits.matches, ...hits.members.map((m) => m.matches)].entries()) {
        findingsForBlob(i ? hits.members[i - 1]!.suffix : '', matches, rules, this.ctx.findingOptions, undefined, ids);
      }
      this.secretIdsMemo.set(blob, ids);
    }
    return ids;
  }

  findingsFor(all: Timeline[]): Finding[] {
    const placed: Placed[] = [];
    for (const t of all) {
      const found = this.findingsAt(t.introducedBlob, t.path);
      const i = found.findIndex((f) => f.fingerprint === t.key);
      if (i < 0) continue;
      placed.push({ t, base: found[i]!, shown: found[i]!.location.path, identity: this.secretIds(t.introducedBlob)[i] ?? t.key });
    }
    const kept = foldCopies(foldRepeats(placed));
    const pathsBySecret = new Map<string, Set<string>>();
    for (const p of placed) {
      if (!pathsBySecret.has(p.identity)) pathsBySecret.set(p.identity, new Set());
      pathsBySecret.get(p.identity)!.add(p.shown);
    }
    const out: Finding[] = [];
    for (const [p, copies] of kept) {
      const { t, base, shown } = p;
      const finding = copyFinding(base);
      const intro = this.event(t.introduced.commit);
      finding.location = { ...finding.location, commit: intro.commit, author: intro.author, date: intro.date };
      const others = [...pathsBySecret.get(p.identity)!].filter((x) => x !== shown).sort();
      // this path's writers first, then those of the copies folded into it (each with its path)
      const writers = [...t.occurrences.map((e) => ({ e, path: shown })), ...copies.flatMap((c) => c.t.occurrences.map((e) => ({ e, path: c.shown })))];
      const history: HistoryInfo = {
        introduced: intro,
        presentAtHead: t.presentAtHead,
        removed: t.removed ? this.event(t.removed.commit) : null,
        occurrences: writers
          .filter((w) => w.e !== t.introduced)
          .slice(0, MAX_OCCURRENCES)
          .map((w) => ({ commit: w.e.commit.id, path: w.path, date: w.e.commit.date })),
        commits: new Set(writers.map((w) => w.e.commit.id)).size,
        presentInRefs: [...new Set([...t.presentInRefs, ...copies.flatMap((c) => c.t.presentInRefs)])],
        otherPaths: others,
      };
      finding.history = history;
      out.push(finding);
    }
    return out;
  }

  private event(c: CommitHeader): HistoryEvent {
    const e: HistoryEvent = { commit: c.id, author: c.author, date: c.date };
    if (this.repo.shallowBoundary.has(c.id)) e.atShallowBoundary = true;
    return e;
  }

  notices(): Notice[] {
    const out = [...this.warnings.values()];
    const c = this.counts;
    if (c.tooLarge) {
      out.push({ level: 'warning', path: this.ctx.label, skipped: 'too-large', count: c.tooLarge, message: `${c.tooLarge} blob${c.tooLarge === 1 ? '' : 's'} in history over the --max-file-size limit not scanned, e.g. ${this.tooLargeExamples.join(', ')}` });
    }
    if (c.missing) {
      out.push({ level: 'warning', path: this.ctx.label, skipped: 'unreadable', count: c.missing, message: `${c.missing} blob${c.missing === 1 ? '' : 's'} missing from the object store (a partial clone?) not scanned` });
    }
    if (c.binary) out.push({ level: 'info', path: this.ctx.label, skipped: 'binary', count: c.binary, message: `${c.binary} binary blob${c.binary === 1 ? '' : 's'} in history not scanned` });
    return out;
  }

  stats(mode: HistoryStats['mode'], selection: string): HistoryStats {
    const c = this.counts;
    return {
      repository: this.ctx.label,
      mode,
      selection,
      bare: !this.repo.hasWorkTree,
      shallow: this.repo.shallow,
      commits: c.commits,
      blobs: c.read,
      bytes: c.bytes,
      skipped: { binary: c.binary, tooLarge: c.tooLarge, missing: c.missing },
      blobsWithFindings: this.hits.size,
      durationMs: Date.now() - this.started,
    };
  }
}

/**
 * One secret repeated in a file is one finding across history: the n-th copy of a secret in a
 * file (its own fingerprint, so that two copies on disk stay two findings with exact lines)
 * is kept only while HEAD still holds that many copies. A copy that lived only in history is
 * fully described by the first copy's timeline — every blob holding the n-th copy holds the
 * first, so the first was introduced no later and removed no earlier — and is dropped.
 */
export function foldRepeats<T extends Placed>(placed: T[]): T[] {
  const keep = new Set<T>();
  for (const g of groupBy(placed, (p) => `${p.shown}\0${p.identity}`)) {
    const atHead = g.filter((p) => p.t.presentAtHead);
    if (atHead.length) atHead.forEach((p) => keep.add(p));
    else keep.add(g.reduce((a, b) => (b.t.occurrences.length > a.t.occurrences.length || (b.t.occurrences.length === a.t.occurrences.length && b.t.introduced.commit.date < a.t.introduced.commit.date) ? b : a)));
  }
  return placed.filter((p) => keep.has(p));
}

/** A secret's timeline at one shown path (archive members included), with its finding and path-free identity. */
export interface Placed {
  t: Timeline;
  base: Finding;
  shown: string;
  identity: string;
}

/**
 * One secret in copies of one file is one finding: a copy of the file under another directory
 * (a tree moved or vendored into a subdirectory, a release archive committed with its sources)
 * that only history held is folded into the copy HEAD holds, or else into the shortest path,
 * its commits listed as occurrences with their paths. Copies HEAD still holds each stay a
 * finding (a place to fix, as on disk); different files holding the same secret stay apart.
 */
export function foldCopies<T extends Placed>(placed: T[]): Map<T, T[]> {
  const kept = new Map<T, T[]>(placed.map((p) => [p, []]));
  for (const g of groupBy(placed, (p) => p.identity)) {
    if (g.length < 2) continue;
    const order = [...g].sort((a, b) => Number(b.t.presentAtHead) - Number(a.t.presentAtHead) || fileOf(a.shown).length - fileOf(b.shown).length || Number(a.shown.includes('!')) - Number(b.shown.includes('!')) || a.t.introduced.commit.date.localeCompare(b.t.introduced.commit.date));
    for (const [i, p] of order.entries()) {
      if (p.t.presentAtHead) continue;
      const into = order.slice(0, i).find((r) => kept.has(r) && sameFile(p.shown, r.shown));
      if (!into) continue;
      const target = kept.get(into)!;
      target.push(p);
      for (const q of kept.get(p)!) target.push(q);
      kept.delete(p);
    }
  }
  return kept;
}

/** Path segments of the file itself: an archive member's path inside the archive, less the archive's top directory. */
function fileOf(shown: string): string[] {
  const bang = shown.lastIndexOf('!');
  const inner = bang < 0 ? shown.split('/') : shown.slice(bang + 1).split('/').slice(1);
  return inner.filter(Boolean);
}

/** The shorter path (two segments at least) ends the longer one: the same file under another directory. */
function sameFile(a: string, b: string): boolean {
  const [x, y] = [fileOf(a), fileOf(b)].sort((p, q) => p.length - q.length) as [string[], string[]];
  return x.length >= 2 && x.every((seg, i) => seg === y[y.length - x.length + i]);
}

function groupBy<T>(items: T[], key: (t: T) => string): T[][] {
  const groups = new Map<string, T[]>();
  for (const t of items) {
    const k = key(t);
    const g = groups.get(k);
    if (g) g.push(t);
    else groups.set(k, [t]);
  }
  return [...groups.values()];
}

const ruleMaps = new WeakMap<readonly Rule[], Map<string, Rule>>();
function ruleMapOf(rules: readonly Rule[]): Map<string, Rule> {
  let m = ruleMaps.get(rules);
  if (!m) ruleMaps.set(rules, (m = new Map(rules.map((r) => [r.id, r]))));
  return m;
}

/** A finding shared by memoised results must not be changed in place: copy what callers edit. */
function copyFinding(f: Finding): Finding {
  return { ...f, location: { ...f.location }, reasons: [...f.reasons] };
}
