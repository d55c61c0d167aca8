import os from 'node:os';
import type { Command } from 'commander';
import type { Db } from '../store/db.js';
import { StoreErrorBase } from '../store/errors.js';
import { openStore } from '../store/store.js';
import { UsageError } from './output.js';

/** `--store`: a directory (embedded PGlite, default .sasquatch/store) or postgres://… (a shared server). */
export function addStoreOption(cmd: Command): Command {
  return cmd.option('--store <dir|url>', 'the store: a directory (embedded, default .sasquatch/store or $SASQUATCH_STORE) or postgres://… (a shared PostgreSQL server)');
}

/** Opens the store for one command and closes it after; a store that cannot be opened is a usage error. */
export async function withStore<T>(spec: string | undefined, fn: (db: Db) => Promise<T>): Promise<T> {
  let db: Db;
  try {
    db = await openStore(spec);
  } catch (e) {
    if (e instanceof StoreErrorBase) throw new UsageError(e.message);
    throw e;
  }
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

/** Who made a triage decision: --by, else $SASQUATCH_USER, else the login name. */
export function actorName(flag: string | undefined): string {
  if (flag) return flag;
  if (process.env['SASQUATCH_USER']) return process.env['SASQUATCH_USER'];
  try {
    return os.userInfo().username;
  } catch {
    return process.env['USER'] ?? 'unknown';
  }
}
