import assert from 'node:assert/strict';
import { test } from 'node:test';
import { base62Crc32Valid, crc32, encodeInAlphabet, marvin64 } from './checksum.js';

test('crc32 gives the standard check value', () => {
  // the IEEE CRC of "123456789" is the standard check value 0xCBF43926
  assert.equal(crc32(Buffer.from('123456789')), 0xcbf43926);
  assert.equal(crc32(new Uint8Array(0)), 0);
});

test('base62 encoding pads to the minimum length', () => {
  assert.equal(encodeInAlphabet(0, '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz', 6), '000000');
  assert.equal(encodeInAlphabet(2883656711, '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz', 6), '399Wq7');
  assert.equal(encodeInAlphabet(0xffffffff, '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz', 6), '4gfFC3');
});

test('GitHub-style Base62 CRC-32 checksum: a built token passes, one changed character fails', () => {
  const random = 'abcdefghijklmnopqrstuvwxyz0123';
  const body = random + encodeInAlphabet(crc32(Buffer.from(random)), '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz', 6);
  assert.ok(base62Crc32Valid(body));
  assert.ok(!base62Crc32Valid(`b${body.slice(1)}`));
});

test('Marvin32 matches the SymCrypt reference vectors', () => {
  const [lo, hi] = marvin64(Buffer.from('abc'), 'd53cd9cecd0893b7');
  assert.equal(hi.toString(16), '22c74339');
  assert.equal(lo.toString(16), '492769bf');
  const [lo2, hi2] = marvin64(Buffer.from('abcdefghijklmnopqrstuvwxyz'), '0ddddeeeeffff000');
  assert.equal(hi2.toString(16), 'a128eb7e');
  assert.equal(lo2.toString(16), '7260aca2');
});
