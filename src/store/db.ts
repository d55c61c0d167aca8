import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { StoreErrorBase } from './errors.js';
import { EmbeddedLock } from './lock.js';

/**
 * The one SQL dialect (PostgreSQL) on two engines: PGlite (PostgreSQL compiled to WASM,
 * file-backed, in this process: the embedded default, no server) and `pg` (a real
 * PostgreSQL server shared by many machines). Everything above this file sees `Db`:
 * parameterised queries, transactions and multi-statement scripts (migrations, pg-boss).
 * Results are normalised so both engines return the same JavaScript values: bigints as
 * numbers, bytea as Buffer, timestamps as Date.
 */
export type Row = Record<string, unknown>;

export interface Queryable {
  query<T extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<T[]>;
}

export interface Db extends Queryable {
  readonly kind: 'embedded' | 'postgres';
  /** Where it lives, as it may be shown (a directory, or the URL without its password). */
  readonly location: string;
  /** Runs fn in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Several statements without parameters (migrations, pg-boss scripts): the last one's rows. */
  script(sql: string): Promise<Row[]>;
  close(): Promise<void>;
}

/** What pg-boss needs from a connection: one call that runs SQL (one or several statements). */
export interface SqlExecutor {
  executeSql(text: string, values?: unknown[]): Promise<{ rows: Row[] }>;
}

export const DEFAULT_STORE_DIR = path.join('.sasquatch', 'store');

export function isServerUrl(spec: string): boolean {
  return /^postgres(?:ql)?:\/\//i.test(spec);
}

/** The URL without its password, for messages. */
export function showUrl(url: string): string {
  return url.replace(/^(postgres(?:ql)?:\/\/[^:/@]*):[^@/]*@/i, '$1:***@');
}

export interface OpenOptions {
  /** How long to wait for another process to close an embedded store (ms). */
  lockWaitMs?: number;
}

/** Opens a store: a postgres:// URL (shared server) or a directory (embedded PGlite). */
export async function openDb(spec: string, opts: OpenOptions = {}): Promise<Db> {
  if (isServerUrl(spec)) return openServer(spec);
  return openEmbedded(spec, opts);
}

async function openServer(url: string): Promise<Db> {
  const pg = (await import('pg')).default;
  // bigint (count(*), bigserial) as a number, as PGlite returns it; our values stay far below 2^53
  const types = {
    getTypeParser: (oid: number, format?: 'text' | 'binary') => (oid === 20 && format !== 'binary' ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as 'text')),
  };
  const pool = new pg.Pool({ connectionString: url, max: 8, application_name: 'sasquatch', types });
  // an idle client losing its connection must not crash the process; the next query reports it
  pool.on('error', () => undefined);
  try {
    const c = await pool.connect();
    c.release();
  } catch (e) {
    await pool.end().catch(() => undefined);
    throw new StoreError(`cannot connect to ${showUrl(url)}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const run = async <T extends Row>(q: { query: (s: string, p?: unknown[]) => Promise<{ rows: unknown[] }> }, sql: string, params?: readonly unknown[]) =>
    (await q.query(sql, params ? [...params] : undefined)).rows as T[];
  return {
    kind: 'postgres',
    location: showUrl(url),
    query: (sql, params) => run(pool, sql, params),
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const out = await fn({ query: (sql, params) => run(client, sql, params) });
        await client.query('COMMIT');
        return out;
      } catch (e) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw e;
      } finally {
        client.release();
      }
    },
    async script(sql) {
      const r = (await pool.query(sql)) as unknown as { rows: Row[] } | { rows: Row[] }[];
      return Array.isArray(r) ? (r[r.length - 1]?.rows ?? []) : r.rows;
    },
    close: () => pool.end(),
  };
}

async function openEmbedded(dir: string, opts: OpenOptions): Promise<Db> {
  mkdirSync(dir, { recursive: true });
  // PGlite is one process's database: a second process opening the same directory would
  // write over it, so the directory is held for as long as the store is open
  const lock = await EmbeddedLock.acquire(dir, opts.lockWaitMs ?? 30_000);
  let pg;
  try {
    const { PGlite } = await import('@electric-sql/pglite');
    pg = new PGlite(path.resolve(dir));
    await pg.waitReady;
  } catch (e) {
    lock.release();
    throw new StoreError(`cannot open the store in ${dir}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const db = pg;
  const rows = <T extends Row>(r: { rows: unknown[] }) => (r.rows as T[]).map(normaliseRow);
  return {
    kind: 'embedded',
    location: dir,
    query: async (sql, params) => rows(await db.query(sql, params ? [...params] : undefined)),
    transaction: (fn) => db.transaction((tx) => fn({ query: async (sql, params) => rows(await tx.query(sql, params ? [...params] : undefined)) })),
    async script(sql) {
      const rs = await db.exec(sql);
      return rows(rs[rs.length - 1] ?? { rows: [] });
    },
    async close() {
      try {
        await db.close();
      } finally {
        lock.release();
      }
    },
  };
}

/** PGlite gives bytea as Uint8Array; pg gives Buffer. Callers see Buffer from both. */
function normaliseRow<T extends Row>(row: T): T {
  for (const k of Object.keys(row)) {
    const v = row[k];
    if (v instanceof Uint8Array && !Buffer.isBuffer(v)) (row as Row)[k] = Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  }
  return row;
}

/**
 * pg-boss on a store: a statement with parameters goes through `query`; one without (pg-boss's
 * locked maintenance scripts: BEGIN; …; COMMIT) through `script`. Inside a transaction only
 * `query` is used (pg-boss completes a job there, with its results).
 */
export function sqlExecutor(db: Db): SqlExecutor {
  return {
    executeSql: async (text, values) => ({ rows: values && values.length ? await db.query(text, values) : await db.script(text) }),
  };
}

export function txExecutor(tx: Queryable): SqlExecutor {
  return { executeSql: async (text, values) => ({ rows: await tx.query(text, values ?? []) }) };
}

export class StoreError extends StoreErrorBase {}
