import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { gitTestEnv } from '../testing/git-repo.js';
import { gitignoreRules } from './gitignore.js';

describe('gitignore rules, as git applies them', () => {
  it('a deeper .gitignore wins, ! re-includes, directory patterns match directories, tracked files are never ignored', async () => {
    const dir = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'sasquatch-ignore-')));
    try {
      const env = gitTestEnv('2026-01-01T00:00:00Z');
      execFileSync('git', ['init', '-q'], { cwd: dir, env });
      const write = (rel: string, text: string) => {
        mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
        writeFileSync(path.join(dir, rel), text);
      };
      write('.gitignore', '*.log\nbuild/\n/top-only.txt\n');
      write('sub/.gitignore', '!keep.log\nlocal/\n');
      write('tracked.log', 'x');
      execFileSync('git', ['add', '-f', 'tracked.log'], { cwd: dir, env });
      const rules = await gitignoreRules(dir);
      const is = (rel: string, isDir = false) => rules.ignores(path.join(dir, rel), isDir);
      assert.equal(is('a.log'), true);
      assert.equal(is('sub/a.log'), true);
      assert.equal(is('sub/keep.log'), false, 'deeper negation');
      assert.equal(is('build', true), true);
      assert.equal(is('build'), false, 'build/ matches directories only');
      assert.equal(is('top-only.txt'), true);
      assert.equal(is('sub/top-only.txt'), false, 'anchored to its .gitignore');
      assert.equal(is('sub/local', true), true);
      assert.equal(is('local', true), false);
      assert.equal(is('tracked.log'), false, 'tracked');
      assert.equal(rules.ignores(path.join(os.tmpdir(), 'elsewhere.log'), false), false, 'outside the tree');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
