import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KeywordMatcher } from './keyword-matcher.js';

function hits(keywords: string[], text: string): [string, number][] {
  const m = new KeywordMatcher(keywords);
  const out: [string, number][] = [];
  m.scanString(text, (k, start) => out.push([m.keywords[k]!, start]));
  return out.sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]));
}

test('finds every keyword occurrence, case-insensitively', () => {
  assert.deepEqual(hits(['sig=', 'AKIA'], 'x SIG=1 akia sig=2'), [
    ['sig=', 2],
    ['akia', 8],
    ['sig=', 13],
  ]);
});

test('finds overlapping and nested keywords (failure links)', () => {
  assert.deepEqual(hits(['he', 'she', 'his', 'hers'], 'ushers'), [
    ['she', 1],
    ['he', 2],
    ['hers', 2],
  ]);
});

test('bytes and strings give the same hits', () => {
  const m = new KeywordMatcher(['sig%3d', 'sig=']);
  const text = 'a?sig%3Dxx&sig=yy';
  const a: number[] = [];
  const b: number[] = [];
  m.scanString(text, (_k, s) => a.push(s));
  m.scanBytes(Buffer.from(text, 'latin1'), (_k, s) => b.push(s));
  assert.deepEqual(a, b);
  assert.deepEqual(a, [2, 11]);
});

test('a keyword at the very end and a repeated prefix are found', () => {
  assert.deepEqual(hits(['aab'], 'aaab'), [['aab', 1]]);
  assert.deepEqual(hits(['end'], 'the end'), [['end', 4]]);
});
