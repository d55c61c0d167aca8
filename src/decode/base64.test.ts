import assert from 'node:assert/strict';
import { test } from 'node:test';
import { base64View, DEFAULT_BASE64_OPTIONS, findBase64Tokens, isReadable } from './base64.js';
import { toOriginal } from './mapped-text.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');

test('tokens: runs of one alphabet with padding; identifiers and hashes are not decoded as text', () => {
  const text = `a: ${b64('hello, world: this is text')}\nb: AZURE_STORAGE_CONNECTION_STRING\nc: d53c1db1a1027e28dd814a6126b5f8f0c59b06ab`;
  const view = base64View(text);
  assert.ok(view);
  assert.equal(view.text, 'a=hello, world: this is text\n');
});

test('mapping: a decoded position maps to the Base64 characters that encode it', () => {
  const secret = 'password=Zk8#qLm2!Vx7';
  const line = `  DB_CONFIG: ${b64(secret)}`;
  const text = `apiVersion: v1\nkind: Secret\ndata:\n${line}\n`;
  const view = base64View(text)!;
  const at = view.text.indexOf('Zk8#');
  const span = toOriginal(view, at, at + 4);
  const tokenStart = text.indexOf(b64(secret));
  // "password=" is 9 bytes: byte 9 starts at bit 72, character 12 of the token
  assert.equal(span.start, tokenStart + 12);
  assert.ok(span.end <= tokenStart + b64(secret).length);
  assert.equal(view.text.slice(0, 10), 'DB_CONFIG=');
  assert.equal(view.map[0], text.indexOf('DB_CONFIG'));
});

test('URL-safe and unpadded tokens decode; mixed alphabets do not', () => {
  const urlSafe = Buffer.from('{"user":"ci","pass":"p?>~~~x"}').toString('base64url');
  assert.ok(/[-_]/.test(urlSafe));
  assert.equal(findBase64Tokens(`x ${urlSafe} y`, 0, urlSafe.length + 4, 16).length, 1);
  assert.ok(base64View(`token=${urlSafe}`)!.text.includes('"user":"ci"'));
  assert.equal(findBase64Tokens('ab+cd/ef-gh_ijklmnopqrstuvwxyz', 0, 30, 16).length, 0);
});

test('readable: printable ASCII and UTF-8 pass, binary does not', () => {
  assert.ok(isReadable(Buffer.from('héllo wörld, ünïcode text')));
  assert.ok(!isReadable(Buffer.from([0x00, 0x01, 0x02, 0x41, 0x42])));
  assert.ok(!isReadable(Buffer.from('0123456789'))); // no letters: numbers are not a document
});

test('wanted: a view no rule can use is dropped before its offsets are laid out; a wanted one maps as before', () => {
  const text = `a: ${b64('just some words here')}\nb: ${b64('account key in here')}\n`;
  const asked: string[] = [];
  const none = base64View(text, 0, text.length, { ...DEFAULT_BASE64_OPTIONS, wanted: (t) => (asked.push(t), false) });
  assert.equal(none, null);
  // the decision is made on the whole decoded text, names included
  assert.deepEqual(asked, ['a=just some words here\nb=account key in here\n']);
  const kept = base64View(text, 0, text.length, { ...DEFAULT_BASE64_OPTIONS, wanted: (t) => t.includes('key') })!;
  const plain = base64View(text)!;
  assert.equal(kept.text, plain.text);
  assert.deepEqual([...kept.map], [...plain.map]);
  assert.deepEqual([...kept.valueStarts!], [2, 25]);
});

test('startsLikeText is implied by plausibleStart: a run it rejects is never a token of the view', async () => {
  const { startsLikeText } = await import('./base64.js');
  // every token the view decodes starts like text; identifiers mostly do not
  const texts = ['password=hunter2-and-more', 'user:pass@host', '{"auths":{"x":1}}', 'c\u0000r\u0000e\u0000d\u0000s\u0000'];
  for (const t of texts) {
    const b64 = Buffer.from(Buffer.from(t, 'latin1').toString('base64'), 'latin1');
    assert.ok(startsLikeText(b64, 0), t);
  }
  for (const w of ['createElementNS', 'getOwnPropertyDescriptors']) assert.equal(startsLikeText(Buffer.from(w, 'latin1'), 0), false, w);
  // the property the keyword pass relies on: what it rejects, the view would not decode
  let seed = 5;
  const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let rejected = 0;
  for (let i = 0; i < 3000; i++) {
    // texts' Base64 and random runs, 16 to 40 characters
    const run =
      i % 2
        ? Buffer.from(Array.from({ length: 12 + (i % 17) }, () => String.fromCharCode(32 + Math.floor(rand() * 95))).join(''), 'latin1').toString('base64').replace(/=+$/, '')
        : Array.from({ length: 16 + (i % 25) }, () => alphabet[Math.floor(rand() * 64)]).join('');
    if (startsLikeText(Buffer.from(run, 'latin1'), 0)) continue;
    rejected++;
    assert.equal(base64View(`x ${run} y`), null, run);
  }
  assert.ok(rejected > 1000, `${rejected}`);
});
