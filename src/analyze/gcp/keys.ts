import { createHash } from 'node:crypto';
import { credential, example, keyGrant, looksRandomBase64 } from '../credential.js';
import { parsePrivateKey } from '../keys/private-key.js';
import { looksLikePlaceholder, lowVariety, shannonEntropy } from '../placeholder.js';
import type { Analysis, AnalysisContext, MatchInput } from '../types.js';
import { signerInfo } from './gcs-endpoint.js';

/**
 * Google Cloud keys. Severity:
 * - service-account JSON key with a well-formed private key → high (it is the service
 *   account, with every role it holds, until the key is deleted); a default Compute Engine
 *   or App Engine account adds a reason (they are often project editors);
 * - placeholder private key → info (example);
 * - HMAC access id with its secret → high; the access id alone → low.
 */
export function analyzeServiceAccountKey(match: MatchInput, _ctx: AnalysisContext): Analysis | null {
  const pem = match.groups['secret'];
  if (!pem) return null;
  const around = `${match.context?.before ?? ''}${match.text}${match.context?.after ?? ''}`;
  const field = (name: string) => new RegExp(`["']${name}["']\\s*:\\s*["']([^"'\\\\]+)["']`).exec(around)?.[1] ?? null;
  const type = field('type');
  const clientEmail = field('client_email');
  const keyId = field('private_key_id');
  const projectId = field('project_id') ?? (clientEmail ? signerInfo(clientEmail).project : null);
  const clientId = field('client_id');
  if (type && type !== 'service_account') return null;
  if (!type && !clientEmail && !keyId) return null; // a bare private key in JSON: the private-key rule's business
  const info = parsePrivateKey(pem);
  const secret = keyId && /^[0-9a-f]{40}$/.test(keyId) ? keyId : createHash('sha256').update(pem.replace(/\\n|\s/g, '')).digest('hex');
  const details: Record<string, unknown> = { projectId, clientEmail, privateKeyId: keyId, clientId, keyType: info.keyType, keyBits: info.bits ?? null };
  const shown = clientEmail ? `service account ${clientEmail}, key ${keyId ? `${keyId.slice(0, 4)}…` : '?'}` : 'service-account key …';
  if (!info.valid) {
    if (info.problem === 'placeholder body' || looksLikePlaceholder(keyId ?? 'x') || (clientEmail && looksLikePlaceholder(clientEmail))) {
      return example('gcp-service-account-key', secret, 'placeholder service-account key: a documentation example', { redacted: shown, details });
    }
    return { ...credential({ rule: 'gcp-service-account-key', severity: 'info', reasons: [`private key does not parse: ${info.problem}`], secret, redacted: shown, details }), material: undefined };
  }
  const who = clientEmail ? signerInfo(clientEmail) : null;
  const reasons = [
    `service-account key for ${clientEmail ?? 'an unnamed service account'}${projectId ? ` in project ${projectId}` : ''}: authenticates as that account with every IAM role it holds`,
    'valid until the key is deleted (user-managed keys do not expire by default)',
  ];
  if (who?.serviceAccountType === 'compute-default' || who?.serviceAccountType === 'app-engine-default') reasons.push(`${who.serviceAccountType} service account: often granted Editor on the whole project`);
  return credential({
    rule: 'gcp-service-account-key',
    title: 'Google Cloud service-account key',
    severity: 'high',
    reasons,
    secret,
    raw: match.text,
    redacted: shown,
    grant: keyGrant({
      provider: 'gcp',
      kind: 'gcp-service-account-key',
      account: projectId,
      scope: 'project',
      revocation: 'delete-service-account-key',
      revocationHint: `delete key ${keyId ?? '<key id>'} of ${clientEmail ?? 'the service account'} (gcloud iam service-accounts keys delete ${keyId ?? '<KEY_ID>'} --iam-account ${clientEmail ?? '<SA>'})`,
      details: { clientEmail, privateKeyId: keyId, serviceAccountType: who?.serviceAccountType ?? null },
    }),
    details,
    explanation: `A JSON key for service account ${clientEmail ?? '?'}${projectId ? ` (project ${projectId})` : ''}. Anyone holding it can obtain access tokens as that account and use every role granted to it — Cloud Storage data included — until the key is deleted.`,
    remediation: [
      `Revoke: gcloud iam service-accounts keys delete ${keyId ?? '<KEY_ID>'} --iam-account ${clientEmail ?? '<SERVICE_ACCOUNT>'}.`,
      'Replace: use workload identity (federation, attached service accounts) instead of downloaded keys; an org policy can forbid key creation (iam.disableServiceAccountKeyCreation).',
      'Investigate: Cloud Audit Logs filtered on the key id (protoPayload.authenticationInfo.serviceAccountKeyName) since the leak.',
    ],
    material: { serviceAccountKey: pem },
  });
}

export function analyzeHmacKey(match: MatchInput, _ctx: AnalysisContext): Analysis | null {
  const id = match.groups['id'];
  if (!id || (id.length !== 24 && id.length !== 61)) return null;
  if (lowVariety(id.slice(4)) || looksLikePlaceholder(id.slice(4))) return example('gcs-hmac-key', id, 'placeholder HMAC access id');
  if (!/[0-9]/.test(id) || shannonEntropy(id.slice(4)) < 3.5) return null;
  const candidate = match.groups['secret'];
  const secret = candidate && looksRandomBase64(candidate) && shannonEntropy(candidate) >= 4 && !looksLikePlaceholder(candidate) ? candidate : null;
  const owner = id.length === 61 ? 'service account' : 'user account';
  const grant = keyGrant({
    provider: 'gcp',
    kind: 'gcs-hmac-key',
    services: ['storage'],
    scope: 'project',
    revocation: 'deactivate-hmac-key',
    revocationHint: `deactivate, then delete, HMAC key ${id} (gcloud storage hmac update ${id} --deactivate; gcloud storage hmac delete ${id})`,
    details: { accessId: id, owner, secretFound: secret !== null },
  });
  if (!secret) {
    return credential({
      rule: 'gcs-hmac-key',
      title: 'Google Cloud Storage HMAC access id (no secret nearby)',
      severity: 'low',
      reasons: [`HMAC access id of a ${owner} without its secret: identifies the key, cannot sign alone`],
      secret: id,
      redacted: id,
      grant,
    });
  }
  return credential({
    rule: 'gcs-hmac-key',
    title: 'Google Cloud Storage HMAC key',
    severity: 'high',
    reasons: [`HMAC key of a ${owner} with its secret: signs Cloud Storage requests (S3-interoperable API) with that principal's access`, 'valid until deactivated'],
    secret: `${id}:${secret}`,
    raw: `${id} ${secret}`,
    redacted: `${id} ${secret.slice(0, 4)}…`,
    grant,
    remediation: [`Revoke: gcloud storage hmac update ${id} --deactivate, then gcloud storage hmac delete ${id}.`, 'Replace: prefer service-account impersonation or signed URLs created server-side.'],
    material: { accessId: id, secret },
  });
}
