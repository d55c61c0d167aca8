import picomatch from 'picomatch';
import type { ListedRepo } from './types.js';

/**
 * Which listed repositories are scanned. Forks are left out unless asked for (their history
 * is mostly their parent's; a fork's own commits can be scanned with --forks); archived
 * repositories are kept (an archived public repository still leaks) unless --no-archived.
 */
export interface RepoFilter {
  forks: boolean;
  archived: boolean;
  /** public, private, internal (empty = all). */
  visibility: string[];
  /** Name globs (`org/api-*`, `*-infra`); a repository matches on its full name or its last part. */
  include: string[];
  exclude: string[];
  /** Largest repository scanned, in KB, when the platform tells the size (0 = no limit). */
  maxSizeKb: number;
}

export const DEFAULT_FILTER: RepoFilter = { forks: false, archived: true, visibility: [], include: [], exclude: [], maxSizeKb: 0 };

export interface Filtered {
  kept: ListedRepo[];
  /** Why each other one was left out: reason → names. */
  left: Record<string, string[]>;
}

export function filterRepos(repos: readonly ListedRepo[], f: RepoFilter): Filtered {
  const matcher = (globs: string[]) => (globs.length ? picomatch(globs, { nocase: true, dot: true }) : null);
  const inc = matcher(f.include);
  const exc = matcher(f.exclude);
  const matches = (m: (s: string) => boolean, name: string) => m(name) || m(name.split('/').pop() ?? name);
  const kept: ListedRepo[] = [];
  const left: Record<string, string[]> = {};
  const leave = (why: string, r: ListedRepo) => (left[why] ??= []).push(r.name);
  for (const r of repos) {
    if (r.fork && !f.forks) leave('fork', r);
    else if (r.archived && !f.archived) leave('archived', r);
    else if (f.visibility.length && !f.visibility.includes((r.visibility ?? '').toLowerCase())) leave(`visibility ${r.visibility ?? 'unknown'}`, r);
    else if (inc && !matches(inc, r.name)) leave('not matching --include-repo', r);
    else if (exc && matches(exc, r.name)) leave('matching --exclude-repo', r);
    else if (f.maxSizeKb && typeof r.sizeKb === 'number' && r.sizeKb > f.maxSizeKb) leave('over --max-repo-size', r);
    else kept.push(r);
  }
  return { kept, left };
}
