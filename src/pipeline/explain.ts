import { findingsForBlob, type SecretMaterial } from '../analyze/findings.js';
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

/**
 * The same, with repeats folded: pasting a file that holds one link a thousand times gives one
 * explanation and a count, in the order each credential first appears.
 */
export function explainDistinct(input: string, rules: readonly Rule[], opts: { now: Date; policy: LinkPolicy; showSecrets: boolean }): { finding: Finding; count: number }[] {
  const detector = new Detector(rules);
  const blob = scanBytes(detector, '<input>', Buffer.from(input, 'utf8'));
  const ruleMap = new Map(rules.map((r) => [r.id, r]));
  const material: SecretMaterial = new Map();
  const findings = [...flattenBlobResult(blob)].flatMap((b) => findingsForBlob(b.path, b.matches, ruleMap, { ...opts, includeExamples: true }, material));
  const groups = new Map<string, { finding: Finding; count: number }>();
  for (const f of findings) {
    const m = material.get(f.fingerprint);
    const key = `${f.rule}\0${m ? JSON.stringify(m) : `${f.secret}\0${JSON.stringify(f.grant ?? f.details ?? null)}`}`;
    const g = groups.get(key);
    if (g) g.count++;
    else groups.set(key, { finding: f, count: 1 });
  }
  return [...groups.values()];
}
