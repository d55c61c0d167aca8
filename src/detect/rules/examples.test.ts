import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { findingsForBlob } from '../../analyze/findings.js';
import { DEFAULT_POLICY } from '../../analyze/policy.js';
import type { Finding } from '../../model/finding.js';
import { scanBytes } from '../../pipeline/blob-scanner.js';
import { Detector } from '../engine.js';
import type { Rule } from '../types.js';
import { BUILTIN_RULES } from './index.js';

/**
 * Every rule's examples are tests, run twice: with the rule alone (its own keywords, regex
 * and analyzer) and with every built-in rule (so cross-rule de-duplication never loses a
 * positive and no other rule of the family fires on a negative).
 */
const NOW = new Date('2025-06-01T00:00:00Z');
const all = { detector: new Detector(BUILTIN_RULES), map: new Map(BUILTIN_RULES.map((r) => [r.id, r])) };

function findingsOf(text: string, rules: { detector: Detector; map: Map<string, Rule> } = all, includeExamples = false): Finding[] {
  const blob = scanBytes(rules.detector, 'example.txt', Buffer.from(text, 'utf8'));
  return findingsForBlob('example.txt', blob.matches, rules.map, { now: NOW, policy: DEFAULT_POLICY, showSecrets: false, includeExamples });
}

const describeFindings = (fs: Finding[]) => fs.map((f) => `${f.rule} ${f.severity}${f.example ? ' (example)' : ''}: ${f.reasons.join('; ')}`);

describe('rule data', () => {
  test('rule ids are unique, kebab-case, start with their family, with selective keywords and examples', () => {
    const ids = new Set<string>();
    for (const r of BUILTIN_RULES) {
      assert.ok(!ids.has(r.id), `duplicate rule id ${r.id}`);
      ids.add(r.id);
      assert.match(r.id, /^[a-z0-9]+(?:-[a-z0-9]+)*$/);
      assert.ok(r.id.startsWith(r.family), `${r.id} does not start with its family ${r.family}`);
      assert.ok(r.keywords.length > 0 && r.keywords.every((k) => k.length >= 3), `${r.id}: keywords must be selective (3+ characters)`);
      assert.ok(r.examples.length > 0, `${r.id} has no positive example`);
      assert.ok(r.negativeExamples.length > 0, `${r.id} has no negative example`);
      assert.ok(r.grantSummary.length > 0 && r.description.length > 0);
      assert.ok(r.analyzer, `${r.id} has no analyzer`);
    }
  });
});

for (const rule of BUILTIN_RULES) {
  const alone = { detector: new Detector([rule]), map: new Map([[rule.id, rule]]) };
  describe(`rule ${rule.id}`, () => {
    rule.examples.forEach((example, i) => {
      test(`positive example ${i + 1} is found, alone and among all rules`, () => {
        for (const [label, set] of [['alone', alone], ['all rules', all]] as const) {
          const found = findingsOf(example, set).filter((f) => f.rule.startsWith(rule.family));
          assert.ok(found.length > 0, `${label}: no ${rule.id} finding in:\n${example.slice(0, 300)}\nall findings: ${JSON.stringify(describeFindings(findingsOf(example, set, true)))}`);
          assert.ok(found.every((f) => !f.example));
        }
        assert.ok(findingsOf(example, alone).every((f) => f.rule.startsWith(rule.family)));
      });
    });
    rule.negativeExamples.forEach((example, i) => {
      test(`negative example ${i + 1} is not reported, alone or among all rules`, () => {
        assert.deepEqual(describeFindings(findingsOf(example, alone)), [], `reported alone:\n${example.slice(0, 300)}`);
        assert.deepEqual(describeFindings(findingsOf(example).filter((f) => f.rule.startsWith(rule.family))), [], `reported among all rules:\n${example.slice(0, 300)}`);
      });
    });
  });
}
