import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { git, gitResult, GitError, firstLine } from './git.js';

/**
 * A repository to read history from: where git should run, whether there is a work tree,
 * and which part of it was asked for (a target inside a work tree limits history to that
 * directory, and paths are reported relative to it, like the file walk does).
 */
export interface Repository {
  /** Directory git runs in (`git -C`). */
  dir: string;
  gitDir: string;
  /** False for bare repositories, mirrors, and a `.git` directory named directly. */
  hasWorkTree: boolean;
  bare: boolean;
  shallow: boolean;
  /** Commits the shallow clone was cut at (their parents are missing). */
  shallowBoundary: ReadonlySet<string>;
  /** `sub/dir/` when the target is a directory inside the work tree, else ''. */
  prefix: string;
  objectFormat: 'sha1' | 'sha256';
  /** Set when the repository was cloned from a URL into a temporary directory. */
  clonedFrom?: string;
}

/** Returns the repository a directory target belongs to, or null when it is not in one. */
export async function openRepository(target: string): Promise<Repository | null> {
  let st;
  try {
    st = await stat(target);
  } catch {
    return null;
  }
  if (!st.isDirectory()) return null;
  let r;
  try {
    r = await gitResult(target, ['rev-parse', '--is-bare-repository', '--is-inside-work-tree', '--is-inside-git-dir', '--is-shallow-repository', '--absolute-git-dir', '--show-object-format']);
  } catch (e) {
    // no git on this machine: only worth a word when the target looks like a repository
    if (!existsSync(path.join(target, '.git')) && !existsSync(path.join(target, 'HEAD'))) return null;
    throw new GitError(`git is not available (${e instanceof Error ? e.message : String(e)}): history not scanned`, ['rev-parse'], '', null);
  }
  if (r.code !== 0) {
    if (/dubious ownership|safe\.directory/i.test(r.stderr)) throw new GitError(`git refuses to read ${target}: ${firstLine(r.stderr)}`, ['rev-parse'], r.stderr, r.code);
    return null;
  }
  const [bare, inWorkTree, inGitDir, shallow, gitDir, format] = r.stdout.trim().split('\n');
  const common = { gitDir: gitDir!, shallow: shallow === 'true', objectFormat: format === 'sha256' ? ('sha256' as const) : ('sha1' as const) };
  if (bare === 'true' || inGitDir === 'true') {
    // only the git directory itself is a repository; a folder inside it (hooks/, objects/) is not
    if ((await realpath(target)) !== (await realpath(gitDir!))) return null;
    return { dir: target, hasWorkTree: false, bare: bare === 'true', prefix: '', shallowBoundary: readShallow(gitDir!, common.shallow), ...common };
  }
  if (inWorkTree !== 'true') return null;
  const prefix = (await git(target, ['rev-parse', '--show-prefix'])).trim();
  return { dir: target, hasWorkTree: true, bare: false, prefix, shallowBoundary: readShallow(gitDir!, common.shallow), ...common };
}

function readShallow(gitDir: string, shallow: boolean): ReadonlySet<string> {
  if (!shallow) return new Set();
  try {
    return new Set(readFileSync(path.join(gitDir, 'shallow'), 'utf8').split('\n').filter(Boolean));
  } catch {
    return new Set();
  }
}

/**
 * `https://…`, `http://…`, `ssh://…`, `git://…`, `file://…` and scp-like `user@host:path`:
 * targets to clone rather than to read from disk.
 */
export function isRepositoryUrl(target: string): boolean {
  if (/^(?:https?|ssh|git|file|git\+ssh|ssh\+git):\/\//i.test(target)) return true;
  return /^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:(?!\/\/)[^\s]+$/.test(target);
}

/** The URL as it may be shown: any user:password in it replaced, query strings dropped. */
export function displayUrl(url: string): string {
  return url.replace(/^([a-z+]+:\/\/)[^/@\s]*@/i, '$1***@').replace(/\?.*$/, '');
}

export interface Clone {
  repo: Repository;
  cleanup(): void;
}

/**
 * Clones a URL into a temporary directory as a mirror (every ref, no checkout) and returns
 * it with a cleanup function; the directory is also removed if the process is interrupted.
 */
export async function cloneToTemp(url: string): Promise<Clone> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sasquatch-clone-'));
  let removed = false;
  const cleanup = () => {
    if (removed) return;
    removed = true;
    rmSync(dir, { recursive: true, force: true });
    process.off('exit', cleanup);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
  const onSignal = (sig: NodeJS.Signals) => {
    cleanup();
    process.kill(process.pid, sig);
  };
  process.on('exit', cleanup);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const target = path.join(dir, 'repo.git');
  const r = await gitResult(null, ['clone', '--mirror', '--quiet', '--no-hardlinks', '--', url, target]);
  if (r.code !== 0) {
    cleanup();
    throw new GitError(`cannot clone ${displayUrl(url)}: ${firstLine(r.stderr.replaceAll(url, displayUrl(url))) || `exit ${r.code}`}`, ['clone'], '', r.code);
  }
  const repo = await openRepository(target);
  if (!repo) {
    cleanup();
    throw new GitError(`cloned ${displayUrl(url)} but cannot read it as a repository`, ['clone'], '', 0);
  }
  return { repo: { ...repo, clonedFrom: displayUrl(url) }, cleanup };
}
