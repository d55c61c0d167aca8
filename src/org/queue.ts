import type PgBoss from 'pg-boss';
import { sqlExecutor, type Db } from '../store/db.js';

/**
 * The job queue is pg-boss, in the store's own database (a PostgreSQL server shared by every
 * worker machine, or the embedded PGlite for one process): it hands each job to one worker
 * (SKIP LOCKED), retries failures with exponential backoff, expires a job whose worker died
 * (then retries it elsewhere), and moves a job that used all its retries to a dead-letter
 * queue, where it is recorded as failed. sasquatch adds no queue, lock or scheduler of its own.
 */
export const SCAN_QUEUE = 'sasquatch-scan';
export const FAILED_QUEUE = 'sasquatch-scan-failed';

/** One repository scan, or one part of a huge one. */
export interface ScanJobData {
  scanId: number;
  repositoryId: number;
  part?: ScanPart;
}

/** A range of a split history: commits reachable from `within` and not from `exclude`. */
export interface ScanPart {
  index: number;
  total: number;
  within: string[];
  exclude: string[];
}

export interface JobPolicy {
  /** A job whose worker has not finished it after this long is taken to be dead, and retried. */
  timeoutSeconds: number;
  /** Retries after the first attempt. */
  retryLimit: number;
  /** Base of the exponential backoff between attempts. */
  retryDelaySeconds: number;
}

export const DEFAULT_JOB_POLICY: JobPolicy = { timeoutSeconds: 3600, retryLimit: 2, retryDelaySeconds: 30 };

export function sendOptions(p: JobPolicy): PgBoss.SendOptions {
  return { expireInSeconds: p.timeoutSeconds, retryLimit: p.retryLimit, retryDelay: p.retryDelaySeconds, retryBackoff: true, deadLetter: FAILED_QUEUE };
}

export interface QueueOptions {
  /** Run pg-boss's maintenance (expiring jobs of dead workers, archiving) in this process. */
  supervise: boolean;
  maintenanceSeconds: number;
  onError?: (e: Error) => void;
}

export async function startQueue(db: Db, opts: QueueOptions): Promise<PgBoss> {
  // loaded here, not at start: only the organisation commands use the queue
  const { default: Boss } = await import('pg-boss');
  const boss = new Boss({
    db: sqlExecutor(db) as PgBoss.Db,
    supervise: opts.supervise,
    maintenanceIntervalSeconds: opts.maintenanceSeconds,
    schedule: false,
    migrate: true,
  });
  boss.on('error', (e) => opts.onError?.(e instanceof Error ? e : new Error(String((e as { message?: string }).message ?? e))));
  await boss.start();
  await boss.createQueue(FAILED_QUEUE);
  await boss.createQueue(SCAN_QUEUE, { name: SCAN_QUEUE, deadLetter: FAILED_QUEUE, retryBackoff: true });
  return boss;
}
