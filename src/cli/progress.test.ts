import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HistoryProgress } from '../pipeline/history.js';
import { describeProgress, progressLine } from './progress.js';

const P: HistoryProgress = { repository: 'repo', phase: 'blobs', commits: 120, blobsListed: 900, listingDone: false, blobsRead: 450, bytesRead: 50e6, elapsedMs: 2000 };

function fakeStream(isTTY: boolean) {
  const writes: string[] = [];
  return { isTTY, columns: 200, writes, write: (s: string) => (writes.push(s), true) };
}

describe('progress line', () => {
  it('shows objects scanned of the total (open while still listing), MB and MB/s', () => {
    assert.equal(describeProgress(P), 'history repo: 450/900+ blobs · 120 commits · 50.0 MB · 25.0 MB/s');
    assert.equal(describeProgress({ ...P, listingDone: true }), 'history repo: 450/900 blobs · 120 commits · 50.0 MB · 25.0 MB/s');
    assert.match(describeProgress({ ...P, phase: 'provenance' }), /tracing commits and paths/);
  });

  it('writes only to a terminal, rewrites in place, and clears itself', () => {
    const tty = fakeStream(true);
    const line = progressLine(tty, false)!;
    line.update(P);
    line.done();
    assert.deepEqual(tty.writes, [`\r${describeProgress(P)}\x1b[K`, '\r\x1b[K']);
    assert.equal(progressLine(fakeStream(false), false), null, 'not a terminal: nothing');
    assert.equal(progressLine(fakeStream(true), true), null, '--quiet: nothing');
  });

  it('fits the terminal width', () => {
    const narrow = { ...fakeStream(true), columns: 30 };
    progressLine(narrow, false)!.update(P);
    assert.equal(narrow.writes[0], `\r${describeProgress(P).slice(0, 29)}\x1b[K`);
  });
});
