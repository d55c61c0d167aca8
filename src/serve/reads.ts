import type { Queryable } from '../store/db.js';
import { countFindings, listFindings } from '../store/findings.js';
import { findingCounts, openOverTime, topRepositories, validByExpiry } from '../store/overview.js';
import { listRepositories } from '../store/repositories.js';
import type { OverviewData } from './pages/overview.js';
import type { RepositoryListItem } from './pages/repositories.js';
import { filterOf, type TableQuery } from './query.js';
import { findingRow, type FindingRow } from './view.js';

/** What the pages and the API read from the store: the same reads for both. */

export async function readOverview(db: Queryable, now: Date): Promise<OverviewData> {
  const open = await countFindings(db, { statuses: ['open'] });
  const all = await countFindings(db, {});
  const newest = await listFindings(db, { statuses: ['open'], now }, { limit: 8, offset: 0 }, 'first-seen');
  return {
    open: { total: open.total, bySeverity: open.bySeverity },
    byStatus: all.byStatus,
    expiry: await validByExpiry(db, now),
    newest: newest.items.map(findingRow),
    repositories: await topRepositories(db, 10),
    series: await openOverTime(db, { days: 90, now }),
  };
}

export async function readTable(db: Queryable, q: TableQuery, now: Date): Promise<{ rows: FindingRow[]; total: number }> {
  const page = await listFindings(db, filterOf(q, now), { limit: q.perPage, offset: (q.page - 1) * q.perPage }, q.sort);
  return { rows: page.items.map(findingRow), total: page.total };
}

/** The rule ids the store holds (for the rule filter). */
export async function ruleIds(db: Queryable): Promise<string[]> {
  const rows = await db.query<{ rule: string }>(`SELECT DISTINCT rule FROM findings ORDER BY rule`);
  return rows.map((r) => r.rule);
}

export async function readRepositories(db: Queryable, name: string, page: number, perPage: number): Promise<{ items: RepositoryListItem[]; total: number }> {
  const list = await listRepositories(db, name ? { name } : {}, { limit: perPage, offset: (page - 1) * perPage });
  const counts = await findingCounts(db, list.items.map((r) => r.id));
  return { items: list.items.map((r) => ({ repository: r, ...(counts.get(r.id) ?? { open: 0, total: 0 }) })), total: list.total };
}
