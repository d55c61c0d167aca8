import type { CommitHeader } from './log-stream.js';

/**
 * The life of each secret on each path, from the file changes that touched blobs holding it.
 * Pure: git is read elsewhere; this decides what "introduced", "removed" and "present" mean.
 *
 * A *key* is one secret on one path (sasquatch uses the finding fingerprint: rule + secret +
 * path). For a change of `path` from blob `old` to blob `new` in commit C (merges are diffed
 * against their first parent):
 *   - C **introduces** k when `new` holds k and `old` does not;
 *   - C **carries** k when both hold it (the file changed, the secret stayed);
 *   - C **removes** k when `old` holds it and `new` does not (edited out, or file deleted).
 *
 * Then, per key:
 *   - `introduced` is the earliest introduction (author date; on a tie the one git lists
 *     later, i.e. the older in its walk). A branch commit that added it wins over the merge
 *     that later brought it into the main line.
 *   - `presentAtHead`: the head's blob at the path holds k.
 *   - `removed` (only when not present at head):
 *       · if k was ever on the head's first-parent line (some change of k was made on it,
 *         including a merge bringing it in), the newest commit on that line that removed it:
 *         when it left the main line (a merge, if it was removed on a branch first);
 *       · otherwise (it only ever lived on other branches, tags or the stash): null while
 *         some selected ref still holds it at its tip (`presentInRefs` says which), else the
 *         newest removal anywhere.
 */
export interface ChangeEvent {
  /** Position in the log output (0 = first listed, the newest); ties on date go to the larger. */
  seq: number;
  commit: CommitHeader;
  path: string;
  oldBlob: string | null;
  newBlob: string | null;
}

export interface TimelineInput {
  events: readonly ChangeEvent[];
  /** Keys a blob holds at a path ([] for null or a blob without findings). */
  keysAt(blob: string | null, path: string): readonly string[];
  /** The head's blob at a path; null when absent or there is no head. */
  headBlob(path: string): string | null;
  /** Selected refs other than the head, with their blob at a path. */
  tips: readonly { name: string; blobAt(path: string): string | null }[];
  /** Position of a commit on the head's first-parent line (0 = the head), undefined when off it. */
  chainIndex(commit: string): number | undefined;
  /** Limited ranges report only keys introduced inside the range. */
  requireIntroduction: boolean;
}

export interface Timeline {
  key: string;
  path: string;
  introduced: ChangeEvent;
  /** The blob the introducing commit wrote (positions are exact for it). */
  introducedBlob: string;
  /**
   * Every commit that wrote a blob holding k at the path, oldest first (introduced included);
   * a merge that only brought in a blob a branch commit wrote is not a writer.
   */
  occurrences: ChangeEvent[];
  presentAtHead: boolean;
  removed: ChangeEvent | null;
  presentInRefs: string[];
}

interface Acc {
  path: string;
  intros: ChangeEvent[];
  carries: ChangeEvent[];
  removals: ChangeEvent[];
}

export function buildTimelines(input: TimelineInput): Timeline[] {
  const byKey = new Map<string, Acc>();
  const acc = (k: string, path: string) => {
    let a = byKey.get(k);
    if (!a) byKey.set(k, (a = { path, intros: [], carries: [], removals: [] }));
    return a;
  };
  for (const e of input.events) {
    const now = input.keysAt(e.newBlob, e.path);
    const before = input.keysAt(e.oldBlob, e.path);
    for (const k of now) (before.includes(k) ? acc(k, e.path).carries : acc(k, e.path).intros).push(e);
    for (const k of before) if (!now.includes(k)) acc(k, e.path).removals.push(e);
  }
  const writtenByNonMerge = new Set(input.events.filter((e) => e.commit.parents.length < 2 && e.newBlob).map((e) => `${e.path}\0${e.newBlob}`));
  const wrote = (e: ChangeEvent) => e.commit.parents.length < 2 || !writtenByNonMerge.has(`${e.path}\0${e.newBlob}`);
  const out: Timeline[] = [];
  for (const [key, a] of byKey) {
    const introduced = a.intros.length ? earliest(a.intros) : input.requireIntroduction ? null : a.carries.length ? earliest(a.carries) : null;
    if (!introduced || !introduced.newBlob) continue;
    const presentAtHead = input.keysAt(input.headBlob(a.path), a.path).includes(key);
    const presentInRefs = input.tips.filter((t) => input.keysAt(t.blobAt(a.path), a.path).includes(key)).map((t) => t.name);
    out.push({
      key,
      path: a.path,
      introduced,
      introducedBlob: introduced.newBlob,
      occurrences: [...a.intros, ...a.carries].filter((e) => e === introduced || wrote(e)).sort(oldestFirst),
      presentAtHead,
      removed: presentAtHead ? null : removal(a, presentInRefs, input),
      presentInRefs,
    });
  }
  return out;
}

function removal(a: Acc, presentInRefs: string[], input: TimelineInput): ChangeEvent | null {
  const everOnLine = [...a.intros, ...a.carries, ...a.removals].some((e) => input.chainIndex(e.commit.id) !== undefined);
  if (everOnLine) {
    let best: ChangeEvent | null = null;
    let bestIndex = Infinity;
    for (const e of a.removals) {
      const i = input.chainIndex(e.commit.id);
      if (i !== undefined && i < bestIndex) {
        best = e;
        bestIndex = i;
      }
    }
    return best;
  }
  if (presentInRefs.length || !a.removals.length) return null;
  return [...a.removals].sort(oldestFirst).pop()!;
}

/** Oldest first: by author date, then by git's walk order (larger seq = listed later = older). */
function oldestFirst(x: ChangeEvent, y: ChangeEvent): number {
  return x.commit.date.localeCompare(y.commit.date) || y.seq - x.seq;
}

function earliest(events: ChangeEvent[]): ChangeEvent {
  return events.reduce((best, e) => (oldestFirst(e, best) < 0 ? e : best));
}
