import type { Queryable, Row } from './db.js';
import { countFindings } from './findings.js';
import type { ScanState } from './types.js';

/**
 * Runs and scans: a run is one planning pass over a listing (`org scan`); it queues one scan
 * per repository with new commits. A scan is done in one job, or in parts (jobs over ranges
 * of a huge history); it is done when its last part is. The queue itself is pg-boss's; these
 * rows are what people read (`org status`, the console).
 */
export async function createRun(q: Queryable, spec: string): Promise<number> {
  const [r] = await q.query<{ id: number }>(`INSERT INTO runs (spec) VALUES ($1) RETURNING id`, [spec]);
  return r!.id;
}

export async function updateRun(q: Queryable, runId: number, counts: { listed: number; queued: number; unchanged: number; notices?: unknown[] }): Promise<void> {
  await q.query(`UPDATE runs SET listed = $2, queued = $3, unchanged = $4, notices = $5::jsonb WHERE id = $1`, [runId, counts.listed, counts.queued, counts.unchanged, JSON.stringify(counts.notices ?? [])]);
}

export async function latestRunId(q: Queryable): Promise<number | null> {
  const [r] = await q.query<{ id: number }>(`SELECT id FROM runs ORDER BY id DESC LIMIT 1`);
  return r?.id ?? null;
}

/** A scan of this repository still queued or running (from an earlier run), if any. */
export async function unfinishedScan(q: Queryable, repositoryId: number): Promise<number | null> {
  const [r] = await q.query<{ id: number }>(`SELECT id FROM scans WHERE repository_id = $1 AND state IN ('queued', 'running') ORDER BY id DESC LIMIT 1`, [repositoryId]);
  return r?.id ?? null;
}

export async function queueScan(q: Queryable, runId: number | null, repositoryId: number, marker?: { value: string; at: Date }): Promise<number> {
  const [r] = await q.query<{ id: number }>(`INSERT INTO scans (run_id, repository_id, marker, marker_at) VALUES ($1, $2, $3, $4) RETURNING id`, [runId, repositoryId, marker?.value ?? null, marker?.at ?? null]);
  return r!.id;
}

export interface ScanRecord {
  id: number;
  runId: number | null;
  repositoryId: number;
  state: ScanState;
  partsTotal: number;
  partsDone: number;
  attempts: number;
  error: string | null;
  targetHead: string | null;
  targetTips: Record<string, string> | null;
  marker: string | null;
  markerAt: Date | null;
}

export async function getScan(q: Queryable, scanId: number): Promise<ScanRecord | null> {
  const [r] = await q.query(`SELECT * FROM scans WHERE id = $1`, [scanId]);
  return r ? scanRecord(r) : null;
}

/** A job (or part) starts: the scan is running, one more attempt. */
export async function startAttempt(q: Queryable, scanId: number): Promise<void> {
  await q.query(`UPDATE scans SET state = 'running', attempts = attempts + 1, started_at = coalesce(started_at, now()) WHERE id = $1 AND state <> 'done'`, [scanId]);
}

/** A job failed: queued again while pg-boss will retry it, failed (with its error) when it will not. */
export async function recordFailure(q: Queryable, scanId: number, error: string, final: boolean): Promise<void> {
  await q.query(
    `UPDATE scans SET state = CASE WHEN $3 THEN 'failed' ELSE 'queued' END, error = $2, finished_at = CASE WHEN $3 THEN now() ELSE finished_at END
     WHERE id = $1 AND state <> 'done'`,
    [scanId, error.slice(0, 4000), final],
  );
}

/** A huge history is split into parts (jobs): the scan is done when all are, and then the repository's tips move. */
export async function splitScan(q: Queryable, scanId: number, parts: number, head: string | null, tips: Record<string, string>): Promise<void> {
  await q.query(`UPDATE scans SET parts_total = $2, target_head = $3, target_tips = $4::jsonb WHERE id = $1`, [scanId, parts, head, JSON.stringify(tips)]);
}

export interface PartStats {
  commits: number;
  blobs: number;
  bytes: number;
  knownBlobs: number;
  findings: number;
  notices: unknown[];
}

/** One part done (in the job's transaction). Returns the scan when this was its last part. */
export async function finishPart(q: Queryable, scanId: number, stats: PartStats): Promise<ScanRecord | null> {
  const [r] = await q.query(
    `UPDATE scans SET parts_done = parts_done + 1, commits = commits + $2, blobs = blobs + $3, bytes = bytes + $4, known_blobs = known_blobs + $5,
       findings = findings + $6, notices = (notices || $7::jsonb),
       state = CASE WHEN parts_done + 1 >= parts_total THEN 'done' ELSE state END,
       finished_at = CASE WHEN parts_done + 1 >= parts_total THEN now() ELSE finished_at END,
       error = CASE WHEN parts_done + 1 >= parts_total THEN NULL ELSE error END
     WHERE id = $1 RETURNING *`,
    [scanId, stats.commits, stats.blobs, stats.bytes, stats.knownBlobs, stats.findings, JSON.stringify(stats.notices.slice(0, 50))],
  );
  const scan = r ? scanRecord(r) : null;
  return scan && scan.state === 'done' ? scan : null;
}

/** Scans of a run not yet done or failed. */
export async function pendingScans(q: Queryable, runId: number | null): Promise<number> {
  const [r] = await q.query<{ n: number }>(
    runId === null ? `SELECT count(*) AS n FROM scans WHERE state IN ('queued', 'running')` : `SELECT count(*) AS n FROM scans WHERE run_id = $1 AND state IN ('queued', 'running')`,
    runId === null ? [] : [runId],
  );
  return r?.n ?? 0;
}

export interface RunStatus {
  run: { id: number; spec: string; startedAt: Date; listed: number; queued: number; unchanged: number; notices: unknown[] } | null;
  scans: Record<ScanState, number>;
  /** Over the run's finished scans: from the first start to the last finish. */
  throughput: { seconds: number; commits: number; blobs: number; bytes: number; knownBlobs: number; reposPerMinute: number; bytesPerSecond: number };
  failed: { repository: string; error: string; attempts: number }[];
  running: { repository: string; since: Date | null; attempts: number }[];
  findings: Awaited<ReturnType<typeof countFindings>>;
}

/** What `org status` shows: the run's scans by state, throughput, failures, findings by severity. */
export async function runStatus(q: Queryable, runId?: number | null): Promise<RunStatus> {
  const id = runId ?? (await latestRunId(q));
  const scans: Record<ScanState, number> = { queued: 0, running: 0, done: 0, failed: 0 };
  const findings = await countFindings(q, { statuses: ['open'] });
  const empty = { seconds: 0, commits: 0, blobs: 0, bytes: 0, knownBlobs: 0, reposPerMinute: 0, bytesPerSecond: 0 };
  if (id === null) return { run: null, scans, throughput: empty, failed: [], running: [], findings };
  const [run] = await q.query(`SELECT * FROM runs WHERE id = $1`, [id]);
  for (const r of await q.query<{ state: ScanState; n: number }>(`SELECT state, count(*) AS n FROM scans WHERE run_id = $1 GROUP BY state`, [id])) scans[r.state] = r.n;
  const [t] = await q.query<{ seconds: number | null; commits: number; blobs: number; bytes: number; known: number; finished: number }>(
    `SELECT extract(epoch FROM max(finished_at) - min(started_at))::float8 AS seconds, coalesce(sum(commits), 0)::bigint AS commits, coalesce(sum(blobs), 0)::bigint AS blobs,
            coalesce(sum(bytes), 0)::bigint AS bytes, coalesce(sum(known_blobs), 0)::bigint AS known, count(*) AS finished
     FROM scans WHERE run_id = $1 AND state = 'done'`,
    [id],
  );
  const seconds = Math.max(0, t?.seconds ?? 0);
  const failed = await q.query<{ repository: string; error: string; attempts: number }>(
    `SELECT r.name AS repository, coalesce(s.error, '') AS error, s.attempts FROM scans s JOIN repositories r ON r.id = s.repository_id WHERE s.run_id = $1 AND s.state = 'failed' ORDER BY r.name`,
    [id],
  );
  const running = await q.query<{ repository: string; since: Date | null; attempts: number }>(
    `SELECT r.name AS repository, s.started_at AS since, s.attempts FROM scans s JOIN repositories r ON r.id = s.repository_id WHERE s.run_id = $1 AND s.state = 'running' ORDER BY s.started_at`,
    [id],
  );
  return {
    run: run
      ? {
          id: run['id'] as number,
          spec: run['spec'] as string,
          startedAt: run['started_at'] as Date,
          listed: run['listed'] as number,
          queued: run['queued'] as number,
          unchanged: run['unchanged'] as number,
          notices: run['notices'] as unknown[],
        }
      : null,
    scans,
    throughput: {
      seconds,
      commits: t?.commits ?? 0,
      blobs: t?.blobs ?? 0,
      bytes: t?.bytes ?? 0,
      knownBlobs: t?.known ?? 0,
      reposPerMinute: seconds > 0 ? ((t?.finished ?? 0) * 60) / seconds : 0,
      bytesPerSecond: seconds > 0 ? (t?.bytes ?? 0) / seconds : 0,
    },
    failed,
    running,
    findings,
  };
}

function scanRecord(r: Row): ScanRecord {
  return {
    id: r['id'] as number,
    runId: r['run_id'] as number | null,
    repositoryId: r['repository_id'] as number,
    state: r['state'] as ScanState,
    partsTotal: r['parts_total'] as number,
    partsDone: r['parts_done'] as number,
    attempts: r['attempts'] as number,
    error: r['error'] as string | null,
    targetHead: r['target_head'] as string | null,
    targetTips: r['target_tips'] as Record<string, string> | null,
    marker: (r['marker'] as string | null) ?? null,
    markerAt: (r['marker_at'] as Date | null) ?? null,
  };
}
