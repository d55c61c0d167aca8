import os from 'node:os';
import type PgBoss from 'pg-boss';
import type { ScanOptions } from '../pipeline/scan.js';
import { scannerId } from '../store/blobs.js';
import type { Db } from '../store/db.js';
import { CloneCache } from './cache.js';
import { scannerDigest, type JobContext } from './job.js';
import { KnownBlobs } from './known.js';
import { startQueue, type JobPolicy } from './queue.js';

/** What a process needs to run scan jobs: the queue, the clone cache, the rules, the known blobs. */
export interface RuntimeOptions {
  cacheDir: string;
  scan: ScanOptions;
  policy: JobPolicy;
  splitCommits: number;
  /** pg-boss maintenance (expiring the jobs of dead workers) every this many seconds. */
  maintenanceSeconds: number;
  /** Jobs this process runs at once (threads per job are shared out among them). */
  concurrency: number;
  env?: NodeJS.ProcessEnv;
  onError?: (e: Error) => void;
}

export interface Runtime {
  ctx: JobContext;
  boss: PgBoss;
  close(): Promise<void>;
}

export async function startRuntime(db: Db, opts: RuntimeOptions): Promise<Runtime> {
  const boss = await startQueue(db, { supervise: true, maintenanceSeconds: opts.maintenanceSeconds, onError: opts.onError ?? (() => undefined) });
  const scanner = await scannerId(db, scannerDigest(opts.scan));
  const known = new KnownBlobs(scanner);
  await known.refresh(db);
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  // several jobs at once share the machine's cores (a history scan uses worker threads when it is large)
  const threads = opts.scan.threads || Math.max(1, Math.floor(Math.min(cores, 4) / Math.max(1, opts.concurrency)));
  // a test hook: the SIGKILL test needs a moment where a job has scanned and not yet committed
  const pause = Number(process.env['SASQUATCH_TEST_PAUSE_BEFORE_COMMIT_MS'] ?? 0);
  const ctx: JobContext = {
    db,
    boss,
    cache: new CloneCache(opts.cacheDir, opts.scan.maxFileSize),
    scan: { ...opts.scan, threads },
    env: opts.env ?? process.env,
    known,
    scanner,
    splitCommits: opts.splitCommits,
    policy: opts.policy,
    ...(pause > 0 ? { pauseBeforeCommitMs: pause } : {}),
  };
  return {
    ctx,
    boss,
    async close() {
      await boss.stop({ graceful: false, wait: true, close: false });
    },
  };
}
