import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { ROOT } from './measure.js';

/**
 * The compiled modules' CLI (the same code as the bundled command): its profiles name each
 * function's module, which the categories below go by; the bundle's name only its chunks.
 */
const MODULES_CLI = path.join(ROOT, 'dist/cli/main.js');

/**
 * Where a scan's time goes, measured: one more run of the scan under `node --cpu-prof`
 * (every thread writes a V8 CPU profile), its samples' self time summed by category. For
 * the benchmark rows that miss their target, so RESULTS.md says what bounds them.
 */
export interface ThreadProfile {
  thread: string;
  wallMs: number;
  busyMs: number;
  /** Category → milliseconds of self time. */
  categories: Record<string, number>;
}

const CATEGORIES: [string, RegExp][] = [
  ['keyword pass (automaton + Base64 runs)', /^(walkTwo|walkWasm|walk|pass|drain|emit|endRun|finishRun|addHit|addRun|grow) detect\/keyword-matcher|detect\/keyword-pass|^wasm-function\[|^startsLikeText /],
  ['rule regexes on windows (and cutting the windows)', /^RegExp: |^(matchWindow|toMatch|namedGroups|windowsAround|matchHits|collectHits|startsWithExact|dedupeMatches|decodedOnly|decodeHtmlEntities|decodeJsonEscapes|decodePercentOnce|compose|finish|copy|push|identity|toOriginal|better|\(anonymous\)|pass) (detect|decode)\/|^(slice|latin1Slice|toString) (node:buffer)?$|^latin1Slice/],
  ['Base64 view', /decode\/base64/],
  ['look-alike filter and analyzers', /match-filter|^analyze|\banalyze\//],
  ['lines, columns, allow markers', /positions|inline-allow|^locate |utf8Of|mapValues|utf16Length/],
  ['file and git I/O (syscalls, buffers, cat-file parsing)', /^(read|open|close|fstat|readSync|openSync|closeSync|fstatSync|readdir|lstat|realpath|realpathSync|writev|writeBuffer|writeUtf8String|readAfter|readAt|readAll|_copyActual|createUnsafeBuffer|FastBuffer|fromArrayLike|fromObject|dateFromMs) |git\/cat-file|git\/log-stream|nulTokens|fs-walk/],
  ['garbage collection', /^\(garbage collector\)/],
  ['start-up (loading modules, building the automaton)', /compileSourceTextModule|compileForInternalLoader|wrapSafe|ModuleWrap|^build detect|^KeywordMatcher |esm\/|cjs\/loader|bootstrap\//],
  ['messages between threads', /postMessage|structuredClone|serialize|deserialize|worker\.js|worker-blobs/],
  ['per-blob dispatch (classify, notebooks, archives)', /extract\/|classify|blob-scanner|scan\.js/],
];

export function profileScan(target: string, extra: string[]): ThreadProfile[] {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sasquatch-prof-'));
  try {
    const r = spawnSync(process.execPath, ['--cpu-prof', '--cpu-prof-dir', dir, MODULES_CLI, 'scan', target, '--format', 'json', '--fail-on', 'never', '--quiet', '--now', '2024-01-01T00:00:00Z', ...extra], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`profiled scan failed: ${r.stderr.slice(-500)}`);
    return readdirSync(dir)
      .filter((f) => f.endsWith('.cpuprofile'))
      .sort()
      .map((f, i) => summarize(JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as CpuProfile, i === 0 ? 'main thread' : `worker ${i}`));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string } }[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

function summarize(p: CpuProfile, thread: string): ThreadProfile {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  for (let i = 0; i < p.samples.length; i++) self.set(p.samples[i]!, (self.get(p.samples[i]!) ?? 0) + (p.timeDeltas[i] ?? 0));
  const categories: Record<string, number> = {};
  let busy = 0;
  for (const [id, us] of self) {
    const n = byId.get(id)!;
    const name = `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.split('/').slice(-2).join('/')}`;
    if (name.startsWith('(idle)')) continue;
    busy += us;
    const cat = CATEGORIES.find(([, re]) => re.test(name))?.[0] ?? 'other';
    categories[cat] = (categories[cat] ?? 0) + us / 1000;
  }
  return { thread, wallMs: (p.endTime - p.startTime) / 1000, busyMs: busy / 1000, categories };
}

/** A markdown table: one column per thread, one row per category (ms and share of busy time). */
export function profileTable(threads: ThreadProfile[]): string[] {
  const cats = [...CATEGORIES.map(([c]) => c), 'other'].filter((c) => threads.some((t) => (t.categories[c] ?? 0) >= 1));
  const cell = (t: ThreadProfile, ms: number) => `${Math.round(ms)} ms (${Math.round((100 * ms) / Math.max(1, t.busyMs))} %)`;
  return [
    `| | ${threads.map((t) => t.thread).join(' | ')} |`,
    `| --- | ${threads.map(() => '---:').join(' | ')} |`,
    `| busy / profile length | ${threads.map((t) => `${Math.round(t.busyMs)} / ${Math.round(t.wallMs)} ms`).join(' | ')} |`,
    ...cats.map((c) => `| ${c} | ${threads.map((t) => cell(t, t.categories[c] ?? 0)).join(' | ')} |`),
  ];
}
