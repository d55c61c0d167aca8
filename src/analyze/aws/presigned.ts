import type { Grant } from '../../model/grant.js';
import type { Severity } from '../../model/severity.js';
import { example } from '../credential.js';
import { looksLikePlaceholder } from '../placeholder.js';
import { redactSecretParams } from '../redact.js';
import { parseQuery } from '../sas/query.js';
import { fromUnixSeconds, iso, parseCompactTimestamp, relative } from '../time.js';
import { judgeSignedUrl, signedUrlValidity } from '../signed-url-severity.js';
import type { Analysis, AnalysisContext, MatchInput } from '../types.js';
import { isDocumentationKey, keyIdInfo, type KeyIdInfo } from './key-id.js';
import { locateS3, serviceName, type S3Location } from './s3-endpoint.js';

/**
 * S3 presigned URLs, SigV4 (`X-Amz-*`) and legacy SigV2 (`AWSAccessKeyId`/`Expires`/
 * `Signature`): the grant names the object, the signing key and its type, the validity
 * window, and what the URL was probably signed for.
 *
 * Severity (stated in each finding's reasons):
 * - a placeholder or AWS documentation key → info (example);
 * - expired → low, noting that the access key id outlives the URL;
 * - live and signed for a write (PutObject, multipart upload part, upload headers) → high;
 * - live otherwise → medium; SigV2 valid for more than 7 more days → high (the scheme has no cap);
 * - lowered one level (not below low) when it expires within 24 hours.
 */
const RULE_V4 = 'aws-presigned-url-v4';
const RULE_V2 = 'aws-presigned-url-v2';

export function analyzePresigned(match: MatchInput, ctx: AnalysisContext): Analysis | null {
  const query = parseQuery(match.groups['query'] ?? match.text);
  const p = lowerKeys(query.params);
  const url = match.groups['url'];
  const token = (match.groups['query'] ?? match.text).replace(/^\?/, '');
  if (p.has('x-amz-signature')) return analyzeV4(p, url, token, ctx);
  if (p.has('awsaccesskeyid')) return analyzeV2(p, url, token, ctx);
  return null;
}

function lowerKeys(params: Map<string, string>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of params) if (!out.has(k.toLowerCase())) out.set(k.toLowerCase(), v);
  return out;
}

function analyzeV4(p: Map<string, string>, url: string | undefined, token: string, ctx: AnalysisContext): Analysis | null {
  const signature = p.get('x-amz-signature')!;
  const credential = (p.get('x-amz-credential') ?? '').split('/');
  const [accessKeyId = '', scopeDate = '', scopeRegion = '', scopeService = ''] = credential;
  const algorithm = p.get('x-amz-algorithm') ?? null;
  if (!p.has('x-amz-credential') && !algorithm) return null; // a lone header name in prose
  const shown = redactSecretParams(token);
  if (!/^[0-9a-f]{64}$/i.test(signature) || looksLikePlaceholder(signature) || isDocumentationKey(accessKeyId)) {
    return example(RULE_V4, signature, /^[0-9a-f]{64}$/i.test(signature) ? 'AWS documentation example key: not a secret' : 'placeholder signature: a documentation example, not a secret', {
      raw: token,
      redacted: shown,
    });
  }
  const loc = locateS3(url);
  const key = keyIdInfo(accessKeyId);
  const start = parseCompactTimestamp(p.get('x-amz-date'));
  const expiresIn = /^\d+$/.test(p.get('x-amz-expires') ?? '') ? parseInt(p.get('x-amz-expires')!, 10) : null;
  const expiry = start && expiresIn !== null ? new Date(start.getTime() + expiresIn * 1000) : null;
  const temporary = p.has('x-amz-security-token') || key.keyType === 'temporary';
  const method = methodHint(p);
  const notes: string[] = [];
  if (expiresIn !== null && expiresIn > 604_800) notes.push(`X-Amz-Expires=${expiresIn} exceeds SigV4's 7-day maximum: S3 rejects the URL (AuthorizationQueryParametersError)`);
  if (!start) notes.push('X-Amz-Date missing or malformed: validity window unknown');
  if (temporary) notes.push('signed with temporary credentials: the URL also dies when that STS session ends, whatever X-Amz-Expires says');
  if (scopeService && scopeService !== 's3') notes.push(`credential scope names service "${scopeService}", not s3`);
  if (algorithm === 'AWS4-ECDSA-P256-SHA256') notes.push('SigV4a (multi-region) signature: valid in the region set, not one region');
  const details: Record<string, unknown> = {
    accessKeyId,
    keyType: key.keyType,
    temporaryCredentials: temporary,
    region: scopeRegion || loc.region,
    signingDate: iso(start),
    scopeDate: scopeDate || null,
    expiresSeconds: expiresIn,
    algorithm,
    signedHeaders: (p.get('x-amz-signedheaders') ?? '').split(';').filter(Boolean),
    method,
    service: loc.service,
  };
  if (key.accountIdHint) details['accountIdHint'] = key.accountIdHint;
  if (loc.accessPoint) details['accessPoint'] = loc.accessPoint;
  const grant = presignedGrant('s3-presigned-v4', loc, key, start, expiry, ctx.now, notes, details);
  const judged = judge(grant, key, method, ctx.now, 'v4');
  return {
    rule: RULE_V4,
    title: `${serviceName(loc.service)} presigned URL (SigV4)`,
    severity: judged.severity,
    reasons: judged.reasons,
    grant,
    explanation: explain(grant, key, method, ctx.now),
    remediation: remediation(grant, key),
    secretValue: signature.toLowerCase(),
    shown: { raw: token, redacted: shown },
    example: false,
    material: { url: url ? `${url}?${token}` : token },
  };
}

function analyzeV2(p: Map<string, string>, url: string | undefined, token: string, ctx: AnalysisContext): Analysis | null {
  const accessKeyId = p.get('awsaccesskeyid') ?? '';
  const signature = p.get('signature') ?? '';
  if (!p.has('expires') || !p.has('signature')) return null;
  if (p.has('key-pair-id') || p.has('policy')) return null; // CloudFront signed URL
  const shown = redactSecretParams(token);
  if (!/^[A-Za-z0-9+/]{27}=$/.test(signature) || looksLikePlaceholder(signature) || isDocumentationKey(accessKeyId) || !/^[A-Z0-9]{20}$/.test(accessKeyId)) {
    return example(RULE_V2, signature || token, 'placeholder or documentation example: not a real SigV2 signature', { raw: token, redacted: shown });
  }
  const loc = locateS3(url);
  const key = keyIdInfo(accessKeyId);
  const expiry = fromUnixSeconds(p.get('expires'));
  const temporary = p.has('x-amz-security-token') || key.keyType === 'temporary';
  const method = methodHint(p);
  const notes = ['SigV2 query authentication (legacy): regions opened after January 2014 refuse it; the scheme sets no maximum lifetime'];
  if (temporary) notes.push('signed with temporary credentials: the URL also dies when that STS session ends');
  const details: Record<string, unknown> = {
    accessKeyId,
    keyType: key.keyType,
    temporaryCredentials: temporary,
    region: loc.region,
    algorithm: 'HmacSHA1',
    method,
    service: loc.service,
  };
  if (key.accountIdHint) details['accountIdHint'] = key.accountIdHint;
  const grant = presignedGrant('s3-presigned-v2', loc, key, null, expiry, ctx.now, notes, details);
  const judged = judge(grant, key, method, ctx.now, 'v2');
  return {
    rule: RULE_V2,
    title: `${serviceName(loc.service)} presigned URL (SigV2)`,
    severity: judged.severity,
    reasons: judged.reasons,
    grant,
    explanation: explain(grant, key, method, ctx.now),
    remediation: remediation(grant, key),
    secretValue: signature,
    shown: { raw: token, redacted: shown },
    example: false,
    material: { url: url ? `${url}?${token}` : token },
  };
}

/** What the URL was probably signed for: the method is signed but not written in the URL. */
export function methodHint(p: Map<string, string>): string {
  const xid = p.get('x-id');
  if (xid) return xid;
  if (p.has('uploadid') && p.has('partnumber')) return 'UploadPart';
  if (p.has('uploadid')) return 'multipart upload';
  const signed = (p.get('x-amz-signedheaders') ?? '').toLowerCase();
  if (/(?:^|;)(?:content-type|content-md5|x-amz-acl|x-amz-server-side-encryption|x-amz-storage-class)(?:;|$)/.test(signed)) return 'upload (PutObject)';
  if ([...p.keys()].some((k) => k.startsWith('response-'))) return 'GetObject';
  return 'unknown (GET unless signed otherwise)';
}

export function isWriteMethod(method: string): boolean {
  return /put|post|upload|delete|copy|create|complete/i.test(method);
}

function presignedGrant(kind: string, loc: S3Location, key: KeyIdInfo, start: Date | null, expiry: Date | null, now: Date, notes: string[], details: Record<string, unknown>): Grant {
  const longTerm = key.keyType === 'long-term';
  return {
    provider: loc.service === 'gcs-s3-interop' ? 'gcp' : 'aws',
    kind,
    // the account decoded from the key id is undocumented: it stays a hint in details
    account: loc.accessPoint?.account ?? null,
    services: ['s3'],
    resource: { url: loc.url, host: loc.host, bucket: loc.bucket, key: loc.key, object: loc.key },
    scope: loc.key ? 'object' : loc.bucket ? 'bucket' : 'unknown',
    permissions: null,
    permissionLetters: null,
    ...signedUrlValidity(start, expiry, now, loc.url),
    ipRange: null,
    storedPolicy: null,
    revocation: longTerm ? 'deactivate-access-key' : 'wait-for-expiry',
    revocationHint: longTerm
      ? `deactivate and delete access key ${key.accessKeyId} (IAM → Users → Security credentials); every URL it signed dies with it`
      : `revoke the role session (IAM: "Revoke active sessions" on the role) or wait for expiry; the temporary key ${key.accessKeyId} cannot be deleted`,
    notes,
    details,
  };
}

function judge(g: Grant, key: KeyIdInfo, method: string, now: Date, version: 'v4' | 'v2'): { severity: Severity; reasons: string[] } {
  const keyNote =
    key.keyType === 'long-term'
      ? `the access key id ${key.accessKeyId} (long-term IAM user key) outlives the URL: it still names the ${key.accountIdHint ? `account ${key.accountIdHint}` : 'account'} and signs other requests until it is deactivated`
      : `signed with ${key.prefixMeaning} ${key.accessKeyId}`;
  return judgeSignedUrl(
    g,
    {
      where: g.resource?.bucket ? `${g.resource.bucket}/${g.resource.key ?? ''}` : (g.resource?.host ?? 'unknown bucket'),
      method,
      writes: isWriteMethod(method),
      uncapped: version === 'v2' ? 'SigV2 sets no lifetime cap: valid for more than a week more' : null,
      keyNote,
      logs: 'S3 access logs / CloudTrail data events',
    },
    now,
  );
}

function explain(g: Grant, key: KeyIdInfo, method: string, now: Date): string {
  const what = isWriteMethod(method) ? `perform ${method} on` : 'download';
  const obj = g.resource?.key ? `object ${g.resource.key}` : 'the object';
  const bucket = g.resource?.bucket ? ` in bucket ${g.resource.bucket}` : '';
  const region = g.details?.['region'] ? ` (${String(g.details['region'])})` : '';
  const expiry = g.expiry ? new Date(g.expiry) : null;
  const when = !expiry ? ' with an unknown expiry' : expiry.getTime() <= now.getTime() ? ` — but it expired on ${g.expiry!.slice(0, 10)}` : ` until ${g.expiry} (${relative(expiry, now)})`;
  return (
    `Anyone holding this link can ${what} ${obj}${bucket}${region}${when}. It acts with the permissions of access key ${key.accessKeyId} (${key.prefixMeaning}) at the time of each request; ` +
    `the HTTP method and signed headers are fixed, so it works only for the request it was signed for. To revoke it: ${g.revocationHint}.`
  );
}

function remediation(g: Grant, key: KeyIdInfo): string[] {
  const steps: string[] = [];
  if (key.keyType === 'long-term') {
    steps.push(`Revoke: deactivate access key ${key.accessKeyId} (aws iam update-access-key --access-key-id ${key.accessKeyId} --status Inactive), then delete it once nothing depends on it; this kills every URL it signed.`);
  } else {
    steps.push('Revoke: revoke the role\'s active sessions (IAM console, or an inline policy denying aws:TokenIssueTime before now); temporary keys otherwise die when their session ends.');
  }
  steps.push(
    'Replace: sign URLs with a short-lived role session rather than an IAM user key, keep X-Amz-Expires to minutes, and never commit presigned URLs.',
    `Investigate: search CloudTrail data events / S3 server access logs for requests with this key id${g.resource?.bucket ? ` on bucket ${g.resource.bucket}` : ''} during the validity window.`,
  );
  return steps;
}
