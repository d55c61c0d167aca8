import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MappedBuilder, toOriginal } from './mapped-text.js';

test('builder: copied runs keep their offsets, pushed text maps to its source, across growth', () => {
  const source = 'a'.repeat(300) + '&amp;' + 'b'.repeat(700);
  const b = new MappedBuilder();
  b.copy(source, 0, 300);
  b.push('&', 300);
  b.copy(source, 305, source.length);
  b.copy(source, 5, 5); // empty: nothing
  const m = b.finish(source.length, 'html');
  assert.equal(m.text, 'a'.repeat(300) + '&' + 'b'.repeat(700));
  assert.equal(m.map.length, m.text.length + 1);
  assert.equal(m.map[299], 299);
  assert.equal(m.map[300], 300);
  assert.equal(m.map[301], 305);
  assert.equal(m.map[1000], 1004);
  assert.equal(m.map[1001], source.length);
  assert.deepEqual(toOriginal(m, 300, 302), { start: 300, end: 306 });
});

test('builder: a pushed character of two UTF-16 units maps both to its source', () => {
  const b = new MappedBuilder();
  b.copy('x&#128512;y', 0, 1);
  b.push(String.fromCodePoint(128512), 1);
  b.copy('x&#128512;y', 10, 11);
  const m = b.finish(11, 'html');
  assert.deepEqual([...m.map], [0, 1, 1, 10, 11]);
});
