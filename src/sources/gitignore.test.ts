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

  it('a directory named for the scan is scanned though git ignores it: only the .gitignore files inside it apply', async () => {
    const dir = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'sasquatch-ignore-')));
    try {
      execFileSync('git', ['init', '-q'], { cwd: dir, env: gitTestEnv('2026-01-01T00:00:00Z') });
      mkdirSync(path.join(dir, 'node_modules', 'pkg', 'cache'), { recursive: true });
      writeFileSync(path.join(dir, '.gitignore'), 'node_modules/\n*.log\n');
      writeFileSync(path.join(dir, 'node_modules', 'pkg', '.gitignore'), 'cache/\n');
      const named = path.join(dir, 'node_modules');
      const rules = await gitignoreRules(named);
      assert.equal(rules.ignores(path.join(named, 'pkg', 'index.js'), false), false);
      assert.equal(rules.ignores(path.join(named, 'pkg', 'debug.log'), false), false, 'the ignored tree is a tree of its own');
      assert.equal(rules.ignores(path.join(named, 'pkg', 'cache'), true), true, 'its own .gitignore files apply');
      const fromTop = await gitignoreRules(dir);
      assert.equal(fromTop.ignores(path.join(named, 'pkg', 'index.js'), false), true, 'from the top it stays ignored');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("an ignored directory that holds a tracked file stays under the repository's rules; info/exclude applies from a subdirectory", async () => {
    const dir = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'sasquatch-ignore-')));
    try {
      const env = gitTestEnv('2026-01-01T00:00:00Z');
      execFileSync('git', ['init', '-q'], { cwd: dir, env });
      mkdirSync(path.join(dir, 'vendor', 'lib'), { recursive: true });
      writeFileSync(path.join(dir, '.gitignore'), 'vendor/\n*.log\n');
      writeFileSync(path.join(dir, '.git', 'info', 'exclude'), '*.tmp\n');
      writeFileSync(path.join(dir, 'vendor', 'lib', 'kept.js'), 'x');
      execFileSync('git', ['add', '-f', 'vendor/lib/kept.js'], { cwd: dir, env });
      const named = path.join(dir, 'vendor');
      const rules = await gitignoreRules(named);
      assert.equal(rules.ignores(path.join(named, 'lib', 'kept.js'), false), false, 'tracked');
      assert.equal(rules.ignores(path.join(named, 'lib', 'other.js'), false), true, 'untracked, under an ignored directory of the repository');
      const sub = path.join(dir, 'src');
      mkdirSync(sub);
      const fromSub = await gitignoreRules(sub);
      assert.equal(fromSub.ignores(path.join(sub, 'a.tmp'), false), true, "the repository's info/exclude, found from a subdirectory");
      assert.equal(fromSub.ignores(path.join(sub, 'a.js'), false), false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
