import { findingsForBlob, type SecretMaterial } from '../analyze/findings.js';
import { DEFAULT_POLICY } from '../analyze/policy.js';
import { fingerprintOf } from '../analyze/fingerprint.js';
import { Detector } from '../detect/engine.js';
import type { Rule } from '../detect/types.js';
import type { Finding } from '../model/finding.js';
import { scanBytes } from '../pipeline/blob-scanner.js';
import { redactUrl } from './redact-url.js';
import { readSignedUrl } from './signed-url.js';

/**
 * Turns what the user pasted into `verify` / `exposure` (a URL, a token, a connection
 * string) into findings plus their unredacted material, through the same detect → analyze
 * path as a scan. A presigned/signed URL no rule recognises yet is still checked as a URL.
 */
export function credentialsFromText(input: string, rules: readonly Rule[], opts: { showSecrets: boolean; now: Date }): { findings: Finding[]; material: SecretMaterial; examples: number } {
  const material: SecretMaterial = new Map();
  const detector = new Detector(rules);
  const blob = scanBytes(detector, '<input>', Buffer.from(input, 'utf8'));
  const ruleMap = new Map(rules.map((r) => [r.id, r]));
  const findings = findingsForBlob('<input>', blob.matches, ruleMap, { now: opts.now, policy: DEFAULT_POLICY, showSecrets: opts.showSecrets, includeExamples: true }, material);
  const url = input.trim();
  const signed = /^https?:\/\//i.test(url) ? readSignedUrl(url) : null;
  // a placeholder or documentation example is never made into something to send
  if (signed && !signed.placeholder && !findings.some((f) => f.grant && f.grant.provider !== 'azure')) {
    const fp = fingerprintOf(`signed-url:${signed.kind}`, url, '<input>');
    findings.push({
      fingerprint: fp,
      rule: signed.kind.startsWith('s3') ? 'aws-presigned-url' : 'gcs-signed-url',
      title: signed.kind.startsWith('s3') ? 'S3 presigned URL' : 'GCS signed URL',
      severity: 'medium',
      confidence: 'medium',
      reasons: [`${signed.kind}${signed.expiry ? `, expires ${signed.expiry.toISOString()}` : ''}`],
      location: { path: '<input>', line: 1, column: 1 },
      secret: opts.showSecrets ? url : redactUrl(url),
      redacted: !opts.showSecrets,
      grant: null,
    });
    material.set(fp, { url });
  }
  const kept = findings.filter((f) => !f.example || material.has(f.fingerprint));
  const examples = findings.length - kept.length || (signed?.placeholder ? 1 : 0);
  return { findings: kept, material, examples };
}
