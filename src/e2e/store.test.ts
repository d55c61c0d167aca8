import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Finding } from '../model/finding.js';
import { runCliAsync } from '../testing/cli.js';
import { freshStoreDir } from '../testing/embedded-store.js';
import { TestRepo } from '../testing/git-repo.js';
import { accountOf, plantedLink } from '../testing/org-fixture.js';

/** `scan --store` records a scan; `findings` reads it; a later scan keeps the triage and notices what left. */
interface Stored extends Finding {
  store: { status: string; presentAtHead: boolean; repositories: { name: string; path: string; presentAtHead: boolean }[] };
}

describe('scan --store, then findings list|show|triage', () => {
  let repo: TestRepo;
  let store: string;
  before(async () => {
    repo = TestRepo.init('app', '2023-01-01T00:00:00Z');
    repo.write('.env', `A=${plantedLink('one')}\n`).write('docs/b.md', `see ${plantedLink('two')}\n`);
    repo.commit('2023-01-02T00:00:00Z', 'first');
    store = await freshStoreDir();
  });
  after(() => repo.cleanup());

  const list = async (...extra: string[]) => {
    const r = await runCliAsync(['findings', 'list', '--store', store, '--format', 'json', '--status', 'all', ...extra]);
    assert.equal(r.code, 0, r.stderr);
    return (JSON.parse(r.stdout) as { findings: Stored[] }).findings;
  };

  it('records what the scan found, under the repository it scanned', async () => {
    const r = await runCliAsync(['scan', repo.dir, '--store', store, '--fail-on', 'never']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /2 findings recorded \(2 new\)/);
    const found = await list();
    assert.deepEqual(found.map((f) => [f.store.repositories[0]!.name, f.store.repositories[0]!.path, f.grant?.account]).sort(), [
      ['app', '.env', accountOf('one')],
      ['app', 'docs/b.md', accountOf('two')],
    ]);
  });

  it('a rescan keeps the triage; a secret gone from the repository is marked removed, not closed', async () => {
    const [one] = (await list()).filter((f) => f.grant?.account === accountOf('one'));
    const t = await runCliAsync(['findings', 'triage', one!.fingerprint, '--store', store, '--status', 'revoked', '--note', 'key rotated', '--by', 'alice']);
    assert.equal(t.code, 0, t.stderr);
    repo.write('docs/b.md', 'nothing here any more\n');
    repo.commit('2023-02-01T00:00:00Z', 'drop the link');
    const r = await runCliAsync(['scan', repo.dir, '--store', store, '--fail-on', 'never', '--no-history']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /1 finding recorded \(0 new, 1 no longer present\)/);
    const after = await list();
    assert.equal(after.find((f) => f.grant?.account === accountOf('one'))!.store.status, 'revoked');
    const two = after.find((f) => f.grant?.account === accountOf('two'))!;
    assert.equal(two.store.status, 'open');
    assert.equal(two.store.presentAtHead, false);
    const open = await runCliAsync(['findings', 'list', '--store', store]);
    assert.match(open.stdout, /app docs\/b\.md:1 \(removed from HEAD\)/);
    assert.doesNotMatch(open.stdout, /\.env/, 'revoked: not in the default (open) list');
  });

  it('bulk triage by filter; ids by prefix; clear errors', async () => {
    const bulk = await runCliAsync(['findings', 'triage', '--matching', '--no-present', '--store', store, '--status', 'fixed', '--note', 'gone from the code', '--by', 'bob']);
    assert.equal(bulk.code, 0, bulk.stderr);
    assert.match(bulk.stdout, /1 finding marked fixed by bob/);
    const none = await runCliAsync(['findings', 'show', 'ffffffffff', '--store', store]);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /no finding ffffffffff in the store/);
    const both = await runCliAsync(['findings', 'triage', '--store', store, '--status', 'open']);
    assert.equal(both.code, 2);
    assert.match(both.stderr, /name the findings to triage/);
    const bad = await runCliAsync(['findings', 'triage', 'abcd', '--store', store, '--status', 'closed']);
    assert.match(bad.stderr, /--status closed: expected open, false-positive, accepted-risk, revoked, fixed/);
  });

  it('never stores a secret: --show-secrets with --store is refused', async () => {
    const r = await runCliAsync(['scan', repo.dir, '--store', store, '--show-secrets']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--show-secrets cannot be combined with --store/);
  });
});
