import { isServerUrl, type Db, type Queryable, type Row } from './db.js';
import { EmbeddedLock } from './lock.js';
import { openStore } from './store.js';

/**
 * A store for a long-running process (the console) that other sasquatch commands can use
 * while it runs. A PostgreSQL store is shared by nature. An embedded store serves one
 * process at a time, so this one lets go of it whenever another process waits for it and
 * no query of its own is running, and opens it again (a fraction of a second) for its next
 * query: `sasquatch findings` in another terminal gets the store at once, sees every
 * decision made in the console, and the console sees theirs.
 */
export interface SharedStore extends Db {
  /** The embedded store is closed now (handed to another process); it reopens on the next query. */
  readonly idle: boolean;
}

const CHECK_MS = 100;

export async function openSharedStore(spec: string): Promise<SharedStore> {
  const first = await openStore(spec);
  if (isServerUrl(spec) || first.kind !== 'embedded') return Object.assign(first, { idle: false });
  const dir = first.location;
  let db: Db | null = first;
  let opening: Promise<Db> | null = null;
  let closing: Promise<void> = Promise.resolve();
  let running = 0;
  let closed = false;

  const acquire = (): Promise<Db> => {
    if (db) return Promise.resolve(db);
    opening ??= closing
      .then(() => openStore(spec, { lockWaitMs: 120_000 }))
      .then((d) => {
        db = d;
        return d;
      })
      .finally(() => {
        opening = null;
      });
    return opening;
  };

  const yieldIfWanted = () => {
    if (!db || running || opening || closed || !EmbeddedLock.othersWaiting(dir)) return;
    const d = db;
    db = null;
    closing = d.close().catch(() => undefined);
  };
  const timer = setInterval(yieldIfWanted, CHECK_MS);
  timer.unref();

  const run = async <T>(fn: (d: Db) => Promise<T>): Promise<T> => {
    running++;
    try {
      return await fn(await acquire());
    } finally {
      running--;
    }
  };

  return {
    kind: 'embedded',
    location: dir,
    get idle() {
      return db === null;
    },
    query: <T extends Row = Row>(sql: string, params?: readonly unknown[]) => run((d) => d.query<T>(sql, params)),
    transaction: <T>(fn: (tx: Queryable) => Promise<T>) => run((d) => d.transaction(fn)),
    script: (sql: string) => run((d) => d.script(sql)),
    async close() {
      closed = true;
      clearInterval(timer);
      await closing;
      if (opening) await opening.catch(() => undefined);
      if (db) await db.close();
      db = null;
    },
  };
}
