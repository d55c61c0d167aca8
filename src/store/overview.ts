import type { Queryable } from './db.js';

/**
 * What the console's overview shows beyond counts: how many findings were open on each day,
 * when the still-valid links stop being valid, and which repositories hold the most open
 * findings. Each is one aggregate query that reads an index or scans the findings once.
 */

export interface DayCount {
  /** The UTC day, YYYY-MM-DD. */
  day: string;
  open: number;
}

const DAY_MS = 86_400_000;

/**
 * Open findings at the end of each of the last `days` UTC days. A finding is open from when
 * the store first saw it until a triage decision moves it away from `open` (and again from a
 * decision that reopens it): +1 and -1 per day, summed up. One pass over findings and
 * triage events, whatever the number of days.
 */
export async function openOverTime(q: Queryable, opts: { days?: number; now?: Date } = {}): Promise<DayCount[]> {
  const days = Math.max(1, Math.min(opts.days ?? 90, 3650));
  const now = opts.now ?? new Date();
  const last = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const first = last - (days - 1) * DAY_MS;
  const rows = await q.query<{ day: string; delta: number }>(
    `WITH deltas AS (
       SELECT first_seen AS at, 1 AS d FROM findings WHERE first_seen < $2::timestamptz
       UNION ALL
       SELECT at, CASE WHEN previous = 'open' AND status <> 'open' THEN -1 WHEN previous <> 'open' AND status = 'open' THEN 1 ELSE 0 END
       FROM triage_events WHERE at < $2::timestamptz AND (previous = 'open') <> (status = 'open')
     )
     SELECT to_char(greatest((at AT TIME ZONE 'UTC')::date, $1::date), 'YYYY-MM-DD') AS day, sum(d)::bigint AS delta
     FROM deltas GROUP BY 1 ORDER BY 1`,
    [new Date(first).toISOString().slice(0, 10), new Date(last + DAY_MS).toISOString()],
  );
  const delta = new Map(rows.map((r) => [r.day, Number(r.delta)]));
  const out: DayCount[] = [];
  let open = 0;
  for (let t = first; t <= last; t += DAY_MS) {
    const day = new Date(t).toISOString().slice(0, 10);
    open += delta.get(day) ?? 0;
    out.push({ day, open });
  }
  return out;
}

export interface ExpiryBucket {
  /** What the bucket holds, as people read it: "within 7 days", "after a year", "no expiry". */
  label: string;
  /** Links in it expire before this instant (null: the last bucket, or no expiry). */
  before: Date | null;
  count: number;
}

const BUCKETS: readonly [string, number][] = [
  ['within 7 days', 7],
  ['within 30 days', 30],
  ['within 90 days', 90],
  ['within a year', 365],
];

/**
 * Open links not known to be expired or revoked, by how soon they stop being valid: the
 * ones valid for years are the ones to revoke first. Links whose expiry the link does not
 * say (a stored access policy holds it) are counted apart.
 */
export async function validByExpiry(q: Queryable, now = new Date()): Promise<ExpiryBucket[]> {
  const edges = BUCKETS.map(([, d]) => new Date(now.getTime() + d * DAY_MS).toISOString());
  const [r] = await q.query<Record<string, number>>(
    `SELECT ${edges.map((_, i) => `count(*) FILTER (WHERE f.expires_at < $${i + 2}::timestamptz) AS b${i}`).join(', ')},
            count(*) FILTER (WHERE f.expires_at IS NOT NULL) AS dated,
            count(*) FILTER (WHERE f.expires_at IS NULL AND f.kind IS NOT NULL) AS undated
     FROM findings f
     WHERE f.status = 'open' AND (f.expires_at IS NULL OR f.expires_at > $1::timestamptz)
       AND coalesce(f.verification, '') NOT IN ('expired', 'revoked-or-invalid')`,
    [now.toISOString(), ...edges],
  );
  const out: ExpiryBucket[] = [];
  let below = 0;
  BUCKETS.forEach(([label], i) => {
    const cumulative = Number(r?.[`b${i}`] ?? 0);
    out.push({ label, before: new Date(edges[i]!), count: cumulative - below });
    below = cumulative;
  });
  out.push({ label: 'after a year', before: null, count: Number(r?.['dated'] ?? 0) - below });
  out.push({ label: 'no expiry in the link', before: null, count: Number(r?.['undated'] ?? 0) });
  return out;
}

export interface RepositoryCount {
  id: number;
  name: string;
  open: number;
  critical: number;
}

/** The repositories that hold the most open findings (in history or at HEAD). */
export async function topRepositories(q: Queryable, limit = 10): Promise<RepositoryCount[]> {
  return q.query<{ id: number; name: string; open: number; critical: number }>(
    `SELECT r.id, r.name, count(*) AS open, count(*) FILTER (WHERE f.severity_rank = 4) AS critical
     FROM finding_repositories p JOIN findings f ON f.fingerprint = p.fingerprint JOIN repositories r ON r.id = p.repository_id
     WHERE f.status = 'open'
     GROUP BY r.id, r.name ORDER BY open DESC, r.name LIMIT $1`,
    [limit],
  );
}

/** Findings per repository (open, and all), for the given repositories. */
export async function findingCounts(q: Queryable, repositoryIds: readonly number[]): Promise<Map<number, { open: number; total: number }>> {
  const out = new Map<number, { open: number; total: number }>();
  if (!repositoryIds.length) return out;
  const rows = await q.query<{ id: number; open: number; total: number }>(
    `SELECT p.repository_id AS id, count(*) FILTER (WHERE f.status = 'open') AS open, count(*) AS total
     FROM finding_repositories p JOIN findings f ON f.fingerprint = p.fingerprint
     WHERE p.repository_id IN (SELECT (jsonb_array_elements_text($1::jsonb))::bigint)
     GROUP BY p.repository_id`,
    [JSON.stringify(repositoryIds)],
  );
  for (const r of rows) out.set(Number(r.id), { open: r.open, total: r.total });
  return out;
}

export interface ScanRow {
  id: number;
  runId: number | null;
  repositoryId: number;
  repository: string;
  state: string;
  partsDone: number;
  partsTotal: number;
  attempts: number;
  error: string | null;
  queuedAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  commits: number;
  blobs: number;
  bytes: number;
  findings: number;
}

/** The latest scans, newest first (of one repository when given): the console's job status. */
export async function recentScans(q: Queryable, opts: { repositoryId?: number; limit?: number } = {}): Promise<ScanRow[]> {
  const params: unknown[] = [opts.limit ?? 50];
  const where = opts.repositoryId === undefined ? '' : `WHERE s.repository_id = $${params.push(opts.repositoryId)}`;
  return q.query<ScanRow & Record<string, unknown>>(
    `SELECT s.id, s.run_id AS "runId", s.repository_id AS "repositoryId", r.name AS repository, s.state, s.parts_done AS "partsDone", s.parts_total AS "partsTotal",
            s.attempts, s.error, s.queued_at AS "queuedAt", s.started_at AS "startedAt", s.finished_at AS "finishedAt", s.commits, s.blobs, s.bytes, s.findings
     FROM scans s JOIN repositories r ON r.id = s.repository_id ${where} ORDER BY s.id DESC LIMIT $1`,
    params,
  );
}
