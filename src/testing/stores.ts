import { after, before, describe } from 'node:test';
import type { Db } from '../store/db.js';
import { openStore } from '../store/store.js';
import { freshStoreDir } from './embedded-store.js';
import { skipWithoutPostgres, startPostgres, type PgServer } from './postgres.js';

/** Where a test's store lives: a directory (embedded) or a URL (a database on the test's server). */
export interface StoreTarget {
  kind: 'embedded' | 'postgres';
  /** A new, empty, migrated store: what `--store` is given. */
  fresh(): Promise<string>;
}

/**
 * Runs the same tests on both engines — the SQL is one dialect, and both must behave the
 * same. The PostgreSQL half starts a real server for the suite (testing/postgres.ts).
 */
export function onBothStores(name: string, body: (store: StoreTarget) => void): void {
  describe(`${name} [embedded PGlite]`, () => {
    body({ kind: 'embedded', fresh: () => freshStoreDir() });
  });
  describe(`${name} [PostgreSQL server]`, { skip: skipWithoutPostgres() }, () => {
    let server: PgServer | undefined;
    before(async () => {
      server = await startPostgres();
    });
    after(() => server?.stop());
    body({
      kind: 'postgres',
      fresh: async () => {
        const url = await server!.createDatabase();
        // migrated like a used store would be (the embedded template is migrated too)
        const db = await openStore(url);
        await db.close();
        return url;
      },
    });
  });
}

export async function withStore<T>(spec: string, fn: (db: Db) => Promise<T>): Promise<T> {
  const db = await openStore(spec);
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}
