import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { Detector } from '../detect/engine.js';
import { BUILTIN_RULES } from '../detect/rules/index.js';
import { tempTree } from '../testing/cli.js';
import { INCIDENT } from '../testing/tokens.js';
import { DEFAULT_BLOB_OPTIONS, scanFileBatch } from './blob-scanner.js';
import { readSmallFiles, scanReadBatch, sliceReadBatch, SMALL_FILE } from './read-batch.js';

const detector = new Detector(BUILTIN_RULES);

describe('small files read by the walking thread', () => {
  it('reads what fits one read and is within --max-file-size; the rest goes by path, in order; scanned from memory it gives what reading by path gives', () => {
    const tree = tempTree({
      'a.txt': `url ${INCIDENT.urlA()}\n`,
      'empty.txt': '',
      'exactly.txt': 'x'.repeat(SMALL_FILE),
      'big.txt': `${'y'.repeat(SMALL_FILE)}\n${INCIDENT.urlB()}\n`,
      'over.txt': `${'z'.repeat(1200)}\n${INCIDENT.urlB()}\n`,
      'b.txt': `second ${INCIDENT.urlB()}\n`,
      'utf16.txt': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`k ${INCIDENT.urlA()}\n`, 'utf16le')]).toString('latin1'),
      'nb.ipynb': JSON.stringify({ cells: [{ cell_type: 'code', source: [`u = "${INCIDENT.urlB()}"\n`] }], metadata: {}, nbformat: 4, nbformat_minor: 5 }),
    });
    try {
      mkdirSync(path.join(tree.dir, 'dir.txt'));
      const names = ['a.txt', 'missing.txt', 'empty.txt', 'exactly.txt', 'big.txt', 'dir.txt', 'over.txt', 'b.txt', 'utf16.txt', 'nb.ipynb'];
      const files = names.map((n) => ({ path: n, fsPath: path.join(tree.dir, n) }));
      const { read, rest } = readSmallFiles(files, 1000);
      assert.deepEqual(read?.files.map((f) => f.path), ['a.txt', 'empty.txt', 'b.txt', 'utf16.txt', 'nb.ipynb']);
      assert.deepEqual(rest.map((f) => f.path), ['missing.txt', 'exactly.txt', 'big.txt', 'dir.txt', 'over.txt']);
      const fromMemory = scanReadBatch(detector, read!, DEFAULT_BLOB_OPTIONS);
      const byPath = scanFileBatch(detector, files.filter((f) => read!.files.some((r) => r.path === f.path)), DEFAULT_BLOB_OPTIONS, 1000);
      assert.deepEqual(fromMemory, byPath);
      assert.equal(fromMemory.results.filter((r) => !('split' in r) && r.matches.length).length, 4, 'the links in a.txt, b.txt, the UTF-16 file and the notebook');
    } finally {
      tree.cleanup();
    }
  });

  it('a size the walk measured over SMALL_FILE is not opened; files that no longer fit the buffer go by path', () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 80; i++) files[`f${i}.txt`] = `${String(i).padStart(4, '0')}${'q'.repeat(60_000)}\n`;
    const tree = tempTree(files);
    try {
      const items = Object.keys(files).map((n) => ({ path: n, fsPath: path.join(tree.dir, n) }));
      const { read, rest } = readSmallFiles([{ path: 'gone', fsPath: path.join(tree.dir, 'gone'), size: SMALL_FILE + 1 }, ...items], 0);
      assert.ok(read && read.files.length >= 60 && read.files.length < 80, `${read?.files.length} files fit 4 MB`);
      assert.deepEqual(rest.map((f) => f.path), ['gone', ...items.slice(read.files.length).map((f) => f.path)]);
      assert.equal(read.bytes.length, read.ends[read.ends.length - 1]);
      assert.equal(read.bytes.byteOffset, 0, 'a buffer of its own, to transfer');
    } finally {
      tree.cleanup();
    }
  });

  it('without --max-file-size, a file that fills its read is still read by path (it may hold more)', () => {
    const tree = tempTree({ 'exact.txt': 'e'.repeat(SMALL_FILE), 'bigger.txt': 'b'.repeat(SMALL_FILE + 1), 'small.txt': 's' });
    try {
      const { read, rest } = readSmallFiles(['exact.txt', 'bigger.txt', 'small.txt'].map((n) => ({ path: n, fsPath: path.join(tree.dir, n) })), 0);
      assert.deepEqual(read?.files.map((f) => f.path), ['small.txt']);
      assert.deepEqual(rest.map((f) => f.path), ['exact.txt', 'bigger.txt']);
    } finally {
      tree.cleanup();
    }
  });

  it('slices of a read batch scan as the whole batch does', () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 40; i++) files[`f${i}.txt`] = i % 7 === 0 ? `n${i} ${INCIDENT.urlA()}\n` : `plain ${i}\n`;
    const tree = tempTree(files);
    try {
      const { read } = readSmallFiles(Object.keys(files).map((n) => ({ path: n, fsPath: path.join(tree.dir, n) })), 0);
      const whole = scanReadBatch(detector, read!, DEFAULT_BLOB_OPTIONS);
      const parts = [sliceReadBatch(read!, 0, 16), sliceReadBatch(read!, 16, 17), sliceReadBatch(read!, 17)].map((b) => scanReadBatch(detector, b, DEFAULT_BLOB_OPTIONS));
      assert.deepEqual(parts.flatMap((p) => p.results), whole.results);
      assert.equal(parts.reduce((n, p) => n + p.clean.files, 0), whole.clean.files);
      assert.equal(parts.reduce((n, p) => n + p.clean.bytes, 0), whole.clean.bytes);
      assert.equal(whole.results.length, 6);
    } finally {
      tree.cleanup();
    }
  });
});
