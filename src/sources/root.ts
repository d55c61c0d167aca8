import { realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import picomatch from 'picomatch';
import { gitResult } from './git/git.js';
import { isRepositoryUrl } from './git/repo.js';

/**
 * The directory every reported path is relative to, so that `scan notebooks`, `scan .` from
 * inside `notebooks/` and `scan notebooks other` all report `notebooks/explore.ipynb`: the
 * same fingerprints (baselines), SARIF URIs, annotations and `--exclude` patterns whatever was
 * typed. Like git, it is the top of the work tree the targets are in. Outside any repository it
 * is the current directory (or, for targets elsewhere, the directory they share).
 */
export interface ScanRoot {
  /** Absolute, symbolic links resolved. */
  dir: string;
  /** True when `dir` is the top of a git work tree. */
  repository: boolean;
}

/** Where a local target lives: the directory it names (a file's own directory), resolved. */
function targetDir(target: string): string | null {
  const glob = picomatch.scan(target);
  const p = glob.isGlob ? glob.base || '.' : target;
  try {
    const st = statSync(p);
    return realpathSync(st.isDirectory() ? p : path.dirname(p));
  } catch {
    return null;
  }
}

/** The top of the work tree a directory is in, or null (no git, not in a work tree, a bare repository). */
export async function workTreeTop(dir: string): Promise<string | null> {
  try {
    const r = await gitResult(dir, ['rev-parse', '--show-toplevel']);
    const top = r.stdout.trim();
    return r.code === 0 && top ? realpathSync(top) : null;
  } catch {
    return null;
  }
}

export async function resolveScanRoot(targets: readonly string[], cwd: string = process.cwd()): Promise<ScanRoot> {
  const here = realpathSync(cwd);
  const dirs = [...new Set(targets.filter((t) => t !== '-' && !isRepositoryUrl(t)).map(targetDir).filter((d): d is string => d !== null))];
  if (!dirs.length) {
    const top = await workTreeTop(here);
    return top ? { dir: top, repository: true } : { dir: here, repository: false };
  }
  const tops = await Promise.all(dirs.map(workTreeTop));
  if (tops.every((t) => t !== null && t === tops[0])) return { dir: tops[0]!, repository: true };
  const bases = dirs.map((d, i) => tops[i] ?? d);
  if (bases.every((b) => within(here, b))) return { dir: here, repository: false };
  return { dir: commonAncestor(bases), repository: false };
}

/** `dir` relative to the root, `/`-separated ('' for the root itself). */
export function relativeToRoot(root: string, dir: string): string {
  const rel = path.relative(root, dir);
  return path.sep === '/' ? rel : rel.split(path.sep).join('/');
}

/** A path inside the root as reports show it: `prefix/rel` (rel alone when prefix is ''). */
export function joinShown(prefix: string, rel: string): string {
  if (!prefix) return rel;
  if (!rel) return prefix;
  return `${prefix}/${rel}`;
}

function within(parent: string, child: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

function commonAncestor(dirs: string[]): string {
  let common = dirs[0]!;
  for (const d of dirs.slice(1)) while (!within(common, d)) common = path.dirname(common);
  return common;
}
