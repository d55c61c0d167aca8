import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { gitEnv, gitResult } from './git/git.js';
import { workTreeTop } from './root.js';

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

export async function gitignoreRules(dir: string): Promise<IgnoreRules> {
  const repoTop = await workTreeTop(dir);
  const top = repoTop ?? dir;
  const base = ignore();
  let baseRules = 0;
  for (const file of await excludeFiles(repoTop)) {
    const text = readText(file);
    if (text !== null) {
      base.add(text);
      baseRules++;
    }
  }
  const rules = new GitIgnoreRules(top, repoTop !== null, baseRules ? base : null);
  // A directory named on the command line is scanned even when git ignores it (`scan
  // node_modules`, as ripgrep does): it is then a tree of its own, where only the .gitignore
  // files inside it apply.
  if (repoTop !== null && rules.ignores(dir, true)) return new GitIgnoreRules(dir, false, null);
  return rules;
}

class GitIgnoreRules implements IgnoreRules {
  /** Per directory (from the top): the `.gitignore` levels that apply, deepest first. */
  private readonly chains = new Map<string, Level[]>();
  private tracked: { files: Set<string>; dirs: Set<string> } | null = null;

  constructor(
    private readonly top: string,
    private readonly inRepository: boolean,
    private readonly base: Ignore | null,
  ) {}

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
    if (!verdict) return false;
    // git never ignores what it tracks
    return !this.isTracked(rel, isDir);
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
    if (!this.inRepository) return false;
    this.tracked ??= listTracked(this.top);
    return isDir ? this.tracked.dirs.has(rel) : this.tracked.files.has(rel);
  }
}

function listTracked(top: string): { files: Set<string>; dirs: Set<string> } {
  const files = new Set<string>();
  const dirs = new Set<string>();
  let out = '';
  try {
    out = execFileSync('git', ['-C', top, '-c', 'core.quotePath=false', 'ls-files', '-z'], { env: gitEnv(), encoding: 'utf8', maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    // no list: nothing counts as tracked, the ignore rules alone decide
  }
  for (const f of out.split('\0')) {
    if (!f) continue;
    files.add(f);
    for (let i = f.indexOf('/'); i >= 0; i = f.indexOf('/', i + 1)) dirs.add(f.slice(0, i));
  }
  return { files, dirs };
}

/** `.git/info/exclude` and the global excludes file (core.excludesFile, else XDG's git/ignore). */
async function excludeFiles(repoTop: string | null): Promise<string[]> {
  const files: string[] = [];
  if (repoTop) {
    const r = await gitResult(repoTop, ['rev-parse', '--git-path', 'info/exclude']).catch(() => null);
    if (r?.code === 0 && r.stdout.trim()) files.push(path.resolve(repoTop, r.stdout.trim()));
  }
  const configured = await gitResult(repoTop, ['config', '--path', '--get', 'core.excludesFile']).catch(() => null);
  if (configured?.code === 0 && configured.stdout.trim()) files.push(path.resolve(repoTop ?? process.cwd(), configured.stdout.trim()));
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
