import { resolveBlobs } from './cat-file.js';
import { exited, spawnGit } from './git.js';
import { streamLog } from './log-stream.js';
import type { Repository } from './repo.js';
import type { Selection } from './selection.js';
import type { ChangeEvent } from './timeline.js';

/**
 * The provenance pass: after the blobs have been scanned, read the log once more and keep
 * only the changes that touched a blob with findings. Its memory is the size of that
 * answer, not of the history.
 */
export async function collectEvents(
  repo: Repository,
  selection: Selection,
  interesting: (blob: string) => boolean,
  skipPath: (path: string) => boolean = () => false,
): Promise<{ events: ChangeEvent[]; commits: number }> {
  const events: ChangeEvent[] = [];
  let seq = 0;
  for await (const { commit, changes } of streamLog(repo, selection.revisions, pathspecOf(repo))) {
    for (const c of changes) {
      if (((c.oldBlob && interesting(c.oldBlob)) || (c.newBlob && interesting(c.newBlob))) && !skipPath(c.path)) {
        events.push({ seq, commit, path: c.path, oldBlob: c.oldBlob, newBlob: c.newBlob });
      }
    }
    seq++;
  }
  return { events, commits: seq };
}

/** Limits history to the target directory when the target is inside a work tree. */
export function pathspecOf(repo: Repository): string[] {
  return repo.prefix ? [`:(top,literal)${repo.prefix}`] : [];
}

/** Refs × paths lookups beyond this are not made (thousands of tags on a big repository). */
export const MAX_TIP_LOOKUPS = 50_000;

export interface TipState {
  head: (path: string) => string | null;
  tips: { name: string; blobAt(path: string): string | null }[];
  /** Refs left out because of MAX_TIP_LOOKUPS. */
  skippedRefs: number;
}

/** Which blob the head and each selected ref hold at each of the given paths. */
export async function tipState(repo: Repository, selection: Selection, paths: readonly string[]): Promise<TipState> {
  const usable = paths.filter((p) => !p.includes('\n'));
  const maxTips = Math.max(0, Math.floor(MAX_TIP_LOOKUPS / Math.max(1, usable.length)) - 1);
  // branches first, then tags, remotes and the rest
  const rank = (n: string) => (n.startsWith('refs/heads/') ? 0 : n.startsWith('refs/tags/') ? 1 : n.startsWith('refs/remotes/') ? 2 : 3);
  const ordered = [...selection.tips].sort((a, b) => rank(a.name) - rank(b.name)).filter((t) => t.name !== selection.head && t.name !== selection.headRef);
  const tips = ordered.slice(0, maxTips);
  const names: string[] = [];
  const revs = selection.head ? [selection.head, ...tips.map((t) => t.name)] : tips.map((t) => t.name);
  for (const rev of revs) for (const p of usable) names.push(`${rev}:${p}`);
  const found = await resolveBlobs(repo, names);
  const at = (rev: string) => (p: string) => found.get(`${rev}:${p}`) ?? null;
  return {
    head: selection.head ? at(selection.head) : () => null,
    tips: tips.map((t) => ({ name: t.name, blobAt: at(t.name) })),
    skippedRefs: ordered.length - tips.length,
  };
}

/**
 * Positions of the given commits on the head's first-parent line (0 = head). Streams
 * `rev-list --first-parent` and stops as soon as every commit asked about has been seen.
 */
export async function firstParentPositions(repo: Repository, head: string | null, commits: ReadonlySet<string>): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (!head || !commits.size) return out;
  const proc = spawnGit(repo.dir, ['rev-list', '--first-parent', head, '--']);
  proc.stdin.end();
  const done = exited(proc);
  let index = 0;
  let rest = '';
  proc.stdout.setEncoding('utf8');
  try {
    for await (const chunk of proc.stdout as AsyncIterable<string>) {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop()!;
      for (const id of lines) {
        if (commits.has(id)) out.set(id, index);
        index++;
      }
      if (out.size === commits.size) break;
    }
  } finally {
    if (out.size === commits.size) proc.kill();
  }
  await done;
  return out;
}
