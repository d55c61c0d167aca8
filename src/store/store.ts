import { DEFAULT_STORE_DIR, isServerUrl, openDb, type Db, type OpenOptions } from './db.js';
import { migrate } from './migrations.js';

/**
 * A store opened and brought up to the current schema. `--store DIR` (default
 * .sasquatch/store) is embedded PGlite; `--store postgres://…` a shared PostgreSQL server.
 */
export async function openStore(spec: string | undefined, opts: OpenOptions = {}): Promise<Db> {
  const db = await openDb(spec ?? process.env['SASQUATCH_STORE'] ?? DEFAULT_STORE_DIR, opts);
  try {
    await migrate(db);
  } catch (e) {
    await db.close().catch(() => undefined);
    throw e;
  }
  return db;
}

export { isServerUrl };
