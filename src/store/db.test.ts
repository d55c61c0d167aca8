import assert from 'node:assert/strict';
import { it } from 'node:test';
import { onBothStores, withStore } from '../testing/stores.js';
import { openStore } from './store.js';
import { SCHEMA_VERSION } from './migrations.js';
import { StoreLockedError } from './lock.js';

onBothStores('store engine', (store) => {
  it('migrates to the current schema once, and values come back the same on both engines', async () => {
    const spec = await store.fresh();
    await withStore(spec, async (db) => {
      const rows = await db.query<{ version: number; n: number }>('SELECT max(version) AS version, count(*) AS n FROM sasquatch_migrations');
      assert.equal(rows[0]!.version, SCHEMA_VERSION);
      assert.equal(rows[0]!.n, SCHEMA_VERSION);
      const [r] = await db.query<{ n: number; b: Buffer; t: Date; j: unknown }>(`SELECT count(*) AS n, '\\x0102'::bytea AS b, now() AS t, '{"a":1}'::jsonb AS j FROM generate_series(1, 3)`);
      assert.equal(r!.n, 3);
      assert.ok(Buffer.isBuffer(r!.b));
      assert.deepEqual([...r!.b], [1, 2]);
      assert.ok(r!.t instanceof Date);
      assert.deepEqual(r!.j, { a: 1 });
    });
    // opening again applies nothing twice
    await withStore(spec, async (db) => {
      const rows = await db.query<{ n: number }>('SELECT count(*) AS n FROM sasquatch_migrations');
      assert.equal(rows[0]!.n, SCHEMA_VERSION);
    });
  });

  it('rolls a failed transaction back', async () => {
    await withStore(await store.fresh(), async (db) => {
      await assert.rejects(
        db.transaction(async (tx) => {
          await tx.query(`INSERT INTO repositories (url, source, name) VALUES ('file:///x', 'list', 'x')`);
          throw new Error('boom');
        }),
        /boom/,
      );
      const rows = await db.query<{ n: number }>('SELECT count(*) AS n FROM repositories');
      assert.equal(rows[0]!.n, 0);
    });
  });

  if (store.kind === 'embedded') {
    it('an embedded store serves one process at a time: a second opener is told who holds it', async () => {
      const spec = await store.fresh();
      const db = await openStore(spec);
      try {
        await assert.rejects(openStore(spec, { lockWaitMs: 300 }), (e: unknown) => e instanceof StoreLockedError && new RegExp(`process ${process.pid}`).test((e as Error).message));
      } finally {
        await db.close();
      }
      // released on close
      await withStore(spec, async () => undefined);
    });
  }
});
