import { humanDuration, parseCompactTimestamp, fromUnixSeconds } from '../analyze/time.js';
import { parseQuery } from '../analyze/sas/query.js';
import type { Grant } from '../model/grant.js';
import type { Verification, VerificationStatus } from '../model/verification.js';
import { networkFailure } from './azure/classify.js';
import { probe } from './evidence.js';
import type { ScopedClient } from './http.js';
import { SKEW_MS } from './offline.js';

/**
 * S3 presigned (SigV4, SigV2) and GCS signed (V4, V2) URLs. Offline first: the validity
 * window is in the URL, and an expired URL is never sent. Online only when the URL is signed
 * for GET (these signatures bind the method: a PUT/DELETE URL is never replayed), with
 * `Range: bytes=0-0` unless `range` is a signed header, so at most one byte comes back.
 */
export type SignedUrlKind = 's3-presigned-v4' | 's3-presigned-v2' | 'gcs-signed-v4' | 'gcs-signed-v2';

export interface SignedUrlInfo {
  kind: SignedUrlKind;
  start: Date | null;
  expiry: Date | null;
  signedHeaders: string[];
  /** The HTTP method the URL was signed for, when the URL or its grant says; null = unknown. */
  method: string | null;
}

export function readSignedUrl(url: string, grant?: Grant | null): SignedUrlInfo | null {
  const q = url.indexOf('?');
  if (q < 0) return null;
  const params = new Map<string, string>();
  for (const [k, v] of parseQuery(url.slice(q + 1)).params) params.set(k.toLowerCase(), v);
  const method = methodOf(params, grant);
  if (params.get('x-amz-algorithm') && params.has('x-amz-signature')) {
    const start = parseCompactTimestamp(params.get('x-amz-date'));
    return { kind: 's3-presigned-v4', start, expiry: plusSeconds(start, params.get('x-amz-expires')), signedHeaders: headerList(params.get('x-amz-signedheaders')), method };
  }
  if (params.get('x-goog-algorithm') && params.has('x-goog-signature')) {
    const start = parseCompactTimestamp(params.get('x-goog-date'));
    return { kind: 'gcs-signed-v4', start, expiry: plusSeconds(start, params.get('x-goog-expires')), signedHeaders: headerList(params.get('x-goog-signedheaders')), method };
  }
  if (params.has('awsaccesskeyid') && params.has('signature') && params.has('expires')) {
    return { kind: 's3-presigned-v2', start: null, expiry: fromUnixSeconds(params.get('expires')), signedHeaders: [], method };
  }
  if (params.has('googleaccessid') && params.has('signature') && params.has('expires')) {
    return { kind: 'gcs-signed-v2', start: null, expiry: fromUnixSeconds(params.get('expires')), signedHeaders: [], method };
  }
  return null;
}

function methodOf(params: Map<string, string>, grant?: Grant | null): string | null {
  const fromGrant = grant?.details?.['method'];
  if (typeof fromGrant === 'string' && fromGrant) return fromGrant.toUpperCase();
  const xid = params.get('x-id');
  if (xid) return /^(GetObject|HeadObject)$/i.test(xid) ? 'GET' : xid === 'PutObject' || xid === 'UploadPart' ? 'PUT' : xid === 'DeleteObject' ? 'DELETE' : 'POST';
  if (params.has('uploadid')) return 'PUT';
  return null;
}

function plusSeconds(d: Date | null, secs: string | undefined): Date | null {
  if (!d || !secs || !/^\d+$/.test(secs)) return null;
  return new Date(d.getTime() + Number(secs) * 1000);
}

function headerList(v: string | undefined): string[] {
  return (v ?? '').split(';').map((s) => s.trim().toLowerCase()).filter(Boolean);
}

export async function verifySignedUrl(url: string, info: SignedUrlInfo, client: ScopedClient, now: Date): Promise<Verification> {
  const base: Verification = { status: 'unknown', reason: '', source: 'offline', checkedAt: now.toISOString(), host: null, httpStatus: null, errorCode: null, requests: [] };
  if (info.expiry && info.expiry.getTime() <= now.getTime()) {
    return { ...base, status: 'expired', reason: `expired ${info.expiry.toISOString()} (${humanDuration((now.getTime() - info.expiry.getTime()) / 1000)} ago); not sent` };
  }
  if (info.start && info.start.getTime() > now.getTime() + SKEW_MS) {
    return { ...base, status: 'not-yet-valid', reason: `signed for a time in the future (${info.start.toISOString()}); not sent` };
  }
  if (info.method && info.method !== 'GET' && info.method !== 'HEAD') {
    return { ...base, reason: `signed for ${info.method}: never replayed (only GET-signed URLs are checked live)` };
  }
  const headers: Record<string, string> = {};
  if (!info.signedHeaders.includes('range')) headers['Range'] = 'bytes=0-0';
  const p = await probe(client, 'get-object-range', { method: 'GET', url: httpsOnly(url, client), headers, maxBodyBytes: 4096 });
  const v: Verification = { ...base, source: 'live', host: safeHost(url), httpStatus: p.evidence.status, errorCode: p.evidence.errorCode, requests: [p.evidence] };
  const c = classifySignedUrl(p.evidence.status, p.evidence.errorCode, p.evidence.detail, info, now);
  if (p.evidence.status === null) {
    const n = networkFailure(p.evidence);
    return { ...v, status: n.status, reason: n.reason };
  }
  return { ...v, status: c.status, reason: c.reason };
}

/** Plain http only where the guard allows it (private hosts); otherwise the https form. */
function httpsOnly(url: string, client: ScopedClient): string {
  if (!url.startsWith('http:') || client.guard.options.allowPrivateHosts) return url;
  return `https:${url.slice(5)}`;
}

function safeHost(url: string): string | null {
  try {
    return new URL(url).host;
  } catch {
    return null;
  }
}

/** S3 and GCS answers (reference §4.2, §5.1). */
export function classifySignedUrl(status: number | null, code: string | null, message: string | null, info: SignedUrlInfo, now: Date): { status: VerificationStatus; reason: string } {
  const c = code ?? '';
  const tag = `${status}${c ? ` ${c}` : ''}`;
  if (status === null) return { status: 'unreachable', reason: 'no answer' };
  if (status >= 200 && status < 300) return { status: 'live', reason: `accepted: HTTP ${status} (one byte requested)` };
  if (status >= 300 && status < 400) return { status: 'unknown', reason: `HTTP ${tag}: redirect not followed (wrong regional endpoint?)` };
  if (c === 'ExpiredToken' || (c === 'AccessDenied' && /expired/i.test(message ?? ''))) return { status: 'expired', reason: `the server says it has expired (${tag})` };
  if (c === 'SignatureDoesNotMatch') {
    return { status: 'revoked-or-invalid', reason: `signature rejected (${tag}): the signing secret changed, the URL was edited, or it was signed for another method` };
  }
  if (c === 'InvalidAccessKeyId') return { status: 'revoked-or-invalid', reason: `the access key is deleted or unknown (${tag})` };
  if (c === 'AccessDenied') return { status: 'revoked-or-invalid', reason: `the signer is no longer allowed (${tag}): key deactivated, or a policy now denies it` };
  if (status === 404 && /^NoSuch(Key|Bucket)$/.test(c)) {
    return { status: 'live', reason: `signature accepted, but ${c === 'NoSuchBucket' ? 'the bucket is gone (its name can be registered again by anyone)' : 'the object is gone'} (${tag})` };
  }
  if (status === 400 && c === 'AuthorizationQueryParametersError') return { status: 'revoked-or-invalid', reason: `malformed signed URL (${tag})` };
  if (info.expiry && info.expiry.getTime() <= now.getTime() + SKEW_MS && status === 403) return { status: 'expired', reason: `refused at the end of its validity (${tag})` };
  return { status: 'unknown', reason: `unexpected answer ${tag}` };
}
