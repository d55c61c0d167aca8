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

test('the two-automata pass finds every hit once, also across the middle, and the Base64 runs', async () => {
  const { PassResult } = await import('./keyword-matcher.js');
  const keywords = ['password', '://', 'sig=', 'akia', 'secret_access_key'];
  const m = new KeywordMatcher(keywords);
  let seed = 7;
  const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  const pieces = ['PassWord', '://', 'sig=', 'AKIA', 'secret_access_key', ' ', '\n', 'x', 'QUJDREVGR0hJSktMTU5PUFFSU1RVVldY', '+/', '-_', '=='];
  for (let round = 0; round < 40; round++) {
    let text = '';
    while (text.length < 600 + round * 97) text += pieces[Math.floor(rand() * pieces.length)];
    const bytes = Buffer.from(text, 'latin1');
    const out = new PassResult();
    m.pass(bytes, 0, bytes.length, out, 16);
    const got = Array.from({ length: out.hitCount }, (_, i) => `${out.hits[2 * i + 1]}:${m.keywords[out.hits[2 * i]!]}`).sort();
    const want: string[] = [];
    const lower = text.toLowerCase();
    for (const k of m.keywords) for (let i = lower.indexOf(k); i >= 0; i = lower.indexOf(k, i + 1)) want.push(`${i}:${k}`);
    assert.deepEqual(got, want.sort(), `round ${round}`);
    const runs = Array.from({ length: out.runCount }, (_, i) => `${out.runs[2 * i]}-${out.runs[2 * i + 1]}`).sort();
    const wantRuns = [...text.matchAll(/[A-Za-z0-9+/_-]{16,}/g)].map((r) => `${r.index}-${r.index! + r[0].length}`).sort();
    assert.deepEqual(runs, wantRuns, `runs, round ${round}`);
  }
});
