import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { POOL_MIN_FILES, prestartWorkers, workerCount } from '../pipeline/pool.js';

/**
 * `sasquatch scan` of a large directory starts its worker threads first thing, from the raw
 * arguments: a worker takes ~0.1 s to load its code, and started before the CLI's own ~0.15 s
 * of loading and planning it does so on a core that would otherwise wait. A wrong guess costs
 * some CPU, never a result: the scan decides its threads as always, takes the prestarted
 * workers it needs and ends the others (pipeline/pool.ts).
 */
export function prestartScanThreads(args: readonly string[]): void {
  const workers = workersToPrestart(args);
  if (workers > 0) prestartWorkers(workers);
}

/** Flags with which a scan never uses threads, or does not scan at all. */
const NO_THREADS = new Set(['--staged', '-', '--help', '-h']);

/**
 * How many workers a scan with these arguments will most likely use: `threads − 1` (the main
 * thread scans too, pipeline/scan.ts) when a target directory holds enough files; else 0.
 */
export function workersToPrestart(args: readonly string[]): number {
  if (args[0] !== 'scan') return 0;
  const rest = args.slice(1);
  if (rest.some((a) => NO_THREADS.has(a))) return 0;
  const threads = workerCount(threadsFlag(rest));
  if (threads <= 1) return 0;
  // option values cannot be told from targets without the CLI's option table: what names no
  // directory or file is taken for a value, and no target left means the default, `.`
  const paths = rest.filter((a) => !a.startsWith('-') && kindOf(a) !== null);
  const dirs = paths.length ? paths.filter((a) => kindOf(a) === 'dir') : ['.'];
  return dirs.some(holdsManyFiles) ? threads - 1 : 0;
}

/** The value of --threads (0, automatic, when absent or not a count). */
function threadsFlag(args: readonly string[]): number {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const value = a === '--threads' ? args[i + 1] : a.startsWith('--threads=') ? a.slice('--threads='.length) : undefined;
    if (value !== undefined) return /^\d+$/.test(value) ? Number(value) : 0;
  }
  return 0;
}

function kindOf(p: string): 'dir' | 'file' | null {
  try {
    return statSync(p).isDirectory() ? 'dir' : 'file';
  } catch {
    return null;
  }
}

/** Directories read at most to count files: a few milliseconds. */
const PEEK_DIRS = 64;

/**
 * Whether the directory holds POOL_MIN_FILES files or more (git's own directory not counted).
 * Depth first: a node_modules holds hundreds of directories (scopes, packages) before its
 * first file, breadth first would read only those.
 */
function holdsManyFiles(dir: string): boolean {
  const stack = [dir];
  let files = 0;
  for (let read = 0; stack.length && read < PEEK_DIRS; read++) {
    const current = stack.pop()!;
    let entries;
    try {
      entries = readdirSync(current, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      if (e.isDirectory()) {
        if (e.name !== '.git') stack.push(path.join(current, e.name));
      } else if (++files >= POOL_MIN_FILES) return true;
    }
  }
  return false;
}
