import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { largeHistoryRepo, nodeModulesCorpus } from './real-corpora.js';

describe('real-world bench corpora', () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'sasquatch-real-corpora-'));
  after(() => rmSync(tmp, { recursive: true, force: true }));
  const logged: string[] = [];
  const log = (s: string) => logged.push(s);

  it('copies node_modules whole (hidden files, nested packages) and reuses the copy while package-lock.json is unchanged', () => {
    const root = path.join(tmp, 'project');
    mkdirSync(path.join(root, 'node_modules/a/node_modules/b'), { recursive: true });
    writeFileSync(path.join(root, 'node_modules/a/index.js'), 'module.exports = 1;\n');
    writeFileSync(path.join(root, 'node_modules/a/node_modules/b/.npmrc'), 'x=1\n');
    writeFileSync(path.join(root, 'package-lock.json'), '{"v":1}');
    const work = path.join(tmp, 'work');
    const c = nodeModulesCorpus(work, root, log)!;
    assert.equal(path.basename(c.target), 'node_modules');
    assert.deepEqual([c.files, c.bytes], [2, 'module.exports = 1;\n'.length + 'x=1\n'.length]);
    assert.ok(existsSync(path.join(c.target, 'a/node_modules/b/.npmrc')));
    // the copy is stable: a change to the source is not seen until the lock file changes
    writeFileSync(path.join(root, 'node_modules/a/new.js'), '1\n');
    assert.equal(nodeModulesCorpus(work, root, log)!.files, 2);
    writeFileSync(path.join(root, 'package-lock.json'), '{"v":2}');
    assert.equal(nodeModulesCorpus(work, root, log)!.files, 3);
  });

  it('clones the named repository (found inside a mirror folder) and skips, saying so, when there is none', () => {
    const mirror = path.join(tmp, 'mirror/owner+name');
    const src = path.join(tmp, 'src');
    mkdirSync(src, { recursive: true });
    const git = (cwd: string, ...args: string[]) => execFileSync('git', ['-C', cwd, ...args], { encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.org', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.org' } });
    git(src, 'init', '-q');
    writeFileSync(path.join(src, 'f.txt'), 'hello\n');
    git(src, 'add', 'f.txt');
    git(src, 'commit', '-q', '-m', 'one');
    mkdirSync(mirror, { recursive: true });
    execFileSync('git', ['clone', '-q', '--mirror', src, path.join(mirror, 'repo')]);
    const work = path.join(tmp, 'work-history');
    mkdirSync(work, { recursive: true });
    const saved = process.env['SASQUATCH_BENCH_HISTORY_REPO'];
    try {
      process.env['SASQUATCH_BENCH_HISTORY_REPO'] = mirror;
      const h = largeHistoryRepo(work, log)!;
      assert.equal(h.source, path.join(mirror, 'repo'));
      assert.ok(h.repo.startsWith(work));
      assert.equal(git(h.repo, 'log', '--format=%s').trim(), 'one');

      process.env['SASQUATCH_BENCH_HISTORY_REPO'] = path.join(tmp, 'not-a-repo');
      mkdirSync(path.join(tmp, 'not-a-repo'), { recursive: true });
      logged.length = 0;
      assert.equal(largeHistoryRepo(work, log), null);
      assert.match(logged.join(''), /not a git repository: the large-history row is skipped/);
    } finally {
      if (saved === undefined) delete process.env['SASQUATCH_BENCH_HISTORY_REPO'];
      else process.env['SASQUATCH_BENCH_HISTORY_REPO'] = saved;
    }
  });
});
