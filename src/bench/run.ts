/**
 * `npm run bench`: sasquatch against the practical limit, on generated and real corpora (not a test).
 *
 * Corpora (deterministic, generated once under bench/.work/, reused while unchanged):
 *   (a) a ~1 GB tree of source, config, lock-file, Markdown and notebook files with ~300
 *       planted secrets; (b) one 1 GB file of long lines; (c) the 5,000-commit repository of
 *       the history benchmark; (d) 50,000 tiny files.
 * Real-world corpora (real-corpora.ts; nothing planted, findings counted): (e) a copy of this
 *   project's node_modules, also timed with one thread (the parallel speed-up); (f) the full
 *   history of a large public repository, when one is found (else skipped with a notice).
 * For each, in the same run: sasquatch's wall time (median of BENCH_RUNS), MB/s, peak RSS and
 * findings; ripgrep (2 threads) over the same bytes with every rule keyword as a fixed string —
 * the one pass any scanner must make, our limit — and, for information, with the rules'
 * regexes; for (c) git's own emission of every object. secretlint runs on a 20 MB slice of (a).
 * Prints the table of ratios and writes bench/RESULTS.md. Fails unless every corpus's findings
 * are exactly its planted secrets (path, line and rule).
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BUILTIN_RULES } from '../detect/rules/index.js';
import type { Finding } from '../model/finding.js';
import { longLineCorpus, treeCorpus, truthDigest, type Corpus, type Truth } from './corpora.js';
import { allObjectBytes, COMMITS, historyRepo, REPO, verifyHistory, type HistoryReport } from './history-repo.js';
import { CLI, fmt, HAS_TIME, ROOT, RUNS, run, scanCli, table, timed, type Timed } from './measure.js';
import { largeHistoryRepo, nodeModulesCorpus, type LargeHistory } from './real-corpora.js';
import { profileScan, profileTable } from './profile.js';
import { rgRegexes } from './rg-regex.js';

const WORK = path.join(ROOT, 'bench/.work');
const RESULTS = path.join(ROOT, 'bench/RESULTS.md');
const RG_THREADS = 2;
/** The regex pass is for information only and can take minutes: one run, stopped at this limit. */
const RG_REGEX_LIMIT = Number(process.env['BENCH_RG_REGEX_LIMIT'] ?? 120);
const SECRETLINT_LIMIT = Number(process.env['BENCH_SECRETLINT_LIMIT'] ?? 600);
const SLICE_BYTES = 20e6;
const log = (s: string) => process.stderr.write(s);

interface Row {
  corpus: string;
  mb: number;
  files: number;
  sasquatch: Timed;
  findings: number;
  /** Secrets planted in the corpus; null for a real one (nothing planted, findings counted). */
  planted: number | null;
  truthOk: boolean;
  truthNote: string;
  /** The limit: ripgrep's keyword pass, or git's emission for history. */
  limit: { label: string; t: Timed | null };
  regex: Timed | null;
  target: number;
  /** What was scanned and with which extra flags (to profile the row again). */
  scanned: { target: string; extra: string[] };
}

function rgAvailable(): string | null {
  const r = spawnSync('rg', ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.split('\n')[0]! : null;
}

function keywordFile(): string {
  const kws = [...new Set(BUILTIN_RULES.flatMap((r) => r.keywords.map((k) => k.toLowerCase())))].sort();
  const file = path.join(WORK, 'keywords.txt');
  writeFileSync(file, `${kws.join('\n')}\n`);
  return file;
}

function regexFile(): string {
  const file = path.join(WORK, 'regexes.txt');
  writeFileSync(file, `${rgRegexes(BUILTIN_RULES).join('\n')}\n`);
  return file;
}

/**
 * ripgrep counting every match in every file (no ignore files, hidden files too, binary files
 * skipped as we do). `--count-matches`, not `--count`: counting lines lets ripgrep stop at the
 * first keyword of each line, which on a file of long lines skips most of the bytes.
 */
function rg(target: string, patternArgs: string[], opts: { runs?: number; limit?: number; threads?: number } = {}): Timed {
  const out = path.join(os.tmpdir(), `sasquatch-bench-rg-${process.pid}.txt`);
  try {
    // output to a file, not /dev/null: ripgrep stops at the first match when it writes to /dev/null
    return timed('rg', ['--no-config', '-j', String(opts.threads ?? RG_THREADS), '--no-ignore', '--hidden', '--count-matches', ...patternArgs, target], { stdout: out, runs: opts.runs, limit: opts.limit });
  } finally {
    rmSync(out, { force: true });
  }
}

interface ScanReport {
  findings: Finding[];
  /** Reported paths are relative to this directory (the work tree's top, when there is one). */
  scan?: { root?: string };
}

/** Findings against planted truth: same (path, line, rule) set, nothing missing, nothing extra. */
function checkTruth(corpus: Corpus, findings: Finding[], root?: string): { ok: boolean; note: string } {
  const key = (t: Truth) => `${t.path}\0${t.line}\0${t.rule}`;
  const want = new Map(corpus.truth.map((t) => [key(t), t]));
  const single = !existsSync(corpus.target) || !corpus.target.endsWith('/') ? path.basename(corpus.target) : '';
  const missing: string[] = [];
  const extra: string[] = [];
  // paths come relative to the scan root (bench/.work sits in this repository's work tree)
  const under = root ? `${path.relative(root, corpus.target)}/` : null;
  for (const f of findings) {
    let p = f.location.path;
    if (p === corpus.target || path.resolve(root ?? '', p) === path.resolve(corpus.target)) p = single;
    else if (under && p.startsWith(under)) p = p.slice(under.length);
    const k = `${p}\0${f.location.line}\0${f.rule}`;
    if (want.has(k)) want.delete(k);
    else extra.push(`${p}:${f.location.line} ${f.rule}`);
  }
  for (const t of want.values()) missing.push(`${t.path}:${t.line} ${t.rule}`);
  const ok = !missing.length && !extra.length;
  const note = ok ? 'all planted secrets found at their lines, nothing else' : `missing ${missing.length} (${missing.slice(0, 3).join(', ')}), unexpected ${extra.length} (${extra.slice(0, 3).join(', ')})`;
  return { ok, note };
}

/** The first files of the tree corpus up to 20 MB, copied aside: for the slow peer. */
function slice(tree: Corpus): Corpus {
  const dir = path.join(WORK, 'slice-20mb');
  const manifest = `${dir}.json`;
  const key = `${tree.target}:${tree.bytes}:${truthDigest(tree.truth)}`;
  if (existsSync(manifest) && existsSync(dir)) {
    const m = JSON.parse(readFileSync(manifest, 'utf8')) as Corpus & { key: string };
    if (m.key === key) return m;
  }
  rmSync(dir, { recursive: true, force: true });
  const listed = run('find', [tree.target, '-type', 'f', '-size', '-4M']).split('\n').filter(Boolean).sort();
  let bytes = 0;
  let files = 0;
  const kept = new Set<string>();
  for (const f of listed) {
    if (bytes >= SLICE_BYTES) break;
    const rel = path.relative(tree.target, f);
    mkdirSync(path.join(dir, path.dirname(rel)), { recursive: true });
    copyFileSync(f, path.join(dir, rel));
    bytes += readFileSync(f).length;
    files++;
    kept.add(rel);
  }
  const c: Corpus = { name: 'slice-20mb', target: dir, files, bytes, truth: tree.truth.filter((t) => kept.has(t.path)) };
  writeFileSync(manifest, JSON.stringify({ ...c, key }));
  return c;
}

function warm(target: string): void {
  // read everything once so no row pays for the first read from disk
  spawnSync('sh', ['-c', `find "${target}" -type f -print0 | xargs -0 cat > /dev/null`]);
}

function benchTree(corpus: Corpus, label: string, rgOk: boolean, kw: string, re: string, target: number, real: { extra: string[] } | null = null): Row {
  log(`\n${label}: ${corpus.files} files, ${fmt(corpus.bytes / 1e6)} MB\n`);
  warm(corpus.target);
  const limit = rgOk ? rg(corpus.target, ['-F', '-i', '-f', kw]) : null;
  log(`  ripgrep keywords: ${limit ? `${fmt(limit.seconds, 2)} s` : 'ripgrep missing'}\n`);
  // bench/.work sits inside this repository's work tree: its history is not what is measured;
  // no size limit (the default skips files over 100 MB, and (b) is one 1 GB file)
  const extra = ['--no-history', '--max-file-size', '0', ...(real?.extra ?? [])];
  const { t, report } = scanCli<ScanReport>(corpus.target, extra);
  const truth = real ? { ok: true, note: `a real tree, nothing planted: ${report.findings.length} findings (counted, not checked)` } : checkTruth(corpus, report.findings, report.scan?.root);
  log(`  sasquatch: ${fmt(t.seconds, 2)} s (${t.all.map((x) => fmt(x, 2)).join(', ')}), ${report.findings.length} findings; ${truth.note}\n`);
  // for information, and minutes long: on the generated corpora only
  const regex = rgOk && !real ? rg(corpus.target, ['-f', re], { runs: 1, limit: RG_REGEX_LIMIT }) : null;
  if (regex) log(`  ripgrep regexes: ${regex.timedOut ? `> ${RG_REGEX_LIMIT} s (stopped)` : `${fmt(regex.seconds, 2)} s`}\n`);
  return { corpus: label, mb: corpus.bytes / 1e6, files: corpus.files, sasquatch: t, findings: report.findings.length, planted: real ? null : corpus.truth.length, truthOk: truth.ok, truthNote: truth.note, limit: { label: 'ripgrep keywords', t: limit }, regex, target, scanned: { target: corpus.target, extra } };
}

async function benchHistory(rgOk: boolean, re: string): Promise<Row> {
  const meta = await historyRepo(log);
  const allBytes = allObjectBytes(REPO);
  log(`\n(c) history: ${COMMITS} commits, ${fmt(allBytes / 1e6)} MB of objects\n`);
  run('git', ['-C', REPO, 'cat-file', '--batch-all-objects', '--batch-check']);
  const git = timed('git', ['-C', REPO, 'cat-file', '--batch-all-objects', '--batch']);
  log(`  git cat-file --batch-all-objects --batch: ${fmt(git.seconds, 2)} s\n`);
  const { t, report } = scanCli<HistoryReport>(REPO);
  const check = verifyHistory(meta, report);
  const h = report.summary.history![0]!;
  const note = check.ok ? `all ${meta.planted.length} planted links found once, with their introducing commit and presence at HEAD` : `found ${check.found}/${meta.planted.length}, right commit ${check.rightCommit}, right presence ${check.rightPresence}, unexpected ${check.unexpected}`;
  log(`  sasquatch: ${fmt(t.seconds, 2)} s (${t.all.map((x) => fmt(x, 2)).join(', ')}), ${report.findings.length} findings; ${note}\n`);
  // ripgrep cannot read git objects: its regex pass is not comparable here, so none is run
  void rgOk;
  void re;
  return { corpus: `(c) history: ${COMMITS} commits, ${h.blobs} blobs`, mb: h.bytes / 1e6, files: h.blobs, sasquatch: t, findings: report.findings.length, planted: meta.planted.length, truthOk: check.ok, truthNote: note, limit: { label: 'git emission', t: git }, regex: null, target: 2.5, scanned: { target: REPO, extra: [] } };
}

/** The same scan on one thread (no workers): what the second core buys. */
function oneThread(row: Row): { one: Timed; speedUp: number } {
  log(`  ${row.corpus.split(':')[0]} with --threads 1…\n`);
  const { t } = scanCli<ScanReport>(row.scanned.target, [...row.scanned.extra, '--threads', '1']);
  log(`  one thread: ${fmt(t.seconds, 2)} s (${t.all.map((x) => fmt(x, 2)).join(', ')}); speed-up of two: ${fmt(t.seconds / row.sasquatch.seconds, 2)}×\n`);
  return { one: t, speedUp: t.seconds / row.sasquatch.seconds };
}

/**
 * What this machine's cores give at best, measured rather than assumed: two one-thread scans
 * started together (separate processes share nothing but the machine: its caches, memory
 * bandwidth and whatever else runs on the host), against one alone; and ripgrep's -j1 against
 * -j2 on the same tree. A speed-up of threads above the first is bounded by the former.
 */
function machineCeiling(row: Row, one: Timed, kw: string | null): Ceiling {
  const args = [CLI, 'scan', row.scanned.target, '--format', 'json', '--fail-on', 'never', '--quiet', '--all', '--now', '2024-01-01T00:00:00Z', ...row.scanned.extra, '--threads', '1'];
  const cmd = [process.execPath, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  log(`  two one-thread scans side by side…\n`);
  const pair = timed('bash', ['-c', `${cmd} > /dev/null & ${cmd} > /dev/null; wait`]);
  const scanCeiling = (2 * one.seconds) / pair.seconds;
  log(`  both done in ${fmt(pair.seconds, 2)} s (${pair.all.map((x) => fmt(x, 2)).join(', ')}): ${fmt(scanCeiling, 2)}× the work of one in its time\n`);
  if (!kw) return { pair, scanCeiling, rgOne: null, rgSpeedUp: null };
  const rgOne = rg(row.scanned.target, ['-F', '-i', '-f', kw], { threads: 1 });
  const rgSpeedUp = rgOne.seconds / row.limit!.t!.seconds;
  log(`  ripgrep -j1: ${fmt(rgOne.seconds, 2)} s; its speed-up of two: ${fmt(rgSpeedUp, 2)}×\n`);
  return { pair, scanCeiling, rgOne, rgSpeedUp };
}

interface Ceiling {
  pair: Timed;
  scanCeiling: number;
  rgOne: Timed | null;
  rgSpeedUp: number | null;
}

/** Full history of a large public repository (real-corpora.ts) against git's own emission of every object. */
function benchLargeHistory(h: LargeHistory): Row {
  const allBytes = allObjectBytes(h.repo);
  const label = path.basename(h.repo, '.git').replace(/^history-/, '');
  log(`\n(f) history of ${label} (${h.source}): ${fmt(allBytes / 1e6)} MB of objects\n`);
  run('git', ['-C', h.repo, 'cat-file', '--batch-all-objects', '--batch-check']);
  const git = timed('git', ['-C', h.repo, 'cat-file', '--batch-all-objects', '--batch']);
  log(`  git cat-file --batch-all-objects --batch: ${fmt(git.seconds, 2)} s\n`);
  const { t, report } = scanCli<HistoryReport>(h.repo);
  const s = report.summary.history?.[0];
  const note = `a real repository, nothing planted: ${report.findings.length} findings (counted, not checked)`;
  log(`  sasquatch: ${fmt(t.seconds, 2)} s (${t.all.map((x) => fmt(x, 2)).join(', ')}), ${report.findings.length} findings\n`);
  return { corpus: `(f) history: ${label}, ${s?.commits ?? '?'} commits, ${s?.blobs ?? '?'} blobs`, mb: (s?.bytes ?? allBytes) / 1e6, files: s?.blobs ?? 0, sasquatch: t, findings: report.findings.length, planted: null, truthOk: true, truthNote: note, limit: { label: 'git emission', t: git }, regex: null, target: 1.3, scanned: { target: h.repo, extra: [] } };
}

interface SecretlintRow {
  slice: Corpus;
  secretlint: Timed | null;
  sasquatch: Timed;
  findings: number;
  secretlintFindings: number | null;
  error?: string;
}

function benchSecretlint(s: Corpus): SecretlintRow {
  log(`\nsecretlint on a ${fmt(s.bytes / 1e6)} MB slice (${s.files} files)\n`);
  warm(s.target);
  const { t, report } = scanCli<ScanReport>(s.target, ['--no-history']);
  const bin = path.join(ROOT, 'node_modules/secretlint/bin/secretlint.js');
  if (!existsSync(bin)) return { slice: s, secretlint: null, sasquatch: t, findings: report.findings.length, secretlintFindings: null, error: 'secretlint not installed (npm ci installs it as a devDependency)' };
  const rc = path.join(WORK, 'secretlintrc.json');
  writeFileSync(rc, JSON.stringify({ rules: [{ id: '@secretlint/secretlint-rule-preset-recommend' }] }));
  const out = path.join(os.tmpdir(), `sasquatch-bench-secretlint-${process.pid}.json`);
  try {
    const sl = timed(process.execPath, [bin, '--secretlintrc', rc, '--format', 'json', '--no-color', '--maskSecrets', `${s.target}/**/*`], { stdout: out, runs: 1, limit: SECRETLINT_LIMIT, okCodes: [0, 1] });
    let n: number | null = null;
    try {
      n = (JSON.parse(sl.stdout || '[]') as { messages: unknown[] }[]).reduce((a, f) => a + f.messages.length, 0);
    } catch {
      n = null;
    }
    log(`  secretlint: ${sl.timedOut ? `> ${SECRETLINT_LIMIT} s (stopped)` : `${fmt(sl.seconds, 2)} s`}; sasquatch on the same slice: ${fmt(t.seconds, 2)} s\n`);
    return { slice: s, secretlint: sl, sasquatch: t, findings: report.findings.length, secretlintFindings: n };
  } finally {
    rmSync(out, { force: true });
  }
}

function secs(t: Timed | null, limit?: number): string {
  if (!t) return 'n/a';
  return t.timedOut ? `> ${fmt(limit ?? t.seconds, 0)} s` : `${fmt(t.seconds, 2)} s`;
}

function machine(): string[] {
  const cpus = os.cpus();
  const git = run('git', ['version']).trim();
  return [
    `- date: ${new Date().toISOString()}`,
    `- machine: ${cpus.length} cores (${cpus[0]?.model ?? '?'}), ${fmt(os.totalmem() / 2 ** 30, 0)} GiB RAM, ${os.type()} ${os.release()}`,
    `- node ${process.version}; ${rgAvailable() ?? 'ripgrep MISSING'}; ${git}`,
    `- sasquatch: default options (all cores, archives and Base64 on), \`--format json\`; median of ${RUNS} runs; ripgrep: \`-j${RG_THREADS} --no-ignore --hidden --count-matches\`; sasquatch on (a), (b), (d), (e): \`--no-history --max-file-size 0\`, and on (e) \`--no-respect-gitignore\` (every file of node_modules, as ripgrep's \`--no-ignore\`)`,
  ];
}

async function main(): Promise<void> {
  if (!existsSync(CLI)) throw new Error('build first: npm run build');
  mkdirSync(WORK, { recursive: true });
  const rgVersion = rgAvailable();
  if (!rgVersion) log('\n*** ripgrep (rg) is not installed: the limit column cannot be measured. Install it: apt-get install ripgrep ***\n\n');
  if (!HAS_TIME) log('(/usr/bin/time is missing: peak RSS comes from the node process alone)\n');
  const kw = keywordFile();
  const re = regexFile();
  const only = (process.env['BENCH_ONLY'] ?? 'a,b,c,d,e,f,s').split(',');
  const everything = !process.env['BENCH_ONLY'];

  const tree = treeCorpus(WORK, { name: 'tree-1gb', seed: 1, targetBytes: 1e9, minSize: 400, maxSize: 250e3, large: { count: 4, size: 24e6 }, plants: 300, perDir: 200 }, log);
  const rows: Row[] = [];
  if (only.includes('a')) rows.push(benchTree(tree, `(a) tree: ${tree.files} files`, Boolean(rgVersion), kw, re, 3));
  if (only.includes('b')) {
    const long = longLineCorpus(WORK, { name: 'longlines-1gb', seed: 2, targetBytes: 1e9, plants: 60 }, log);
    rows.push(benchTree(long, '(b) one file, long lines', Boolean(rgVersion), kw, re, 3));
  }
  if (only.includes('c')) rows.push(await benchHistory(Boolean(rgVersion), re));
  if (only.includes('d')) {
    const tiny = treeCorpus(WORK, { name: 'tiny-50k', seed: 3, targetBytes: 0, count: 50000, minSize: 100, maxSize: 2000, large: { count: 0, size: 0 }, plants: 200, perDir: 500 }, log);
    rows.push(benchTree(tiny, `(d) ${tiny.files} tiny files`, Boolean(rgVersion), kw, re, 3));
  }
  let parallel: { row: Row; one: Timed; speedUp: number; ceiling: Ceiling } | null = null;
  const skipped: string[] = [];
  if (only.includes('e')) {
    const nm = nodeModulesCorpus(WORK, ROOT, log);
    if (nm) {
      // every file: node_modules is what .gitignore files leave out, and the default would skip it
      const row = benchTree(nm, `(e) node_modules: ${nm.files} files`, Boolean(rgVersion), kw, re, 3, { extra: ['--no-respect-gitignore'] });
      rows.push(row);
      const single = oneThread(row);
      parallel = { row, ...single, ceiling: machineCeiling(row, single.one, rgVersion ? kw : null) };
    } else skipped.push('(e) node_modules: no node_modules in this checkout (npm ci)');
  }
  if (only.includes('f')) {
    const large = largeHistoryRepo(WORK, log);
    if (large) rows.push(benchLargeHistory(large));
    else skipped.push('(f) large history: no repository found (set SASQUATCH_BENCH_HISTORY_REPO to a clone of a large repository)');
  }
  const sl = only.includes('s') ? benchSecretlint(slice(tree)) : null;

  const mb = (x: number | null) => (x ? `${fmt(x, 0)} MB` : '?');
  const head = ['corpus', 'MB', 'sasquatch', 'MB/s', 'peak RSS', 'findings / planted', 'limit', 'limit wall', 'ratio', 'target', 'ripgrep regexes (info)'];
  const body = rows.map((r) => {
    const ratio = r.limit.t ? r.sasquatch.seconds / r.limit.t.seconds : null;
    const rss = Math.max(r.sasquatch.treeRssMb ?? 0, r.sasquatch.nodeRssMb ?? 0) || null;
    return [
      r.corpus,
      fmt(r.mb, 0),
      secs(r.sasquatch),
      fmt(r.mb / r.sasquatch.seconds, 0),
      mb(rss),
      `${r.findings} / ${r.planted ?? '–'}${r.truthOk ? '' : ' ✗'}`,
      r.limit.t ? r.limit.label : `${r.limit.label}: ripgrep missing`,
      secs(r.limit.t),
      ratio === null ? 'n/a' : `${fmt(ratio, 2)}×`,
      `≤ ${fmt(r.target, 1)}× ${ratio !== null && ratio <= r.target ? '✓' : '✗'}`,
      r.regex ? secs(r.regex, RG_REGEX_LIMIT) : r.limit.label === 'git emission' ? '(not applicable)' : r.planted === null ? '(not run)' : 'n/a',
    ];
  });
  const printed = table([head, ...body]);
  console.log(`\n${printed}\n`);
  const rssOk = rows.every((r) => Math.max(r.sasquatch.treeRssMb ?? 0, r.sasquatch.nodeRssMb ?? 0) <= 400);
  const truthOk = rows.every((r) => r.truthOk);
  const lines: string[] = [
    '# Benchmark results',
    '',
    'Written by `npm run bench` (src/bench/run.ts) from a clean run; corpora are generated',
    'deterministically under bench/.work/ (nothing downloaded); the real ones are a copy of this',
    "project's node_modules and a local clone of a large public repository's full history",
    '(SASQUATCH_BENCH_HISTORY_REPO, else the largest mirror found). The limit for a tree or file is',
    "ripgrep's pass over the same bytes with every rule keyword as a fixed string (the one pass any",
    "scanner must make); for history it is git's own emission of every object",
    '(`git cat-file --batch-all-objects --batch > /dev/null`). Peak RSS is the largest of the',
    "kernel's figure for the process tree (`/usr/bin/time -v`) and the node process's own.",
    '',
    ...machine(),
    `- load average (1 min) at the start of each sasquatch measurement: ${rows.map((r) => fmt(r.sasquatch.load, 2)).join(', ')}`,
    '',
    '| ' + head.join(' | ') + ' |',
    '| ' + head.map((_, i) => (i === 0 ? '---' : '---:')).join(' | ') + ' |',
    ...body.map((r) => '| ' + r.join(' | ') + ' |'),
    '',
    'Every run of each row (seconds): ' + rows.map((r) => `${r.corpus.split(':')[0]} ${r.sasquatch.all.map((x) => fmt(x, 2)).join(' / ')}`).join('; '),
    '',
    ...rows.map((r) => `- ${r.corpus}: ${r.truthNote}`),
    ...skipped.map((s) => `- skipped: ${s}`),
    '',
  ];
  if (parallel) {
    lines.push(
      '## Parallel speed-up',
      '',
      `${parallel.row.corpus.split(':')[0]} with \`--threads 1\` (no worker threads): ${secs(parallel.one)} (${parallel.one.all.map((x) => fmt(x, 2)).join(' / ')}; load ${fmt(parallel.one.load, 2)}); with the default (${os.cpus().length} cores): ${secs(parallel.row.sasquatch)}: **${fmt(parallel.speedUp, 2)}×** (target ≥ 1.8× on 2 cores).`,
      '',
      `What the machine gives at best: two \`--threads 1\` scans of the same tree started together finish in ${secs(parallel.ceiling.pair)} (${parallel.ceiling.pair.all.map((x) => fmt(x, 2)).join(' / ')}), **${fmt(parallel.ceiling.scanCeiling, 2)}×** the work of one in the same time: separate processes that share nothing but the machine, so no thread of ours can do better than that.` +
        (parallel.ceiling.rgOne ? ` ripgrep on the same tree: \`-j1\` ${secs(parallel.ceiling.rgOne)}, \`-j${RG_THREADS}\` ${secs(parallel.row.limit!.t!)}: ${fmt(parallel.ceiling.rgSpeedUp!, 2)}×.` : ''),
      '',
    );
    console.log(`parallel speed-up on ${parallel.row.corpus.split(':')[0]}: ${fmt(parallel.speedUp, 2)}× (one thread ${secs(parallel.one)})`);
  }
  if (sl) {
    lines.push(
      '## secretlint on a 20 MB slice',
      '',
      `The first ${sl.slice.files} files (${fmt(sl.slice.bytes / 1e6)} MB) of corpus (a), copied aside: secretlint ${readVersion('secretlint')} with \`@secretlint/secretlint-rule-preset-recommend\`, one run.`,
      '',
      '| tool | wall | MB/s | findings |',
      '| --- | ---: | ---: | ---: |',
      `| secretlint (20 MB slice) | ${sl.secretlint ? secs(sl.secretlint, SECRETLINT_LIMIT) : sl.error} | ${sl.secretlint && !sl.secretlint.timedOut ? fmt(sl.slice.bytes / 1e6 / sl.secretlint.seconds, 1) : '–'} | ${sl.secretlintFindings ?? '–'} |`,
      `| sasquatch (same slice) | ${secs(sl.sasquatch)} | ${fmt(sl.slice.bytes / 1e6 / sl.sasquatch.seconds, 1)} | ${sl.findings} (planted: ${sl.slice.truth.length}) |`,
      '',
    );
    console.log(`secretlint on a ${fmt(sl.slice.bytes / 1e6)} MB slice: ${sl.secretlint ? secs(sl.secretlint, SECRETLINT_LIMIT) : sl.error}; sasquatch on the same slice: ${secs(sl.sasquatch)}`);
  }
  if (!rgVersion) lines.push('**ripgrep was not installed: the limit column is missing (apt-get install ripgrep).**', '');
  // what bounds each row that misses its target, measured: one more run under --cpu-prof
  for (const r of rows) {
    const ratio = r.limit.t ? r.sasquatch.seconds / r.limit.t.seconds : null;
    if (ratio === null || ratio <= r.target) continue;
    log(`\nprofiling ${r.corpus.split(':')[0]} (over its target)…\n`);
    warm(r.scanned.target);
    const threads = profileScan(r.scanned.target, r.scanned.extra);
    lines.push(
      `## Where the time goes: ${r.corpus.split(':')[0]} (${fmt(ratio, 2)}×, target ${fmt(r.target, 1)}×)`,
      '',
      'Self time by category from one more run under `node --cpu-prof` (every thread profiled; profiling slows it somewhat).',
      '',
      // bounded: one row per category
      ...profileTable(threads),
      '',
    );
  }
  if (everything) writeFileSync(RESULTS, lines.join('\n'));
  console.log(`peak RSS ≤ 400 MB everywhere: ${rssOk ? 'yes' : 'NO'}; planted truth: ${truthOk ? 'all corpora agree' : 'MISMATCH'}`);
  if (!truthOk) {
    console.error('FAIL: findings do not match the planted secrets');
    process.exitCode = 1;
  }
  if (!rgVersion) {
    console.error('FAIL: ripgrep is not installed (apt-get install ripgrep)');
    process.exitCode = 1;
  }
}

function readVersion(pkg: string): string {
  try {
    return (JSON.parse(readFileSync(path.join(ROOT, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '?';
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
});
