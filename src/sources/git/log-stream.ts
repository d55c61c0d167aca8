import { exited, nulTokens, spawnGit, GitError, firstLine } from './git.js';
import type { Repository } from './repo.js';

/**
 * Streams `git log --raw -z`: one commit at a time with the files it changed (old and new
 * blob per path), never the whole log in memory. Merges are diffed against their first
 * parent, so a merge shows what it brought into the line it was made on.
 */
export interface CommitHeader {
  id: string;
  parents: string[];
  /** Author date, ISO-8601 UTC. */
  date: string;
  /** `Name <email>` of the author. */
  author: string;
}

export interface FileChange {
  path: string;
  /** null when the file did not exist before (added). */
  oldBlob: string | null;
  /** null when the file was deleted. */
  newBlob: string | null;
  oldMode: string;
  newMode: string;
}

export interface LoggedCommit {
  commit: CommitHeader;
  changes: FileChange[];
}

const FORMAT = '--format=%x01%H %P%x00%aI%x00%an <%ae>';

/**
 * The arguments every history pass uses. `--root` shows the files of root commits (and of a
 * shallow clone's boundary) as added whatever log.showRoot says; no renames, so a moved file
 * is a deletion and an addition (provenance is per path).
 */
export function logArgs(revisions: readonly string[], pathspec: readonly string[]): string[] {
  return [
    'log',
    '-z',
    '--raw',
    '--no-abbrev',
    '--no-renames',
    '--root',
    '--diff-merges=first-parent',
    '--full-history',
    '--no-ext-diff',
    '--no-textconv',
    '--no-notes',
    '--no-show-signature',
    '--encoding=UTF-8',
    FORMAT,
    // bounded: options only (--all, --reflog, --since=…); commits and ^exclusions go through stdin
    ...revisions.filter(isOption),
    ...(revisions.some((r) => !isOption(r)) ? ['--stdin'] : []),
    '--',
    // bounded: the repository's own sparse/prefix pathspec (a few entries)
    ...pathspec,
  ];
}

function isOption(revision: string): boolean {
  return revision.startsWith('-');
}

/**
 * The revisions that are commits (tips, `^exclusions`), one per line for `--stdin`: an
 * incremental scan excludes every earlier tip, and a repository can have hundreds of
 * thousands of refs — more than a command line holds.
 */
export function stdinRevisions(revisions: readonly string[]): string {
  let out = '';
  for (const r of revisions) if (!isOption(r)) out += `${r}\n`;
  return out;
}

/** True for modes whose object is file content (not a submodule commit or a symlink target). */
export function isFileMode(mode: string): boolean {
  return mode === '100644' || mode === '100755' || mode === '100664';
}

const ZERO = /^0+$/;

export async function* streamLog(repo: Repository, revisions: readonly string[], pathspec: readonly string[] = []): AsyncGenerator<LoggedCommit> {
  const proc = spawnGit(repo.dir, logArgs(revisions, pathspec));
  proc.stdin.on('error', () => {
    // git exited before reading them: its exit code and stderr say why
  });
  proc.stdin.end(stdinRevisions(revisions));
  const done = exited(proc);
  let finished = false;
  try {
    yield* parseLog(nulTokens(proc.stdout));
    finished = true;
  } finally {
    if (!finished) proc.kill();
  }
  const code = await done;
  if (finished && code !== 0) throw new GitError(`git log failed: ${firstLine(proc.stderrText()) || `exit ${code}`}`, ['log'].concat(revisions), proc.stderrText(), code);
}

/** Parses the token stream of `git log -z --raw` with FORMAT (exported for tests). */
export async function* parseLog(tokens: AsyncIterable<string>): AsyncGenerator<LoggedCommit> {
  let current: LoggedCommit | null = null;
  let header: string[] | null = null;
  let pendingMeta: string | null = null;
  for await (let tok of tokens) {
    if (header) {
      header.push(tok);
      if (header.length === 3) {
        current = { commit: headerOf(header), changes: [] };
        header = null;
      }
      continue;
    }
    if (pendingMeta !== null) {
      if (current) current.changes.push(changeOf(pendingMeta, tok));
      pendingMeta = null;
      continue;
    }
    if (tok.startsWith('\n')) tok = tok.slice(1);
    if (tok.startsWith('\x01')) {
      if (current) yield current;
      current = null;
      header = [tok.slice(1)];
    } else if (tok.startsWith(':')) {
      pendingMeta = tok;
    }
  }
  if (current) yield current;
}

function headerOf([ids, date, author]: string[]): CommitHeader {
  const [id, ...parents] = ids!.split(' ').filter(Boolean);
  return { id: id!, parents, date: isoUtc(date!), author: author! };
}

function changeOf(meta: string, path: string): FileChange {
  // :100644 100644 <old> <new> M
  const [oldMode, newMode, oldId, newId] = meta.slice(1).split(' ');
  return {
    path,
    oldMode: oldMode!,
    newMode: newMode!,
    oldBlob: !oldId || ZERO.test(oldId) || !isFileMode(oldMode!) ? null : oldId,
    newBlob: !newId || ZERO.test(newId) || !isFileMode(newMode!) ? null : newId,
  };
}

/** `2020-07-20T10:00:00+02:00` → `2020-07-20T08:00:00Z`. */
export function isoUtc(gitDate: string): string {
  const t = Date.parse(gitDate);
  return Number.isNaN(t) ? gitDate : new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
