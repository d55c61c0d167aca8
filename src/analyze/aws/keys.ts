import { credential, example, keyGrant, isHex, looksRandomBase64 } from '../credential.js';
import { looksLikePlaceholder, lowVariety, shannonEntropy } from '../placeholder.js';
import type { Analysis, AnalysisContext, MatchInput } from '../types.js';
import { isDocumentationKey, keyIdInfo, type KeyIdInfo } from './key-id.js';

/**
 * AWS access keys. Severity:
 * - AWS documentation examples (`…EXAMPLE`, `…EXAMPLEKEY`) and placeholders → info (example);
 * - a long-term key id with its secret → high (it signs any call the IAM user may make, until deactivated);
 * - a temporary (ASIA) key id with its secret → medium (useless without the session token, and only until it expires);
 * - a secret access key alone, under its usual name → high (the id is not secret and is often elsewhere);
 * - a key id alone → low (identifies the user and account; cannot sign anything);
 * - a session token → medium.
 */
export function analyzeAccessKey(match: MatchInput, _ctx: AnalysisContext): Analysis | null {
  const g = match.groups;
  const id = g['id'] ?? g['idAfter'];
  if (!id) return null;
  const secretCandidate = g['secret'] ?? g['secretFirst'];
  const secret = secretCandidate && plausibleSecret(secretCandidate) ? secretCandidate : null;
  if (isDocumentationKey(id) || (secret && isDocumentationKey(secret))) return example('aws-access-key', id, 'AWS documentation example key (AKIAIOSFODNN7EXAMPLE): public, not a secret');
  if (looksLikePlaceholder(id.slice(4)) || lowVariety(id.slice(4)) || /(.)\1{5}/.test(id)) return example('aws-access-key', id, 'placeholder key id');
  const key = keyIdInfo(id);
  const grant = keyGrant({
    provider: 'aws',
    kind: 'aws-access-key',
    services: [],
    scope: 'account',
    revocation: key.keyType === 'long-term' ? 'deactivate-access-key' : 'wait-for-expiry',
    revocationHint: revocationHint(key),
    notes: key.accountIdHint ? ['accountIdHint is decoded from the key id (undocumented encoding; confirm with aws sts get-access-key-info)'] : [],
    details: { accessKeyId: id, keyType: key.keyType, secretFound: secret !== null, accountIdHint: key.accountIdHint },
  });
  if (!secret) {
    return credential({
      rule: 'aws-access-key',
      title: 'AWS access key id (no secret nearby)',
      severity: 'low',
      reasons: [`${key.prefixMeaning} id without its secret: names the IAM user${key.accountIdHint ? ` and account ${key.accountIdHint}` : ''}, cannot sign requests alone`, 'search for the matching secret access key elsewhere (other files, history)'],
      secret: id,
      grant,
      redacted: id,
      explanation: `This is the public half of an AWS access key (${key.prefixMeaning}). On its own it cannot sign requests, but it identifies the IAM user and account; if its secret key leaked anywhere else, the pair gives that user's access.`,
      remediation: ['Look for the secret access key in the same repository and its history; if found, treat as a full key leak.'],
    });
  }
  const longTerm = key.keyType === 'long-term';
  return credential({
    rule: 'aws-access-key',
    title: longTerm ? 'AWS access key pair (long-term)' : 'AWS access key pair (temporary)',
    severity: longTerm ? 'high' : 'medium',
    reasons: longTerm
      ? [`${key.prefixMeaning} ${id} with its secret access key: signs any API call the IAM user is allowed`, 'valid until deactivated: long-term keys do not expire']
      : [`${key.prefixMeaning} ${id} with its secret: also needs its session token, and dies when the session ends (at most 36 hours)`],
    secret: `${id}:${secret}`,
    raw: `${id} ${secret}`,
    confidence: 'high',
    redacted: `${id} ${secret.slice(0, 4)}…`,
    grant,
    explanation: `Anyone holding this key pair can call AWS APIs as the IAM ${longTerm ? 'user' : 'role session'} behind ${id}${key.accountIdHint ? ` in account ${key.accountIdHint}` : ''}, with all of its permissions (S3 data included) ${longTerm ? 'until the key is deactivated' : 'until the session expires'}. To revoke it: ${revocationHint(key)}.`,
    remediation: remediation(key),
    material: { accessKeyId: id, secretAccessKey: secret },
  });
}

/** Words that put a generic `secretKey` in AWS's hands: the provider, its services and SDKs, a key id. */
const AWS_NEARBY = /\baws|aws_|amazonaws|\bs3[\s:._-]|\bboto|\bminio|(?:^|[^A-Za-z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}|access_?key_?id|accessKeyId/i;

export function analyzeSecretKey(match: MatchInput, _ctx: AnalysisContext): Analysis | null {
  const secret = match.groups['secret'];
  if (!secret) return null;
  const specific = match.groups['specific'] !== undefined;
  // `secretKey` alone is any service's secret: an AWS one only where AWS is named around it
  if (!specific && !AWS_NEARBY.test(`${match.context?.before ?? ''}\n${match.context?.after ?? ''}`)) return null;
  if (isDocumentationKey(secret)) return example('aws-access-key-secret', secret, 'AWS documentation example secret key: public, not a secret');
  if (looksLikePlaceholder(secret)) return example('aws-access-key-secret', secret, 'placeholder secret key');
  if (!plausibleSecret(secret)) return null;
  const analysis = credential({
    rule: 'aws-access-key-secret',
    title: 'AWS secret access key',
    severity: 'high',
    reasons: [
      specific ? 'secret access key under its usual name: the secret half of an access key pair' : 'a 40-character secret named secretKey next to AWS configuration: the secret half of an access key pair',
      'its key id was not found nearby; key ids are not secret and often appear elsewhere (logs, other files, history)',
    ],
    secret,
    grant: keyGrant({
      provider: 'aws',
      kind: 'aws-access-key',
      scope: 'account',
      revocation: 'deactivate-access-key',
      revocationHint: 'find the access key whose secret this is (IAM credential report, CloudTrail) and deactivate it',
      details: { accessKeyId: null, keyType: 'unknown', secretFound: true },
    }),
    remediation: ['Identify the key (the id is usually configured next to it), deactivate it, and rotate every system using it.'],
  });
  // a secret without its key id proves nothing by its format: the name is all it has
  analysis.confidence = specific ? 'medium' : 'low';
  return analysis;
}

export function analyzeSessionToken(match: MatchInput, _ctx: AnalysisContext): Analysis | null {
  const token = match.groups['secret'] ?? match.groups['labelled'];
  if (!token || looksLikePlaceholder(token) || shannonEntropy(token) < 4.5) return null;
  return credential({
    rule: 'aws-session-token',
    title: 'AWS session token',
    severity: 'medium',
    reasons: ['STS session token: with its temporary (ASIA) key pair it acts as the assumed role', 'expires with its session (15 minutes to 36 hours after issue; the expiry is not readable offline)'],
    secret: token,
    grant: keyGrant({
      provider: 'aws',
      kind: 'aws-session-token',
      scope: 'account',
      revocation: 'wait-for-expiry',
      revocationHint: 'revoke the role\'s active sessions (IAM → Roles → Revoke active sessions) or wait for the session to expire',
      details: { format: token.startsWith('IQoJb3JpZ2lu') ? 'sts-v2' : 'sts-v1' },
    }),
    remediation: ['Revoke the role sessions issued before now, and find how the token reached the file (a debug dump, a CI log?).'],
  });
}

/** 40 Base64 characters that look random: not a hex digest, not a word, not a placeholder. */
export function plausibleSecret(s: string): boolean {
  return s.length === 40 && !isHex(s) && looksRandomBase64(s) && shannonEntropy(s) >= 4.0 && !looksLikePlaceholder(s);
}

function revocationHint(key: KeyIdInfo): string {
  return key.keyType === 'long-term'
    ? `deactivate and delete access key ${key.accessKeyId} (aws iam update-access-key --status Inactive, then delete-access-key)`
    : `revoke the role's active sessions; temporary key ${key.accessKeyId} dies with its session`;
}

function remediation(key: KeyIdInfo): string[] {
  return [
    key.keyType === 'long-term'
      ? `Revoke: aws iam update-access-key --access-key-id ${key.accessKeyId} --status Inactive, then delete the key; rotate it in every system that used it.`
      : 'Revoke: revoke the role\'s active sessions (or wait for expiry); find where the temporary credentials were dumped from.',
    'Investigate: CloudTrail (lookup-events by AccessKeyId) for calls made with this key since it leaked.',
    'Prevent: use roles (instance profiles, OIDC federation from CI) instead of long-term user keys.',
  ];
}
