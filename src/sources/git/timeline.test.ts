import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildTimelines, type ChangeEvent, type TimelineInput } from './timeline.js';

/**
 * Timelines from hand-written change events. Blobs are named by what they hold: blob "S"
 * holds secret S, "ST" holds S and T, "x" holds nothing. Commits are given in git's walk
 * order (newest first), dates are days.
 */
let seq = 0;
function ev(commit: string, day: number, path: string, oldBlob: string | null, newBlob: string | null, parents = 1): ChangeEvent {
  const ids = Array.from({ length: parents }, (_, i) => `${commit}^${i + 1}`);
  return { seq: seq++, commit: { id: commit, parents: ids, author: 'A <a@x>', date: `2022-01-${String(day).padStart(2, '0')}T00:00:00Z` }, path, oldBlob, newBlob };
}

function input(events: ChangeEvent[], opts: Partial<TimelineInput> & { head?: Record<string, string>; chain?: string[] } = {}): TimelineInput {
  const head = opts.head ?? {};
  const chain = opts.chain ?? [];
  return {
    events,
    keysAt: (blob, path) => (blob ? [...blob].filter((c) => c >= 'A' && c <= 'Z').map((c) => `${c}@${path}`) : []),
    headBlob: (p) => head[p] ?? null,
    tips: opts.tips ?? [],
    chainIndex: (c) => (chain.includes(c) ? chain.indexOf(c) : undefined),
    requireIntroduction: opts.requireIntroduction ?? false,
  };
}

function byKey(events: ChangeEvent[], opts?: Parameters<typeof input>[1]) {
  return new Map(buildTimelines(input(events, opts)).map((t) => [t.key, t]));
}

describe('secret timelines', () => {
  it('introduced, carried through an edit, removed on the main line', () => {
    seq = 0;
    const events = [ev('c3', 3, 'f', 'Sx', 'x'), ev('c2', 2, 'f', 'S', 'Sx'), ev('c1', 1, 'f', null, 'S')];
    const t = byKey(events, { chain: ['c3', 'c2', 'c1'] }).get('S@f')!;
    assert.equal(t.introduced.commit.id, 'c1');
    assert.equal(t.introducedBlob, 'S');
    assert.deepEqual(t.occurrences.map((e) => e.commit.id), ['c1', 'c2']);
    assert.equal(t.presentAtHead, false);
    assert.equal(t.removed?.commit.id, 'c3');
  });

  it('present at head: never removed', () => {
    seq = 0;
    const t = byKey([ev('c1', 1, 'f', null, 'S')], { head: { f: 'S' }, chain: ['c1'] }).get('S@f')!;
    assert.equal(t.presentAtHead, true);
    assert.equal(t.removed, null);
  });

  it('a replacement is the removal of one secret and the introduction of the other', () => {
    seq = 0;
    const m = byKey([ev('c2', 2, 'f', 'A', 'B'), ev('c1', 1, 'f', null, 'A')], { head: { f: 'B' }, chain: ['c2', 'c1'] });
    assert.equal(m.get('A@f')!.removed?.commit.id, 'c2');
    assert.equal(m.get('B@f')!.introduced.commit.id, 'c2');
    assert.equal(m.get('B@f')!.presentAtHead, true);
  });

  it('keys are per path: a copy elsewhere is its own timeline', () => {
    seq = 0;
    const m = byKey([ev('c2', 2, 'g', null, 'S'), ev('c1', 1, 'f', null, 'S')]);
    assert.deepEqual([...m.keys()].sort(), ['S@f', 'S@g']);
    assert.equal(m.get('S@g')!.introduced.commit.id, 'c2');
  });

  it('a branch commit introduces; the merge that brings it in (first-parent diff) does not win', () => {
    seq = 0;
    // walk order: merge m (first-parent diff shows S arriving), branch commit b, main commit c1
    const events = [ev('m', 5, 'f', 'x', 'S', 2), ev('b', 3, 'f', 'x', 'S')];
    const t = byKey(events, { head: { f: 'S' }, chain: ['m', 'c1'] }).get('S@f')!;
    assert.equal(t.introduced.commit.id, 'b');
    assert.deepEqual(t.occurrences.map((e) => e.commit.id), ['b'], 'the merge brought the blob in, it did not write it');
  });

  it('a merge that writes a blob of its own (a conflict resolution) is a writer', () => {
    seq = 0;
    const events = [ev('m', 5, 'f', 'x', 'Sy', 2), ev('b', 3, 'f', 'x', 'S')];
    const t = byKey(events, { head: { f: 'Sy' }, chain: ['m'] }).get('S@f')!;
    assert.deepEqual(t.occurrences.map((e) => e.commit.id), ['b', 'm']);
  });

  it('removed on a branch, then merged: removed is the merge, when it left the main line', () => {
    seq = 0;
    const events = [ev('m', 5, 'f', 'S', 'x', 2), ev('b', 4, 'f', 'S', 'x'), ev('c1', 1, 'f', null, 'S')];
    const t = byKey(events, { head: { f: 'x' }, chain: ['m', 'c1'] }).get('S@f')!;
    assert.equal(t.removed?.commit.id, 'm');
  });

  it('only on an unmerged branch: not removed while a ref still holds it', () => {
    seq = 0;
    const events = [ev('b1', 2, 'f', null, 'S')];
    const tips = [{ name: 'refs/heads/leak', blobAt: () => 'S' }];
    const t = byKey(events, { chain: ['c1'], tips }).get('S@f')!;
    assert.equal(t.presentAtHead, false);
    assert.equal(t.removed, null);
    assert.deepEqual(t.presentInRefs, ['refs/heads/leak']);
  });

  it('only on a branch that deleted it again: removed by that branch commit', () => {
    seq = 0;
    const events = [ev('b2', 3, 'f', 'S', null), ev('b1', 2, 'f', null, 'S')];
    const tips = [{ name: 'refs/heads/leak', blobAt: () => null }];
    const t = byKey(events, { chain: ['c1'], tips }).get('S@f')!;
    assert.equal(t.removed?.commit.id, 'b2');
    assert.deepEqual(t.presentInRefs, []);
  });

  it('on the main line at some point, removed there: the newest main-line removal counts, not a branch one', () => {
    seq = 0;
    const events = [ev('c4', 9, 'f', 'S', 'x'), ev('b', 8, 'f', 'S', 'x'), ev('c2', 2, 'f', null, 'S')];
    const t = byKey(events, { chain: ['c4', 'c3', 'c2'] }).get('S@f')!;
    assert.equal(t.removed?.commit.id, 'c4');
  });

  it('equal dates: the commit git lists later (older in its walk) is the introduction', () => {
    seq = 0;
    const events = [ev('child', 1, 'f', 'x', 'S'), ev('parent', 1, 'f', null, 'S')];
    // both introduce relative to their own parents; same timestamp
    assert.equal(byKey(events).get('S@f')!.introduced.commit.id, 'parent');
  });

  it('limited ranges report only secrets introduced inside them', () => {
    seq = 0;
    const events = [ev('c2', 2, 'f', 'S', 'ST')];
    const m = byKey(events, { requireIntroduction: true });
    assert.deepEqual([...m.keys()], ['T@f']);
    const all = byKey(events, { requireIntroduction: false });
    assert.deepEqual([...all.keys()].sort(), ['S@f', 'T@f']);
    assert.equal(all.get('S@f')!.introduced.commit.id, 'c2', 'a full scan that only saw a carry falls back to it');
  });
});
