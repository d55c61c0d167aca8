/**
 * History scan benchmark (`npm run bench:history`; not a test).
 *
 * Generates, once, a deterministic bare repository of BENCH_COMMITS commits (default 5,000)
 * holding BENCH_MB megabytes (default 520) of unique text blobs, with merges, tags and a
 * known set of planted SAS links — some removed later — and caches it under bench/.work/.
 * Then it times:
 *   - `git cat-file --batch-all-objects --batch > /dev/null`: git emitting every object, the
 *     floor for anything that reads the whole history;
 *   - `sasquatch scan <repo> --format json` in a child process (wall time, MB/s over the blob
 *     bytes, peak RSS from /usr/bin/time -v, or sampled from /proc when it is missing);
 *   - the same scan limited to the first fifth of the commits, to show memory against history size;
 * and checks the report: every planted link found once, with the right introducing commit.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, openSync, closeSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Finding } from '../model/finding.js';
import { streamLog } from '../sources/git/log-stream.js';
import { openRepository } from '../sources/git/repo.js';
import { sasQuery } from '../testing/tokens.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = path.join(ROOT, 'dist/cli/main.js');
const COMMITS = Number(process.env['BENCH_COMMITS'] ?? 5000);
const TARGET_MB = Number(process.env['BENCH_MB'] ?? 520);
const GENERATOR = 5; // bump when the generated repository changes
const WORK = path.join(ROOT, 'bench/.work');
const REPO = path.join(WORK, `history-${COMMITS}c-${TARGET_MB}mb.git`);
const META = `${REPO}.json`;
const PLANT_EVERY = 100;
const REMOVE_EVERY = 3; // every third planted link is deleted again 50 commits later
/** A tag a fifth of the way in: the same scan on less history, to compare memory. */
const EARLY_COMMIT = Math.max(1, Math.floor(COMMITS / 5));
const EARLY_TAG = 'bench-early';

interface Planted {
  path: string;
  commit: number;
  removedAt: number | null;
}

interface Meta {
  generator: number;
  commits: number;
  targetMb: number;
  blobBytes: number;
  planted: (Planted & { commitId: string })[];
}

/** xorshift32: deterministic, fast, good enough to pick words and sizes. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 0x100000000;
  };
}

/** A few MB of code- and prose-like lines that blobs are cut from (with a unique header each). */
function corpus(rand: () => number): string {
  const words = 'the model data train loss batch import return self def class config path file value result error test input output layer weight tensor shape device cuda step epoch optimizer scheduler metric eval save load checkpoint url storage container blob account token dataset split shuffle seed numpy torch json yaml logging info debug warn'.split(' ');
  const lines: string[] = [];
  let size = 0;
  while (size < 4 << 20) {
    const n = 4 + Math.floor(rand() * 12);
    const indent = ' '.repeat(Math.floor(rand() * 4) * 4);
    let line = indent;
    for (let i = 0; i < n; i++) line += (i ? ' ' : '') + words[Math.floor(rand() * words.length)];
    if (rand() < 0.1) line += ` = ${Math.floor(rand() * 1e6)}`;
    if (rand() < 0.02) line += '  # see https://example.org/docs?page=2&sort=asc';
    lines.push(line);
    size += line.length + 1;
  }
  return lines.join('\n');
}

function link(i: number): string {
  return `https://benchacct${i % 7}.blob.core.windows.net/models/m${i}.bin?${sasQuery({ sv: '2021-08-06', sr: 'b', sp: 'rw', se: '2040-01-01T00:00:00Z', spr: 'https' }, `bench-${i}`)}`;
}

async function generate(): Promise<Meta> {
  rmSync(REPO, { recursive: true, force: true });
  mkdirSync(WORK, { recursive: true });
  run('git', ['init', '-q', '--bare', '-b', 'main', REPO]);
  const rand = rng(20230707);
  const text = corpus(rand);
  const perCommit = (TARGET_MB * 1e6) / COMMITS;
  const files = Array.from({ length: 400 }, (_, i) => `src/pkg${i % 20}/module_${i}.py`);
  const marksFile = `${REPO}.marks`;
  const fi = spawn('git', ['-C', REPO, 'fast-import', '--quiet', '--done', `--export-marks=${marksFile}`], { stdio: ['pipe', 'inherit', 'inherit'] });
  const done = new Promise<number | null>((r) => fi.on('close', r));
  const write = async (s: string | Buffer) => {
    if (!fi.stdin.write(s)) await new Promise((r) => fi.stdin.once('drain', r));
  };
  const data = async (body: string) => {
    const b = Buffer.from(body, 'utf8');
    await write(`data ${b.length}\n`);
    await write(b);
    await write('\n');
  };
  const start = Date.UTC(2015, 0, 1) / 1000;
  const planted: Planted[] = [];
  let blobBytes = 0;
  let mainMark = 0;
  for (let c = 1; c <= COMMITS; c++) {
    const when = start + c * 3600;
    const onBranch = c % 500 >= 495 && c % 500 <= 497; // three commits on a side branch, merged at …498
    const ref = onBranch ? `refs/heads/topic-${Math.floor(c / 500)}` : 'refs/heads/main';
    await write(`commit ${ref}\nmark :${c}\nauthor Bench <bench@example.org> ${when} +0000\ncommitter Bench <bench@example.org> ${when} +0000\n`);
    await data(`commit ${c}`);
    if (c > 1) {
      if (onBranch && c % 500 === 495) await write(`from :${mainMark}\n`);
      else if (!onBranch && c % 500 === 498) await write(`from :${mainMark}\nmerge :${c - 1}\n`);
      else if (!onBranch) await write(`from :${mainMark}\n`);
    }
    const edits = 1 + Math.floor(rand() * 3);
    let budget = perCommit * (0.5 + rand());
    for (let e = 0; e < edits; e++) {
      const size = Math.max(2000, Math.floor(budget / (edits - e)));
      budget -= size;
      const offset = Math.floor(rand() * (text.length - size));
      const file = files[Math.floor(rand() * files.length)]!;
      const body = `# ${file} @ ${c}.${e}\n${text.slice(offset, offset + size)}\n`;
      blobBytes += Buffer.byteLength(body);
      await write(`M 100644 inline ${file}\n`);
      await data(body);
    }
    if (c % PLANT_EVERY === 50 && !onBranch) {
      const i = planted.length;
      const p = `docs/links/model-${i}.md`;
      const body = `# Model ${i}\n\nDownload the weights:\n\n    ${link(i)}\n`;
      blobBytes += Buffer.byteLength(body);
      planted.push({ path: p, commit: c, removedAt: i % REMOVE_EVERY === 0 ? c + 50 : null });
      await write(`M 100644 inline ${p}\n`);
      await data(body);
    }
    for (const p of planted) if (p.removedAt === c) await write(`D ${p.path}\n`);
    if (!onBranch) mainMark = c;
    if (c === EARLY_COMMIT) await write(`reset refs/tags/${EARLY_TAG}\nfrom :${c}\n\n`);
    if (c % 1000 === 0) await write(`reset refs/tags/v${c / 1000}\nfrom :${c}\n\n`);
    if (c % 500 === 0) process.stderr.write(`\rgenerating: ${c}/${COMMITS} commits, ${(blobBytes / 1e6).toFixed(0)} MB`);
  }
  await write('done\n');
  fi.stdin.end();
  const code = await done;
  process.stderr.write('\n');
  if (code !== 0) throw new Error(`git fast-import failed (${code})`);
  // fast-import writes a loosely packed file; a repository as people have it has been gc'd
  process.stderr.write('repacking (git repack -a -d -f --depth=50 --window=10)…\n');
  run('git', ['-C', REPO, 'repack', '-q', '-a', '-d', '-f', '--depth=50', '--window=10']);
  const marks = new Map(
    readFileSync(marksFile, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => l.slice(1).split(' ') as [string, string]),
  );
  rmSync(marksFile);
  const meta: Meta = { generator: GENERATOR, commits: COMMITS, targetMb: TARGET_MB, blobBytes, planted: planted.map((p) => ({ ...p, commitId: marks.get(String(p.commit))! })) };
  writeFileSync(META, JSON.stringify(meta, null, 2));
  return meta;
}

function cached(): Meta | null {
  if (!existsSync(META) || !existsSync(REPO)) return null;
  const m = JSON.parse(readFileSync(META, 'utf8')) as Meta;
  return m.generator === GENERATOR && m.commits === COMMITS && m.targetMb === TARGET_MB ? m : null;
}

function run(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

interface Timed {
  /** Median wall time of the runs. */
  seconds: number;
  /** Largest process of the tree (git included), from /usr/bin/time -v. */
  treeRssMb: number | null;
  /** The node process alone (main thread and workers), from its own resource usage. */
  nodeRssMb: number | null;
  stdout: string;
}

const RUNS = Number(process.env['BENCH_RUNS'] ?? 3);
const HAS_TIME = existsSync('/usr/bin/time') && spawnSync('/usr/bin/time', ['-v', 'true']).status === 0;
/** Preloaded into the scanned node process: writes its own peak RSS (KB) where BENCH_RSS_FILE says. */
const RSS_HOOK = `data:text/javascript,${encodeURIComponent("import{writeFileSync}from'node:fs';process.on('exit',()=>writeFileSync(process.env.BENCH_RSS_FILE,String(process.resourceUsage().maxRSS)))")}`;

/**
 * Runs a command RUNS times with stdout to a file (or /dev/null) and stdin from a file;
 * median wall time, and the peak RSS of the largest run.
 */
function timed(cmd: string, args: string[], io: { stdout?: string; stdin?: string; env?: NodeJS.ProcessEnv } = {}): Timed {
  const walls: number[] = [];
  let treeRss: number | null = null;
  let stdout = '';
  for (let i = 0; i < RUNS; i++) {
    const out = openSync(io.stdout ?? '/dev/null', 'w');
    const inp = io.stdin ? openSync(io.stdin, 'r') : 'ignore';
    try {
      const argv: [string, string[]] = HAS_TIME ? ['/usr/bin/time', ['-v', cmd, ...args]] : [cmd, args];
      const t0 = process.hrtime.bigint();
      const r = spawnSync(argv[0], argv[1], { stdio: [inp, out, 'pipe'], encoding: 'utf8', maxBuffer: 1 << 26, env: { ...process.env, ...io.env } });
      walls.push(Number(process.hrtime.bigint() - t0) / 1e9);
      if (r.status !== 0 && r.status !== 1) throw new Error(`${cmd} failed (${r.status}): ${r.stderr.slice(-2000)}`);
      const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr);
      if (m) treeRss = Math.max(treeRss ?? 0, Number(m[1]) / 1024);
      if (io.stdout) stdout = readFileSync(io.stdout, 'utf8');
    } finally {
      closeSync(out);
      if (typeof inp === 'number') closeSync(inp);
    }
  }
  walls.sort((a, b) => a - b);
  return { seconds: walls[Math.floor(walls.length / 2)]!, treeRssMb: treeRss, nodeRssMb: null, stdout };
}

interface Report {
  findings: Finding[];
  summary: { history?: { commits: number; blobs: number; bytes: number }[] };
}

function scan(extra: string[]): { t: Timed; report: Report } {
  const file = path.join(os.tmpdir(), `sasquatch-bench-${process.pid}.json`);
  const rssFile = path.join(os.tmpdir(), `sasquatch-bench-${process.pid}.rss`);
  try {
    const args = ['--import', RSS_HOOK, CLI, 'scan', REPO, '--format', 'json', '--fail-on', 'never', '--quiet', '--now', '2024-01-01T00:00:00Z', ...extra];
    let nodeRss = 0;
    const t = timed(process.execPath, args, { stdout: file, env: { BENCH_RSS_FILE: rssFile } });
    if (existsSync(rssFile)) nodeRss = Number(readFileSync(rssFile, 'utf8')) / 1024;
    return { t: { ...t, nodeRssMb: nodeRss || null }, report: JSON.parse(t.stdout) as Report };
  } finally {
    rmSync(file, { force: true });
    rmSync(rssFile, { force: true });
  }
}

/** The blob ids the scan reads, in its order, one per line: for timing git alone on the same work. */
async function scanOrderIds(): Promise<string> {
  const file = path.join(os.tmpdir(), `sasquatch-bench-${process.pid}.ids`);
  const seen = new Set<string>();
  const ids: string[] = [];
  const repo = (await openRepository(REPO))!;
  for await (const { changes } of streamLog(repo, ['--all'])) {
    for (const c of changes) if (c.newBlob && !seen.has(c.newBlob)) seen.add(c.newBlob), ids.push(c.newBlob);
  }
  writeFileSync(file, `${ids.join('\n')}\n`);
  return file;
}

function fmt(n: number, digits = 1): string {
  return n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

async function main(): Promise<void> {
  if (!existsSync(CLI)) throw new Error('build first: npm run build');
  let meta = cached();
  if (meta) process.stderr.write(`reusing ${path.relative(ROOT, REPO)}\n`);
  else meta = await generate();

  const allBytes = run('git', ['-C', REPO, 'cat-file', '--batch-all-objects', '--batch-check=%(objectsize)'])
    .split('\n')
    .filter(Boolean)
    .reduce((n, x) => n + Number(x), 0);
  const idsFile = await scanOrderIds();
  // warm the page cache so no row pays for the first read
  run('git', ['-C', REPO, 'cat-file', '--batch-all-objects', '--batch-check']);
  const gitAll = timed('git', ['-C', REPO, 'cat-file', '--batch-all-objects', '--batch']);
  const gitSame = timed('git', ['-C', REPO, 'cat-file', '--batch', '--buffer'], { stdin: idsFile });
  rmSync(idsFile, { force: true });
  const full = scan([]);
  const early = scan(['--branch', EARLY_TAG]);

  const h = full.report.summary.history![0]!;
  const e = early.report.summary.history![0]!;
  const mb = (x: number | null) => (x ? `${fmt(x, 0)} MB` : '?');
  const rows: string[][] = [
    ['', 'wall (median)', 'MB', 'MB/s', 'peak RSS', 'peak RSS incl. git'],
    ['git cat-file --batch-all-objects --batch', `${fmt(gitAll.seconds, 2)} s`, fmt(allBytes / 1e6), fmt(allBytes / 1e6 / gitAll.seconds), '', mb(gitAll.treeRssMb)],
    ['git cat-file --batch (the scanned blobs, scan order)', `${fmt(gitSame.seconds, 2)} s`, fmt(h.bytes / 1e6), fmt(h.bytes / 1e6 / gitSame.seconds), '', mb(gitSame.treeRssMb)],
    [`sasquatch scan (all refs, ${h.commits} commits, ${h.blobs} blobs)`, `${fmt(full.t.seconds, 2)} s`, fmt(h.bytes / 1e6), fmt(h.bytes / 1e6 / full.t.seconds), mb(full.t.nodeRssMb), mb(full.t.treeRssMb)],
    [`sasquatch scan --branch ${EARLY_TAG} (${e.commits} commits, ${e.blobs} blobs)`, `${fmt(early.t.seconds, 2)} s`, fmt(e.bytes / 1e6), fmt(e.bytes / 1e6 / early.t.seconds), mb(early.t.nodeRssMb), mb(early.t.treeRssMb)],
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  console.log(`\nhistory benchmark — ${COMMITS} commits, ${h.blobs} unique blobs, ${fmt(h.bytes / 1e6)} MB of blob content (${os.cpus().length} cores, node ${process.version}, ${run('git', ['version']).trim()}, median of ${RUNS} runs)\n`);
  for (const r of rows) console.log(r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('   '));
  console.log(`\nsasquatch / git cat-file --batch-all-objects: ${fmt(full.t.seconds / gitAll.seconds, 2)}× the wall time; / the same blobs in scan order: ${fmt(full.t.seconds / gitSame.seconds, 2)}×`);
  if (!HAS_TIME) console.log('(peak RSS incl. git unavailable: /usr/bin/time not installed)');

  const check = verify(meta, full.report);
  console.log(`planted links: ${meta.planted.length}; reported: ${check.found}; with the right introducing commit: ${check.rightCommit}; presentAtHead right: ${check.rightPresence}; other findings: ${check.unexpected}`);
  if (check.found !== meta.planted.length || check.rightCommit !== meta.planted.length || check.rightPresence !== meta.planted.length || check.unexpected) process.exitCode = 1;
}

function verify(meta: Meta, report: Report) {
  let found = 0;
  let rightCommit = 0;
  let rightPresence = 0;
  const planted = new Map(meta.planted.map((p) => [p.path, p]));
  for (const f of report.findings) {
    const p = planted.get(f.location.path);
    if (!p) continue;
    found++;
    if (f.history?.introduced.commit === p.commitId) rightCommit++;
    if (f.history?.presentAtHead === (p.removedAt === null)) rightPresence++;
  }
  return { found, rightCommit, rightPresence, unexpected: report.findings.length - found };
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
});
