import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { Finding } from '../model/finding.js';
import type { Severity } from '../model/severity.js';
import { onBothStores, withStore } from '../testing/stores.js';
import { cleanBlobPage, countCleanBlobs, recordCleanBlobs, scannerId } from './blobs.js';
import { countFindings, getFinding, listFindings, markRemoved, resolveFingerprints, triageFindings, triageMatching, upsertFindings } from './findings.js';
import { listRepositories, upsertRepositories } from './repositories.js';

let n = 0;
/** A finding as a history scan reports it (the store takes the report contract's records). */
function finding(o: { severity?: Severity; rule?: string; path?: string; expiry?: string | null; introduced?: string; present?: boolean; commit?: string; fingerprint?: string }): Finding {
  n++;
  const commit = o.commit ?? `${String(n).padStart(4, '0')}${'a'.repeat(36)}`;
  return {
    fingerprint: o.fingerprint ?? `${String(n).padStart(8, '0')}${'f'.repeat(24)}`,
    rule: o.rule ?? 'azure-sas',
    family: 'azure-sas',
    title: 'Azure SAS token',
    severity: o.severity ?? 'high',
    confidence: 'high',
    reasons: ['account-wide'],
    location: { path: o.path ?? 'README.md', line: 3, column: 7, commit, author: 'Alice <a@example.org>', date: o.introduced ?? '2021-01-01T00:00:00Z' },
    secret: 'sv=2020…',
    redacted: true,
    grant: o.expiry === undefined ? null : ({ provider: 'azure', kind: 'account-sas', account: 'acct', expiry: o.expiry } as unknown as Finding['grant']),
    history: {
      introduced: { commit, author: 'Alice <a@example.org>', date: o.introduced ?? '2021-01-01T00:00:00Z' },
      presentAtHead: o.present ?? true,
      removed: null,
      occurrences: [{ commit: 'b'.repeat(40), path: o.path ?? 'README.md', date: '2021-06-01T00:00:00Z' }],
      commits: 2,
    },
  };
}

async function repos(db: Parameters<typeof upsertFindings>[0]): Promise<{ a: number; b: number }> {
  const ids = await upsertRepositories(db, [
    { url: 'https://git.example/org/alpha.git', source: 'github', owner: 'org', name: 'org/alpha' },
    { url: 'https://git.example/org/beta.git', source: 'github', owner: 'org', name: 'org/beta' },
  ]);
  return { a: ids.get('https://git.example/org/alpha.git')!, b: ids.get('https://git.example/org/beta.git')! };
}

onBothStores('findings in the store', (store) => {
  it('upserts by fingerprint: the same result written twice (a retried job) is one finding, one place, no duplicate occurrences', async () => {
    await withStore(await store.fresh(), async (db) => {
      const { a } = await repos(db);
      const fs = [finding({}), finding({ severity: 'critical' })];
      assert.equal(await upsertFindings(db, a, fs), 2);
      assert.equal(await upsertFindings(db, a, fs), 0);
      const page = await listFindings(db);
      assert.equal(page.total, 2);
      assert.deepEqual(
        page.items.map((i) => i.finding.severity),
        ['critical', 'high'],
      );
      const [occ] = await db.query<{ n: number }>('SELECT count(*) AS n FROM occurrences');
      assert.equal(occ!.n, 4);
      const [places] = await db.query<{ n: number }>('SELECT count(*) AS n FROM finding_repositories');
      assert.equal(places!.n, 2);
    });
  });

  it('one secret at one path in two repositories is one finding living in both; filters by repository, severity, rule, status, validity', async () => {
    await withStore(await store.fresh(), async (db) => {
      const { a, b } = await repos(db);
      const shared = finding({ expiry: '2051-01-01T00:00:00Z' });
      await upsertFindings(db, a, [shared, finding({ severity: 'low', rule: 'aws-access-key', expiry: '2020-01-01T00:00:00Z' })]);
      await upsertFindings(db, b, [{ ...shared, history: { ...shared.history!, introduced: { ...shared.history!.introduced, date: '2019-05-05T00:00:00Z' } } }]);
      const detail = await getFinding(db, shared.fingerprint);
      assert.deepEqual(
        detail!.places.map((p) => p.repository),
        ['org/alpha', 'org/beta'],
      );
      assert.equal(detail!.finding.history!.introduced.date, '2019-05-05T00:00:00Z', 'the earlier introduction is the finding shown');
      assert.equal((await listFindings(db, { repository: 'org/beta' })).total, 1);
      assert.equal((await listFindings(db, { repository: 'org/*' })).total, 2);
      assert.equal((await listFindings(db, { repository: '*beta.git' })).total, 1);
      assert.equal((await listFindings(db, { minSeverity: 'high' })).total, 1);
      assert.equal((await listFindings(db, { severities: ['low'] })).total, 1);
      assert.equal((await listFindings(db, { rules: ['aws-access-key'] })).total, 1);
      const now = new Date('2024-01-01T00:00:00Z');
      const valid = await listFindings(db, { stillValid: true, now });
      assert.deepEqual(
        valid.items.map((i) => i.fingerprint),
        [shared.fingerprint],
      );
      assert.equal((await listFindings(db, { stillValid: false, now })).total, 1);
    });
  });

  it('triage survives a rescan; every decision is recorded with who, when and why; bulk triage by filter', async () => {
    await withStore(await store.fresh(), async (db) => {
      const { a } = await repos(db);
      const f1 = finding({});
      const f2 = finding({ severity: 'low' });
      await upsertFindings(db, a, [f1, f2]);
      assert.deepEqual(await triageFindings(db, [f1.fingerprint, 'nope'], { status: 'false-positive', note: 'test fixture', actor: 'alice' }), [f1.fingerprint]);
      await triageFindings(db, [f1.fingerprint], { status: 'accepted-risk', note: 'vendor key', actor: 'bob' });
      // the next scan reports it again, with a new severity
      await upsertFindings(db, a, [{ ...f1, severity: 'critical' }]);
      const d = await getFinding(db, f1.fingerprint);
      assert.equal(d!.status, 'accepted-risk');
      assert.equal(d!.finding.severity, 'critical');
      assert.deepEqual(
        d!.triage.map((t) => [t.previous, t.status, t.actor, t.note]),
        [
          ['open', 'false-positive', 'alice', 'test fixture'],
          ['false-positive', 'accepted-risk', 'bob', 'vendor key'],
        ],
      );
      assert.ok(d!.triage[1]!.at instanceof Date);
      assert.equal((await listFindings(db, { statuses: ['open'] })).total, 1);
      const bulk = await triageMatching(db, { statuses: ['open'], severities: ['low'] }, { status: 'fixed', actor: 'carol' });
      assert.deepEqual(bulk, [f2.fingerprint]);
      const counts = await countFindings(db);
      assert.deepEqual(counts.byStatus, { 'accepted-risk': 1, fixed: 1 });
    });
  });

  it('a finding removed from HEAD stays, open, and says so; ids resolve from a prefix', async () => {
    await withStore(await store.fresh(), async (db) => {
      const { a, b } = await repos(db);
      const f = finding({ expiry: '2051-01-01T00:00:00Z' });
      await upsertFindings(db, a, [f]);
      await upsertFindings(db, b, [f]);
      await markRemoved(db, a, [{ fingerprint: f.fingerprint, commit: 'c'.repeat(40), date: '2023-01-01T00:00:00Z' }]);
      let d = await getFinding(db, f.fingerprint);
      assert.equal(d!.presentAtHead, true, 'beta still holds it');
      await markRemoved(db, b, [{ fingerprint: f.fingerprint, commit: null, date: null }]);
      d = await getFinding(db, f.fingerprint);
      assert.equal(d!.presentAtHead, false);
      assert.equal(d!.status, 'open');
      assert.equal(d!.stillValid, true);
      assert.equal(d!.places.find((p) => p.repository === 'org/alpha')!.removedCommit, 'c'.repeat(40));
      assert.deepEqual(await resolveFingerprints(db, f.fingerprint.slice(0, 8)), [f.fingerprint]);
      assert.deepEqual(await resolveFingerprints(db, 'not hex'), []);
      assert.equal((await listFindings(db, { presentAtHead: false })).total, 1);
    });
  });

  it('pages through many findings in a stable order', async () => {
    await withStore(await store.fresh(), async (db) => {
      const { a } = await repos(db);
      const many = Array.from({ length: 250 }, (_, i) => finding({ severity: (['info', 'low', 'medium', 'high', 'critical'] as const)[i % 5], path: `f${i}.txt` }));
      await upsertFindings(db, a, many);
      const seen: string[] = [];
      for (let offset = 0; ; offset += 100) {
        const page = await listFindings(db, {}, { limit: 100, offset });
        assert.equal(page.total, 250);
        seen.push(...page.items.map((i) => i.fingerprint));
        if (page.items.length < 100) break;
      }
      assert.equal(new Set(seen).size, 250);
      const ranks = (await listFindings(db, {}, { limit: 250, offset: 0 })).items.map((i) => i.finding.severity);
      assert.equal(ranks[0], 'critical');
      assert.equal(ranks[249], 'info');
      assert.equal((await listRepositories(db)).items.length, 2);
    });
  });

  it('keeps clean blob ids per scanner and hands them back in pages, whatever the batch', async () => {
    await withStore(await store.fresh(), async (db) => {
      const s1 = await scannerId(db, 'rules-v1');
      const s2 = await scannerId(db, 'rules-v2');
      assert.equal(await scannerId(db, 'rules-v1'), s1);
      const ids = Array.from({ length: 2500 }, (_, i) => i.toString(16).padStart(40, '0'));
      await recordCleanBlobs(db, s1, ids.slice(0, 1500));
      await recordCleanBlobs(db, s1, ids.slice(1000));
      await recordCleanBlobs(db, s2, ids.slice(0, 3));
      assert.equal(await countCleanBlobs(db, s1), 2500);
      const got = new Set<string>();
      let cursor = null;
      for (;;) {
        const page = await cleanBlobPage(db, s1, 20, cursor, 700);
        if (!page.count) break;
        for (let i = 0; i < page.count; i++) got.add(page.ids.toString('hex', i * 20, i * 20 + 20));
        cursor = page.next;
      }
      assert.deepEqual([...got].sort(), ids);
      // a top-up after more were written returns only the new ones
      await recordCleanBlobs(db, s1, ['f'.repeat(40)]);
      const more = await cleanBlobPage(db, s1, 20, cursor, 700);
      assert.equal(more.count, 1);
      assert.equal(more.ids.toString('hex'), 'f'.repeat(40));
    });
  });
});
