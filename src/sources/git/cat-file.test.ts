import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TestRepo } from '../../testing/git-repo.js';
import { CatFileBatch, resolveBlobs } from './cat-file.js';
import { openRepository, type Repository } from './repo.js';

describe('cat-file batch reader', () => {
  let t: TestRepo;
  let repo: Repository;
  const big = 'x'.repeat(300_000) + '\nend\n';
  before(async () => {
    t = TestRepo.init();
    t.write('big.txt', big).write('empty.txt', '').write('small.txt', 'hello\n').write('sub/bin.dat', Buffer.from([0, 1, 2, 3, 10, 10]).toString('latin1'));
    t.commit('2022-01-01T00:00:00Z', 'files');
    repo = (await openRepository(t.dir))!;
  });
  after(() => t.cleanup());

  it('streams blobs of any size in request order, with their tags, and skips those over the limit', async () => {
    const ids = ['big.txt', 'empty.txt', 'small.txt'].map((p) => t.head(`HEAD:${p}`));
    const batch = new CatFileBatch(repo);
    const got: { tag: string; type: string | null; size: number; tail: string | null; missing: boolean }[] = [];
    const reading = (async () => {
      for await (const o of batch.objects(400_000)) {
        got.push({ tag: o.tag, type: o.type, size: o.size, tail: o.bytes ? Buffer.from(o.bytes).toString('latin1').slice(-4) : null, missing: o.missing });
      }
    })();
    for (const [i, id] of ids.entries()) await batch.request(id, `tag${i}`);
    await batch.request('0123456789012345678901234567890123456789', 'missing');
    await batch.request(t.head('HEAD'), 'a commit');
    await batch.request(ids[0]!, 'again');
    batch.end();
    await reading;
    assert.deepEqual(
      got.map((g) => [g.tag, g.type, g.tail, g.missing]),
      [
        ['tag0', 'blob', 'end\n', false],
        ['tag1', 'blob', '', false],
        ['tag2', 'blob', 'llo\n', false],
        ['missing', null, null, true],
        ['a commit', 'commit', null, false],
        ['again', 'blob', 'end\n', false],
      ],
    );
    assert.deepEqual([got[0]!.size, got[1]!.size, got[2]!.size], [big.length, 0, 6]);

    const limited = new CatFileBatch(repo);
    const sizes: (number | null)[] = [];
    const r2 = (async () => {
      for await (const o of limited.objects(1000)) sizes.push(o.bytes ? o.bytes.length : null);
    })();
    for (const id of ids) await limited.request(id);
    limited.end();
    await r2;
    assert.deepEqual(sizes, [null, 0, 6]);
  });

  it('with reuse, writes each blob into one shared buffer and hands each out whole before the next', async () => {
    const ids = ['big.txt', 'small.txt', 'big.txt', 'empty.txt', 'small.txt'].map((p) => t.head(`HEAD:${p}`));
    const batch = new CatFileBatch(repo);
    const seen: { text: string; buffer: ArrayBufferLike }[] = [];
    const reading = (async () => {
      for await (const o of batch.objects(0, true)) seen.push({ text: Buffer.from(o.bytes!).toString('latin1'), buffer: o.bytes!.buffer });
    })();
    for (const id of ids) await batch.request(id);
    batch.end();
    await reading;
    assert.deepEqual(
      seen.map((s) => s.text),
      [big, 'hello\n', big, '', 'hello\n'],
    );
    // one allocation for all of them (a fresh buffer per blob was a history scan's garbage)
    assert.equal(new Set(seen.map((s) => s.buffer)).size, 1);
  });

  it('resolves rev:path names to blob ids, null where there is none', async () => {
    const m = await resolveBlobs(repo, ['HEAD:small.txt', 'HEAD:nope.txt', 'HEAD:sub', 'HEAD:path with space']);
    assert.equal(m.get('HEAD:small.txt'), t.head('HEAD:small.txt'));
    assert.equal(m.get('HEAD:nope.txt'), null);
    assert.equal(m.get('HEAD:sub'), null, 'a tree is not a blob');
    assert.equal(m.get('HEAD:path with space'), null);
  });
});
