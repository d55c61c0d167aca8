import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { ObjectIdSet } from './object-set.js';

const sha1 = (i: number) => createHash('sha1').update(String(i)).digest('hex');
const sha256 = (i: number) => createHash('sha256').update(String(i)).digest('hex');

describe('ObjectIdSet', () => {
  it('adds each id once and finds it again across growth', () => {
    const set = new ObjectIdSet(20, 4);
    for (let i = 0; i < 5000; i++) assert.equal(set.add(sha1(i)), true);
    for (let i = 0; i < 5000; i++) assert.equal(set.add(sha1(i)), false);
    assert.equal(set.size, 5000);
    for (let i = 0; i < 5000; i++) assert.equal(set.has(sha1(i)), true);
    for (let i = 5000; i < 6000; i++) assert.equal(set.has(sha1(i)), false);
    assert.ok(set.byteSize < 5000 * 21 * 4, `compact: ${set.byteSize} bytes`);
  });

  it('holds SHA-256 ids', () => {
    const set = new ObjectIdSet(32);
    assert.equal(set.add(sha256(1)), true);
    assert.equal(set.has(sha256(1)), true);
    assert.equal(set.has(sha256(2)), false);
  });

  it('ids that share their first bytes (the hash) are still told apart', () => {
    const set = new ObjectIdSet(20, 2);
    const a = `00000000${'1'.repeat(32)}`;
    const b = `00000000${'2'.repeat(32)}`;
    assert.equal(set.add(a), true);
    assert.equal(set.add(b), true);
    assert.equal(set.has(a) && set.has(b), true);
    assert.equal(set.size, 2);
  });

  it('rejects what is not an object id of its length', () => {
    assert.throws(() => new ObjectIdSet(20).add('abc'), /not a 160-bit object id/);
  });
});
