import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { workerCount } from '../pipeline/pool.js';
import { tempTree } from '../testing/cli.js';
import { workersToPrestart } from './prestart.js';

describe('workers started before the CLI loads', () => {
  const many: Record<string, string> = {};
  for (let i = 0; i < 70; i++) many[`big/d${i % 3}/f${i}.txt`] = 'x\n';
  for (let i = 0; i < 10; i++) many[`small/f${i}.txt`] = 'x\n';
  for (let i = 0; i < 80; i++) many[`repo/.git/objects/o${i}`] = 'x\n';
  many['repo/README.md'] = 'x\n';
  // a node_modules: scopes and packages, hundreds of directories before the first file
  for (let i = 0; i < 300; i++) for (const f of ['package.json', 'README.md', 'lib/index.js', 'lib/util.js']) many[`nm/@scope${i}/pkg/${f}`] = 'x\n';

  it('for a scan of a directory with enough files: threads − 1 (the main thread scans too)', () => {
    const tree = tempTree(many);
    try {
      const big = `${tree.dir}/big`;
      assert.equal(workersToPrestart(['scan', big, '--threads', '3']), 2);
      assert.equal(workersToPrestart(['scan', '--threads=4', big]), 3);
      assert.equal(workersToPrestart(['scan', big]), workerCount(0) - 1);
      // option values and globs name no path; a file among the targets does not hide a directory
      assert.equal(workersToPrestart(['scan', '--format', 'json', big, '--fail-on', 'never', '--threads', '2']), 1);
      assert.equal(workersToPrestart(['scan', `${tree.dir}/small/f1.txt`, big, '--threads', '2']), 1);
      assert.equal(workersToPrestart(['scan', `${tree.dir}/nm`, '--threads', '2']), 1, 'files deep below many directories');
    } finally {
      tree.cleanup();
    }
  });

  it('none for a small directory, files, stdin, staged changes, one thread, help or another command', () => {
    const tree = tempTree(many);
    try {
      const big = `${tree.dir}/big`;
      assert.equal(workersToPrestart(['scan', `${tree.dir}/small`, '--threads', '3']), 0);
      assert.equal(workersToPrestart(['scan', `${tree.dir}/repo`, '--threads', '3']), 0, "git's own files are not counted");
      assert.equal(workersToPrestart(['scan', `${tree.dir}/small/f1.txt`, '--threads', '3']), 0);
      assert.equal(workersToPrestart(['scan', '-', '--threads', '3']), 0);
      assert.equal(workersToPrestart(['scan', '--staged', big, '--threads', '3']), 0);
      assert.equal(workersToPrestart(['scan', big, '--threads', '1']), 0);
      assert.equal(workersToPrestart(['scan', big, '--threads=1']), 0);
      assert.equal(workersToPrestart(['scan', big, '--help']), 0);
      assert.equal(workersToPrestart(['explain', big]), 0);
      assert.equal(workersToPrestart([]), 0);
    } finally {
      tree.cleanup();
    }
  });
});
