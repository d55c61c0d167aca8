/**
 * Organisation benchmark (`npm run bench:org`; not a test): 200 generated repositories
 * (5,000 commits in total, 30 planted links) behind the fake GitHub, scanned into a shared
 * PostgreSQL store (a server this script starts on loopback):
 *   - the first full scan with 1 worker process, and with 2 (each on a fresh database);
 *   - a rescan after 10 new commits (plan + scan in one `org scan`; target under 5 s);
 *   - peak RSS per worker process (target under 400 MB) and the store's size;
 *   - the findings list query on 100,000 findings (the console's main query);
 * and checks that the findings equal the planted truth, every time.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Finding } from '../model/finding.js';
import { SEVERITIES } from '../model/severity.js';
import { upsertFindings, listFindings } from '../store/findings.js';
import { upsertRepositories } from '../store/repositories.js';
import { openStore } from '../store/store.js';
import { FakePlatforms } from '../testing/fake-platforms.js';
import { accountOf, appendCommits, fixtureDate, plantedLink, writeRepo, type FixtureCommit } from '../testing/org-fixture.js';
import { startPostgres } from '../testing/postgres.js';
import { CLI, fmt, ROOT, table } from './measure.js';

const REPOS = 200;
const COMMITS = 5000;
const PLANTS = 30;
const OWNER = 'bench';
/** Jobs the rescan runs at once: fetching and git's work wait on I/O as much as on the cores. */
const RESCAN_CONCURRENCY = Number(process.env['BENCH_RESCAN_CONCURRENCY'] ?? 4);

/** A small deterministic generator (mulberry32): the same organisation every run. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = 'the of and to in is you that it he was for on are as with his they at be this have from or one had by word but not what all were we when your can said there use an each which she do how their if will up other about out many then them these so some her would make like him into time has look two more write go see number no way could people my than first water been call who oil its now find long down day did get come made may part'.split(' ');

interface Org {
  repos: { name: string; dir: string }[];
  truth: Set<string>;
}

function generate(root: string): Org {
  const rand = rng(2023);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const text = (lines: number) => Array.from({ length: lines }, () => Array.from({ length: 8 + Math.floor(rand() * 8) }, () => pick(WORDS)).join(' ')).join('\n') + '\n';
  const license = `MIT License\n\n${text(20)}`;
  const vendored = `// vendored helper\n${text(200)}`;
  // commits per repository: 5..45, scaled to 5,000 in total
  const weights = Array.from({ length: REPOS }, () => 5 + rand() * 40);
  const sum = weights.reduce((a, b) => a + b, 0);
  const counts = weights.map((w) => Math.max(2, Math.round((w / sum) * COMMITS)));
  counts[0]! += COMMITS - counts.reduce((a, b) => a + b, 0);
  // where the links go: 30 (repository, commit) places, 5 of them removed two commits later
  const plants = new Map<string, { seed: string; removeAt: number | null }>();
  while (plants.size < PLANTS) {
    const r = Math.floor(rand() * REPOS);
    const c = 1 + Math.floor(rand() * (counts[r]! - 1));
    const key = `${r}:${c}`;
    if (!plants.has(key)) plants.set(key, { seed: `b${plants.size}`, removeAt: plants.size < 5 && c + 2 < counts[r]! ? c + 2 : null });
  }
  const truth = new Set<string>();
  const repos: Org['repos'] = [];
  let hour = 0;
  for (let r = 0; r < REPOS; r++) {
    const name = `svc-${String(r).padStart(3, '0')}`;
    const files = ['README.md', 'src/main.py', 'src/util.py', 'docs/guide.md', 'config/app.yaml'];
    const commits: FixtureCommit[] = [{ message: 'initial', date: fixtureDate(hour++), files: { LICENSE: license, 'README.md': `# ${name}\n${text(5)}`, ...(r % 4 === 0 ? { 'vendor/helper.js': vendored } : {}) } }];
    const removals = new Map<number, string>();
    for (let c = 1; c < counts[r]!; c++) {
      const change: FixtureCommit['files'] = {};
      for (let k = 0; k < 1 + Math.floor(rand() * 2); k++) change[pick(files)] = text(5 + Math.floor(rand() * 40));
      const plant = plants.get(`${r}:${c}`);
      if (plant) {
        const p = `config/secret-${plant.seed}.env`;
        change[p] = `# storage\nURL=${plantedLink(plant.seed)}\n`;
        truth.add(`${OWNER}/${name} ${p} ${accountOf(plant.seed)}`);
        if (plant.removeAt !== null) removals.set(plant.removeAt, p);
      }
      const removed = removals.get(c);
      if (removed) change[removed] = null;
      commits.push({ message: `change ${c}`, date: fixtureDate(hour++), files: change });
    }
    const dir = path.join(root, 'served', `${name}.git`);
    writeRepo(dir, commits);
    repos.push({ name, dir });
  }
  return { repos, truth };
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  seconds: number;
}

function cli(args: string[], cwd: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, seconds: Number(process.hrtime.bigint() - t0) / 1e9 }));
  });
}

function must(r: Run, what: string): Run {
  if (r.code !== 0) throw new Error(`${what} failed (${r.code}):\n${r.stderr.slice(-3000)}\n${r.stdout.slice(-2000)}`);
  return r;
}

const rssOf = (r: Run) => Number(/peak RSS (\d+) MB/.exec(r.stderr)?.[1] ?? NaN);

async function foundSet(store: string, cwd: string): Promise<Set<string>> {
  const r = must(await cli(['findings', 'list', '--store', store, '--status', 'all', '--format', 'json'], cwd), 'findings list');
  const findings = (JSON.parse(r.stdout) as { findings: (Finding & { store: { repositories: { name: string; path: string }[] } })[] }).findings;
  return new Set(findings.map((f) => `${f.store.repositories[0]!.name} ${f.store.repositories[0]!.path} ${f.grant?.account}`));
}

function checkTruth(found: Set<string>, truth: Set<string>, what: string): void {
  const missing = [...truth].filter((t) => !found.has(t));
  const extra = [...found].filter((t) => !truth.has(t));
  if (missing.length || extra.length) throw new Error(`${what}: findings differ from the planted truth\nmissing: ${missing.join(', ')}\nextra: ${extra.join(', ')}`);
}

async function storeSize(url: string): Promise<number> {
  const db = await openStore(url);
  try {
    const [r] = await db.query<{ n: number }>('SELECT pg_database_size(current_database())::bigint AS n');
    return r!.n;
  } finally {
    await db.close();
  }
}

/** Full scan with `workers` worker processes (2 jobs each) on a fresh database. */
async function fullScan(url: string, fake: FakePlatforms, cwd: string, workers: number): Promise<{ plan: Run; work: Run[]; seconds: number }> {
  const t0 = Date.now();
  const plan = must(await cli(['org', 'scan', `github:${OWNER}`, '--api-url', fake.apiUrl('github'), '--store', url, '--enqueue'], cwd), 'org scan --enqueue');
  const work = await Promise.all(Array.from({ length: workers }, (_, i) => cli(['worker', '--store', url, '--drain', '--poll', '200', '--concurrency', '2', '--cache', path.join(cwd, `cache-${workers}-${i}`)], cwd)));
  work.forEach((w, i) => must(w, `worker ${i + 1}`));
  return { plan, work, seconds: (Date.now() - t0) / 1000 };
}

async function listOn100k(url: string): Promise<string[][]> {
  const db = await openStore(url);
  const rows: string[][] = [['findings list query (100,000 findings)', 'ms (median of 5)']];
  try {
    const ids = await upsertRepositories(
      db,
      Array.from({ length: 500 }, (_, i) => ({ url: `https://git.example/org/r${i}.git`, source: 'github', owner: 'org', name: `org/r${i}` })),
    );
    const repoIds = [...ids.values()];
    const rand = rng(7);
    for (let b = 0; b < 100; b++) {
      const batch: Finding[] = Array.from({ length: 1000 }, (_, i) => {
        const n = b * 1000 + i;
        const sev = SEVERITIES[Math.floor(rand() * SEVERITIES.length)]!;
        return {
          fingerprint: n.toString(16).padStart(32, '0'),
          rule: ['azure-sas', 'aws-access-key', 'github-token', 'generic-secret'][n % 4]!,
          title: 'synthetic',
          severity: sev,
          confidence: 'medium',
          reasons: [],
          location: { path: `src/file${n % 97}.txt`, line: 1 + (n % 50), column: 1 },
          secret: 'sv=…',
          redacted: true,
          grant: { provider: 'azure', kind: 'service-sas', account: `a${n % 300}`, expiry: new Date(Date.UTC(2020 + (n % 30), 0, 1)).toISOString() } as unknown as Finding['grant'],
          history: { introduced: { commit: n.toString(16).padStart(40, '0'), date: new Date(Date.UTC(2020, 0, 1) + n * 60_000).toISOString() }, presentAtHead: n % 3 !== 0 },
        };
      });
      await db.transaction((tx) => upsertFindings(tx, repoIds[b % repoIds.length]!, batch));
    }
    await db.query('ANALYZE');
    const time = async (label: string, fn: () => Promise<unknown>) => {
      const t: number[] = [];
      for (let i = 0; i < 5; i++) {
        const t0 = process.hrtime.bigint();
        await fn();
        t.push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
      t.sort((a, b) => a - b);
      rows.push([label, fmt(t[2]!, 1)]);
    };
    await time('open findings, by severity, first 100 (with total)', () => listFindings(db, { statuses: ['open'] }, { limit: 100, offset: 0 }));
    await time('open findings, page 500 of 100', () => listFindings(db, { statuses: ['open'] }, { limit: 100, offset: 50_000 }));
    await time('critical + high, still valid, first 100', () => listFindings(db, { severities: ['critical', 'high'], stillValid: true }, { limit: 100, offset: 0 }));
    await time('one repository, first 100', () => listFindings(db, { repository: 'org/r42' }, { limit: 100, offset: 0 }));
    await time('one rule, removed from HEAD, first 100', () => listFindings(db, { rules: ['github-token'], presentAtHead: false }, { limit: 100, offset: 0 }));
    const plan = await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN SELECT fingerprint FROM findings f WHERE f.status = 'open' ORDER BY f.severity_rank DESC, f.last_seen DESC, f.fingerprint LIMIT 100`);
    rows.push(['plan of the first', plan.map((p) => p['QUERY PLAN']).find((l) => /Index/.test(l))?.trim() ?? plan[0]!['QUERY PLAN']]);
  } finally {
    await db.close();
  }
  return rows;
}

async function main(): Promise<void> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'sasquatch-bench-org-'));
  const pg = await startPostgres();
  const fake = await FakePlatforms.start({ pageSize: 100 });
  try {
    process.stderr.write(`generating ${REPOS} repositories (${COMMITS} commits, ${PLANTS} planted links)…\n`);
    const org = generate(root);
    for (const r of org.repos) fake.add('github', OWNER, r.name, r.dir, { sizeKb: 10 });
    const load = os.loadavg()[0]!;

    const one = await pg.createDatabase();
    const first1 = await fullScan(one, fake, root, 1);
    checkTruth(await foundSet(one, root), org.truth, 'full scan, 1 worker');
    const two = await pg.createDatabase();
    const first2 = await fullScan(two, fake, root, 2);
    checkTruth(await foundSet(two, root), org.truth, 'full scan, 2 workers');

    // 10 new commits in 10 repositories, one of them with a new link
    const rand = rng(99);
    const touched = new Set<number>();
    while (touched.size < 10) touched.add(Math.floor(rand() * REPOS));
    let k = 0;
    for (const i of touched) {
      const r = org.repos[i]!;
      const files: FixtureCommit['files'] = { 'CHANGELOG.md': `release ${k}\n` };
      if (k === 0) {
        files['config/new.env'] = `URL=${plantedLink('new')}\n`;
        org.truth.add(`${OWNER}/${r.name} config/new.env ${accountOf('new')}`);
      }
      appendCommits(r.dir, [{ message: `release ${k}`, date: fixtureDate(10_000 + k), files }]);
      k++;
    }
    const rescan = must(await cli(['org', 'scan', `github:${OWNER}`, '--api-url', fake.apiUrl('github'), '--store', one, '--cache', path.join(root, 'cache-1-0'), '--concurrency', String(RESCAN_CONCURRENCY), '--ls-remote-concurrency', '16'], root), 'rescan');
    checkTruth(await foundSet(one, root), org.truth, 'rescan');
    const queued = /(\d+) queued, (\d+) unchanged/.exec(rescan.stderr);
    const unchanged = must(await cli(['org', 'scan', `github:${OWNER}`, '--api-url', fake.apiUrl('github'), '--store', one, '--cache', path.join(root, 'cache-1-0'), '--ls-remote-concurrency', '16'], root), 'unchanged rescan');

    const size1 = await storeSize(one);
    const list = await listOn100k(await pg.createDatabase());

    const rows = [
      ['', 'wall', 'of which planning', 'peak RSS per worker', 'findings'],
      ['first full scan, 1 worker (2 jobs at once)', `${fmt(first1.seconds, 1)} s`, `${fmt(first1.plan.seconds, 1)} s`, first1.work.map((w) => `${rssOf(w)} MB`).join(', '), `${org.truth.size - 1} = planted`],
      ['first full scan, 2 workers (2 jobs each)', `${fmt(first2.seconds, 1)} s`, `${fmt(first2.plan.seconds, 1)} s`, first2.work.map((w) => `${rssOf(w)} MB`).join(', '), `${org.truth.size - 1} = planted`],
      [`rescan after 10 new commits (${queued?.[1]} queued, ${queued?.[2]} unchanged; ${RESCAN_CONCURRENCY} jobs at once)`, `${fmt(rescan.seconds, 1)} s`, '', '', `${org.truth.size} = planted + 1 new`],
      ['rescan of the unchanged organisation', `${fmt(unchanged.seconds, 1)} s`, '', '', ''],
    ];
    const out = [
      `org benchmark — ${REPOS} repositories, ${COMMITS} commits, ${PLANTS} planted links; shared PostgreSQL store on loopback; ${os.cpus().length} cores, load ${fmt(load, 1)} at start, node ${process.version}`,
      '',
      table(rows),
      '',
      `store size after the rescan: ${fmt(size1 / 1e6, 1)} MB (PostgreSQL database, pg-boss tables included)`,
      '',
      table(list),
      '',
    ].join('\n');
    console.log(out);
    writeFileSync(path.join(ROOT, 'bench', 'ORG-RESULTS.md'), `# bench:org\n\n\`\`\`\n${out}\`\`\`\n`);
  } finally {
    await fake.stop();
    pg.stop();
    rmSync(root, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
