import type { Grant } from '../../model/grant.js';
import type { Severity } from '../../model/severity.js';
import { example } from '../credential.js';
import { looksLikePlaceholder } from '../placeholder.js';
import { redactSecretParams } from '../redact.js';
import { parseQuery } from '../sas/query.js';
import { fromUnixSeconds, iso, parseCompactTimestamp, relative } from '../time.js';
import { judgeSignedUrl, signedUrlValidity } from '../signed-url-severity.js';
import type { Analysis, AnalysisContext, MatchInput } from '../types.js';
import { locateGcs, signerInfo, type GcsLocation, type SignerInfo } from './gcs-endpoint.js';

/**
 * Cloud Storage signed URLs, V4 (`X-Goog-*`) and legacy V2 (`GoogleAccessId`/`Expires`/
 * `Signature`). Severity:
 * - placeholder signature → info (example);
 * - expired → low, noting that the signing key (service-account key or HMAC key) outlives the URL;
 * - live and signed for an upload (content-type or resumable headers signed) → high;
 * - live otherwise → medium; V2 valid for more than 7 more days → high;
 * - lowered one level (not below low) when it expires within 24 hours.
 */
const RULE_V4 = 'gcs-signed-url-v4';
const RULE_V2 = 'gcs-signed-url-v2';

export function analyzeGcsSigned(match: MatchInput, ctx: AnalysisContext): Analysis | null {
  const raw = (match.groups['query'] ?? match.text).replace(/^\?/, '');
  const params = new Map<string, string>();
  for (const [k, v] of parseQuery(raw).params) if (!params.has(k.toLowerCase())) params.set(k.toLowerCase(), v);
  const url = match.groups['url'];
  if (params.has('x-goog-signature')) return analyzeV4(params, url, raw, ctx);
  if (params.has('googleaccessid')) return analyzeV2(params, url, raw, ctx);
  return null;
}

function analyzeV4(p: Map<string, string>, url: string | undefined, token: string, ctx: AnalysisContext): Analysis | null {
  const signature = p.get('x-goog-signature')!;
  const algorithm = p.get('x-goog-algorithm') ?? null;
  if (!p.has('x-goog-credential') && !algorithm) return null;
  const [signer = '', scopeDate = '', location = ''] = (p.get('x-goog-credential') ?? '').split('/');
  const shown = redactSecretParams(token);
  const validLength = [64, 256, 512, 768, 1024].includes(signature.length);
  if (!/^[0-9a-f]+$/i.test(signature) || !validLength || looksLikePlaceholder(signature)) {
    return example(RULE_V4, signature, 'placeholder signature: a documentation example, not a secret', { raw: token, redacted: shown });
  }
  const loc = locateGcs(url);
  const who = signerInfo(signer);
  const start = parseCompactTimestamp(p.get('x-goog-date'));
  const expiresIn = /^\d+$/.test(p.get('x-goog-expires') ?? '') ? parseInt(p.get('x-goog-expires')!, 10) : null;
  const expiry = start && expiresIn !== null ? new Date(start.getTime() + expiresIn * 1000) : null;
  const method = methodHint(p);
  const notes: string[] = [];
  if (expiresIn !== null && expiresIn > 604_800) notes.push(`X-Goog-Expires=${expiresIn} exceeds the 7-day maximum: Cloud Storage rejects the URL`);
  if (!start) notes.push('X-Goog-Date missing or malformed: validity window unknown');
  const details: Record<string, unknown> = {
    signer,
    signerType: who.kind,
    algorithm,
    signingDate: iso(start),
    scopeDate: scopeDate || null,
    location: location || null,
    expiresSeconds: expiresIn,
    signedHeaders: (p.get('x-goog-signedheaders') ?? '').split(';').filter(Boolean),
    method,
  };
  if (who.serviceAccountType) details['serviceAccountType'] = who.serviceAccountType;
  const grant = signedGrant('gcs-signed-v4', loc, who, start, expiry, ctx.now, notes, details);
  const judged = judge(grant, who, method, ctx.now, 'v4');
  return {
    rule: RULE_V4,
    title: 'Google Cloud Storage signed URL (V4)',
    severity: judged.severity,
    reasons: judged.reasons,
    grant,
    explanation: explain(grant, who, method, ctx.now),
    remediation: remediation(grant, who),
    secretValue: signature.toLowerCase(),
    shown: { raw: token, redacted: shown },
    example: false,
    material: { url: url ? `${url}?${token}` : token },
  };
}

function analyzeV2(p: Map<string, string>, url: string | undefined, token: string, ctx: AnalysisContext): Analysis | null {
  const signer = p.get('googleaccessid') ?? '';
  const signature = p.get('signature') ?? '';
  if (!p.has('expires') || !p.has('signature')) return null;
  const shown = redactSecretParams(token);
  if (!/^[A-Za-z0-9+/]{40,}={0,2}$/.test(signature) || looksLikePlaceholder(signature) || looksLikePlaceholder(signer)) {
    return example(RULE_V2, signature || token, 'placeholder signature or signer: a documentation example, not a secret', { raw: token, redacted: shown });
  }
  const loc = locateGcs(url);
  const who = signerInfo(signer);
  const expiry = fromUnixSeconds(p.get('expires'));
  const method = methodHint(p);
  const notes = ['V2 signing (legacy): Google recommends V4; V2 URLs longer than 7 days have been seen to fail'];
  const details: Record<string, unknown> = { signer, signerType: who.kind, algorithm: 'GOOG-RSA-SHA256 (V2)', method };
  if (who.serviceAccountType) details['serviceAccountType'] = who.serviceAccountType;
  const grant = signedGrant('gcs-signed-v2', loc, who, null, expiry, ctx.now, notes, details);
  const judged = judge(grant, who, method, ctx.now, 'v2');
  return {
    rule: RULE_V2,
    title: 'Google Cloud Storage signed URL (V2)',
    severity: judged.severity,
    reasons: judged.reasons,
    grant,
    explanation: explain(grant, who, method, ctx.now),
    remediation: remediation(grant, who),
    secretValue: signature,
    shown: { raw: token, redacted: shown },
    example: false,
    material: { url: url ? `${url}?${token}` : token },
  };
}

function methodHint(p: Map<string, string>): string {
  const signed = (p.get('x-goog-signedheaders') ?? '').toLowerCase();
  if (/(?:^|;)x-goog-resumable(?:;|$)/.test(signed)) return 'resumable upload (POST)';
  if (/(?:^|;)(?:content-type|content-md5|x-goog-acl|x-goog-content-length-range)(?:;|$)/.test(signed)) return 'upload (PUT)';
  if ([...p.keys()].some((k) => k.startsWith('response-'))) return 'GET';
  return 'unknown (GET unless signed otherwise)';
}

function isWrite(method: string): boolean {
  return /upload|put|post|delete/i.test(method);
}

function signedGrant(kind: string, loc: GcsLocation, who: SignerInfo, start: Date | null, expiry: Date | null, now: Date, notes: string[], details: Record<string, unknown>): Grant {
  const hmac = who.kind === 'hmac-key';
  return {
    provider: 'gcp',
    kind,
    account: who.project,
    services: ['storage'],
    resource: { url: loc.url, host: loc.host, bucket: loc.bucket, object: loc.object, key: loc.object },
    scope: loc.object ? 'object' : loc.bucket ? 'bucket' : 'unknown',
    permissions: null,
    permissionLetters: null,
    ...signedUrlValidity(start, expiry, now, loc.url),
    ipRange: null,
    storedPolicy: null,
    revocation: hmac ? 'deactivate-hmac-key' : 'delete-service-account-key',
    revocationHint: hmac
      ? `deactivate, then delete, HMAC key ${who.signer} (gcloud storage hmac update --deactivate, then delete); every URL it signed dies with it`
      : `delete the service-account key that signed it (gcloud iam service-accounts keys list/delete --iam-account ${who.signer}); if the signer used IAM signBlob rather than a key, remove its roles instead`,
    notes,
    details,
  };
}

function judge(g: Grant, who: SignerInfo, method: string, now: Date, version: 'v4' | 'v2'): { severity: Severity; reasons: string[] } {
  const keyNote =
    who.kind === 'hmac-key'
      ? `signed with HMAC key ${who.signer}, which outlives the URL and signs other requests until deactivated`
      : `signed by ${who.signer}${who.project ? ` (project ${who.project})` : ''}; its key outlives the URL`;
  const defaultSigner = who.serviceAccountType === 'compute-default' || who.serviceAccountType === 'app-engine-default';
  return judgeSignedUrl(
    g,
    {
      where: g.resource?.bucket ? `${g.resource.bucket}/${g.resource.object ?? ''}` : (g.resource?.host ?? 'unknown bucket'),
      method,
      writes: isWrite(method),
      uncapped: version === 'v2' ? 'V2 URL valid for more than a week more' : null,
      keyNote,
      logs: 'Cloud Storage data access audit logs',
      extra: defaultSigner ? [`signer is the ${who.serviceAccountType} service account (often over-privileged)`] : [],
    },
    now,
  );
}

function explain(g: Grant, who: SignerInfo, method: string, now: Date): string {
  const obj = g.resource?.object ? `object ${g.resource.object}` : 'the object';
  const bucket = g.resource?.bucket ? ` in bucket ${g.resource.bucket}` : '';
  const expiry = g.expiry ? new Date(g.expiry) : null;
  const when = !expiry ? ' with an unknown expiry' : expiry.getTime() <= now.getTime() ? ` — but it expired on ${g.expiry!.slice(0, 10)}` : ` until ${g.expiry} (${relative(expiry, now)})`;
  const verb = isWrite(method) ? `perform the signed ${method} on` : 'download';
  return `Anyone holding this link can ${verb} ${obj}${bucket}${when}, acting as ${who.signer}${who.project ? ` of project ${who.project}` : ''}. The method is part of the signature. To revoke it early: ${g.revocationHint}.`;
}

function remediation(g: Grant, who: SignerInfo): string[] {
  return [
    who.kind === 'hmac-key'
      ? `Revoke: gcloud storage hmac update ${who.signer} --deactivate, then gcloud storage hmac delete ${who.signer}.`
      : `Revoke: delete the signing key of ${who.signer} (gcloud iam service-accounts keys list --iam-account ${who.signer}; keys delete <KEY_ID>).`,
    'Replace: sign with short expirations (minutes) from a service that holds the key, never in code or notebooks.',
    `Investigate: Cloud Audit Logs (data access) for ${g.resource?.bucket ?? 'the bucket'} during the validity window.`,
  ];
}
