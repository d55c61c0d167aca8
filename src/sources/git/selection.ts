import { git, gitResult } from './git.js';
import type { Repository } from './repo.js';

/**
 * Which history to read. By default every ref (`--all`: branches, tags, remotes, notes, the
 * stash) and every older stash entry (they live only in the stash's reflog). Other reflog
 * entries — amended or reset-away commits nobody else has — are read only with `reflog`.
 */
export interface HistoryOptions {
  /** Only these refs (branch, tag, remote branch or commit); empty = all refs. */
  branches: string[];
  /** Only commits made after this instant (committer date, as git's --since). */
  since?: Date;
  /** Only commits not reachable from this one (an incremental scan after REV). */
  sinceCommit?: string;
  /** Only commits not reachable from any of these (the ref tips an earlier scan read). */
  exclude?: string[];
  /**
   * Only commits reachable from these (one part of a history split across jobs); unlike
   * `branches`, HEAD and every ref are still what presence is judged on.
   */
  within?: string[];
  /** Also every commit in the reflogs. */
  reflog: boolean;
}

export interface RefTip {
  /** What to put before `:path` for git (`refs/heads/main`, `HEAD`, `stash@{1}`). */
  name: string;
}

export interface Selection {
  /** Revision arguments for `git log`. */
  revisions: string[];
  /** A range limit is set: only secrets introduced inside the range are reported. */
  limited: boolean;
  /** The line `presentAtHead` and `removed` are judged on: HEAD, or the one --branch. */
  head: string | null;
  /** The ref the head is (`refs/heads/main` for HEAD on main): not listed again among the tips. */
  headRef: string | null;
  /** Refs whose tips are checked for which secrets they still hold (the head is checked apart). */
  tips: RefTip[];
  /** For notices: what was read. */
  description: string;
}

export class SelectionError extends Error {}

export async function resolveSelection(repo: Repository, opts: HistoryOptions): Promise<Selection> {
  const revisions: string[] = [];
  const tips: RefTip[] = [];
  let description: string;
  if (opts.branches.length) {
    for (const b of opts.branches) {
      if (!(await isCommit(repo, b))) throw new SelectionError(`--branch ${b}: no such branch, tag or commit in this repository`);
      const full = (await gitResult(repo.dir, ['rev-parse', '--symbolic-full-name', b])).stdout.trim();
      revisions.push(b);
      tips.push({ name: full || b });
    }
    description = opts.branches.join(', ');
  } else {
    if (opts.within?.length) {
      for (const rev of opts.within) if (!(await isCommit(repo, rev))) throw new SelectionError(`${rev}: no such commit in this repository`);
      for (const rev of opts.within) revisions.push(rev);
    } else revisions.push('--all');
    const refs = await listRefs(repo);
    // a repository may have hundreds of thousands of refs: no spread into arguments
    for (const name of refs) tips.push({ name });
    const stashes = await olderStashes(repo);
    for (const s of stashes) {
      tips.push({ name: s.name });
      if (!opts.within?.length) revisions.push(s.id);
    }
    description = opts.within?.length ? `commits reachable from ${opts.within.map((r) => r.slice(0, 12)).join(', ')}` : describeRefs(refs, stashes.length);
  }
  if (opts.reflog) {
    revisions.push('--reflog');
    description += ' and the reflogs';
  }
  if (opts.sinceCommit) {
    if (!(await isCommit(repo, opts.sinceCommit))) throw new SelectionError(`--since-commit ${opts.sinceCommit}: no such commit in this repository`);
    const id = (await git(repo.dir, ['rev-parse', '--verify', '--quiet', `${opts.sinceCommit}^{commit}`])).trim();
    revisions.push(`^${id}`);
    description += `, commits after ${id.slice(0, 12)}`;
  }
  const excluded: string[] = [];
  for (const rev of opts.exclude ?? []) {
    if (!(await isCommit(repo, rev))) throw new SelectionError(`${rev}: no such commit in this repository (to read history after it)`);
    excluded.push((await git(repo.dir, ['rev-parse', '--verify', '--quiet', `${rev}^{commit}`])).trim());
  }
  if (excluded.length) {
    // the tips of an earlier scan: as many as the repository has refs, so no spread
    for (const id of excluded) revisions.push(`^${id}`);
    description += `, commits after ${excluded.length === 1 ? excluded[0]!.slice(0, 12) : `${excluded.length} earlier tips`}`;
  }
  if (opts.since) {
    revisions.push(`--since=${opts.since.toISOString()}`);
    description += `, commits since ${opts.since.toISOString().replace(/T00:00:00\.000Z$/, '').replace(/\.000Z$/, 'Z')}`;
  }
  const head = opts.branches.length === 1 ? opts.branches[0]! : (await isCommit(repo, 'HEAD')) ? 'HEAD' : null;
  const headRef = head === 'HEAD' ? (await gitResult(repo.dir, ['symbolic-ref', '-q', 'HEAD'])).stdout.trim() || null : head ? tips[0]!.name : null;
  return { revisions, limited: Boolean(opts.since || opts.sinceCommit || excluded.length), head, headRef, tips, description };
}

async function isCommit(repo: Repository, rev: string): Promise<boolean> {
  if (rev.startsWith('-')) return false;
  const r = await gitResult(repo.dir, ['rev-parse', '--verify', '--quiet', `${rev}^{commit}`]);
  return r.code === 0;
}

/** Every ref except symbolic ones (`refs/remotes/origin/HEAD` names a branch already listed). */
async function listRefs(repo: Repository): Promise<string[]> {
  const out = await git(repo.dir, ['for-each-ref', '--format=%(refname)%00%(symref)']);
  return out
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split('\0'))
    .filter(([, symref]) => !symref)
    .map(([name]) => name!);
}

/** Stash entries below the top one (`stash@{1}`…), which `--all` does not reach. */
async function olderStashes(repo: Repository): Promise<{ id: string; name: string }[]> {
  const r = await gitResult(repo.dir, ['log', '--walk-reflogs', '--format=%H', 'refs/stash', '--']);
  if (r.code !== 0) return [];
  return r.stdout
    .split('\n')
    .filter(Boolean)
    .slice(1)
    .map((id, i) => ({ id, name: `stash@{${i + 1}}` }));
}

function describeRefs(refs: string[], olderStashes: number): string {
  const count = (prefix: string) => refs.filter((r) => r.startsWith(prefix)).length;
  const parts: string[] = [];
  const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  const heads = count('refs/heads/');
  const tags = count('refs/tags/');
  const remotes = count('refs/remotes/');
  if (heads) parts.push(plural(heads, 'branch', 'branches'));
  if (tags) parts.push(plural(tags, 'tag', 'tags'));
  if (remotes) parts.push(plural(remotes, 'remote branch', 'remote branches'));
  const stashes = (refs.includes('refs/stash') ? 1 : 0) + olderStashes;
  if (stashes) parts.push(plural(stashes, 'stash entry', 'stash entries'));
  const other = refs.length - heads - tags - remotes - (refs.includes('refs/stash') ? 1 : 0);
  if (other) parts.push(plural(other, 'other ref', 'other refs'));
  return `all refs (${parts.join(', ') || 'none'})`;
}
