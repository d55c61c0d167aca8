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
    assert.equal(describeProgress({ ...P, phase: 'clone', repository: 'https://***@host/r.git' }), 'cloning https://***@host/r.git (mirror, into a temporary directory)…');
  });

  it('writes only to a terminal, rewrites in place, and clears itself', () => {
    const tty = fakeStream(true);
    const line = progressLine(tty, false);
    line.update(describeProgress(P));
    line.update('too soon: dropped (at most ten updates a second)');
    line.done();
    assert.deepEqual(tty.writes, [`\r${describeProgress(P)}\x1b[K`, '\r\x1b[K']);
    for (const [stream, quiet, why] of [[fakeStream(false), false, 'not a terminal'], [fakeStream(true), true, '--quiet']] as const) {
      const silent = progressLine(stream, quiet);
      silent.update('x');
      silent.done();
      assert.deepEqual(stream.writes, [], `${why}: nothing`);
    }
  });

  it('escapes control and bidirectional characters of the names it shows', () => {
    const tty = fakeStream(true);
    const line = progressLine(tty, false);
    line.update(describeProgress({ ...P, repository: 'evil\x1b[2J\rforged\u202e' }));
    const text = tty.writes[0]!.slice(1, -'\x1b[K'.length);
    assert.doesNotMatch(text, /[\x00-\x1f\u202e]/);
    assert.match(text, /evil\\x1b\[2J\\rforged\\u202e/);
  });

  it('shortens a long repository name from the left', () => {
    assert.match(describeProgress({ ...P, repository: `/very/long/path/to/${'x'.repeat(40)}/repo.git` }), /^history …x+\/repo\.git: /);
  });

  it('fits the terminal width (100 columns when the terminal does not say)', () => {
    const unknown = { ...fakeStream(true), columns: 0 };
    const long = { ...P, repository: 'r'.repeat(32), commits: 10 ** 12, blobsRead: 10 ** 12, blobsListed: 10 ** 12 };
    assert.ok(describeProgress(long).length > 99);
    progressLine(unknown, false).update(describeProgress(long));
    assert.equal(unknown.writes[0], `\r${describeProgress(long).slice(0, 99)}\x1b[K`);

    const narrow = { ...fakeStream(true), columns: 30 };
    progressLine(narrow, false).update(describeProgress(P));
    assert.equal(narrow.writes[0], `\r${describeProgress(P).slice(0, 29)}\x1b[K`);
  });
});
