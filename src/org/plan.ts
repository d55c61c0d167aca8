import type PgBoss from 'pg-boss';
import { txExecutor, type Db } from '../store/db.js';
import { listRepositories, upsertRepositories } from '../store/repositories.js';
import { createRun, queueScan, unfinishedScan, updateRun } from '../store/scans.js';
import type { RepositoryRecord } from '../store/types.js';
import { lsRemote, sameTips } from './cache.js';
import { SCAN_QUEUE, sendOptions, type JobPolicy, type ScanJobData } from './queue.js';
import { gitAuthEnv } from './sources/credentials.js';
import type { ListedRepo } from './sources/types.js';

/**
 * Planning a run: record what the listing found, ask each repository's remote where its refs
 * point now (`git ls-remote`: one round trip, nothing downloaded) and queue a scan — one
 * pg-boss job — only for those whose refs moved since their last completed scan. An
 * unchanged organisation queues nothing.
 */
export interface PlanOptions {
  /** Remotes asked at once. */
  concurrency: number;
  policy: JobPolicy;
  env: NodeJS.ProcessEnv;
  /** Queue every repository, changed or not (the scan still reads only new commits). */
  all?: boolean;
  onProgress?: (asked: number, total: number) => void;
}

export interface PlanResult {
  runId: number;
  listed: number;
  queued: number;
  unchanged: number;
  /** Already queued or running from an earlier run: not queued twice. */
  pending: number;
  /** Remotes that did not answer: queued anyway, so the failure is retried and recorded on the scan. */
  unreachable: string[];
}

export async function planRun(db: Db, boss: PgBoss, spec: string, listed: readonly ListedRepo[], opts: PlanOptions): Promise<PlanResult> {
  const runId = await createRun(db, spec);
  const ids = await upsertRepositories(db, listed);
  const wanted = new Set(ids.values());
  const records = new Map<number, RepositoryRecord>();
  for (let offset = 0; ; offset += 1000) {
    const page = await listRepositories(db, {}, { limit: 1000, offset });
    for (const r of page.items) if (wanted.has(r.id)) records.set(r.id, r);
    if (page.items.length < 1000) break;
  }
  const out: PlanResult = { runId, listed: listed.length, queued: 0, unchanged: 0, pending: 0, unreachable: [] };
  const todo = [...wanted].map((id) => records.get(id)!).filter(Boolean);
  let asked = 0;
  const next = async (): Promise<void> => {
    for (let repo = todo.shift(); repo; repo = todo.shift()) {
      await planOne(db, boss, runId, repo, opts, out);
      opts.onProgress?.(++asked, ids.size);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.concurrency) }, next));
  await updateRun(db, runId, { listed: out.listed, queued: out.queued, unchanged: out.unchanged, notices: out.unreachable });
  return out;
}

async function planOne(db: Db, boss: PgBoss, runId: number, repo: RepositoryRecord, opts: PlanOptions, out: PlanResult): Promise<void> {
  if (await unfinishedScan(db, repo.id)) {
    out.pending++;
    return;
  }
  if (!opts.all && repo.lastScanId !== null) {
    try {
      const now = await lsRemote(repo.url, gitAuthEnv(repo.source, repo.url, opts.env));
      if (sameTips(now.tips, repo.tips)) {
        out.unchanged++;
        return;
      }
    } catch (e) {
      out.unreachable.push(e instanceof Error ? e.message : String(e));
    }
  }
  await db.transaction(async (tx) => {
    const scanId = await queueScan(tx, runId, repo.id);
    await boss.send(SCAN_QUEUE, { scanId, repositoryId: repo.id } satisfies ScanJobData, { ...sendOptions(opts.policy), db: txExecutor(tx) });
  });
  out.queued++;
}
