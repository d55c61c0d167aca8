import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findIn } from '../../testing/find.js';
import { BUILTIN_RULES } from './index.js';

/** Rules are data with examples: every positive example must be found, no negative one. */
for (const rule of BUILTIN_RULES) {
  test(`${rule.id}: positive examples are found`, () => {
    assert.ok(rule.examples.length > 0, 'a rule needs examples');
    for (const ex of rule.examples) {
      const found = findIn(ex, { rules: [rule] });
      assert.ok(found.length >= 1, `not found: ${ex}`);
      assert.ok(found.every((f) => f.rule.startsWith(rule.family)), `wrong rule for: ${ex}`);
    }
  });
  test(`${rule.id}: negative examples are not`, () => {
    for (const ex of rule.negativeExamples) assert.deepEqual(findIn(ex, { rules: [rule] }), [], `found in negative example: ${ex}`);
  });
}

test('rule ids are unique, kebab-case, with selective keywords', () => {
  const ids = BUILTIN_RULES.map((r) => r.id);
  assert.equal(new Set(ids).size, ids.length);
  for (const r of BUILTIN_RULES) {
    assert.match(r.id, /^[a-z0-9]+(?:-[a-z0-9]+)*$/);
    assert.ok(r.keywords.length > 0 && r.keywords.every((k) => k.length >= 3), `${r.id}: keywords must be selective`);
  }
});
