import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { LinkPolicy } from '../analyze/policy.js';
import type { RuleSpec } from '../detect/rules/serialize.js';
import type { BlobResult, BlobScanOptions, FilesResult, RegionResult } from './blob-scanner.js';
import type { BlobOutcome, BlobRequest } from './worker-blobs.js';

/**
 * Work for a scanning thread: one file, a batch of files (read and scanned one after the
 * other on the worker: one message for many small files), a batch of small files the main
 * thread read (read-batch.ts: the paths as shown, joined; the bytes, transferred), one region
 * of a large file, or bytes already in memory (transferred, not copied).
 */
export type TaskInput =
  | { kind: 'file'; path: string; fsPath: string }
  | { kind: 'files'; files: PackedFiles; maxFileSize: number }
  | { kind: 'region'; path: string; fsPath: string; size: number; start: number }
  | { kind: 'read'; paths: string; ends: Uint32Array; bytes: Uint8Array }
  | { kind: 'bytes'; path: string; bytes: Uint8Array }
  | { kind: 'blobs'; repoDir: string; maxBytes: number; blobs: BlobRequest[] }
  | { kind: 'blobs-end' };
export type WorkerTask = TaskInput & { id: number };

/**
 * A batch's files as two NUL-separated strings (no path holds a NUL): a message of two strings
 * is copied whole, where 256 objects were cloned and rebuilt one property at a time (on 50,000
 * small files the messages cost 4× as much that way).
 */
export interface PackedFiles {
  count: number;
  paths: string;
  fsPaths: string;
}

export function packFiles(files: readonly { path: string; fsPath: string }[]): PackedFiles {
  return { count: files.length, paths: joinNames(files.map((f) => f.path)), fsPaths: joinNames(files.map((f) => f.fsPath)) };
}

export function unpackFiles(packed: PackedFiles): { path: string; fsPath: string }[] {
  const fsPaths = splitNames(packed.fsPaths, packed.count);
  return splitNames(packed.paths, packed.count).map((path, i) => ({ path, fsPath: fsPaths[i]! }));
}

/** Paths (which never hold a NUL) as one string. */
export function joinNames(names: readonly string[]): string {
  return names.join('\0');
}

/** joinNames undone; `count` tells no name from one empty name. */
export function splitNames(joined: string, count: number): string[] {
  return count ? joined.split('\0') : [];
}

/** The answer to each kind of task. */
export type TaskOutput<T extends TaskInput> = T extends { kind: 'files' | 'read' } ? FilesResult : T extends { kind: 'region' } ? RegionResult : T extends { kind: 'blobs' } ? BlobOutcome[] : T extends { kind: 'blobs-end' } ? null : BlobResult;

/** A task's answer. */
export type WorkerReply = { id: number; result: unknown } | { id: number; error: string };

/** A worker's first message: what it scans with (it loads its code before it gets this). */
export interface WorkerInit {
  kind: 'init';
  rules: RuleSpec[];
  blobOptions: BlobScanOptions;
  analysis?: PoolAnalysis;
}

/** The clock and policy analyzers judge with: workers drop look-alikes with them (match-filter.ts). */
export interface PoolAnalysis {
  now: string;
  policy: LinkPolicy;
}

/** Defined (true) in the bundled build only (scripts/bundle.mjs): its threads run the bundled worker. */
declare const SASQUATCH_BUNDLED: boolean | undefined;

/** Below this many files (and 16 MB), starting threads costs a scan more than it saves. */
export const POOL_MIN_FILES = 64;

/** Worker threads for `threads` (0 = automatic: one per core, up to 4). */
export function workerCount(threads: number): number {
  if (threads === 1) return 1;
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return threads || Math.max(1, Math.min(cores, 4));
}

const workerUrl = () => new URL(typeof SASQUATCH_BUNDLED !== 'undefined' ? '../bundle/worker.js' : './worker.js', import.meta.url);

/** Threads started before the scan knew its rules (prestartWorkers), waiting for a pool. */
const prestarted: { worker: Worker; drop: () => void }[] = [];

/**
 * Starts scanning threads now, for a pool made later: a thread spends ~0.1 s loading its code
 * (~0.3 s while the scan's own thread loads and walks on the same cores), and started before
 * the CLI has loaded its own code it does that on a core that would otherwise wait. They hold
 * the process open only once a pool takes them; releasePrestarted ends those no pool took.
 */
export function prestartWorkers(count: number): void {
  for (let i = 0; i < count; i++) {
    const worker = new Worker(workerUrl());
    worker.unref();
    // a thread that failed to load is dropped, not handed to a pool
    const entry = {
      worker,
      drop: () => {
        const at = prestarted.indexOf(entry);
        if (at >= 0) prestarted.splice(at, 1);
      },
    };
    worker.on('error', entry.drop).on('exit', entry.drop);
    prestarted.push(entry);
  }
}

/** Prestarted threads waiting for a pool. */
export function prestartedCount(): number {
  return prestarted.length;
}

/** Ends the prestarted threads no pool took (a scan that turned out small, or failed first). */
export function releasePrestarted(): void {
  for (const { worker } of prestarted.splice(0)) void worker.terminate();
}

/** A prestarted thread, or a new one; either way told what to scan with. */
function startWorker(init: WorkerInit): Worker {
  const warm = prestarted.shift();
  if (warm) warm.worker.off('error', warm.drop).off('exit', warm.drop).ref();
  const w = warm?.worker ?? new Worker(workerUrl());
  w.postMessage(init);
  return w;
}

/**
 * A fixed set of scanning threads. Each worker keeps a couple of tasks in flight so it
 * never waits on the main thread; results come back in completion order.
 */
export class ScanPool {
  private readonly workers: Worker[] = [];
  private readonly inFlight = new Map<Worker, number>();
  private readonly pending = new Map<number, { resolve: (r: unknown) => void; reject: (e: Error) => void; worker: Worker }>();
  private readonly waiting: (() => void)[] = [];
  private nextId = 1;
  private static readonly DEPTH = 2;

  constructor(size: number, rules: RuleSpec[], blobOptions: BlobScanOptions, analysis?: PoolAnalysis) {
    for (let i = 0; i < size; i++) {
      const w = startWorker({ kind: 'init', rules, blobOptions, ...(analysis ? { analysis } : {}) });
      w.on('message', (reply: WorkerReply) => this.settle(w, reply));
      w.on('error', (err) => this.failAll(w, err));
      this.workers.push(w);
      this.inFlight.set(w, 0);
    }
  }

  get size(): number {
    return this.workers.length;
  }

  /** Whether some worker can take a task now without waiting. */
  get hasRoom(): boolean {
    return this.freeWorker() !== undefined;
  }

  /** Whether some worker holds fewer than `depth` tasks (quick tasks may queue deeper: run's `depth`). */
  hasRoomUpTo(depth: number): boolean {
    return this.freeWorker(depth) !== undefined;
  }

  /**
   * Resolves when the task is done; waits for a free slot first (back-pressure). `on` sends
   * it to that worker (history blobs of one path go to one worker, whose git process then
   * has their delta bases at hand). `depth`: how many tasks a worker may hold with this one.
   */
  async run<T extends TaskInput>(task: T, transfer?: ArrayBuffer[], on?: number, depth: number = ScanPool.DEPTH): Promise<TaskOutput<T>> {
    const pick = () => (on === undefined ? this.freeWorker(depth) : this.inFlight.get(this.workers[on]!)! < depth ? this.workers[on] : undefined);
    let worker = pick();
    while (!worker) {
      await new Promise<void>((r) => this.waiting.push(r));
      worker = pick();
    }
    const id = this.nextId++;
    this.inFlight.set(worker, this.inFlight.get(worker)! + 1);
    const w = worker;
    return new Promise<TaskOutput<T>>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (r: unknown) => void, reject, worker: w });
      w.postMessage({ ...task, id } as WorkerTask, transfer ?? []);
    });
  }

  /** Runs a task once on every worker (after what each already has in flight). */
  async runOnEach<T extends TaskInput>(task: T): Promise<TaskOutput<T>[]> {
    return Promise.all(
      this.workers.map((w) => {
        const id = this.nextId++;
        this.inFlight.set(w, this.inFlight.get(w)! + 1);
        return new Promise<TaskOutput<T>>((resolve, reject) => {
          this.pending.set(id, { resolve: resolve as (r: unknown) => void, reject, worker: w });
          w.postMessage({ ...task, id } as WorkerTask);
        });
      }),
    );
  }

  /**
   * Worker `on` when it can take a task now, else another that can (the least busy), else
   * `on`: affinity where it costs nothing, never a worker idle while another's queue is full.
   */
  preferring(on: number): number {
    const w = this.workers[on]!;
    if (this.inFlight.get(w)! < ScanPool.DEPTH) return on;
    const free = this.freeWorker();
    return free ? this.workers.indexOf(free) : on;
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private freeWorker(depth: number = ScanPool.DEPTH): Worker | undefined {
    let best: Worker | undefined;
    for (const w of this.workers) {
      const n = this.inFlight.get(w)!;
      if (n < depth && (!best || n < this.inFlight.get(best)!)) best = w;
    }
    return best;
  }

  private settle(w: Worker, reply: WorkerReply): void {
    const p = this.pending.get(reply.id);
    if (!p) return;
    this.pending.delete(reply.id);
    this.inFlight.set(w, this.inFlight.get(w)! - 1);
    if ('error' in reply) p.reject(new Error(reply.error));
    else p.resolve(reply.result);
    // every waiter looks again: one may be waiting for this very worker
    for (const wake of this.waiting.splice(0)) wake();
  }

  private failAll(w: Worker, err: Error): void {
    for (const [id, p] of this.pending) {
      if (p.worker !== w) continue;
      this.pending.delete(id);
      p.reject(err);
    }
  }
}
