import assert from 'node:assert/strict';
import { test } from 'node:test';
import { INCIDENT } from '../testing/tokens.js';
import { Detector, MAX_WINDOW } from './engine.js';
import { BUILTIN_RULES } from './rules/index.js';

test('windows cut by the size cap still read every credential as written', () => {
  // a window cut at MAX_WINDOW makes the next one start inside an earlier link: each link
  // must still be found as written (plain), not only through a decoded reading of a
  // neighbouring window — which changed its secret and so its fingerprint
  const link = INCIDENT.urlB();
  const copies = Math.ceil((3 * MAX_WINDOW) / (link.length + 1)) + 7;
  const text = Array.from({ length: copies }, () => link).join('\n');
  const found = new Detector(BUILTIN_RULES).scan(text).filter((m) => m.rule === 'azure-sas');
  assert.equal(found.length, copies);
  assert.deepEqual([...new Set(found.map((m) => m.encoding))], ['plain']);
  assert.equal(new Set(found.map((m) => m.text)).size, 1);
});
