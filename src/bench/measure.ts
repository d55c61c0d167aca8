import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Timing for the benchmark scripts: each command runs in a child process, several times;
 * the median wall time is reported, with the peak resident set size the kernel recorded
 * (`/usr/bin/time -v`, the largest process of the tree), and the load average at the start.
 */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CLI = path.join(ROOT, 'dist/bundle/main.js');
export const RUNS = Number(process.env['BENCH_RUNS'] ?? 3);
export const HAS_TIME = existsSync('/usr/bin/time') && spawnSync('/usr/bin/time', ['-v', 'true']).status === 0;
/** Preloaded into the scanned node process: writes its own peak RSS (KB) where BENCH_RSS_FILE says. */
export const RSS_HOOK = `data:text/javascript,${encodeURIComponent("import{writeFileSync}from'node:fs';process.on('exit',()=>writeFileSync(process.env.BENCH_RSS_FILE,String(process.resourceUsage().maxRSS)))")}`;

export interface Timed {
  /** Median wall time of the runs. */
  seconds: number;
  /** Every run's wall time, in order. */
  all: number[];
  /** Largest process of the tree (git included), from /usr/bin/time -v. */
  treeRssMb: number | null;
  /** The node process alone (main thread and workers), from its own resource usage. */
  nodeRssMb: number | null;
  /** 1-minute load average before the first run. */
  load: number;
  stdout: string;
  /** True when a run was stopped at the time limit (seconds is then the limit). */
  timedOut: boolean;
}

export interface TimedOptions {
  stdout?: string;
  stdin?: string;
  env?: NodeJS.ProcessEnv;
  runs?: number;
  /** Stop a run after this many seconds. */
  limit?: number;
  /** Exit codes that are not failures (default 0 and 1: "found something"). */
  okCodes?: number[];
}

/** Runs a command (stdout to a file or /dev/null, stdin from a file); median wall time and peak RSS. */
export function timed(cmd: string, args: string[], io: TimedOptions = {}): Timed {
  const walls: number[] = [];
  let treeRss: number | null = null;
  let stdout = '';
  let timedOut = false;
  const load = os.loadavg()[0]!;
  for (let i = 0; i < (io.runs ?? RUNS); i++) {
    const out = openSync(io.stdout ?? '/dev/null', 'w');
    const inp = io.stdin ? openSync(io.stdin, 'r') : 'ignore';
    try {
      // a time limit is enforced by coreutils' timeout on the command itself: killing
      // /usr/bin/time alone would leave the command running
      const inner = io.limit ? ['timeout', '-s', 'KILL', String(io.limit), cmd, ...args] : [cmd, ...args];
      const argv: [string, string[]] = HAS_TIME ? ['/usr/bin/time', ['-v', ...inner]] : [inner[0]!, inner.slice(1)];
      const t0 = process.hrtime.bigint();
      const r = spawnSync(argv[0], argv[1], { stdio: [inp, out, 'pipe'], encoding: 'utf8', maxBuffer: 1 << 26, env: { ...process.env, ...io.env } });
      const wall = Number(process.hrtime.bigint() - t0) / 1e9;
      if (io.limit && (r.status === 137 || r.status === 124 || /Command terminated by signal 9/.test(r.stderr ?? ''))) {
        timedOut = true;
        walls.push(io.limit);
        break;
      }
      walls.push(wall);
      // /usr/bin/time exits with the command's status
      if (r.status === null || !(io.okCodes ?? [0, 1]).includes(r.status)) throw new Error(`${cmd} ${args.join(' ').slice(0, 200)} failed (${r.status ?? r.signal}): ${r.stderr.slice(-2000)}`);
      const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr);
      if (m) treeRss = Math.max(treeRss ?? 0, Number(m[1]) / 1024);
      if (io.stdout) stdout = readFileSync(io.stdout, 'utf8');
    } finally {
      closeSync(out);
      if (typeof inp === 'number') closeSync(inp);
    }
  }
  const sorted = [...walls].sort((a, b) => a - b);
  return { seconds: sorted[Math.floor(sorted.length / 2)]!, all: walls, treeRssMb: treeRss, nodeRssMb: null, load, stdout, timedOut };
}

/** `sasquatch scan <target> --format json` in a child process: timing, both RSS figures and the parsed report. */
export function scanCli<R>(target: string, extra: string[] = [], runs = RUNS): { t: Timed; report: R } {
  const file = path.join(os.tmpdir(), `sasquatch-bench-${process.pid}.json`);
  const rssFile = path.join(os.tmpdir(), `sasquatch-bench-${process.pid}.rss`);
  try {
    // --all: the planted truth includes findings the report would hold back (low-confidence info)
    const args = ['--import', RSS_HOOK, CLI, 'scan', target, '--format', 'json', '--fail-on', 'never', '--quiet', '--all', '--now', '2024-01-01T00:00:00Z', ...extra];
    let nodeRss = 0;
    const t = timed(process.execPath, args, { stdout: file, env: { BENCH_RSS_FILE: rssFile }, runs });
    if (existsSync(rssFile)) nodeRss = Number(readFileSync(rssFile, 'utf8')) / 1024;
    return { t: { ...t, nodeRssMb: nodeRss || null, stdout: '' }, report: JSON.parse(t.stdout) as R };
  } finally {
    rmSync(file, { force: true });
    rmSync(rssFile, { force: true });
  }
}

export function run(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

export function fmt(n: number, digits = 1): string {
  return n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** Prints rows as an aligned table (first column left, the others right). */
export function table(rows: string[][]): string {
  // bounded: the rows of a results table
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('   ')).join('\n');
}
