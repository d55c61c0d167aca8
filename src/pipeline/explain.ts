import { findingsForBlob } from '../analyze/findings.js';
import type { LinkPolicy } from '../analyze/policy.js';
import { Detector } from '../detect/engine.js';
import type { Rule } from '../detect/types.js';
import type { Finding } from '../model/finding.js';
import { flattenBlobResult, scanBytes } from './blob-scanner.js';

/**
 * Explains pasted text (one link, a token, a connection string, or a snippet holding
 * several): the same detect → analyze path as a scan, examples included.
 */
export function explainText(input: string, rules: readonly Rule[], opts: { now: Date; policy: LinkPolicy; showSecrets: boolean }): Finding[] {
  const detector = new Detector(rules);
  const blob = scanBytes(detector, '<input>', Buffer.from(input, 'utf8'));
  const ruleMap = new Map(rules.map((r) => [r.id, r]));
  return [...flattenBlobResult(blob)].flatMap((b) => findingsForBlob(b.path, b.matches, ruleMap, { ...opts, includeExamples: true }));
}
