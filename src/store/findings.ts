import type { Finding } from '../model/finding.js';
import { SEVERITIES, severityAt, severityRank, type Severity } from '../model/severity.js';
import type { Queryable, Row } from './db.js';
import type { FindingDetail, FindingFilter, FindingPage, FindingPlace, FindingSort, Page, StoredFinding, TriageStatus } from './types.js';

/**
 * Findings in the store: written by scans (upserts keyed by fingerprint, so a retried job
 * neither duplicates nor loses one), read by `findings list|show` and the console, triaged
 * by people. A rescan refreshes what a finding is (severity, grant, reasons) and where it
 * lives; it never touches its triage state.
 */

export interface UpsertOptions {
  /** This scan judged "present at HEAD" for the repository (false for a partial read, e.g. of the index only). */
  judgesHead?: boolean;
}

/** Records one repository's findings (as a scan of it reported them). Returns how many were new to the store. */
export async function upsertFindings(q: Queryable, repositoryId: number, findings: readonly Finding[], opts: UpsertOptions = {}): Promise<number> {
  const unique = [...byFingerprint(findings).values()];
  if (!unique.length) return 0;
  const rows = unique.map((f) => findingRow(f));
  const inserted = await q.query<{ inserted: boolean }>(
    `INSERT INTO findings AS f (fingerprint, rule, family, title, severity, severity_rank, confidence, secret, provider, kind, account, expires_at, verification, introduced_at, data)
     SELECT x.fingerprint, x.rule, x.family, x.title, x.severity, x.severity_rank, x.confidence, x.secret, x.provider, x.kind, x.account, x.expires_at, x.verification, x.introduced_at, x.data
     FROM jsonb_to_recordset($1::jsonb) AS x(fingerprint text, rule text, family text, title text, severity text, severity_rank smallint, confidence text, secret text,
                                               provider text, kind text, account text, expires_at timestamptz, verification text, introduced_at timestamptz, data jsonb)
     ON CONFLICT (fingerprint) DO UPDATE SET
       rule = excluded.rule, family = excluded.family, title = excluded.title, severity = excluded.severity, severity_rank = excluded.severity_rank,
       confidence = excluded.confidence, secret = excluded.secret, provider = excluded.provider, kind = excluded.kind, account = excluded.account,
       expires_at = excluded.expires_at, verification = coalesce(excluded.verification, f.verification),
       introduced_at = least(f.introduced_at, excluded.introduced_at), last_seen = now(),
       data = CASE WHEN f.introduced_at IS NULL OR excluded.introduced_at IS NULL OR excluded.introduced_at <= f.introduced_at THEN excluded.data ELSE f.data END
     RETURNING (xmax = 0) AS inserted`,
    [JSON.stringify(rows)],
  );
  const places = unique.map((f) => placeRow(f, opts.judgesHead !== false));
  await q.query(
    `INSERT INTO finding_repositories AS p (fingerprint, repository_id, path, line, col, introduced_commit, introduced_at, present_at_head, removed_commit, removed_at)
     SELECT x.fingerprint, $2, x.path, x.line, x.col, x.introduced_commit, x.introduced_at, coalesce(x.present_at_head, true), x.removed_commit, x.removed_at
     FROM jsonb_to_recordset($1::jsonb) AS x(fingerprint text, path text, line integer, col integer, introduced_commit text, introduced_at timestamptz,
                                               present_at_head boolean, removed_commit text, removed_at timestamptz)
     ON CONFLICT (fingerprint, repository_id) DO UPDATE SET
       path = excluded.path,
       line = CASE WHEN ${earlier('excluded', 'p')} THEN excluded.line ELSE p.line END,
       col = CASE WHEN ${earlier('excluded', 'p')} THEN excluded.col ELSE p.col END,
       introduced_commit = CASE WHEN ${earlier('excluded', 'p')} THEN excluded.introduced_commit ELSE p.introduced_commit END,
       introduced_at = least(p.introduced_at, excluded.introduced_at),
       present_at_head = CASE WHEN $3 THEN excluded.present_at_head ELSE p.present_at_head END,
       removed_commit = CASE WHEN $3 THEN excluded.removed_commit ELSE p.removed_commit END,
       removed_at = CASE WHEN $3 THEN excluded.removed_at ELSE p.removed_at END,
       last_seen = now()`,
    [JSON.stringify(places), repositoryId, opts.judgesHead !== false],
  );
  const occurrences = unique.flatMap((f) => occurrenceRows(f));
  if (occurrences.length) {
    await q.query(
      `INSERT INTO occurrences (fingerprint, repository_id, commit, path, line, date)
       SELECT x.fingerprint, $2, x.commit, x.path, x.line, x.date
       FROM jsonb_to_recordset($1::jsonb) AS x(fingerprint text, commit text, path text, line integer, date timestamptz)
       ON CONFLICT DO NOTHING`,
      [JSON.stringify(occurrences), repositoryId],
    );
  }
  await refreshPresence(q, unique.map((f) => f.fingerprint));
  return inserted.filter((r) => r.inserted).length;
}

/** `a` was introduced no later than `b` (or `b` has no date): `a`'s location is the one to keep. */
function earlier(a: string, b: string): string {
  return `(${b}.introduced_at IS NULL OR (${a}.introduced_at IS NOT NULL AND ${a}.introduced_at <= ${b}.introduced_at))`;
}

/** One finding per fingerprint; of two, the one introduced first. */
function byFingerprint(findings: readonly Finding[]): Map<string, Finding> {
  const out = new Map<string, Finding>();
  for (const f of findings) {
    const had = out.get(f.fingerprint);
    if (!had || (f.history?.introduced.date ?? '') < (had.history?.introduced.date ?? '')) out.set(f.fingerprint, f);
  }
  return out;
}

function findingRow(f: Finding): Row {
  return {
    fingerprint: f.fingerprint,
    rule: f.rule,
    family: f.family ?? null,
    title: f.title,
    severity: f.severity,
    severity_rank: severityRank(f.severity),
    confidence: f.confidence,
    secret: f.secret,
    provider: f.grant?.provider ?? null,
    kind: f.grant?.kind ?? null,
    account: f.grant?.account ?? null,
    expires_at: f.grant?.expiry ?? null,
    verification: f.verification?.status ?? null,
    introduced_at: f.history?.introduced.date ?? null,
    data: f,
  };
}

function placeRow(f: Finding, judgesHead: boolean): Row {
  const h = f.history;
  return {
    fingerprint: f.fingerprint,
    path: f.location.path,
    line: f.location.line,
    col: f.location.column,
    introduced_commit: h?.introduced.commit ?? null,
    introduced_at: h?.introduced.date ?? null,
    // on disk (no history block): present now; from history: what the scan said of HEAD
    present_at_head: judgesHead ? (h ? h.presentAtHead : true) : null,
    removed_commit: h?.removed?.commit ?? null,
    removed_at: h?.removed?.date ?? null,
  };
}

function occurrenceRows(f: Finding): Row[] {
  const h = f.history;
  if (!h) return [{ fingerprint: f.fingerprint, commit: '', path: f.location.path, line: f.location.line, date: null }];
  const rows: Row[] = [{ fingerprint: f.fingerprint, commit: h.introduced.commit, path: f.location.path, line: f.location.line, date: h.introduced.date }];
  for (const o of h.occurrences ?? []) rows.push({ fingerprint: f.fingerprint, commit: o.commit, path: o.path, line: null, date: o.date ?? null });
  return rows;
}

/** A finding is present at HEAD while some repository's HEAD holds it. */
export async function refreshPresence(q: Queryable, fingerprints: readonly string[]): Promise<void> {
  if (!fingerprints.length) return;
  await q.query(
    `UPDATE findings f SET present_at_head = EXISTS (SELECT 1 FROM finding_repositories p WHERE p.fingerprint = f.fingerprint AND p.present_at_head)
     WHERE f.fingerprint IN (SELECT jsonb_array_elements_text($1::jsonb))`,
    [JSON.stringify(fingerprints)],
  );
}

/**
 * Marks findings a repository's HEAD no longer holds (a rescan saw them removed). They stay
 * in the store and keep their triage state: a link removed from the code but still valid
 * is still open.
 */
export async function markRemoved(q: Queryable, repositoryId: number, removed: readonly { fingerprint: string; commit: string | null; date: string | null }[]): Promise<void> {
  if (!removed.length) return;
  await q.query(
    `UPDATE finding_repositories p SET present_at_head = false, removed_commit = x.commit, removed_at = x.date, last_seen = now()
     FROM jsonb_to_recordset($1::jsonb) AS x(fingerprint text, commit text, date timestamptz)
     WHERE p.fingerprint = x.fingerprint AND p.repository_id = $2`,
    [JSON.stringify(removed), repositoryId],
  );
  await refreshPresence(q, removed.map((r) => r.fingerprint));
}

/** Findings a repository's HEAD holds, with their paths (what a rescan re-checks when HEAD moved). */
export async function presentInRepository(q: Queryable, repositoryId: number): Promise<{ fingerprint: string; path: string }[]> {
  return q.query<{ fingerprint: string; path: string }>(`SELECT fingerprint, path FROM finding_repositories WHERE repository_id = $1 AND present_at_head ORDER BY path, fingerprint`, [repositoryId]);
}

// ---- reading ----

interface Where {
  sql: string;
  params: unknown[];
}

function whereOf(filter: FindingFilter): Where {
  const params: unknown[] = [];
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const clauses: string[] = [];
  if (filter.statuses?.length) clauses.push(`f.status IN (SELECT jsonb_array_elements_text(${p(JSON.stringify(filter.statuses))}::jsonb))`);
  if (filter.severities?.length) clauses.push(`f.severity_rank IN (SELECT (jsonb_array_elements_text(${p(JSON.stringify(filter.severities.map(severityRank)))}::jsonb))::smallint)`);
  if (filter.minSeverity) clauses.push(`f.severity_rank >= ${p(severityRank(filter.minSeverity))}`);
  if (filter.rules?.length) clauses.push(`f.rule IN (SELECT jsonb_array_elements_text(${p(JSON.stringify(filter.rules))}::jsonb))`);
  if (filter.fingerprints) clauses.push(`f.fingerprint IN (SELECT jsonb_array_elements_text(${p(JSON.stringify(filter.fingerprints))}::jsonb))`);
  if (filter.confidences?.length) clauses.push(`f.confidence IN (SELECT jsonb_array_elements_text(${p(JSON.stringify(filter.confidences))}::jsonb))`);
  if (filter.expiresBefore) clauses.push(`f.expires_at < ${p(filter.expiresBefore.toISOString())}::timestamptz`);
  if (filter.text?.trim()) clauses.push(`f.search LIKE ${p(`%${likeLiteral(filter.text.trim().toLowerCase())}%`)}`);
  if (filter.presentAtHead !== undefined) clauses.push(`f.present_at_head = ${p(filter.presentAtHead)}`);
  if (filter.stillValid !== undefined) {
    const valid = `((f.expires_at IS NULL OR f.expires_at > ${p((filter.now ?? new Date()).toISOString())}::timestamptz) AND coalesce(f.verification, '') NOT IN ('expired', 'revoked-or-invalid'))`;
    clauses.push(filter.stillValid ? valid : `NOT ${valid}`);
  }
  if (filter.repository) {
    const pattern = likePattern(filter.repository);
    clauses.push(
      `EXISTS (SELECT 1 FROM finding_repositories p JOIN repositories r ON r.id = p.repository_id WHERE p.fingerprint = f.fingerprint AND (r.name LIKE ${p(pattern)} OR r.url LIKE $${params.length}))`,
    );
  }
  return { sql: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params };
}

/** `org/*` → `org/%`; LIKE's own wildcards in the name are taken literally. */
function likePattern(glob: string): string {
  return likeLiteral(glob).replace(/\*/g, '%');
}

/** Text matched as written: LIKE's wildcards and its escape character taken literally. */
function likeLiteral(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

const ORDER: Record<FindingSort, string> = {
  severity: 'f.severity_rank DESC, f.last_seen DESC, f.fingerprint',
  'last-seen': 'f.last_seen DESC, f.fingerprint',
  'first-seen': 'f.first_seen DESC, f.fingerprint',
  rule: 'f.rule, f.severity_rank DESC, f.fingerprint',
  expiry: 'f.expires_at ASC NULLS LAST, f.severity_rank DESC, f.fingerprint',
  confidence: 'f.confidence_rank DESC, f.severity_rank DESC, f.last_seen DESC, f.fingerprint',
  status: 'f.status, f.severity_rank DESC, f.last_seen DESC, f.fingerprint',
};

const COLUMNS = `f.fingerprint, f.data, f.status, f.status_note, f.status_by, f.status_at, f.first_seen, f.last_seen, f.present_at_head, f.expires_at, f.verification`;

/** One page of findings (sorted, filtered) with the total matching, and where each lives. */
export async function listFindings(q: Queryable, filter: FindingFilter = {}, page: Page = { limit: 100, offset: 0 }, sort: FindingSort = 'severity'): Promise<FindingPage> {
  const where = whereOf(filter);
  const n = where.params.length;
  const rows = await q.query(`SELECT ${COLUMNS} FROM findings f ${where.sql} ORDER BY ${ORDER[sort]} LIMIT $${n + 1} OFFSET $${n + 2}`, [...where.params, page.limit, page.offset]);
  const [count] = await q.query<{ n: number }>(`SELECT count(*) AS n FROM findings f ${where.sql}`, where.params);
  const places = await placesOf(q, rows.map((r) => r['fingerprint'] as string));
  const now = filter.now ?? new Date();
  return { items: rows.map((r) => storedFinding(r, places.get(r['fingerprint'] as string) ?? [], now)), total: count?.n ?? 0 };
}

/** Every finding matching the filter, one page at a time (for reports of any size). */
export async function* allFindings(q: Queryable, filter: FindingFilter = {}, sort: FindingSort = 'severity', pageSize = 1000): AsyncGenerator<StoredFinding> {
  for (let offset = 0; ; offset += pageSize) {
    const page = await listFindings(q, filter, { limit: pageSize, offset }, sort);
    yield* page.items;
    if (page.items.length < pageSize) return;
  }
}

/** Counts by severity and by status (for an overview), under the same filters as the list. */
export async function countFindings(q: Queryable, filter: FindingFilter = {}): Promise<{ total: number; bySeverity: Record<Severity, number>; byStatus: Record<string, number> }> {
  const where = whereOf(filter);
  // by rank, not name: the status index holds the rank, so the count needs no table reads
  const rows = await q.query<{ rank: number; status: string; n: number }>(`SELECT f.severity_rank AS rank, f.status, count(*) AS n FROM findings f ${where.sql} GROUP BY f.severity_rank, f.status`, where.params);
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  const byStatus: Record<string, number> = {};
  let total = 0;
  for (const r of rows) {
    bySeverity[severityAt(r.rank)] += r.n;
    byStatus[r.status] = (byStatus[r.status] ?? 0) + r.n;
    total += r.n;
  }
  return { total, bySeverity, byStatus };
}

/** The fingerprints a (unique) prefix names: a finding id as people type it. */
export async function resolveFingerprints(q: Queryable, prefix: string): Promise<string[]> {
  if (!/^[0-9a-f]{4,64}$/i.test(prefix)) return [];
  const rows = await q.query<{ fingerprint: string }>(`SELECT fingerprint FROM findings WHERE fingerprint LIKE $1 ORDER BY fingerprint LIMIT 10`, [`${prefix.toLowerCase()}%`]);
  return rows.map((r) => r.fingerprint);
}

/** One finding with everywhere it lives, every recorded occurrence and its triage history. */
export async function getFinding(q: Queryable, fingerprint: string, now = new Date()): Promise<FindingDetail | null> {
  const [row] = await q.query(`SELECT ${COLUMNS} FROM findings f WHERE f.fingerprint = $1`, [fingerprint]);
  if (!row) return null;
  const places = await placesOf(q, [fingerprint]);
  const occurrences = await q.query<{ repository: string; commit: string; path: string; line: number | null; date: Date | null }>(
    `SELECT r.name AS repository, o.commit, o.path, o.line, o.date FROM occurrences o JOIN repositories r ON r.id = o.repository_id
     WHERE o.fingerprint = $1 ORDER BY o.date NULLS LAST, r.name, o.path, o.commit`,
    [fingerprint],
  );
  const triage = await q.query<{ status: TriageStatus; previous: TriageStatus; note: string | null; actor: string; at: Date }>(
    `SELECT status, previous, note, actor, at FROM triage_events WHERE fingerprint = $1 ORDER BY id`,
    [fingerprint],
  );
  return { ...storedFinding(row, places.get(fingerprint) ?? [], now), occurrences, triage };
}

async function placesOf(q: Queryable, fingerprints: readonly string[]): Promise<Map<string, FindingPlace[]>> {
  const out = new Map<string, FindingPlace[]>();
  if (!fingerprints.length) return out;
  const rows = await q.query(
    `SELECT p.fingerprint, p.repository_id, r.name, r.url, p.path, p.line, p.col, p.introduced_commit, p.introduced_at, p.present_at_head, p.removed_commit, p.removed_at
     FROM finding_repositories p JOIN repositories r ON r.id = p.repository_id
     WHERE p.fingerprint IN (SELECT jsonb_array_elements_text($1::jsonb)) ORDER BY r.name`,
    [JSON.stringify(fingerprints)],
  );
  for (const r of rows) {
    const fp = r['fingerprint'] as string;
    if (!out.has(fp)) out.set(fp, []);
    out.get(fp)!.push({
      repositoryId: r['repository_id'] as number,
      repository: r['name'] as string,
      url: r['url'] as string,
      path: r['path'] as string,
      line: r['line'] as number | null,
      column: r['col'] as number | null,
      introducedCommit: r['introduced_commit'] as string | null,
      introducedAt: r['introduced_at'] as Date | null,
      presentAtHead: r['present_at_head'] as boolean,
      removedCommit: r['removed_commit'] as string | null,
      removedAt: r['removed_at'] as Date | null,
    });
  }
  return out;
}

function storedFinding(r: Row, places: FindingPlace[], now: Date): StoredFinding {
  const expires = r['expires_at'] as Date | null;
  const verification = r['verification'] as string | null;
  return {
    fingerprint: r['fingerprint'] as string,
    finding: r['data'] as Finding,
    status: r['status'] as TriageStatus,
    statusNote: r['status_note'] as string | null,
    statusBy: r['status_by'] as string | null,
    statusAt: r['status_at'] as Date | null,
    firstSeen: r['first_seen'] as Date,
    lastSeen: r['last_seen'] as Date,
    presentAtHead: r['present_at_head'] as boolean,
    stillValid: (!expires || expires > now) && verification !== 'expired' && verification !== 'revoked-or-invalid',
    places,
  };
}

// ---- triage ----

export interface TriageInput {
  status: TriageStatus;
  note?: string | null;
  /** Who decided (a person's name or e-mail). */
  actor: string;
}

/**
 * Sets the status of the given findings and records who, when and why (one event per
 * finding). Returns the fingerprints changed; unknown ones are left out.
 */
export async function triageFindings(q: Queryable, fingerprints: readonly string[], input: TriageInput): Promise<string[]> {
  if (!fingerprints.length) return [];
  const rows = await q.query<{ fingerprint: string }>(
    `WITH old AS (
       SELECT fingerprint, status AS previous FROM findings WHERE fingerprint IN (SELECT jsonb_array_elements_text($1::jsonb)) FOR UPDATE
     ), changed AS (
       UPDATE findings f SET status = $2, status_note = $3, status_by = $4, status_at = now()
       FROM old WHERE f.fingerprint = old.fingerprint
       RETURNING f.fingerprint, old.previous
     )
     INSERT INTO triage_events (fingerprint, status, previous, note, actor)
     SELECT fingerprint, $2, previous, $3, $4 FROM changed
     RETURNING fingerprint`,
    [JSON.stringify(fingerprints), input.status, input.note ?? null, input.actor],
  );
  return rows.map((r) => r.fingerprint);
}

/** Triage of every finding a filter matches (bulk triage from a list or the console). */
export async function triageMatching(q: Queryable, filter: FindingFilter, input: TriageInput): Promise<string[]> {
  const where = whereOf(filter);
  const rows = await q.query<{ fingerprint: string }>(`SELECT f.fingerprint FROM findings f ${where.sql}`, where.params);
  return triageFindings(
    q,
    rows.map((r) => r.fingerprint),
    input,
  );
}
