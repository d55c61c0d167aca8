import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import { DEFAULT_POLICY } from '../analyze/policy.js';
import { BUILTIN_RULES } from '../detect/rules/index.js';
import { toSpecs } from '../detect/rules/serialize.js';
import { tempTree } from '../testing/cli.js';
import { INCIDENT } from '../testing/tokens.js';
import { DEFAULT_BLOB_OPTIONS } from './blob-scanner.js';
import { packFiles, prestartedCount, prestartWorkers, releasePrestarted, ScanPool, unpackFiles } from './pool.js';
import { readAhead } from './read-batch.js';
import { runScan, type ScanOptions } from './scan.js';

describe('worker pool start-up', () => {
  it('tasks sent before a worker has loaded wait in its queue', async () => {
    const pool = new ScanPool(2, toSpecs(BUILTIN_RULES), DEFAULT_BLOB_OPTIONS);
    try {
      assert.equal(pool.hasRoom, true);
      const tree = tempTree({ 'a.txt': `${INCIDENT.urlB()}\n` });
      try {
        const queued = [0, 1, 2, 3].map(() => pool.run({ kind: 'files', files: packFiles([{ path: 'a.txt', fsPath: `${tree.dir}/a.txt` }]), maxFileSize: 0 }));
        assert.equal(pool.hasRoom, false, 'two tasks in flight on each worker');
        const results = await Promise.all(queued);
        assert.deepEqual(
          results.map((r) => r.results.length),
          [1, 1, 1, 1],
        );
      } finally {
        tree.cleanup();
      }
    } finally {
      await pool.close();
    }
  });

  it('a pool takes prestarted workers first (they learn the rules from its first message); the rest are ended', async () => {
    prestartWorkers(3);
    assert.equal(prestartedCount(), 3);
    const pool = new ScanPool(2, toSpecs(BUILTIN_RULES), DEFAULT_BLOB_OPTIONS);
    const tree = tempTree({ 'a.txt': `${INCIDENT.urlB()}\n`, 'b.txt': 'nothing\n' });
    try {
      assert.equal(prestartedCount(), 1);
      const files = [{ path: 'a.txt', fsPath: `${tree.dir}/a.txt` }, { path: 'b.txt', fsPath: `${tree.dir}/b.txt` }];
      const results = await pool.runOnEach({ kind: 'files', files: packFiles(files), maxFileSize: 0 });
      assert.deepEqual(
        results.map((r) => [r.results.map((b) => ('split' in b ? '' : `${b.path}:${b.matches.length}`)), r.clean.files]),
        [
          [['a.txt:1'], 1],
          [['a.txt:1'], 1],
        ],
      );
    } finally {
      releasePrestarted();
      assert.equal(prestartedCount(), 0);
      tree.cleanup();
      await pool.close();
    }
  });

  it('a batch of files travels as two strings and comes back the same: any name but NUL, an empty batch', () => {
    const files = [
      { path: 'a b/c.txt', fsPath: '/t/a b/c.txt' },
      { path: 'new\nline.env', fsPath: '/t/new\nline.env' },
      { path: 'ünï/\u{1F511}.json', fsPath: 'C:\\t\\ünï\\\u{1F511}.json' },
      { path: '', fsPath: '/t/' },
    ];
    assert.deepEqual(unpackFiles(packFiles(files)), files);
    assert.deepEqual(unpackFiles(packFiles([])), []);
    assert.deepEqual(unpackFiles(packFiles([{ path: '', fsPath: '/t/x' }])), [{ path: '', fsPath: '/t/x' }]);
  });

  it('prestarted workers no pool took do not keep the process alive', () => {
    const pool = fileURLToPath(new URL('./pool.js', import.meta.url));
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', `import { prestartWorkers } from ${JSON.stringify(pathToFileURL(pool).href)}; prestartWorkers(2);`], { encoding: 'utf8', timeout: 20_000 });
    assert.equal(r.signal, null, 'ended on its own, not by the timeout');
    assert.equal(r.status, 0, r.stderr);
  });

  it('a scan on threads finds what a scan on one thread finds, the main thread taking batches when the workers have theirs', async () => {
    const files: Record<string, string> = {};
    // enough small files that the main thread scans batches while the worker loads and works
    for (let i = 0; i < 3000; i++) files[`d${i % 30}/f${i}.txt`] = i % 97 === 0 ? `link ${i}: ${INCIDENT.urlB()}\n` : `line ${i}\n`;
    const tree = tempTree(files);
    try {
      const one = await runScan(scanOf(tree.dir, 1));
      const two = await runScan(scanOf(tree.dir, 2));
      assert.equal(two.stats.threads, 2);
      assert.equal(one.findings.length, Math.ceil(3000 / 97));
      assert.deepEqual(key(two), key(one));
      assert.equal(two.stats.filesScanned, 3000);
    } finally {
      tree.cleanup();
    }
  });

  it('a tree of tiny files: the main thread reads files for the worker while it is busy, and the findings are those of one thread', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 6000; i++) files[`d${i % 40}/f${i}.txt`] = i % 89 === 0 ? `link ${i}: ${i % 2 ? INCIDENT.urlA() : INCIDENT.urlB()}\n` : `line ${i} of a small file\n`;
    // a few that are not small, or not readable, among them: read by path wherever they fall
    files['d1/large.txt'] = `${'x'.repeat(70_000)}\n${INCIDENT.urlB()}\n`;
    files['d2/utf16.txt'] = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`k ${INCIDENT.urlA()}\n`, 'utf16le')]).toString('latin1');
    const tree = tempTree(files);
    try {
      const before = readAhead.files;
      const one = await runScan(scanOf(tree.dir, 1));
      assert.equal(readAhead.files, before, 'one thread reads its own files');
      const two = await runScan(scanOf(tree.dir, 2));
      assert.ok(readAhead.files > before, 'the main thread read files for the worker');
      assert.equal(one.findings.length, Math.ceil(6000 / 89) + 2);
      assert.deepEqual(key(two), key(one));
      assert.deepEqual(two.notices, one.notices);
      assert.equal(two.stats.filesScanned, 6002);
      assert.equal(two.stats.bytesScanned, one.stats.bytesScanned);
    } finally {
      tree.cleanup();
    }
  });

  it("a large file's regions are spread over the worker and the main thread: the same findings as one thread", async () => {
    const filler = 'filler line with nothing in it\n';
    const files: Record<string, string> = {};
    // 4 files of ~1.2 MB cut into 64 KB regions: more regions than the worker's queue holds
    for (let f = 0; f < 4; f++) {
      const lines: string[] = [];
      for (let i = 0; i < 40_000; i++) lines.push(i % 5_000 === 1_234 + f ? `link ${f}/${i}: ${INCIDENT.urlB()}\n` : filler);
      files[`big${f}.txt`] = lines.join('');
    }
    for (let i = 0; i < 100; i++) files[`small/f${i}.txt`] = `line ${i}\n`;
    const tree = tempTree(files);
    try {
      const blob = { chunkSize: 64 << 10, overlap: 4096 };
      const one = await runScan({ ...scanOf(tree.dir, 1), blob });
      const two = await runScan({ ...scanOf(tree.dir, 2), blob });
      assert.equal(one.findings.length, 4 * 8);
      assert.deepEqual(key(two), key(one));
      assert.deepEqual(two.notices, []);
    } finally {
      tree.cleanup();
    }
  });
});

/** A scan of `dir` with the built-in rules on `threads` threads. */
function scanOf(dir: string, threads: number): ScanOptions {
  return {
    targets: [dir],
    exclude: [],
    maxFileSize: 0,
    followSymlinks: false,
    threads,
    showSecrets: false,
    includeExamples: false,
    now: new Date('2026-11-29T00:00:00Z'),
    policy: DEFAULT_POLICY,
    rules: BUILTIN_RULES,
  };
}

/** Findings as path:line:column:fingerprint, sorted. */
function key(r: Awaited<ReturnType<typeof runScan>>): string[] {
  return r.findings.map((f) => `${f.location.path}:${f.location.line}:${f.location.column}:${f.fingerprint}`).sort();
}
