import type { Queryable, Row } from './db.js';
import type { RepositoryInput, RepositoryRecord, ScanState } from './types.js';

/**
 * Repositories the store knows: what the last listing said of them (their URL is their
 * identity) and the ref tips of their last completed scan.
 */
export async function upsertRepositories(q: Queryable, repos: readonly RepositoryInput[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (!repos.length) return out;
  const rows = repos.map((r) => ({
    url: r.url,
    source: r.source,
    owner: r.owner ?? '',
    name: r.name,
    default_branch: r.defaultBranch ?? null,
    visibility: r.visibility ?? null,
    archived: r.archived ?? false,
    fork: r.fork ?? false,
    size_kb: r.sizeKb ?? null,
  }));
  // a listing can name a repository twice (a repos file): the last line wins
  const unique = [...new Map(rows.map((r) => [r.url, r])).values()];
  const ids = await q.query<{ id: number; url: string }>(
    `INSERT INTO repositories AS r (url, source, owner, name, default_branch, visibility, archived, fork, size_kb)
     SELECT x.url, x.source, x.owner, x.name, x.default_branch, x.visibility, x.archived, x.fork, x.size_kb
     FROM jsonb_to_recordset($1::jsonb) AS x(url text, source text, owner text, name text, default_branch text, visibility text, archived boolean, fork boolean, size_kb bigint)
     ON CONFLICT (url) DO UPDATE SET source = excluded.source, owner = excluded.owner, name = excluded.name,
       default_branch = excluded.default_branch, visibility = excluded.visibility, archived = excluded.archived,
       fork = excluded.fork, size_kb = excluded.size_kb, listed_at = now()
     RETURNING id, url`,
    [JSON.stringify(unique)],
  );
  for (const r of ids) out.set(r.url, r.id);
  return out;
}

const COLUMNS = `r.id, r.url, r.source, r.owner, r.name, r.default_branch, r.visibility, r.archived, r.fork, r.size_kb, r.head, r.tips, r.scanned_marker, r.scanned_marker_at,
  r.last_scan_id, r.last_scanned_at, r.discovered_at, r.listed_at, s.state AS scan_state, s.error AS scan_error`;
const LATEST_SCAN = `LEFT JOIN LATERAL (SELECT state, error FROM scans WHERE repository_id = r.id ORDER BY id DESC LIMIT 1) s ON true`;

export async function getRepository(q: Queryable, id: number): Promise<RepositoryRecord | null> {
  const [row] = await q.query(`SELECT ${COLUMNS} FROM repositories r ${LATEST_SCAN} WHERE r.id = $1`, [id]);
  return row ? repositoryRecord(row) : null;
}

export interface RepositoryFilter {
  /** Name or URL; `*` matches any run of characters. */
  name?: string;
  scanState?: ScanState;
  source?: string;
}

export async function listRepositories(q: Queryable, filter: RepositoryFilter = {}, page = { limit: 1000, offset: 0 }): Promise<{ items: RepositoryRecord[]; total: number }> {
  const params: unknown[] = [];
  const clauses: string[] = [];
  if (filter.name) {
    params.push(filter.name.replace(/[\\%_]/g, (c) => `\\${c}`).replace(/\*/g, '%'));
    clauses.push(`(r.name LIKE $${params.length} OR r.url LIKE $${params.length})`);
  }
  if (filter.scanState) {
    params.push(filter.scanState);
    clauses.push(`s.state = $${params.length}`);
  }
  if (filter.source) {
    params.push(filter.source);
    clauses.push(`r.source = $${params.length}`);
  }
  const where = clauses.length ? `WHERE ${clauses.join(' AND ')}` : '';
  const n = params.length;
  const rows = await q.query(`SELECT ${COLUMNS} FROM repositories r ${LATEST_SCAN} ${where} ORDER BY r.name, r.id LIMIT $${n + 1} OFFSET $${n + 2}`, [...params, page.limit, page.offset]);
  const [count] = await q.query<{ n: number }>(`SELECT count(*) AS n FROM repositories r ${LATEST_SCAN} ${where}`, params);
  return { items: rows.map(repositoryRecord), total: count?.n ?? 0 };
}

/** After a completed scan: the tips it read are where the next one starts (and the listing's marker it was queued on). */
export async function setScannedTips(q: Queryable, repositoryId: number, scanId: number, head: string | null, tips: Record<string, string>, marker?: { value: string | null; at: Date | null }): Promise<void> {
  await q.query(
    `UPDATE repositories SET head = $2, tips = $3::jsonb, last_scan_id = $4, last_scanned_at = now(), scanned_marker = $5, scanned_marker_at = $6 WHERE id = $1`,
    [repositoryId, head, JSON.stringify(tips), scanId, marker?.value ?? null, marker?.at ?? null],
  );
}

/** The remote's refs were found where the last scan left them: the listing's newer marker can stand for them. */
export async function confirmMarker(q: Queryable, repositoryId: number, marker: string, at: Date): Promise<void> {
  await q.query(`UPDATE repositories SET scanned_marker = $2, scanned_marker_at = $3 WHERE id = $1`, [repositoryId, marker, at]);
}

function repositoryRecord(r: Row): RepositoryRecord {
  return {
    id: r['id'] as number,
    url: r['url'] as string,
    source: r['source'] as string,
    owner: r['owner'] as string,
    name: r['name'] as string,
    defaultBranch: r['default_branch'] as string | null,
    visibility: r['visibility'] as string | null,
    archived: r['archived'] as boolean,
    fork: r['fork'] as boolean,
    sizeKb: r['size_kb'] as number | null,
    head: r['head'] as string | null,
    tips: (r['tips'] as Record<string, string>) ?? {},
    scannedMarker: (r['scanned_marker'] as string | null) ?? null,
    scannedMarkerAt: (r['scanned_marker_at'] as Date | null) ?? null,
    lastScanId: r['last_scan_id'] as number | null,
    lastScannedAt: r['last_scanned_at'] as Date | null,
    discoveredAt: r['discovered_at'] as Date,
    listedAt: r['listed_at'] as Date,
    scanState: (r['scan_state'] as ScanState | null) ?? null,
    scanError: (r['scan_error'] as string | null) ?? null,
  };
}
