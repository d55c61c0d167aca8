/**
 * The history benchmark's repository: BENCH_COMMITS commits (default 5,000) holding BENCH_MB
 * megabytes (default 520) of unique text blobs, with merges, tags and planted SAS links
 * (some removed later), generated once with git fast-import and cached under bench/.work/.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Finding } from '../model/finding.js';
import { rng } from './corpora.js';
import { run } from './measure.js';
import { sasQuery } from '../testing/tokens.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const COMMITS = Number(process.env['BENCH_COMMITS'] ?? 5000);
export const TARGET_MB = Number(process.env['BENCH_MB'] ?? 520);
const GENERATOR = 5; // bump when the generated repository changes
const WORK = path.join(ROOT, 'bench/.work');
export const REPO = path.join(WORK, `history-${COMMITS}c-${TARGET_MB}mb.git`);
const META = `${REPO}.json`;
const PLANT_EVERY = 100;
const REMOVE_EVERY = 3; // every third planted link is deleted again 50 commits later
/** A tag a fifth of the way in: the same scan on less history, to compare memory. */
const EARLY_COMMIT = Math.max(1, Math.floor(COMMITS / 5));
export const EARLY_TAG = 'bench-early';

interface Planted {
  path: string;
  commit: number;
  removedAt: number | null;
}

export interface Meta {
  generator: number;
  commits: number;
  targetMb: number;
  blobBytes: number;
  planted: (Planted & { commitId: string })[];
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


/** The repository, generated unless a cached copy of this generator version exists. */
export async function historyRepo(log: (s: string) => void): Promise<Meta> {
  const meta = cached();
  if (meta) {
    log(`reusing ${path.relative(ROOT, REPO)}\n`);
    return meta;
  }
  return generate();
}

export interface HistoryReport {
  findings: Finding[];
  summary: { history?: { commits: number; blobs: number; bytes: number }[] };
}

/** Every planted link found once, with the right introducing commit and presence at HEAD, and nothing else. */
export function verifyHistory(meta: Meta, report: HistoryReport) {
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
  const unexpected = report.findings.length - found;
  const ok = found === meta.planted.length && rightCommit === found && rightPresence === found && unexpected === 0;
  return { found, rightCommit, rightPresence, unexpected, ok };
}

/** Total size of every object in the repository (what --batch-all-objects emits). */
export function allObjectBytes(repo: string): number {
  return run('git', ['-C', repo, 'cat-file', '--batch-all-objects', '--batch-check=%(objectsize)'])
    .split('\n')
    .filter(Boolean)
    .reduce((n, x) => n + Number(x), 0);
}
