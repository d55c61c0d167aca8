import { realpathSync } from 'node:fs';
import path from 'node:path';
import { applyHistory } from '../analyze/exposure.js';
import type { Finding } from '../model/finding.js';
import { GitError } from '../sources/git/git.js';
import { cloneToTemp, displayUrl, isRepositoryUrl, openRepository, type Repository } from '../sources/git/repo.js';
import { resolveSelection, SelectionError, type HistoryOptions } from '../sources/git/selection.js';
import { excludedPathTest } from '../sources/fs-walk.js';
import { joinShown, relativeToRoot, workTreeTop } from '../sources/root.js';
import type { Notice } from '../sources/types.js';
import { scanHistory, scanStaged, type HistoryContext, type HistoryProgress, type HistoryStats } from './history.js';

/**
 * Which targets are git repositories and how each is scanned:
 *   - a work tree (or a directory inside one): its files are walked as usual, and its history
 *     is read — all of it by default; with --branch/--since/--since-commit only that history
 *     (those select commits, so the files on disk are not walked);
 *   - a bare repository, a `.git` directory, or a URL (cloned as a temporary mirror): history only;
 *   - with --staged: only the index (what the next commit adds).
 */
export interface RepositoryTarget {
  target: string;
  label: string;
  repo: Repository;
  /** --exclude, applied to repository paths as the walk applies it to files. */
  skipPath: (repoPath: string) => boolean;
  /** The working tree is walked too; its findings merge with the history ones. */
  walkTree: boolean;
  display: (repoPath: string) => string;
  /** True for paths the walk of this target reports. */
  owns: (shownPath: string) => boolean;
}

export interface RepositoryPlan {
  /** Targets for the file walk. */
  walk: string[];
  repositories: RepositoryTarget[];
  /** Removes temporary clones. */
  cleanup(): void;
}

export interface RepositoryScanOptions {
  /** Directory reported paths are relative to (sources/root.ts); work-tree paths are shown from it. */
  root?: string;
  /** Filled with the --exclude patterns that matched a path in history. */
  excludeHits?: Set<string>;
  /** Configured include globs: history honours them like the walk does. */
  include?: string[];
  history: HistoryOptions | false;
  staged: boolean;
  exclude: string[];
}

export async function planRepositories(targets: readonly string[], opts: RepositoryScanOptions, notices: Notice[], onProgress?: (p: HistoryProgress) => void): Promise<RepositoryPlan> {
  const single = targets.length === 1;
  const walk: string[] = [];
  const repositories: RepositoryTarget[] = [];
  const cleanups: (() => void)[] = [];
  const wantsGit = opts.history !== false || opts.staged;
  const limited = opts.history !== false && (opts.history.branches.length > 0 || Boolean(opts.history.since || opts.history.sinceCommit));
  for (const target of targets) {
    if (isRepositoryUrl(target)) {
      const label = displayUrl(target);
      if (!wantsGit) {
        notices.push({ level: 'warning', path: label, skipped: 'not-found', message: 'a repository URL is scanned through its history; --no-history leaves nothing to scan' });
        continue;
      }
      try {
        onProgress?.({ repository: label, phase: 'clone', commits: 0, blobsListed: 0, listingDone: false, blobsRead: 0, bytesRead: 0, elapsedMs: 0 });
        const clone = await cloneToTemp(target);
        cleanups.push(clone.cleanup);
        repositories.push(repoTarget(target, label, clone.repo, false, single, true, opts));
      } catch (e) {
        notices.push({ level: 'warning', path: label, skipped: 'not-found', message: errorText(e) });
      }
      continue;
    }
    let repo: Repository | null = null;
    if (wantsGit) {
      try {
        repo = await openRepository(target);
      } catch (e) {
        notices.push({ level: 'warning', path: target, message: `${errorText(e)}; scanning its files only` });
      }
    }
    if (!repo) {
      if (opts.staged) notices.push({ level: 'warning', path: target, skipped: 'not-found', message: '--staged needs a git work tree; this is not one' });
      else {
        if (limited) notices.push({ level: 'warning', path: target, message: `${selectors(opts.history as HistoryOptions)} select${/, /.test(selectors(opts.history as HistoryOptions)) ? '' : 's'} git history, and this is not in a git repository: all its files were scanned, whatever their date` });
        walk.push(target);
      }
      continue;
    }
    if (opts.staged && !repo.hasWorkTree) {
      notices.push({ level: 'warning', path: target, skipped: 'not-found', message: '--staged needs a git work tree; this repository has none' });
      continue;
    }
    const walkTree = repo.hasWorkTree && !opts.staged && !limited;
    if (walkTree) walk.push(target);
    const shown = repo.hasWorkTree && opts.root !== undefined ? await workTreeBase(target, opts.root) : null;
    repositories.push(shown ? rootedTarget(target, repo, walkTree, shown, opts) : repoTarget(target, target, repo, walkTree, single, false, opts));
  }
  return { walk, repositories, cleanup: () => cleanups.forEach((c) => c()) };
}

function selectors(h: HistoryOptions): string {
  return [h.since ? '--since' : '', h.sinceCommit ? '--since-commit' : '', h.branches.length ? '--branch' : ''].filter(Boolean).join(', ');
}

/** Where a work tree's top and the target itself are, seen from the scan root. */
async function workTreeBase(target: string, root: string): Promise<{ top: string; target: string } | null> {
  const top = await workTreeTop(target);
  if (!top) return null;
  return { top: relativeToRoot(root, top), target: relativeToRoot(root, realpathSync(target)) };
}

/** A work tree under the scan root: its paths are shown from the root, as the walk shows them. */
function rootedTarget(target: string, repo: Repository, walkTree: boolean, shown: { top: string; target: string }, opts: RepositoryScanOptions): RepositoryTarget {
  const excluded = excludedPathTest(opts.exclude, opts.include ?? [], opts.excludeHits);
  const display = (repoPath: string) => joinShown(shown.top, repoPath);
  return {
    target,
    label: target,
    repo,
    skipPath: (repoPath) => excluded(display(repoPath)),
    walkTree,
    display,
    owns: (p) => (!shown.target ? !p.startsWith('../') : p === shown.target || p.startsWith(`${shown.target}/`)),
  };
}

/** A bare repository, a mirror or a URL: repository paths, prefixed with the target when there are several. */
function repoTarget(target: string, label: string, repo: Repository, walkTree: boolean, single: boolean, url: boolean, opts: RepositoryScanOptions): RepositoryTarget {
  // what the walk puts before the paths of this target (nothing when it is the only one)
  // (a local repository among others: where it is from the scan root, as the walk would show it)
  const local = () => (opts.root !== undefined ? `${relativeToRoot(opts.root, realpathSync(target))}/`.replace(/^\/$/, '') : toPosix(path.join(target, 'x')).slice(0, -1));
  const root = single ? '' : url ? `${label}/` : local();
  const excluded = excludedPathTest(opts.exclude, opts.include ?? [], opts.excludeHits);
  return {
    target,
    label,
    repo,
    skipPath: (repoPath) => excluded(repoPath.slice(repo.prefix.length)),
    walkTree,
    display: (repoPath) => root + repoPath.slice(repo.prefix.length),
    owns: (shown) => shown.startsWith(root),
  };
}

/** What every repository's scan shares; the per-target parts (paths, exclusions, label) are added here. */
export type RepositoryScanContext = Omit<HistoryContext, 'display' | 'skipPath' | 'label'>;

export interface RepositoryScanResult {
  findings: Finding[];
  stats: HistoryStats[];
  /** Targets whose history was read completely (their other findings are uncommitted). */
  complete: RepositoryTarget[];
}

/** Reads the history (or index) of each repository target; a failure is a warning for that target. */
export async function scanRepositories(plan: RepositoryPlan, opts: RepositoryScanOptions, ctx: RepositoryScanContext, notices: Notice[]): Promise<RepositoryScanResult> {
  const out: RepositoryScanResult = { findings: [], stats: [], complete: [] };
  for (const t of plan.repositories) {
    const hctx = { ...ctx, display: t.display, skipPath: t.skipPath, label: t.label };
    try {
      const result = opts.staged ? await scanStaged(t.repo, hctx) : await scanHistory(t.repo, await resolveSelection(t.repo, opts.history as HistoryOptions), hctx);
      for (const f of result.findings) out.findings.push(f);
      for (const n of result.notices) notices.push(n);
      out.stats.push(result.stats);
      if (t.walkTree) out.complete.push(t);
    } catch (e) {
      if (e instanceof SelectionError) throw e; // a usage error (an unknown --branch): the whole command fails
      // one repository's failure is that repository's error: the others and the files are still reported
      const skipped = e instanceof GitError ? 'unreadable' : 'internal-error';
      notices.push({ level: 'warning', path: t.label, skipped, message: `${opts.staged ? 'staged changes' : 'history'} not scanned: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}` });
    }
  }
  return out;
}

/**
 * One finding per secret and path: a secret found both on disk and in history is the
 * on-disk finding (its line is where it is now) carrying the history block. Findings on
 * disk that no commit holds are marked uncommitted; history is judged (analyze/exposure).
 */
export function mergeHistory(tree: Finding[], history: RepositoryScanResult, now: Date): Finding[] {
  const byFingerprint = new Map(tree.map((f) => [f.fingerprint, f]));
  const merged = [...tree];
  for (const h of history.findings) {
    const onDisk = byFingerprint.get(h.fingerprint);
    if (!onDisk) {
      merged.push(h);
      continue;
    }
    onDisk.history = h.history;
    if (!h.history!.presentAtHead) onDisk.location.uncommitted = true;
  }
  for (const f of tree) {
    if (!f.history && history.complete.some((t) => t.owns(f.location.path))) f.location.uncommitted = true;
  }
  for (const f of merged) if (f.history) applyHistory(f, f.history, now);
  return merged;
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
