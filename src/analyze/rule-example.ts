import type { Rule } from '../detect/types.js';
import { Detector } from '../detect/engine.js';
import { scanBytes } from '../pipeline/blob-scanner.js';
import { findingsForBlob } from './findings.js';
import { DEFAULT_POLICY } from './policy.js';

/**
 * What a rule's finding looks like, for the rule table: its first positive example (generated
 * fixture material, never a real secret) run through the rule and shown redacted, as every
 * report shows it.
 */
export function redactedExample(rule: Rule): string {
  const detector = new Detector([rule]);
  for (const example of rule.examples) {
    const blob = scanBytes(detector, 'example.txt', Buffer.from(example, 'utf8'));
    const [f] = findingsForBlob('example.txt', blob.matches, new Map([[rule.id, rule]]), { now: new Date('2025-06-01T00:00:00Z'), policy: DEFAULT_POLICY, showSecrets: false, includeExamples: false });
    if (f) return f.secret;
  }
  return '';
}
