import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { TestRepo } from '../../testing/git-repo.js';
import { SyncCatFile } from './cat-file-sync.js';

describe('cat-file read with blocking calls (worker threads)', () => {
  let t: TestRepo;
  // larger than the first buffer (1 MB), and larger than the reused buffer's limit (8 MB)
  const big = 'x'.repeat(1_500_000) + '\nend\n';
  const huge = 'y'.repeat(9 << 20) + '\nend\n';
  const id = (p: string) => t.head(`HEAD:${p}`);
  before(() => {
    t = TestRepo.init();
    t.write('big.txt', big).write('huge.txt', huge).write('empty.txt', '').write('small.txt', 'hello\n').write('page.txt', 'z'.repeat(10_000));
    t.commit('2022-01-01T00:00:00Z', 'files');
  });
  after(() => t.cleanup());

  const open = () => {
    const git = SyncCatFile.open(t.dir);
    assert.ok(git, 'named pipes can be made here');
    return git;
  };

  it('answers in request order: blobs whole, missing names, other types and blobs over the limit read past', async () => {
    const git = open();
    git.send([id('big.txt'), id('empty.txt'), id('small.txt'), '0123456789012345678901234567890123456789', t.head('HEAD'), id('huge.txt'), id('small.txt')]);
    const got = [];
    while (git.outstanding) {
      const o = git.next(10 << 20);
      got.push([o.type, o.size, o.missing, o.bytes ? o.bytes.toString('latin1').slice(-4) : null]);
    }
    assert.deepEqual(got, [
      ['blob', big.length, false, 'end\n'],
      ['blob', 0, false, ''],
      ['blob', 6, false, 'llo\n'],
      [null, 0, true, null],
      ['commit', got[4]![1], false, null],
      ['blob', huge.length, false, 'end\n'],
      ['blob', 6, false, 'llo\n'],
    ]);
    git.send([id('big.txt'), id('small.txt')]);
    assert.deepEqual([git.next(1000).bytes, git.next(1000).bytes?.toString()], [null, 'hello\n'], 'over the limit: size known, content not kept');
    assert.throws(() => git.next(), /no request/);
    git.close();
    assert.equal(await git.exited, 0);
  });

  it('a whole blob is handed out even when it arrives in many reads', () => {
    const git = open();
    git.send([id('huge.txt'), id('big.txt')]);
    assert.equal(git.next().bytes?.toString('latin1'), huge);
    assert.equal(git.next().bytes?.toString('latin1'), big);
    git.close();
  });

  it('fails, never hangs, when git dies or cannot read the repository', async () => {
    const git = open();
    git.send(Array(3000).fill(id('page.txt')));
    git.next();
    git.kill();
    assert.throws(() => {
      for (;;) git.next();
    }, /stopped early/);
    git.close();
    assert.equal(await git.exited, null);

    const nowhere = SyncCatFile.open(path.join(t.dir, 'no-such-dir'))!;
    assert.throws(() => {
      // the write fails if git has exited already, else the read
      nowhere.send([id('small.txt')]);
      nowhere.next();
    }, /stopped early: .*no-such-dir/);
    nowhere.close();
  });

  it('is not made where no named pipe can be (no temporary directory): the caller reads through streams', () => {
    const saved = process.env['TMPDIR'];
    process.env['TMPDIR'] = path.join(t.dir, 'no-such-tmp');
    try {
      assert.equal(SyncCatFile.open(t.dir), null);
    } finally {
      if (saved === undefined) delete process.env['TMPDIR'];
      else process.env['TMPDIR'] = saved;
    }
  });

  it('writes names only as fast as git answers them, so thousands asked at once cannot deadlock; leaves no files behind', () => {
    // 3,000 names (123 KB) of a 10 KB blob: written all at once, git would fill its output
    // while we still wrote its input, each side waiting on the other (run in a child: a
    // deadlock would block this thread's event loop, timeouts included)
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'sasquatch-cat-test-'));
    try {
      const module = new URL('./cat-file-sync.js', import.meta.url).href;
      const script = `
        import { SyncCatFile } from ${JSON.stringify(module)};
        const git = SyncCatFile.open(${JSON.stringify(t.dir)});
        git.send(Array(3000).fill(${JSON.stringify(id('page.txt'))}));
        let bytes = 0;
        while (git.outstanding) bytes += git.next().bytes.length;
        git.close();
        console.log(bytes);`;
      const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 30_000, env: { ...process.env, TMPDIR: tmp } });
      assert.equal(r.signal, null, 'finished (not killed by the timeout)');
      assert.equal(r.stdout.trim(), String(3000 * 10_000), r.stderr);
      assert.deepEqual(readdirSync(tmp), [], 'the pipes and the error file are unlinked once open');
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
