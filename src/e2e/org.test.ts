import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, it } from 'node:test';
import type { Finding } from '../model/finding.js';
import { CLI, runCliAsync, type CliRun } from '../testing/cli.js';
import { FakePlatforms } from '../testing/fake-platforms.js';
import { accountOf, appendCommits, fixtureDate, plantedLink, writeRepo, type FixtureCommit } from '../testing/org-fixture.js';
import { onBothStores, withStore } from '../testing/stores.js';

/**
 * Organisation scans end to end, through the real CLI, on both stores: a fake GitHub serving
 * real repositories over smart HTTP, incremental rescans, triage kept across them, blobs
 * scanned once across repositories, a poisoned repository, a worker killed mid-job, two
 * workers on one queue.
 */
interface Stored extends Finding {
  store: { status: string; presentAtHead: boolean; repositories: { name: string; path: string; presentAtHead: boolean }[] };
}

const TOKEN = 'ghp_orgtestfixture';

/** Three repositories: two with planted links, one clean; all share a LICENSE blob. */
function orgCommits(): Record<string, FixtureCommit[]> {
  const license = 'MIT License\n\nPermission is hereby granted, free of charge…\n';
  return {
    api: [
      { message: 'init', date: fixtureDate(1), files: { LICENSE: license, 'README.md': '# api\n' } },
      { message: 'config', date: fixtureDate(2), files: { 'config/settings.env': `STORAGE=${plantedLink('api1')}\n` } },
      { message: 'docs', date: fixtureDate(3), files: { 'docs/data.md': `Data: ${plantedLink('api2')}\n` } },
    ],
    web: [
      { message: 'init', date: fixtureDate(4), files: { LICENSE: license, 'index.html': '<h1>web</h1>\n' } },
      { message: 'leak', date: fixtureDate(5), files: { 'deploy.sh': `curl "${plantedLink('web1')}"\n` } },
    ],
    tools: [{ message: 'init', date: fixtureDate(6), files: { LICENSE: license, 'tool.py': 'print("nothing to see")\n' } }],
  };
}

/** What was found, by repository (without its owner), path and planted account. */
function truth(findings: Stored[]): string[] {
  return findings.map((f) => `${f.store.repositories.map((r) => r.name.split('/').pop()).join('+')} ${f.store.repositories[0]!.path} ${f.grant?.account}`).sort();
}

let root: string;
let fake: FakePlatforms;

before(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'sasquatch-org-e2e-'));
  fake = await FakePlatforms.start({ tokens: { github: TOKEN }, pageSize: 2 });
});

/** The organisation's repositories, served under their own owner name (each suite changes its own). */
function serveOrg(owner: string): Record<string, string> {
  const bare: Record<string, string> = {};
  for (const [name, commits] of Object.entries(orgCommits())) {
    bare[name] = path.join(root, owner, `${name}.git`);
    writeRepo(bare[name]!, commits);
    fake.add('github', owner, name, bare[name]!);
  }
  return bare;
}
after(async () => {
  await fake.stop();
  rmSync(root, { recursive: true, force: true });
});

const env = { GITHUB_TOKEN: TOKEN, SASQUATCH_USER: 'tester' };

function cli(args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  return runCliAsync(args, { cwd: root, env: { ...env, ...extraEnv } });
}

async function orgScan(owner: string, store: string, cache: string, ...extra: string[]): Promise<CliRun> {
  return cli(['org', 'scan', `github:${owner}`, '--api-url', fake.apiUrl('github'), '--store', store, '--cache', cache, '--concurrency', '2', '--retry-delay', '1s', ...extra]);
}

async function listed(store: string, ...extra: string[]): Promise<Stored[]> {
  const status = extra.includes('--status') ? [] : ['--status', 'all'];
  const r = await cli(['findings', 'list', '--store', store, '--format', 'json', ...status, ...extra]);
  assert.equal(r.code, 0, r.stderr);
  return (JSON.parse(r.stdout) as { findings: Stored[] }).findings;
}

function tmp(name: string): string {
  return mkdtempSync(path.join(root, `${name}-`));
}

onBothStores('org scan', (store) => {
  const owner = `acme-${store.kind}`;
  let bare: Record<string, string>;
  let spec: string;
  let cache: string;
  let first: Stored[];
  before(() => {
    bare = serveOrg(owner);
  });

  it('scans every repository of the organisation, with the token from the environment; findings equal what was planted', async () => {
    spec = await store.fresh();
    cache = tmp('cache');
    const r = await orgScan(owner, spec, cache);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.match(r.stderr, new RegExp(`GitHub ${owner}: 3 repositories listed, 3 to scan`));
    assert.match(r.stderr, /GitHub API: 2 requests, [\d,]+ of 5,000 requests left/);
    assert.match(r.stdout, /3 done, 0 failed/);
    first = await listed(spec);
    assert.deepEqual(truth(first), [`api config/settings.env ${accountOf('api1')}`, `api docs/data.md ${accountOf('api2')}`, `web deploy.sh ${accountOf('web1')}`].sort());
    assert.ok(first.every((f) => f.store.status === 'open' && f.store.presentAtHead));
    await withStore(spec, async (db) => {
      const [b] = await db.query<{ n: number }>('SELECT count(*) AS n FROM scanned_blobs');
      const [s] = await db.query<{ blobs: number; known: number }>('SELECT sum(blobs)::int AS blobs, sum(known_blobs)::int AS known FROM scans');
      // 7 distinct blobs, 3 of them with links: the 4 others are recorded clean, once each
      assert.equal(b!.n, 4);
      // each repository's blobs were either read or known already (LICENSE: by whichever job came first)
      assert.equal(s!.blobs + s!.known, 9);
    });
  });

  it('a worker killed mid-job (SIGKILL): the job is retried by another worker and the findings equal a clean run’s', async () => {
    const s = await store.fresh();
    const plan = await cli(['org', 'scan', `github:${owner}`, '--api-url', fake.apiUrl('github'), '--store', s, '--enqueue', '--job-timeout', '6s', '--retries', '3', '--retry-delay', '1s']);
    assert.equal(plan.code, 0, plan.stderr);
    assert.match(plan.stderr, /3 queued/);
    const victim = spawnWorker(s, tmp('cache'), { SASQUATCH_TEST_PAUSE_BEFORE_COMMIT_MS: '5000' }, ['--concurrency', '1']);
    await waitFor(victim, new RegExp(`scanning ${owner}/`));
    await new Promise((r) => setTimeout(r, 1000));
    victim.kill('SIGKILL');
    await new Promise((r) => victim.once('close', r));
    const rescuer = await runWorker(s, tmp('cache'));
    assert.equal(rescuer.code, 0, rescuer.stderr);
    const afterKill = await listed(s);
    assert.deepEqual(truth(afterKill), truth(first));
    assert.deepEqual(afterKill.map((f) => f.fingerprint).sort(), first.map((f) => f.fingerprint).sort());
    await withStore(s, async (db) => {
      const rows = await db.query<{ attempts: number; state: string }>('SELECT attempts, state FROM scans ORDER BY attempts DESC');
      assert.ok(rows.every((r) => r.state === 'done'));
      assert.ok(rows[0]!.attempts >= 2, 'the killed job was attempted again');
      const [dupes] = await db.query<{ n: number }>('SELECT count(*) AS n FROM (SELECT fingerprint, repository_id, commit, path, count(*) FROM occurrences GROUP BY 1, 2, 3, 4 HAVING count(*) > 1) d');
      assert.equal(dupes!.n, 0);
    });
  });

  if (store.kind === 'postgres') {
    it('two worker processes on one queue produce exactly the findings one does', async () => {
      const s = await store.fresh();
      const p = await cli(['org', 'scan', `github:${owner}`, '--api-url', fake.apiUrl('github'), '--store', s, '--enqueue']);
      assert.equal(p.code, 0, p.stderr);
      const [a, b] = await Promise.all([runWorker(s, tmp('cache')), runWorker(s, tmp('cache'))]);
      assert.equal(a.code, 0, a.stderr);
      assert.equal(b.code, 0, b.stderr);
      const jobs = (r: CliRun) => Number(/worker: (\d+) jobs done/.exec(r.stderr)?.[1] ?? -1);
      assert.equal(jobs(a) + jobs(b), 3, a.stderr + b.stderr);
      const key = (fs: Stored[]) => fs.map((f) => [f.fingerprint, f.severity, f.store.repositories] as const).sort((x, y) => (x[0] < y[0] ? -1 : 1));
      assert.deepEqual(key(await listed(s)), key(first));
      assert.match(a.stderr, /peak RSS \d+ MB/);
    });
  }

  it('an unchanged organisation: nothing queued, nothing fetched, findings unchanged', async () => {
    const contacts = new Map(fake.gitContacts);
    const r = await orgScan(owner, spec, cache);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /run \d+: 0 queued, 3 unchanged since their last scan/);
    // at most an ls-remote per repository (one info/refs; a fetch would be another), none when
    // the listing's last-push time already says nothing changed
    for (const [p, n] of fake.gitContacts) if (p.includes(`/${owner}/`)) assert.ok(n - (contacts.get(p) ?? 0) <= 1, p);
    // once a remote confirmed it, the listing's time stands for the next run: no git request at all
    const again = new Map(fake.gitContacts);
    const r2 = await orgScan(owner, spec, cache);
    assert.match(r2.stderr, /run \d+: 0 queued, 3 unchanged since their last scan \(3 by the listing's last-push time, 0 by asking the remote\)/);
    for (const [p, n] of fake.gitContacts) if (p.includes(`/${owner}/`)) assert.equal(n, again.get(p) ?? 0, p);
    assert.equal((await listed(spec)).length, 3);
  });

  it('new commits: only changed repositories are rescanned, only their new commits read; triage survives; a removed secret stays open, marked removed', async () => {
    const web = first.find((f) => f.grant?.account === accountOf('web1'))!;
    const api2 = first.find((f) => f.grant?.account === accountOf('api2'))!;
    const t = await cli(['findings', 'triage', web.fingerprint.slice(0, 10), '--store', spec, '--status', 'accepted-risk', '--note', 'read-only demo data']);
    assert.equal(t.code, 0, t.stderr);
    assert.match(t.stdout, /1 finding marked accepted-risk by tester \(read-only demo data\)/);
    appendCommits(bare['api']!, [
      { message: 'remove the docs link', date: fixtureDate(10), files: { 'docs/data.md': 'Data: ask us.\n' } },
      { message: 'new key', date: fixtureDate(11), files: { 'ops/new.env': `B=${plantedLink('api3')}\n` } },
    ]);
    appendCommits(bare['web']!, [{ message: 'touch', date: fixtureDate(12), files: { 'index.html': '<h1>web 2</h1>\n' } }]);
    const r = await orgScan(owner, spec, cache);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.match(r.stderr, /run \d+: 2 queued, 1 unchanged/);
    assert.match(r.stdout, /; 3 commits,/, 'only the three new commits were read');
    const after = await listed(spec);
    assert.equal(after.length, 4);
    assert.ok(after.some((f) => f.grant?.account === accountOf('api3') && f.store.presentAtHead));
    const api2After = after.find((f) => f.fingerprint === api2.fingerprint)!;
    assert.equal(api2After.store.presentAtHead, false);
    assert.equal(api2After.store.status, 'open');
    assert.equal(after.find((f) => f.fingerprint === web.fingerprint)!.store.status, 'accepted-risk');
    const open = await listed(spec, '--status', 'open', '--present');
    assert.deepEqual(open.map((f) => f.grant?.account).sort(), [accountOf('api1'), accountOf('api3')].sort());
    const show = await cli(['findings', 'show', api2.fingerprint.slice(0, 12), '--store', spec]);
    assert.equal(show.code, 0, show.stderr);
    assert.match(show.stdout, /\/api {2}docs\/data\.md:1 {2}removed in [0-9a-f]{10}/);
    const shown = await cli(['findings', 'show', web.fingerprint, '--store', spec]);
    assert.match(shown.stdout, /tester: open → accepted-risk — read-only demo data/);
  });

  it('every report format reads the store; filters by repository, severity, rule and validity', async () => {
    const sarif = await cli(['findings', 'list', '--store', spec, '--format', 'sarif', '--status', 'all']);
    assert.equal(sarif.code, 0, sarif.stderr);
    const runs = (JSON.parse(sarif.stdout) as { runs: { results: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] }).runs;
    assert.deepEqual(
      runs[0]!.results.map((r) => r.locations[0]!.physicalLocation.artifactLocation.uri).sort(),
      ['api/config/settings.env', 'api/docs/data.md', 'api/ops/new.env', 'web/deploy.sh'].map((p) => `${owner}/${p}`),
    );
    const text = await cli(['findings', 'list', '--store', spec, '--repository', `${owner}/web`, '--status', 'all']);
    assert.match(text.stdout, /\/web deploy\.sh:1/);
    assert.doesNotMatch(text.stdout, /\/api /);
    assert.match(text.stdout, /^1 finding/m);
    const html = await cli(['findings', 'list', '--store', spec, '--format', 'html']);
    assert.equal(html.code, 0, html.stderr);
    assert.ok(html.stdout.includes(`${owner}/api`));
    assert.equal((await listed(spec, '--rule', 'azure-sas', '--min-severity', 'info', '--still-valid', '--now', '2039-01-01T00:00:00Z')).length, 4);
    assert.equal((await listed(spec, '--no-still-valid', '--now', '2041-01-01T00:00:00Z')).length, 4, 'the links expire in 2040');
  });

  it('a blob seen in one repository is not read again in another', async () => {
    const s = await store.fresh();
    const c = tmp('cache');
    const list = path.join(tmp('lists'), 'repos.txt');
    writeFileSync(list, `${bare['api']}\n`);
    assert.equal((await cli(['org', 'scan', '--repos-file', list, '--store', s, '--cache', c])).code, 0);
    writeFileSync(list, `${bare['api']}\n${bare['tools']}\n`);
    const r = await cli(['org', 'scan', '--repos-file', list, '--store', s, '--cache', c]);
    assert.equal(r.code, 0, r.stderr);
    await withStore(s, async (db) => {
      const [tools] = await db.query<{ blobs: number; known: number }>(
        `SELECT s.blobs, s.known_blobs AS known FROM scans s JOIN repositories r ON r.id = s.repository_id WHERE r.name = 'tools' ORDER BY s.id DESC LIMIT 1`,
      );
      assert.deepEqual(tools, { blobs: 1, known: 1 }, 'tool.py read; LICENSE known from api');
    });
  });

  it('a poisoned repository ends failed with its error after its retries, visible in org status; the rest are not blocked', async () => {
    const s = await store.fresh();
    const poisoned = `/git/github/${owner}/tools.git`;
    fake.broken.add(poisoned);
    try {
      const r = await orgScan(owner, s, tmp('cache'), '--retries', '1', '--retry-delay', '1s');
      assert.equal(r.code, 2, r.stdout + r.stderr);
      assert.match(r.stdout, /2 done, 1 failed/);
      assert.match(r.stdout, new RegExp(`${owner}/tools: cannot clone .*500.* \\(2 attempts\\)`));
      const status = await cli(['org', 'status', '--store', s, '--no-watch']);
      assert.match(status.stdout, new RegExp(`failed \\(1\\):\\n {4}${owner}/tools: cannot clone`));
      assert.match(status.stdout, /Open findings: 4 /, 'api1, api2 (removed, still open), api3, web1');
      const json = JSON.parse((await cli(['org', 'status', '--store', s, '--format', 'json'])).stdout) as { scans: Record<string, number> };
      assert.deepEqual(json.scans, { queued: 0, running: 0, done: 2, failed: 1 });
    } finally {
      fake.broken.delete(poisoned);
    }
  });
});

function spawnWorker(store: string, cache: string, extraEnv: NodeJS.ProcessEnv = {}, extra: string[] = []): ChildProcess & { output: () => string } {
  const child = spawn(process.execPath, [CLI, 'worker', '--store', store, '--cache', cache, '--drain', '--poll', '300', '--maintenance-interval', '1s', ...extra], {
    cwd: root,
    env: { ...process.env, ...env, NO_COLOR: '1', ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  }) as ChildProcess & { output: () => string };
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  child.output = () => out;
  return child;
}

function runWorker(store: string, cache: string): Promise<CliRun> {
  return cli(['worker', '--store', store, '--cache', cache, '--drain', '--poll', '300', '--maintenance-interval', '1s', '--concurrency', '2']);
}

async function waitFor(child: ChildProcess & { output: () => string }, re: RegExp, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!re.test(child.output())) {
    if (Date.now() > end || child.exitCode !== null) throw new Error(`worker never printed ${re}: ${child.output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

it('a new user: org scan --repos-file with no server, then findings list (the embedded store in .sasquatch/)', async () => {
  const bare = serveOrg('newuser');
  const dir = tmp('newuser');
  writeFileSync(path.join(dir, 'repos.txt'), `# my repositories\n${bare['api']}\n${bare['web']}\n`);
  const scan = await runCliAsync(['org', 'scan', '--repos-file', 'repos.txt'], { cwd: dir });
  assert.equal(scan.code, 0, scan.stderr + scan.stdout);
  assert.match(scan.stdout, /2 done, 0 failed/);
  const list = await runCliAsync(['findings', 'list'], { cwd: dir });
  assert.equal(list.code, 0, list.stderr);
  assert.match(list.stdout, /CRITICAL|HIGH|MEDIUM|LOW/);
  assert.match(list.stdout, /api config\/settings\.env:1/);
  assert.match(list.stdout, /web deploy\.sh:1/);
});
