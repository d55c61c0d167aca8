import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { baselineText, quotePath, readBaseline, type BaselineEntry } from './baseline.js';

const FP = '0123456789abcdef0123456789abcdef';

function roundTrip(entries: BaselineEntry[]): BaselineEntry[] {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sasquatch-baseline-'));
  try {
    const file = path.join(dir, 'b');
    writeFileSync(file, baselineText(entries));
    return readBaseline(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('baseline: names with newlines, CR, tabs, quotes and edge spaces are escaped and read back', () => {
  const names = ['docs/a b.md', 'x\necho pwned >> ~/.bashrc\n#', 'cr\rname', 'tab\tname', '"quoted".md', ' lead', 'trail ', 'back\\slash', 'a.zip!m\u2028n', 'ünïcode/файл.txt'];
  const entries = names.map((p, i) => ({ fingerprint: FP.slice(0, 31) + i.toString(16), rule: 'azure-sas', path: p }));
  const text = baselineText(entries);
  // one line per entry, after the header: no name can start a line of its own
  assert.equal(text.split('\n').filter((l) => l && !l.startsWith('#')).length, names.length);
  assert.ok(!text.split('\n').some((l) => l.startsWith('echo')));
  assert.deepEqual(roundTrip(entries).map((e) => e.path).sort(), [...names].sort());
});

test('baseline: plain paths are written as before, and baselines written before still read', () => {
  assert.equal(quotePath('src/config/a b.json'), 'src/config/a b.json');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sasquatch-baseline-'));
  try {
    const file = path.join(dir, 'old');
    writeFileSync(file, `# sasquatch baseline v1\n${FP} azure-sas docs/my notes.md\n${FP.replace('0', '1')} jwt "odd name.txt\n`);
    assert.deepEqual(readBaseline(file).map((e) => e.path), ['docs/my notes.md', '"odd name.txt']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
