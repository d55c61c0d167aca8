import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Corpus } from './corpora.js';
import { run } from './measure.js';

/**
 * Real-world corpora, next to the generated ones: generated trees are regular where real
 * ones are not (minified bundles, source maps, fonts, archives, thousands of tiny files).
 *   - this project's own node_modules, copied under bench/.work/ so the tree stays the same
 *     between runs (copied again when package-lock.json changes);
 *   - the full history of a large public repository, cloned (locally, hard links) under
 *     bench/.work/ from SASQUATCH_BENCH_HISTORY_REPO or, by default, the largest mirror found
 *     among DEFAULT_HISTORY_SOURCES; skipped with a notice when there is none.
 * Nothing is planted in them: their findings are counted, not checked.
 */

/** Where a mirror of a large repository may be (a bare repository, or a folder holding one). */
export const DEFAULT_HISTORY_SOURCES = ['/work/.mirror/redis+redis', '/work/.mirror/curl+curl', '/work/.mirror/eslint+eslint'];

/** A copy of `root`/node_modules under `work` (every file, as ripgrep and the scan see it). */
export function nodeModulesCorpus(work: string, root: string, log: (s: string) => void): Corpus | null {
  const source = path.join(root, 'node_modules');
  const lock = path.join(root, 'package-lock.json');
  if (!existsSync(source) || !existsSync(lock)) {
    log('\n*** no node_modules here (run npm ci): the real-tree corpus is skipped ***\n');
    return null;
  }
  const key = createHash('sha256').update(readFileSync(lock)).digest('hex').slice(0, 16);
  const dir = path.join(work, 'node-modules-copy');
  const manifestPath = `${dir}.json`;
  if (existsSync(manifestPath) && existsSync(dir)) {
    const m = JSON.parse(readFileSync(manifestPath, 'utf8')) as Corpus & { key: string };
    if (m.key === key) return m;
  }
  log(`copying ${source} to ${dir}…\n`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  // a directory named node_modules, as in a project (paths and their context stay real)
  run('cp', ['-a', source, path.join(dir, 'node_modules')]);
  const target = path.join(dir, 'node_modules');
  const { files, bytes } = regularFiles(target);
  const corpus: Corpus = { name: 'node-modules', target, files, bytes, truth: [] };
  writeFileSync(manifestPath, JSON.stringify({ ...corpus, key }));
  return corpus;
}

/** Count and total size of the regular files under dir (symbolic links not followed, as both tools do). */
function regularFiles(dir: string): { files: number; bytes: number } {
  const sizes = run('find', [dir, '-type', 'f', '-printf', '%s\n']).split('\n').filter(Boolean);
  return { files: sizes.length, bytes: sizes.reduce((n, s) => n + Number(s), 0) };
}

export interface LargeHistory {
  /** The clone the scan reads (a bare repository). */
  repo: string;
  /** Where it was cloned from. */
  source: string;
}

/**
 * The large repository whose full history is benchmarked: a local clone of the one named by
 * SASQUATCH_BENCH_HISTORY_REPO, else of the largest default mirror present; null (with the
 * reason logged) when there is none.
 */
export function largeHistoryRepo(work: string, log: (s: string) => void): LargeHistory | null {
  const named = process.env['SASQUATCH_BENCH_HISTORY_REPO'];
  const candidates = (named ? [named] : DEFAULT_HISTORY_SOURCES).map(gitDirIn).filter((d): d is string => d !== null);
  if (!candidates.length) {
    log(named ? `\n*** SASQUATCH_BENCH_HISTORY_REPO=${named} is not a git repository: the large-history row is skipped ***\n` : `\n*** no large repository found (set SASQUATCH_BENCH_HISTORY_REPO to a clone, e.g. of redis or curl): the large-history row is skipped ***\n`);
    return null;
  }
  const source = candidates.reduce((a, b) => (packBytes(b) > packBytes(a) ? b : a));
  const repo = path.join(work, `history-${path.basename(path.dirname(source)).replace(/[^A-Za-z0-9.+-]/g, '_')}-${path.basename(source).replace(/[^A-Za-z0-9.+-]/g, '_')}.git`);
  if (!existsSync(path.join(repo, 'HEAD'))) {
    log(`cloning ${source} to ${repo}…\n`);
    rmSync(repo, { recursive: true, force: true });
    run('git', ['clone', '-q', '--mirror', source, repo]);
  }
  return { repo, source };
}

/** The git directory at p, or in one of its sub-folders (a mirror kept as <name>/repo); null when none. */
function gitDirIn(p: string): string | null {
  if (!existsSync(p)) return null;
  const dirs = [p, ...safeList(p).map((d) => path.join(p, d))];
  for (const d of dirs) {
    try {
      const out = run('git', ['-C', d, 'rev-parse', '--absolute-git-dir']).trim();
      // the folder's own repository, not one it happens to sit inside
      if (out === path.resolve(d) || out === path.resolve(d, '.git')) return out;
    } catch {
      // not a repository: try the next
    }
  }
  return null;
}

function safeList(p: string): string[] {
  try {
    return readdirSync(p, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
  } catch {
    return [];
  }
}

/** Bytes of packed objects (git count-objects): how large a repository's history is. */
function packBytes(gitDir: string): number {
  const m = /size-pack: (\d+)/.exec(run('git', ['--git-dir', gitDir, 'count-objects', '-v']));
  return m ? Number(m[1]) : 0;
}
