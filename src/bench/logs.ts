/**
 * Benchmark for `sasquatch logs` (npm run bench:logs): writes a synthetic log set of about
 * 1 GiB (uncompressed) in both formats — Storage Analytics 1.0 plain, 2.0 gzip, Azure
 * Monitor JSON lines plain and gzip, and a Log Analytics CSV — runs the CLI on it in a child
 * process and prints throughput and peak memory. Not a test: numbers depend on the machine.
 *
 *   npm run bench:logs                 # ~1 GiB in a temp dir, removed afterwards
 *   npm run bench:logs -- --mb 200     # smaller set
 *   npm run bench:logs -- --keep       # keep the generated set and print its path
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { createGzip } from 'node:zlib';
import { classicLine, csvQuote, logAnalyticsRow, monitorRecord, sasAuthHash, type FakeRequest } from '../testing/storage-logs.js';
import { fakeSig } from '../testing/tokens.js';

const CLI = fileURLToPath(new URL('../bundle/main.js', import.meta.url));

const args = process.argv.slice(2);
const totalMb = Number(args[args.indexOf('--mb') + 1] ?? NaN) || 1024;
const keep = args.includes('--keep');

const ACCOUNT = 'benchacct';
const HOST = `https://${ACCOUNT}.blob.core.windows.net`;
const LEAKED_SIG = fakeSig('bench-leaked');
const LEAKED_FIELDS = 'sv=2020-08-04&ss=bfqt&srt=sco&sp=rwdlacupitfx&se=2051-10-06T07%3A09%3A59Z&st=2021-10-05T23%3A09%3A59Z&spr=https,http';
const LEAKED_URL = `${HOST}/models/m0.ckpt?${LEAKED_FIELDS}&sig=${encodeURIComponent(LEAKED_SIG)}`;
const LEAKED_HASH = sasAuthHash(LEAKED_SIG);
const OTHER_SIGS = Array.from({ length: 50 }, (_, i) => fakeSig(`bench-other-${i}`));
const OTHER_HASHES = OTHER_SIGS.map((s) => sasAuthHash(s, 'key2'));
const OPS: [string, number][] = [['GetBlob', 200], ['GetBlobProperties', 200], ['ListBlobs', 200], ['PutBlob', 201], ['DeleteBlob', 202], ['GetBlob', 403]];
const AGENTS = Array.from({ length: 200 }, (_, i) => `agent-${i}/1.${i % 7} (Linux; x64) azsdk-js-storageblob/12.${i % 30}.0`);

/** Deterministic pseudo-random numbers (mulberry32), so runs are comparable. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const rand = rng(42);
const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)]!;
let requestNo = 0;
let leakedRows = 0;

/** One request: 2% with the leaked link, 60% other SAS, the rest account-key. */
function request(time: number, monitor: boolean): FakeRequest {
  requestNo++;
  const [operation, http] = pick(OPS);
  const kind = rand();
  const blob = `models/m${Math.floor(rand() * 200_000)}.ckpt`;
  const ip = `198.51.${Math.floor(rand() * 20)}.${Math.floor(rand() * 250)}:${40000 + Math.floor(rand() * 20000)}`;
  const r: FakeRequest = {
    time: new Date(time).toISOString(),
    operation,
    status: http >= 400 ? 'AuthenticationFailed' : monitor ? 'Success' : 'SASSuccess',
    http,
    auth: monitor ? 'SAS' : 'sas',
    account: ACCOUNT,
    url: `${HOST}/${blob}?${LEAKED_FIELDS}&sig=XXXXX`,
    objectKey: `/${ACCOUNT}/${blob}`,
    requestId: `00000000-0000-0000-0000-${String(requestNo).padStart(12, '0')}`,
    ip,
    responseBytes: operation === 'GetBlob' && http === 200 ? Math.floor(rand() * 10_000_000) : 0,
    requestBytes: operation === 'PutBlob' ? Math.floor(rand() * 1_000_000) : 0,
    userAgent: pick(AGENTS),
    authHash: LEAKED_HASH,
  };
  if (kind < 0.02) {
    leakedRows++;
    return r;
  }
  if (kind < 0.62) {
    const i = Math.floor(rand() * OTHER_SIGS.length);
    r.url = `${HOST}/${blob}?sv=2022-11-02&ss=b&srt=o&sp=r&se=2030-01-01T00%3A00%3A${String(i).padStart(2, '0')}Z&spr=https&sig=XXXXX`;
    r.authHash = OTHER_HASHES[i];
    return r;
  }
  r.auth = monitor ? 'AccountKey' : 'authenticated';
  if (http < 400) r.status = 'Success';
  r.url = `${HOST}/${blob}`;
  r.authHash = 'key1(4E3C1A2B9F8D7E6C5B4A39281706F5E4D3C2B1A09F8E7D6C5B4A392817060000)';
  return r;
}

interface Part {
  file: string;
  gzip: boolean;
  mb: number;
  line: (t: number) => string;
  header?: string;
}

async function writePart(dir: string, p: Part): Promise<{ raw: number; disk: number }> {
  const full = path.join(dir, p.file);
  mkdirSync(path.dirname(full), { recursive: true });
  const file = createWriteStream(full, { highWaterMark: 1 << 20 });
  let out: Writable = file;
  if (p.gzip) {
    const gz = createGzip({ level: 1 });
    gz.pipe(file);
    out = gz;
  }
  const target = p.mb * 1024 * 1024;
  let raw = 0;
  let t = Date.UTC(2023, 5, 1);
  const batch: string[] = [];
  if (p.header) batch.push(p.header);
  while (raw < target) {
    t += 37;
    const line = p.line(t);
    batch.push(line);
    raw += line.length + 1;
    if (batch.length >= 2000) {
      if (!out.write(`${batch.join('\n')}\n`)) await once(out, 'drain');
      batch.length = 0;
    }
  }
  if (batch.length) out.write(`${batch.join('\n')}\n`);
  out.end();
  await once(file, 'close');
  return { raw, disk: statSync(full).size };
}

function csvLine(r: FakeRequest): string {
  return Object.values(logAnalyticsRow(r)).map(csvQuote).join(',');
}

async function generate(dir: string): Promise<{ raw: number; disk: number; files: number }> {
  const mb = (share: number) => Math.max(1, Math.round(totalMb * share));
  const csvHeader = Object.keys(logAnalyticsRow({ ...request(0, true) })).join(',');
  requestNo = 0; // the header's sample request is not in the logs
  leakedRows = 0;
  const parts: Part[] = [
    { file: '$logs/blob/2023/06/01/0000/000000.log', gzip: false, mb: mb(0.35), line: (t) => classicLine(request(t, false), '1.0') },
    { file: '$logs/blob/2023/06/02/0000/000000.log.gz', gzip: true, mb: mb(0.15), line: (t) => classicLine(request(t, false), '2.0') },
    { file: 'insights-logs-storageread/y=2023/m=06/d=03/h=00/m=00/PT1H.json', gzip: false, mb: mb(0.3), line: (t) => JSON.stringify(monitorRecord(request(t, true))) },
    { file: 'insights-logs-storageread/y=2023/m=06/d=04/h=00/m=00/PT1H.json.gz', gzip: true, mb: mb(0.15), line: (t) => JSON.stringify(monitorRecord(request(t, true))) },
    { file: 'exports/StorageBlobLogs.csv', gzip: false, mb: mb(0.05), header: csvHeader, line: (t) => csvLine(request(t, true)) },
  ];
  let raw = 0;
  let disk = 0;
  for (const p of parts) {
    const r = await writePart(dir, p);
    raw += r.raw;
    disk += r.disk;
    process.stdout.write(`  ${p.file}${p.gzip ? ' (gzip)' : ''}: ${(r.raw / 1e6).toFixed(0)} MB of log text, ${(r.disk / 1e6).toFixed(0)} MB on disk\n`);
  }
  return { raw, disk, files: parts.length };
}

/** Runs the CLI; peak RSS from GNU time when present, else from the child's own resourceUsage. */
async function runCli(dir: string, work: string): Promise<{ seconds: number; cpuSeconds: number; maxRssMb: number; rssSource: string; code: number | null; stderr: string }> {
  const cliArgs = [CLI, 'logs', '--link', LEAKED_URL, dir, '--format', 'json', '-o', path.join(work, 'report.json'), '--csv', path.join(work, 'matched.csv')];
  const gnuTime = existsSync('/usr/bin/time');
  const rssFile = path.join(work, 'rss.txt');
  let cmd: string;
  let argv: string[];
  if (gnuTime) {
    cmd = '/usr/bin/time';
    argv = ['-v', process.execPath, ...cliArgs];
  } else {
    const preload = path.join(work, 'rss.mjs');
    writeFileSync(
      preload,
      `import { writeFileSync } from 'node:fs';\nprocess.on('exit', () => { const u = process.resourceUsage(); writeFileSync(${JSON.stringify(rssFile)}, [u.maxRSS, (u.userCPUTime + u.systemCPUTime) / 1e6].join(' ')); });\n`,
    );
    cmd = process.execPath;
    argv = ['--import', preload, ...cliArgs];
  }
  const started = process.hrtime.bigint();
  const child = spawn(cmd, argv, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  const [code] = (await once(child, 'exit')) as [number | null];
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  let maxRssKb = NaN;
  let cpuSeconds = NaN;
  if (gnuTime) {
    maxRssKb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(stderr)?.[1]);
    cpuSeconds = Number(/User time \(seconds\): ([\d.]+)/.exec(stderr)?.[1]) + Number(/System time \(seconds\): ([\d.]+)/.exec(stderr)?.[1]);
  } else if (existsSync(rssFile)) {
    [maxRssKb, cpuSeconds] = readFileSync(rssFile, 'utf8').split(' ').map(Number) as [number, number];
  }
  return { seconds, cpuSeconds, maxRssMb: maxRssKb / 1024, rssSource: gnuTime ? '/usr/bin/time -v' : 'process.resourceUsage()', code, stderr };
}

async function main(): Promise<void> {
  const work = mkdtempSync(path.join(os.tmpdir(), 'sasquatch-bench-logs-'));
  const dir = path.join(work, 'logs');
  try {
    process.stdout.write(`generating ~${totalMb} MiB of storage logs in ${dir}\n`);
    const g0 = Date.now();
    const set = await generate(dir);
    process.stdout.write(`generated ${set.files} files in ${((Date.now() - g0) / 1000).toFixed(1)} s; ${leakedRows.toLocaleString('en-US')} of ${requestNo.toLocaleString('en-US')} requests use the leaked link\n`);
    process.stdout.write('running sasquatch logs …\n');
    const run = await runCli(dir, work);
    if (run.code !== 0 && run.code !== 1) throw new Error(`sasquatch logs exited with ${run.code}\n${run.stderr}`);
    const report = JSON.parse(readFileSync(path.join(work, 'report.json'), 'utf8')) as { inputs: { records: number }; use: { requests: number }; probes: { requests: number } };
    const matched = report.use.requests + report.probes.requests;
    if (report.inputs.records !== requestNo || matched !== leakedRows) {
      throw new Error(`expected ${requestNo} records and ${leakedRows} matches, the report says ${report.inputs.records} and ${matched}`);
    }
    const mib = set.raw / 1024 / 1024;
    const lines = [
      `log text     ${mib.toFixed(0)} MiB (${(set.disk / 1024 / 1024).toFixed(0)} MiB on disk), ${report.inputs.records.toLocaleString('en-US')} records, ${report.use.requests.toLocaleString('en-US')} matched`,
      `time         ${run.seconds.toFixed(1)} s wall, ${run.cpuSeconds.toFixed(1)} s CPU (user + system)`,
      `throughput   ${(mib / run.seconds).toFixed(0)} MiB/s of log text (wall), ${(mib / run.cpuSeconds).toFixed(0)} MiB/s per CPU second; ${Math.round(report.inputs.records / run.seconds).toLocaleString('en-US')} records/s`,
      `peak RSS     ${run.maxRssMb.toFixed(0)} MiB (${run.rssSource})`,
      `machine      node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, load average ${os.loadavg()[0]!.toFixed(1)}`,
    ];
    process.stdout.write(`\n${lines.join('\n')}\n`);
  } finally {
    if (keep) process.stdout.write(`kept ${work}\n`);
    else rmSync(work, { recursive: true, force: true });
  }
}

await main();
