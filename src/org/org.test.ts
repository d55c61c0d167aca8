import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { scanOptions } from '../cli/scan-options.js';
import { emptyConfig } from '../config/load.js';
import type { Db } from '../store/db.js';
import { listFindings } from '../store/findings.js';
import { pendingScans, runStatus } from '../store/scans.js';
import { openStore } from '../store/store.js';
import { freshStoreDir } from '../testing/embedded-store.js';
import { FakePlatforms, type Platform } from '../testing/fake-platforms.js';
import { accountOf, appendCommits, fixtureDate, plantedLink, writeRepo, type FixtureCommit } from '../testing/org-fixture.js';
import { CloneCache, lsRemote, parseRefs, readTips, sameTips } from './cache.js';
import { planSplit } from './job.js';
import { planRun } from './plan.js';
import { startRuntime } from './runtime.js';
import { listOrg, parseOrgSpec } from './sources/index.js';
import { RateLimiter } from './sources/rate-limit.js';
import type { ListedRepo } from './sources/types.js';
import { startWorkers } from './worker.js';

/**
 * The org layer as a library: planning, jobs and workers on an embedded store (the CLI tests
 * cover the shared one), huge histories split into parts, the other platforms' git URLs and
 * tokens, and the clone cache.
 */
let root: string;
before(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'sasquatch-org-'));
});
after(() => rmSync(root, { recursive: true, force: true }));

async function scanAll(db: Db, repos: ListedRepo[], splitCommits: number, env: NodeJS.ProcessEnv = {}) {
  const scan = { ...scanOptions([], { exclude: [], threads: 1 }, emptyConfig(), { useBaseline: false }), history: { branches: [] as string[], reflog: false } };
  const runtime = await startRuntime(db, { cacheDir: path.join(root, `cache-${Math.random().toString(36).slice(2)}`), scan, policy: { timeoutSeconds: 120, retryLimit: 0, retryDelaySeconds: 1 }, splitCommits, maintenanceSeconds: 60, concurrency: 2, env });
  try {
    const plan = await planRun(db, runtime.boss, 'test', repos, { concurrency: 4, policy: { timeoutSeconds: 120, retryLimit: 0, retryDelaySeconds: 1 }, env });
    const workers = startWorkers(runtime.ctx, 2, {}, 100);
    while ((await pendingScans(db, null)) > 0) await new Promise((r) => setTimeout(r, 100));
    await workers.stop();
    return { plan, status: await runStatus(db, plan.runId) };
  } finally {
    await runtime.close();
  }
}

/** A history of `n` commits on main with a link every few commits, and a side branch with its own. */
function longHistory(n: number): FixtureCommit[] {
  const commits: FixtureCommit[] = [];
  for (let i = 0; i < n; i++) {
    const files: FixtureCommit['files'] = { [`src/f${i % 4}.txt`]: `version ${i}\n` };
    if (i % 5 === 2) files[`secrets/s${i}.env`] = `URL=${plantedLink(`long${i}`)}\n`;
    if (i === 9) files['secrets/s2.env'] = null;
    commits.push({ message: `c${i}`, date: fixtureDate(i), files });
  }
  return commits;
}

describe('a huge history split into parts', () => {
  it('parts cover every new commit once; the findings equal an unsplit scan’s', async () => {
    const bare = path.join(root, 'long.git');
    writeRepo(bare, longHistory(23));
    // a branch off the middle with a link of its own, and a tag on it
    const mid = execFileSync('git', ['-C', bare, 'rev-parse', 'main~10'], { encoding: 'utf8' }).trim();
    const sideHead = appendCommits(bare, [{ message: 'side', date: fixtureDate(40), files: { 'side.env': `S=${plantedLink('side')}\n` } }], 'side', mid);
    execFileSync('git', ['-C', bare, 'tag', 'v1', sideHead]);

    const tips = await readTips(bare);
    const parts = await planSplit(bare, tips, [], 5);
    assert.ok(parts.length >= 5, `${parts.length} parts`);
    assert.deepEqual(parts.at(-1)!.exclude, [tips.head!], 'the last part: what other refs hold beyond HEAD');
    // every commit in exactly one part
    const seen = new Map<string, number>();
    for (const p of parts) {
      const ids = execFileSync('git', ['-C', bare, 'rev-list', ...p.within, ...p.exclude.map((e) => `^${e}`), '--'], { encoding: 'utf8' }).split('\n').filter(Boolean);
      for (const id of ids) seen.set(id, (seen.get(id) ?? 0) + 1);
    }
    const all = execFileSync('git', ['-C', bare, 'rev-list', '--all'], { encoding: 'utf8' }).split('\n').filter(Boolean);
    assert.equal(seen.size, all.length);
    assert.ok([...seen.values()].every((n) => n === 1));
    assert.deepEqual(await planSplit(bare, tips, [], 1000), [], 'no split under the limit');

    const repo: ListedRepo = { url: `file://${bare}`, source: 'list', name: 'long' };
    const whole = await openStore(await freshStoreDir());
    const split = await openStore(await freshStoreDir());
    try {
      await scanAll(whole, [repo], 0);
      const r = await scanAll(split, [repo], 5);
      assert.equal(r.status.scans.done, 1);
      const [row] = await split.query<{ parts: number; head: string }>(`SELECT s.parts_total AS parts, r.head FROM scans s JOIN repositories r ON r.id = s.repository_id`);
      assert.equal(row!.parts, parts.length);
      assert.equal(row!.head, tips.head, 'the tips move when the last part is done');
      const key = async (db: Db) => (await listFindings(db, {}, { limit: 100, offset: 0 })).items.map((i) => `${i.fingerprint} ${i.presentAtHead} ${i.places[0]!.path}`).sort();
      const a = await key(whole);
      assert.deepEqual(await key(split), a);
      assert.ok(a.length >= 5, a.join('\n'));
      assert.ok(a.some((k) => k.includes('side.env')));
      assert.ok(a.some((k) => k.endsWith('false secrets/s2.env')), 'removed on main');
    } finally {
      await whole.close();
      await split.close();
    }
  });
});

describe('GitLab, Azure DevOps and Hugging Face repositories: their git URLs, their tokens', () => {
  const tokens: Record<Platform, string> = { github: 'ghp_x', gitlab: 'glpat-fixture', ado: 'ado-fixture', hf: 'hf_fixture' };
  let fake: FakePlatforms;
  before(async () => {
    fake = await FakePlatforms.start({ tokens });
    const mk = (name: string, seed: string) => {
      const dir = path.join(root, 'platforms', name, 'repo.git');
      writeRepo(dir, [{ message: 'x', date: fixtureDate(1), files: { 'conf.env': `K=${plantedLink(seed)}\n` } }]);
      return dir;
    };
    fake.add('gitlab', 'grp', 'svc', mk('gl', 'gitlab1'));
    fake.add('ado', 'contoso', 'payments', mk('ado', 'ado1'), { sub: 'Shop' });
    fake.add('hf', 'lab', 'bert', mk('hfm', 'hfmodel'), { sub: 'model' });
    fake.add('hf', 'lab', 'corpus', mk('hfd', 'hfdata'), { sub: 'dataset' });
  });
  after(() => fake.stop());

  it('each repository is cloned with its platform’s token and scanned', async () => {
    const env = { GITLAB_TOKEN: tokens.gitlab, AZURE_DEVOPS_TOKEN: tokens.ado, HF_TOKEN: tokens.hf };
    const repos: ListedRepo[] = [];
    for (const [spec, p] of [
      ['gitlab:grp', 'gitlab'],
      ['azure-devops:contoso/Shop', 'ado'],
      ['hf:lab', 'hf'],
    ] as const) {
      repos.push(...(await listOrg(parseOrgSpec(spec), { apiUrl: fake.apiUrl(p), env, rate: new RateLimiter(p) })).repos);
    }
    assert.equal(repos.length, 4);
    const db = await openStore(await freshStoreDir());
    try {
      const { status } = await scanAll(db, repos, 0, env);
      assert.deepEqual(status.failed, []);
      assert.equal(status.scans.done, 4);
      const found = (await listFindings(db)).items.map((i) => `${i.places[0]!.repository} ${i.finding.grant?.account}`).sort();
      assert.deepEqual(found, [`contoso/Shop/payments ${accountOf('ado1')}`, `datasets/lab/corpus ${accountOf('hfdata')}`, `grp/svc ${accountOf('gitlab1')}`, `lab/bert ${accountOf('hfmodel')}`]);
      // without the tokens git is refused, and the scan fails with the reason
      const other = await openStore(await freshStoreDir());
      try {
        const { status: refused } = await scanAll(other, repos.slice(0, 1), 0, {});
        assert.equal(refused.scans.failed, 1);
        assert.match(refused.failed[0]!.error, /cannot clone .*grp\/svc\.git/);
      } finally {
        await other.close();
      }
    } finally {
      await db.close();
    }
  });
});

describe('the clone cache', () => {
  it('clones once, then fetches; tips as ls-remote gives them; a force-push is followed', async () => {
    const bare = path.join(root, 'cache-src.git');
    writeRepo(bare, [{ message: 'one', date: fixtureDate(1), files: { a: '1' } }]);
    const one = execFileSync('git', ['-C', bare, 'rev-parse', 'main'], { encoding: 'utf8' }).trim();
    execFileSync('git', ['-C', bare, '-c', 'user.name=t', '-c', 'user.email=t@example.org', 'tag', '-a', '-m', 'release', 'v1', 'main']);
    const url = `file://${bare}`;
    const cache = new CloneCache(path.join(root, 'cache'), 0);
    const first = await cache.sync(url);
    assert.equal(first.cloned, true);
    const remote = await lsRemote(url);
    assert.ok(sameTips(first.tips.tips, remote.tips), JSON.stringify([first.tips, remote]));
    assert.equal(first.tips.head, remote.head);
    assert.deepEqual(Object.keys(first.tips.tips).sort(), ['refs/heads/main', 'refs/tags/v1']);
    appendCommits(bare, [{ message: 'two', date: fixtureDate(2), files: { a: '2' } }]);
    execFileSync('git', ['-C', bare, 'tag', '-d', 'v1']);
    const second = await cache.sync(url);
    assert.equal(second.cloned, false);
    assert.ok(sameTips(second.tips.tips, (await lsRemote(url)).tips), 'fetched, and the deleted tag pruned');
    assert.equal(second.dir, first.dir);
    // a force-push: main rewritten from its first commit
    appendCommits(bare, [{ message: 'rewritten', date: fixtureDate(3), files: { a: '3' } }], 'main', one);
    const third = await cache.sync(url);
    assert.equal(third.tips.head, execFileSync('git', ['-C', bare, 'rev-parse', 'main'], { encoding: 'utf8' }).trim());
    assert.ok(sameTips(third.tips.tips, (await lsRemote(url)).tips));
    assert.deepEqual(parseRefs('ref: refs/heads/dev\tHEAD\n' + 'a'.repeat(40) + '\trefs/heads/dev\n' + 'b'.repeat(40) + '\trefs/tags/t^{}\n').head, 'a'.repeat(40));
  });
});
