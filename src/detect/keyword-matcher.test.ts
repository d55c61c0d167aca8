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
  const { startsLikeText } = await import('../decode/base64.js');
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
    // runs the Base64 view could decode into text: not 1 mod 4 long, a start that decodes to text
    const wantRuns = [...text.matchAll(/[A-Za-z0-9+/_-]{16,}/g)]
      .filter((r) => r[0].length % 4 !== 1 && startsLikeText(bytes, r.index!))
      .map((r) => `${r.index}-${r.index! + r[0].length}`)
      .sort();
    assert.deepEqual(runs, wantRuns, `runs, round ${round}`);
  }
});

test('the WebAssembly walk gives exactly what the JavaScript walk gives: hits in order, runs, across chains and chunks', async () => {
  const { PassResult } = await import('./keyword-matcher.js');
  const { CHUNK } = await import('./keyword-pass.js');
  const keywords = ['password', '://', 'sig=', 'akia', 'secret_access_key', 'he', 'she', 'hers', 'key', 'key='];
  const wasm = new KeywordMatcher(keywords);
  const js = new KeywordMatcher(keywords, { wasm: false });
  assert.ok((wasm as unknown as { wasm: unknown }).wasm, 'the WebAssembly module loads from dist/detect/keyword-pass.wasm');
  let seed = 11;
  const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  const pieces = ['PassWord', '://', 'sig=', 'AKIA', 'secret_access_key', 'ushers', 'KEY=', ' ', '\n', 'x', '\u00e9', '\u00ff', 'QUJDREVGR0hJSktMTU5PUFFSU1RVVldY', 'ab+/', '-_', '==', 'aaaaaaaaaaaaaa.'];
  const result = (m: KeywordMatcher, bytes: Uint8Array, from: number, to: number, minRun: number) => {
    const out = new PassResult();
    m.pass(bytes, from, to, out, minRun);
    return { hits: Array.from(out.hits.subarray(0, out.hitCount * 2)), runs: Array.from(out.runs.subarray(0, out.runCount * 2)) };
  };
  // lengths around the thresholds: one automaton, four, and several chunks (runs and hits across chunk edges)
  const lengths = [0, 1, 255, 256, 300, 1023, 1024, 1027, 5000, CHUNK - 1, CHUNK, CHUNK + 3, 2 * CHUNK + 777];
  for (const [round, length] of lengths.entries()) {
    let text = '';
    while (text.length < length + 40) text += pieces[Math.floor(rand() * pieces.length)];
    const bytes = Buffer.from(text, 'latin1');
    for (const [from, to] of [
      [0, length],
      [3, Math.max(3, length)],
      [17, Math.max(17, length - 5)],
    ] as const) {
      for (const minRun of [0, 16, 40]) {
        assert.deepEqual(result(wasm, bytes, from, to, minRun), result(js, bytes, from, to, minRun), `round ${round}, [${from}, ${to}), minRun ${minRun}`);
      }
    }
  }
  // a run of Base64 characters across a chunk edge, and one across every chain's edge
  const long = Buffer.alloc(3 * CHUNK, 'A');
  for (const at of [CHUNK - 20, CHUNK + 5, (CHUNK >> 2) + 2, 2 * CHUNK]) long[at] = 0x20;
  for (const minRun of [16, 100]) assert.deepEqual(result(wasm, long, 1, long.length - 2, minRun), result(js, long, 1, long.length - 2, minRun));
});
