import { execFileSync } from 'node:child_process';
import { readFileSync, realpathSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { gitEnv, gitResult } from './git/git.js';

/**
 * What git would leave out of a directory walk (`--respect-gitignore`, the default for files on
 * disk): every `.gitignore` from the top of the work tree down, `.git/info/exclude` and the
 * user's global excludes file, with git's precedence (a deeper file wins; `!pattern`
 * re-includes). Files git tracks are never ignored, as in git. Outside a repository the
 * `.gitignore` files under the scanned directory still apply (node_modules is not your code).
 */
export interface IgnoreRules {
  /** Absolute path (symbolic links resolved as the walk sees them) → left out? */
  ignores(absPath: string, isDir: boolean): boolean;
  /**
   * The same test for paths below `dir` (absolute), given `/`-separated from it with no `.` or
   * `..` components (a directory walk's names): `dir` is made relative once, not every path.
   */
  under(dir: string): (rel: string, isDir: boolean) => boolean;
}

interface Level {
  /** Directory the patterns are relative to, from the top ('' = the top). */
  dir: string;
  ig: Ignore;
}

/**
 * The rules for the paths under `dir` (the walk of one directory). Git is asked once for the
 * work tree and its info/exclude file and once, at the same time, for the global excludes
 * file; the files git tracks are listed only under `dir`, and only when a pattern ignores
 * something there.
 */
export async function gitignoreRules(dir: string): Promise<IgnoreRules> {
  const [repository, configured] = await Promise.all([repositoryOf(dir), configuredExcludesFile(dir)]);
  const repoTop = repository?.top ?? null;
  const top = repoTop ?? dir;
  const base = ignore();
  let baseRules = 0;
  for (const file of excludeFiles(repository, configured)) {
    const text = readText(file);
    if (text !== null) {
      base.add(text);
      baseRules++;
    }
  }
  const scope = repoTop !== null ? toPosix(path.relative(repoTop, dir)) : '';
  const rules = new GitIgnoreRules(top, repoTop !== null ? scope : null, baseRules ? base : null);
  // A directory named on the command line is scanned even when git ignores it (`scan
  // node_modules`, as ripgrep does): it is then a tree of its own, where only the .gitignore
  // files inside it apply.
  if (repoTop !== null && scope && rules.ignoredByPatterns(scope, true)) {
    const tracked = parseTracked((await gitResult(repoTop, lsFilesArgs(scope)).catch(() => null))?.stdout ?? '');
    if (!tracked.dirs.has(scope)) return new GitIgnoreRules(dir, null, null);
    rules.knowTracked(tracked);
  }
  return rules;
}

interface Tracked {
  files: Set<string>;
  dirs: Set<string>;
}

class GitIgnoreRules implements IgnoreRules {
  /** Per directory (from the top): the `.gitignore` levels that apply, deepest first. */
  private readonly chains = new Map<string, Level[]>();
  private tracked: Tracked | null = null;

  /** `scope`: in a repository, the directory (from the top) whose tracked files are listed when needed; null outside one. */
  constructor(
    private readonly top: string,
    private readonly scope: string | null,
    private readonly base: Ignore | null,
  ) {}

  knowTracked(tracked: Tracked): void {
    this.tracked = tracked;
  }

  ignores(absPath: string, isDir: boolean): boolean {
    return this.ignoresFromTop(toPosix(path.relative(this.top, absPath)), isDir);
  }

  under(dir: string): (rel: string, isDir: boolean) => boolean {
    const base = toPosix(path.relative(this.top, dir));
    if (base.startsWith('..') || path.isAbsolute(base)) return () => false;
    return (rel, isDir) => this.ignoresFromTop(base && rel ? `${base}/${rel}` : base || rel, isDir);
  }

  /** `rel`: the path from the top, `/`-separated. */
  private ignoresFromTop(rel: string, isDir: boolean): boolean {
    // git never ignores what it tracks
    return this.ignoredByPatterns(rel, isDir) && !this.isTracked(rel, isDir);
  }

  /** Whether the patterns alone leave `rel` (from the top) out. */
  ignoredByPatterns(rel: string, isDir: boolean): boolean {
    if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) return false;
    const parent = rel.includes('/') ? rel.slice(0, rel.lastIndexOf('/')) : '';
    let verdict: boolean | null = null;
    for (const level of this.chain(parent)) {
      const r = level.ig.test(`${level.dir ? rel.slice(level.dir.length + 1) : rel}${isDir ? '/' : ''}`);
      if (r.ignored || r.unignored) {
        verdict = r.ignored;
        break;
      }
    }
    if (verdict === null && this.base) verdict = this.base.ignores(`${rel}${isDir ? '/' : ''}`);
    return verdict === true;
  }

  private chain(dir: string): Level[] {
    let chain = this.chains.get(dir);
    if (chain) return chain;
    const up = dir ? this.chain(dir.includes('/') ? dir.slice(0, dir.lastIndexOf('/')) : '') : [];
    const text = readText(path.join(this.top, dir, '.gitignore'));
    chain = text !== null ? [{ dir, ig: ignore().add(text) }, ...up] : up;
    this.chains.set(dir, chain);
    return chain;
  }

  private isTracked(rel: string, isDir: boolean): boolean {
    if (this.scope === null) return false;
    this.tracked ??= listTracked(this.top, this.scope);
    return isDir ? this.tracked.dirs.has(rel) : this.tracked.files.has(rel);
  }
}

/** `git ls-files` of the files under `scope` (from the top; '' = all), named literally. */
function lsFilesArgs(scope: string): string[] {
  return ['-c', 'core.quotePath=false', 'ls-files', '-z', ...(scope ? ['--', `:(literal)${scope}`] : [])];
}

/** The tracked files under `scope`, listed when the walk first meets an ignored path (the walk is synchronous there). */
function listTracked(top: string, scope: string): Tracked {
  let out = '';
  try {
    out = execFileSync('git', ['-C', top, ...lsFilesArgs(scope)], { env: gitEnv(), encoding: 'utf8', maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    // no list: nothing counts as tracked, the ignore rules alone decide
  }
  return parseTracked(out);
}

/** `ls-files -z` output → the files, and every directory above one. */
function parseTracked(out: string): Tracked {
  const files = new Set<string>();
  const dirs = new Set<string>();
  for (const f of out.split('\0')) {
    if (!f) continue;
    files.add(f);
    for (let i = f.indexOf('/'); i >= 0; i = f.indexOf('/', i + 1)) dirs.add(f.slice(0, i));
  }
  return { files, dirs };
}

/** The work tree a directory is in: its top (symbolic links resolved) and its `info/exclude` file. */
interface Repository {
  top: string;
  excludeFile: string | null;
}

/** The repository `dir` is in, from one `git rev-parse`; null outside a work tree (or without git). */
async function repositoryOf(dir: string): Promise<Repository | null> {
  try {
    const r = await gitResult(dir, ['rev-parse', '--show-toplevel', '--git-path', 'info/exclude']);
    const [top, exclude] = r.stdout.split('\n');
    if (r.code !== 0 || !top) return null;
    // --git-path answers relative to where git ran
    return { top: realpathSync(top), excludeFile: exclude ? path.resolve(dir, exclude) : null };
  } catch {
    return null;
  }
}

/** core.excludesFile as git reads it from `dir` (its repository's configuration, else the user's), or null. */
async function configuredExcludesFile(dir: string): Promise<string | null> {
  const r = await gitResult(dir, ['config', '--path', '--get', 'core.excludesFile']).catch(() => null);
  const value = r?.code === 0 ? r.stdout.trim() : '';
  return value || null;
}

/** `.git/info/exclude` and the global excludes file (core.excludesFile, else XDG's git/ignore). */
function excludeFiles(repository: Repository | null, configured: string | null): string[] {
  const files: string[] = [];
  if (repository?.excludeFile) files.push(repository.excludeFile);
  if (configured) files.push(path.resolve(repository?.top ?? process.cwd(), configured));
  else {
    const xdg = process.env['XDG_CONFIG_HOME'] || path.join(os.homedir(), '.config');
    files.push(path.join(xdg, 'git', 'ignore'));
  }
  return files;
}

function readText(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

function toPosix(p: string): string {
  return path.sep === '/' ? p : p.split(path.sep).join('/');
}
