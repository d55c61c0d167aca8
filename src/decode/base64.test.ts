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
