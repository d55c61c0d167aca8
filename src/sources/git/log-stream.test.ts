import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nulTokens } from './git.js';
import { isoUtc, parseLog, type LoggedCommit } from './log-stream.js';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const Z = '0'.repeat(40);
const C1 = '1'.repeat(40);
const C2 = '2'.repeat(40);

async function* chunks(text: string, size: number): AsyncGenerator<Buffer> {
  const buf = Buffer.from(text, 'utf8');
  for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size);
}

async function parse(text: string, chunkSize = 7): Promise<LoggedCommit[]> {
  const out: LoggedCommit[] = [];
  for await (const c of parseLog(nulTokens(chunks(text, chunkSize)))) out.push(c);
  return out;
}

// what `git log -z --raw --format=%x01%H %P%x00%aI%x00%an <%ae>` writes
const LOG =
  `\x01${C2} ${C1}\0` +
  `2021-10-06T11:00:00+02:00\0Ann Ö <ann@example.org>\0` +
  `\n:100644 100644 ${A} ${B} M\0dir/with space/ü.md\0` +
  `:100644 000000 ${A} ${Z} D\0gone.txt\0` +
  `:000000 160000 ${Z} ${B} A\0submodule\0` +
  `:000000 120000 ${Z} ${B} A\0link\0` +
  `\x01${C1}\0` +
  `2020-07-20T10:00:00Z\0Bob <bob@example.org>\0` +
  `\n:000000 100755 ${Z} ${A} A\0run.sh\0` +
  `\x01${'3'.repeat(40)} ${C1} ${C2}\0` +
  `2022-01-01T00:00:00Z\0Merge <m@example.org>\0`;

describe('parseLog', () => {
  for (const size of [1, 7, 64, 100000]) {
    it(`reads commits and file changes across ${size}-byte chunks`, async () => {
      const commits = await parse(LOG, size);
      assert.equal(commits.length, 3);
      const [c2, c1, merge] = commits;
      assert.deepEqual(c2!.commit, { id: C2, parents: [C1], date: '2021-10-06T09:00:00Z', author: 'Ann Ö <ann@example.org>' });
      assert.deepEqual(
        c2!.changes.map((c) => [c.path, c.oldBlob, c.newBlob]),
        [
          ['dir/with space/ü.md', A, B],
          ['gone.txt', A, null],
          ['submodule', null, null], // a gitlink is a commit, not content
          ['link', null, null], // a symlink's blob is its target path
        ],
      );
      assert.deepEqual(c1!.commit.parents, []);
      assert.deepEqual(c1!.changes.map((c) => [c.path, c.newBlob]), [['run.sh', A]]);
      assert.deepEqual(merge!.commit.parents, [C1, C2]);
      assert.deepEqual(merge!.changes, []);
    });
  }

  it('normalises git dates to UTC', () => {
    assert.equal(isoUtc('2020-07-20T12:00:00+02:00'), '2020-07-20T10:00:00Z');
  });
});
