import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import v8 from 'node:v8';
import { ruleKeywords } from './engine.js';
import { buildTables } from './keyword-matcher.js';
import { BUILTIN_RULES } from './rules/index.js';
import { readTables, SAVED_TABLES, savedTables, writeTables } from './saved-tables.js';

describe('keyword tables saved at build time', () => {
  const keywords = ruleKeywords(BUILTIN_RULES).keywords;

  it('the shipped file holds exactly the tables built afresh from the built-in rules', () => {
    const saved = readTables(SAVED_TABLES);
    assert.ok(saved, 'npm run build saved them');
    assert.deepEqual(saved, buildTables(keywords));
    assert.equal(savedTables(keywords), savedTables([...keywords]), 'read once, matched by value');
  });

  it('are used only for that very keyword list (custom rules build their own)', () => {
    assert.ok(savedTables(keywords));
    assert.equal(savedTables([...keywords, 'my-own-keyword']), null);
    assert.equal(savedTables(keywords.slice(1)), null);
    assert.equal(savedTables([...keywords].reverse()), null, 'the outputs hold keyword indexes: the order matters');
  });

  it('a missing, truncated, foreign or misshapen file is not used', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sasquatch-tables-'));
    try {
      const file = path.join(dir, 't.bin');
      assert.equal(readTables(file), null, 'missing');
      const good = buildTables(['password', 'key=']);
      writeTables(file, good);
      assert.deepEqual(readTables(file), good);
      const bytes = readFileSync(file);
      writeFileSync(file, bytes.subarray(0, bytes.length >> 1));
      assert.equal(readTables(file), null, 'truncated');
      writeFileSync(file, 'not v8 serialized at all');
      assert.equal(readTables(file), null, 'foreign');
      for (const bad of [
        { ...good, table: good.table.subarray(1) },
        { ...good, firstAccepting: good.firstAccepting + 1 },
        { ...good, wasmTable: good.wasmTable.subarray(256) },
        { ...good, outputs: good.outputs.map(() => Int32Array.of(7)) },
        { ...good, keywords: [1, 2] },
      ]) {
        writeFileSync(file, v8.serialize(bad));
        assert.equal(readTables(file), null, 'misshapen');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
