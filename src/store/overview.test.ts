import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { Confidence } from '../model/confidence.js';
import type { Finding } from '../model/finding.js';
import type { Severity } from '../model/severity.js';
import { onBothStores, withStore } from '../testing/stores.js';
import type { Queryable } from './db.js';
import { listFindings, triageFindings, upsertFindings } from './findings.js';
import { findingCounts, openOverTime, recentScans, topRepositories, validByExpiry } from './overview.js';
import { upsertRepositories } from './repositories.js';
import { createRun, queueScan } from './scans.js';

let n = 0;
function finding(o: { severity?: Severity; confidence?: Confidence; rule?: string; path?: string; expiry?: string | null; account?: string; verification?: string }): Finding {
  n++;
  const f = {
    fingerprint: `${String(n).padStart(8, '0')}${'c'.repeat(24)}`,
    rule: o.rule ?? 'azure-sas',
    family: 'azure-sas',
    title: 'Azure SAS token',
    severity: o.severity ?? 'high',
    confidence: o.confidence ?? 'high',
    reasons: [],
    location: { path: o.path ?? `src/f${n}.py`, line: 1, column: 1 },
    secret: 'sv=2020…',
    redacted: true,
    grant: o.expiry === undefined ? null : { provider: 'azure', kind: 'service-sas', account: o.account ?? 'acct', expiry: o.expiry, resource: { container: 'models' } },
  } as unknown as Finding;
  if (o.verification) f.verification = { status: o.verification } as unknown as Finding['verification'];
  return f;
}

async function repo(db: Queryable, name: string): Promise<number> {
  const ids = await upsertRepositories(db, [{ url: `https://git.example/${name}.git`, source: 'github', owner: 'org', name }]);
  return ids.get(`https://git.example/${name}.git`)!;
}

const fps = async (db: Queryable, filter: Parameters<typeof listFindings>[1], sort?: Parameters<typeof listFindings>[3]) => (await listFindings(db, filter, { limit: 100, offset: 0 }, sort)).items.map((i) => i.finding.location.path);

onBothStores('the console reads from the store', (store) => {
  it('filters by confidence, expires-before and free text (any case, wildcards literal); sorts by expiry and confidence', async () => {
    await withStore(await store.fresh(), async (db) => {
      const a = await repo(db, 'org/alpha');
      await upsertFindings(db, a, [
        finding({ path: 'deploy/Prod.env', confidence: 'low', expiry: '2030-01-01T00:00:00Z', account: 'prodstore' }),
        finding({ path: 'docs/100%_done.md', confidence: 'medium', expiry: '2026-06-01T00:00:00Z' }),
        finding({ path: 'src/main.py', confidence: 'high', rule: 'github-token' }),
      ]);
      assert.deepEqual(await fps(db, { confidences: ['low', 'medium'] }, 'confidence'), ['docs/100%_done.md', 'deploy/Prod.env']);
      assert.deepEqual(await fps(db, { expiresBefore: new Date('2027-01-01T00:00:00Z') }), ['docs/100%_done.md']);
      assert.deepEqual(await fps(db, { text: 'PROD' }), ['deploy/Prod.env'], 'path and account, any case');
      assert.deepEqual(await fps(db, { text: '100%_' }), ['docs/100%_done.md']);
      assert.deepEqual(await fps(db, { text: '0%d' }), [], '% and _ are not wildcards');
      assert.deepEqual(await fps(db, { text: 'github' }), ['src/main.py'], 'the rule id');
      assert.deepEqual(await fps(db, { text: 'models' }), ['deploy/Prod.env', 'docs/100%_done.md'].sort(), 'the resource');
      assert.deepEqual(await fps(db, {}, 'expiry'), ['docs/100%_done.md', 'deploy/Prod.env', 'src/main.py'], 'soonest expiry first, none last');
    });
  });

  it('counts open findings per day from first sighting to the decision that closed them (and reopened them)', async () => {
    await withStore(await store.fresh(), async (db) => {
      const a = await repo(db, 'org/alpha');
      const [f1, f2, f3] = [finding({}), finding({}), finding({})];
      await upsertFindings(db, a, [f1, f2, f3]);
      const set = (fp: string, at: string) => db.query(`UPDATE findings SET first_seen = $2 WHERE fingerprint = $1`, [fp, at]);
      await set(f1.fingerprint, '2024-03-01T10:00:00Z');
      await set(f2.fingerprint, '2024-03-02T23:30:00Z');
      await set(f3.fingerprint, '2024-03-04T00:00:00Z');
      await triageFindings(db, [f1.fingerprint], { status: 'fixed', actor: 'alice' });
      await triageFindings(db, [f1.fingerprint], { status: 'false-positive', actor: 'bob' });
      await triageFindings(db, [f2.fingerprint], { status: 'revoked', actor: 'bob' });
      await triageFindings(db, [f2.fingerprint], { status: 'open', note: 'not revoked after all', actor: 'carol' });
      const events = await db.query<{ id: number }>(`SELECT id FROM triage_events ORDER BY id`);
      const at = ['2024-03-03T08:00:00Z', '2024-03-05T08:00:00Z', '2024-03-03T09:00:00Z', '2024-03-04T09:00:00Z'];
      for (const [i, e] of events.entries()) await db.query(`UPDATE triage_events SET at = $2 WHERE id = $1`, [e.id, at[i]]);
      const series = await openOverTime(db, { days: 6, now: new Date('2024-03-06T12:00:00Z') });
      assert.deepEqual(
        series.map((d) => [d.day, d.open]),
        [
          ['2024-03-01', 1],
          ['2024-03-02', 2],
          ['2024-03-03', 0],
          ['2024-03-04', 2],
          ['2024-03-05', 2],
          ['2024-03-06', 2],
        ],
      );
      // a window that starts after the first sightings starts from what was open then
      const late = await openOverTime(db, { days: 2, now: new Date('2024-03-06T12:00:00Z') });
      assert.deepEqual(late.map((d) => d.open), [2, 2]);
    });
  });

  it('buckets open, still-valid links by how soon they expire; top repositories; counts per repository; recent scans', async () => {
    await withStore(await store.fresh(), async (db) => {
      const a = await repo(db, 'org/alpha');
      const b = await repo(db, 'org/beta');
      const now = new Date('2024-01-01T00:00:00Z');
      const inDays = (d: number) => new Date(now.getTime() + d * 86_400_000).toISOString();
      const soon = finding({ expiry: inDays(3), severity: 'critical' });
      const month = finding({ expiry: inDays(20) });
      const years = finding({ expiry: inDays(3000) });
      const expired = finding({ expiry: inDays(-1) });
      const dead = finding({ expiry: inDays(100), verification: 'revoked-or-invalid' });
      const policy = finding({ expiry: null });
      const closed = finding({ expiry: inDays(5) });
      const key = finding({ rule: 'github-token' });
      await upsertFindings(db, a, [soon, month, years, expired, dead, policy, closed, key]);
      await upsertFindings(db, b, [soon, years]);
      await triageFindings(db, [closed.fingerprint], { status: 'revoked', actor: 'alice' });
      const buckets = await validByExpiry(db, now);
      assert.deepEqual(
        buckets.map((x) => [x.label, x.count]),
        [
          ['within 7 days', 1],
          ['within 30 days', 1],
          ['within 90 days', 0],
          ['within a year', 0],
          ['after a year', 1],
          ['no expiry in the link', 1],
        ],
      );
      assert.equal(buckets[0]!.before!.toISOString(), inDays(7));
      const top = await topRepositories(db, 5);
      assert.deepEqual(
        top.map((r) => [r.name, r.open, r.critical]),
        [
          ['org/alpha', 7, 1],
          ['org/beta', 2, 1],
        ],
      );
      const counts = await findingCounts(db, [a, b]);
      assert.deepEqual(counts.get(a), { open: 7, total: 8 });
      assert.deepEqual(counts.get(b), { open: 2, total: 2 });
      const run = await createRun(db, 'github:org');
      await queueScan(db, run, a);
      await queueScan(db, run, b);
      const scans = await recentScans(db);
      assert.deepEqual(
        scans.map((s) => [s.repository, s.state]),
        [
          ['org/beta', 'queued'],
          ['org/alpha', 'queued'],
        ],
      );
      assert.deepEqual((await recentScans(db, { repositoryId: a })).map((s) => s.repository), ['org/alpha']);
    });
  });
});
