import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MIGRATIONS } from '../store/migrations.js';
import { startQueue } from '../org/queue.js';
import { openStore } from '../store/store.js';

/**
 * Embedded (PGlite) stores for tests. Creating a PGlite database runs initdb in WASM (several
 * seconds); a migrated empty store is made once per schema, kept in the temp directory, and
 * copied for each test (a fraction of a second).
 */
export async function freshStoreDir(parent?: string): Promise<string> {
  const template = await templateDir();
  const dir = parent ? path.join(parent, 'store') : path.join(mkdtempSync(path.join(os.tmpdir(), 'sasquatch-store-')), 'store');
  cpSync(template, dir, { recursive: true });
  return dir;
}

async function templateDir(): Promise<string> {
  const key = createHash('sha256').update(JSON.stringify(MIGRATIONS)).update('pg-boss 10').digest('hex').slice(0, 12);
  const dir = path.join(os.tmpdir(), `sasquatch-pglite-template-${key}`);
  if (existsSync(path.join(dir, 'PG_VERSION'))) return dir;
  const work = mkdtempSync(path.join(os.tmpdir(), 'sasquatch-pglite-making-'));
  const store = path.join(work, 'store');
  const db = await openStore(store);
  // pg-boss's schema too: installing it costs a second per store on PGlite
  const boss = await startQueue(db, { supervise: false, maintenanceSeconds: 60 });
  await boss.stop({ graceful: false, wait: true, close: false });
  await db.close();
  try {
    renameSync(store, dir);
  } catch {
    // another test process made it first
  }
  rmSync(work, { recursive: true, force: true });
  return dir;
}
