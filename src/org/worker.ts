import type PgBoss from 'pg-boss';
import { recordFailure } from '../store/scans.js';
import { JobLostError, runScanJob, type JobContext, type JobOutcome } from './job.js';
import { FAILED_QUEUE, SCAN_QUEUE, type ScanJobData } from './queue.js';

/**
 * Workers: `concurrency` loops in this process, each taking one job at a time from pg-boss
 * (`fetch`: SKIP LOCKED, so each job goes to one worker anywhere) and asking for the next
 * at once, waiting the polling interval only when the queue was empty.
 *
 * A job completes itself inside the transaction that writes its results (job.ts). A failure
 * is handed back to pg-boss (`fail`: retried with exponential backoff, or moved to the
 * dead-letter queue when no retries are left) and recorded on the scan. A job whose worker
 * died stays active until its timeout; pg-boss's maintenance then fails it the same way, and
 * whichever worker reads the dead-letter queue records it as failed.
 */
export interface WorkerEvents {
  onStart?: (data: ScanJobData) => void;
  onJob?: (data: ScanJobData, outcome: JobOutcome | null, error: Error | null, ms: number) => void;
  onError?: (e: Error) => void;
}

export interface Workers {
  /** Jobs finished by this process (scanned, split or gone), and failed attempts. */
  counts: { done: number; failed: number };
  /** Jobs running now in this process. */
  active(): number;
  /** Stops taking jobs and waits for the running ones. */
  stop(): Promise<void>;
}

export function startWorkers(ctx: JobContext, concurrency: number, events: WorkerEvents = {}, pollingMs = 1000): Workers {
  const counts = { done: 0, failed: 0 };
  let stopping = false;
  let running = 0;
  const sleepers = new Set<() => void>();
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(t);
        sleepers.delete(done);
        resolve();
      };
      const t = setTimeout(done, ms);
      sleepers.add(done);
    });

  const handle = async (job: PgBoss.JobWithMetadata<ScanJobData>) => {
    const started = Date.now();
    events.onStart?.(job.data);
    try {
      const outcome = await runScanJob(ctx, job);
      counts.done++;
      events.onJob?.(job.data, outcome, null, Date.now() - started);
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      // the job was handed to another worker (ours expired): its results are not ours to write
      if (err instanceof JobLostError) return;
      counts.failed++;
      // after our lease ran out pg-boss has already failed (and maybe re-handed) the job
      const leaseLeft = started + job.expireInSeconds * 1000 - Date.now();
      if (leaseLeft > 1000) {
        await ctx.boss.fail(SCAN_QUEUE, job.id, { message: err.message }).catch((x: unknown) => events.onError?.(x as Error));
        await recordFailure(ctx.db, job.data.scanId, err.message, job.retryCount >= job.retryLimit).catch(() => undefined);
      }
      events.onJob?.(job.data, null, err, Date.now() - started);
    }
  };

  const loop = async () => {
    while (!stopping) {
      let jobs: PgBoss.JobWithMetadata<ScanJobData>[] = [];
      try {
        jobs = await ctx.boss.fetch<ScanJobData>(SCAN_QUEUE, { batchSize: 1, includeMetadata: true });
      } catch (e) {
        events.onError?.(e as Error);
      }
      if (!jobs.length) {
        try {
          await drainFailed(ctx.boss, (scanId, error) => recordFailure(ctx.db, scanId, error, true));
        } catch (e) {
          events.onError?.(e as Error);
        }
        if (!stopping) await sleep(pollingMs);
        continue;
      }
      running++;
      try {
        await handle(jobs[0]!);
      } finally {
        running--;
      }
    }
  };
  const loops = Array.from({ length: Math.max(1, concurrency) }, () => loop());
  return {
    counts,
    active: () => running,
    async stop() {
      stopping = true;
      for (const w of [...sleepers]) w();
      await Promise.all(loops);
    },
  };
}

/** Records failures waiting in the dead-letter queue (no worker may be running: `org status` does this too). */
export async function drainFailed(boss: PgBoss, record: (scanId: number, error: string) => Promise<void>): Promise<number> {
  let n = 0;
  for (;;) {
    const jobs = await boss.fetch<ScanJobData>(FAILED_QUEUE, { batchSize: 50, includeMetadata: true });
    if (!jobs.length) return n;
    for (const job of jobs) {
      await record(job.data.scanId, failureText(job.output));
      n++;
    }
    await boss.complete(FAILED_QUEUE, jobs.map((j) => j.id));
  }
}

/** pg-boss keeps a job's error as its output: a serialised Error, or { value: { message } } for a timeout. */
export function failureText(output: unknown): string {
  const o = output as { message?: unknown; value?: { message?: unknown } } | null | undefined;
  const msg = o?.message ?? o?.value?.message;
  if (typeof msg === 'string' && msg) return msg === 'job failed by timeout in active state' ? 'the worker did not finish within the job timeout (it died, or the repository is too large for it): retried, then given up' : msg;
  return 'failed (no error recorded)';
}
