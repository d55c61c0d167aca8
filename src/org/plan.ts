import type PgBoss from 'pg-boss';
import { txExecutor, type Db } from '../store/db.js';
import { confirmMarker, listRepositories, upsertRepositories } from '../store/repositories.js';
import { createRun, queueScan, unfinishedScan, updateRun } from '../store/scans.js';
import type { RepositoryRecord } from '../store/types.js';
import { lsRemote, sameTips } from './cache.js';
import { SCAN_QUEUE, sendOptions, type JobPolicy, type ScanJobData } from './queue.js';
import { gitAuthEnv } from './sources/credentials.js';
import type { ListedRepo } from './sources/types.js';

/**
 * Planning a run: record what the listing found, and queue a scan — one pg-boss job — only
 * for repositories whose refs moved since their last completed scan. Whether they moved:
 *   - the listing's "last pushed" (GitHub pushed_at, …) is the one recorded when the last
 *     scan was queued, and that value was at least 2 s older than that listing: any later
 *     push would carry a later time, so nothing was pushed since — no request at all;
 *   - otherwise the remote is asked where its refs point (`git ls-remote`: one round trip,
 *     nothing downloaded) and they are compared with the tips the last scan read.
 * An unchanged organisation queues nothing.
 */
export interface PlanOptions {
  /** Remotes asked at once. */
  concurrency: number;
  policy: JobPolicy;
  env: NodeJS.ProcessEnv;
  /** Queue every repository, changed or not (the scan still reads only new commits). */
  all?: boolean;
  /** When the listing was taken (before its first request): what makes its markers trustworthy. */
  listedAt?: Date;
  /** Ask every remote, whatever the listing says. */
  verifyUnchanged?: boolean;
  onProgress?: (asked: number, total: number) => void;
}

export interface PlanResult {
  runId: number;
  listed: number;
  queued: number;
  unchanged: number;
  /** Of those, how many the listing alone showed unchanged (no git request). */
  unchangedByListing: number;
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
  const out: PlanResult = { runId, listed: listed.length, queued: 0, unchanged: 0, unchangedByListing: 0, pending: 0, unreachable: [] };
  const markers = new Map(listed.map((r) => [r.url, r.pushedAt ?? null]));
  const todo = [...wanted].map((id) => records.get(id)!).filter(Boolean);
  let asked = 0;
  const next = async (): Promise<void> => {
    for (let repo = todo.shift(); repo; repo = todo.shift()) {
      await planOne(db, boss, runId, repo, markers.get(repo.url) ?? null, opts, out);
      opts.onProgress?.(++asked, ids.size);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.concurrency) }, next));
  await updateRun(db, runId, { listed: out.listed, queued: out.queued, unchanged: out.unchanged, notices: out.unreachable });
  return out;
}

/** A listing's marker that can stand for "no push since": unchanged, and safely older than the listing that recorded it. */
export function markerUnchanged(repo: Pick<RepositoryRecord, 'scannedMarker' | 'scannedMarkerAt'>, marker: string | null): boolean {
  if (!marker || marker !== repo.scannedMarker || !repo.scannedMarkerAt) return false;
  const pushed = Date.parse(marker);
  return Number.isFinite(pushed) && pushed <= repo.scannedMarkerAt.getTime() - 2000;
}

async function planOne(db: Db, boss: PgBoss, runId: number, repo: RepositoryRecord, marker: string | null, opts: PlanOptions, out: PlanResult): Promise<void> {
  if (await unfinishedScan(db, repo.id)) {
    out.pending++;
    return;
  }
  const listedAt = opts.listedAt ?? new Date();
  if (!opts.all && repo.lastScanId !== null) {
    if (!opts.verifyUnchanged && markerUnchanged(repo, marker)) {
      out.unchanged++;
      out.unchangedByListing++;
      return;
    }
    try {
      const now = await lsRemote(repo.url, gitAuthEnv(repo.source, repo.url, opts.env));
      if (sameTips(now.tips, repo.tips)) {
        // refs where the last scan left them: this listing's marker stands for them from now on
        if (marker) await confirmMarker(db, repo.id, marker, listedAt);
        out.unchanged++;
        return;
      }
    } catch (e) {
      out.unreachable.push(e instanceof Error ? e.message : String(e));
    }
  }
  await db.transaction(async (tx) => {
    const scanId = await queueScan(tx, runId, repo.id, marker ? { value: marker, at: listedAt } : undefined);
    await boss.send(SCAN_QUEUE, { scanId, repositoryId: repo.id } satisfies ScanJobData, { ...sendOptions(opts.policy), db: txExecutor(tx) });
  });
  out.queued++;
}
