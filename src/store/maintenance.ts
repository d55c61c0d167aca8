import type { Db } from './db.js';

/**
 * PGlite runs PostgreSQL without its background workers, so nothing vacuums or analyzes an
 * embedded store: after scans have written and rewritten findings the planner works from no
 * statistics and index-only scans read every row. A long-running reader (the console) does
 * it once when it opens the store; a PostgreSQL server does it by itself (autovacuum).
 */
export async function refreshStatistics(db: Db): Promise<void> {
  if (db.kind !== 'embedded') return;
  await db.script('VACUUM (ANALYZE) findings, finding_repositories, occurrences, triage_events, repositories, scans');
}
