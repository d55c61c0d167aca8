import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_POLICY } from '../analyze/policy.js';
import { BUILTIN_RULES } from '../detect/rules/index.js';
import { toSpecs } from '../detect/rules/serialize.js';
import { tempTree } from '../testing/cli.js';
import { INCIDENT } from '../testing/tokens.js';
import { DEFAULT_BLOB_OPTIONS } from './blob-scanner.js';
import { ScanPool } from './pool.js';
import { runScan, type ScanOptions } from './scan.js';

describe('worker pool start-up', () => {
  it('says when a worker has loaded; tasks sent before then wait in its queue', async () => {
    const pool = new ScanPool(2, toSpecs(BUILTIN_RULES), DEFAULT_BLOB_OPTIONS);
    try {
      assert.equal(pool.anyReady, false, 'a worker takes a while to load');
      assert.equal(pool.hasRoom, true);
      const tree = tempTree({ 'a.txt': `${INCIDENT.urlB()}\n` });
      try {
        const queued = [0, 1, 2, 3].map(() => pool.run({ kind: 'files', files: [{ path: 'a.txt', fsPath: `${tree.dir}/a.txt` }], maxFileSize: 0 }));
        assert.equal(pool.hasRoom, false, 'two tasks in flight on each worker');
        const results = await Promise.all(queued);
        assert.deepEqual(
          results.map((r) => r.results.length),
          [1, 1, 1, 1],
        );
        assert.equal(pool.anyReady, true);
      } finally {
        tree.cleanup();
      }
    } finally {
      await pool.close();
    }
  });

  it('a scan on threads finds what a scan on one thread finds, the main thread helping while the workers load', async () => {
    const files: Record<string, string> = {};
    // enough small files that the main thread scans batches before the workers are ready
    for (let i = 0; i < 3000; i++) files[`d${i % 30}/f${i}.txt`] = i % 97 === 0 ? `link ${i}: ${INCIDENT.urlB()}\n` : `line ${i}\n`;
    const tree = tempTree(files);
    try {
      const options = (threads: number): ScanOptions => ({
        targets: [tree.dir],
        exclude: [],
        maxFileSize: 0,
        followSymlinks: false,
        threads,
        showSecrets: false,
        includeExamples: false,
        now: new Date('2026-11-29T00:00:00Z'),
        policy: DEFAULT_POLICY,
        rules: BUILTIN_RULES,
      });
      const key = (r: Awaited<ReturnType<typeof runScan>>) => r.findings.map((f) => `${f.location.path}:${f.location.line}:${f.fingerprint}`).sort();
      const one = await runScan(options(1));
      const two = await runScan(options(2));
      assert.equal(two.stats.threads, 2);
      assert.equal(one.findings.length, Math.ceil(3000 / 97));
      assert.deepEqual(key(two), key(one));
      assert.equal(two.stats.filesScanned, 3000);
    } finally {
      tree.cleanup();
    }
  });
});
