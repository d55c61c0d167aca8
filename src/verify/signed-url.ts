import { humanDuration, parseCompactTimestamp, fromUnixSeconds } from '../analyze/time.js';
import { parseQuery } from '../analyze/sas/query.js';
import { looksLikePlaceholder } from '../analyze/placeholder.js';
import { isDocumentationKey } from '../analyze/aws/key-id.js';
import type { UnknownCause, Verification, VerificationStatus } from '../model/verification.js';
import { networkFailure } from './azure/classify.js';
import { probe } from './evidence.js';
import type { ScopedClient } from './http.js';
import { SKEW_MS } from './offline.js';

/**
 * S3 presigned (SigV4, SigV2) and GCS signed (V4, V2) URLs. Offline first: the validity
 * window is in the URL, and an expired URL is never sent. Online only when the URL was signed
 * for GET or HEAD and signs no header but `host` — these signatures bind the method and the
 * signed headers, so anything else would be refused whatever the URL's state (a wrong verdict),
 * and a write is never replayed. A placeholder or documentation-example signature is never
 * sent. GET carries `Range: bytes=0-0`, so at most one byte comes back.
 */
export type SignedUrlKind = 's3-presigned-v4' | 's3-presigned-v2' | 'gcs-signed-v4' | 'gcs-signed-v2';

export interface SignedUrlInfo {
  kind: SignedUrlKind;
  start: Date | null;
  expiry: Date | null;
  signedHeaders: string[];
  /**
   * The HTTP method the URL was signed for. The method is part of what is signed but is not
   * written in the URL, so it is read from the hints the URL carries (the SDK's `x-id`
   * operation, multipart parameters, upload headers among the signed ones); without a hint a
   * presigned URL is a GET.
   */
  method: string;
  /** What `method` was read from. */
  methodHint: string;
  /** Why the signature is a placeholder or a documentation example, or null. */
  placeholder: string | null;
}

export function readSignedUrl(url: string): SignedUrlInfo | null {
  const q = url.indexOf('?');
  if (q < 0) return null;
  const params = new Map<string, string>();
  for (const [k, v] of parseQuery(url.slice(q + 1)).params) if (!params.has(k.toLowerCase())) params.set(k.toLowerCase(), v);
  const info = (kind: SignedUrlKind, start: Date | null, expiry: Date | null, signedHeaders: string[]): SignedUrlInfo => {
    const m = signedMethod(params, signedHeaders);
    return { kind, start, expiry, signedHeaders, method: m.method, methodHint: m.hint, placeholder: placeholderOf(kind, params) };
  };
  if (params.get('x-amz-algorithm') && params.has('x-amz-signature')) {
    const start = parseCompactTimestamp(params.get('x-amz-date'));
    return info('s3-presigned-v4', start, plusSeconds(start, params.get('x-amz-expires')), headerList(params.get('x-amz-signedheaders')));
  }
  if (params.get('x-goog-algorithm') && params.has('x-goog-signature')) {
    const start = parseCompactTimestamp(params.get('x-goog-date'));
    return info('gcs-signed-v4', start, plusSeconds(start, params.get('x-goog-expires')), headerList(params.get('x-goog-signedheaders')));
  }
  if (params.has('awsaccesskeyid') && params.has('signature') && params.has('expires')) {
    return info('s3-presigned-v2', null, fromUnixSeconds(params.get('expires')), []);
  }
  if (params.has('googleaccessid') && params.has('signature') && params.has('expires')) {
    return info('gcs-signed-v2', null, fromUnixSeconds(params.get('expires')), []);
  }
  return null;
}

/** Signed headers that only an upload sends (their values are not in the URL either). */
const UPLOAD_HEADER =
  /^(content-type|content-md5|content-length|x-amz-acl|x-amz-grant-.*|x-amz-storage-class|x-amz-tagging|x-amz-meta-.*|x-amz-checksum-.*|x-amz-server-side-encryption(?:-aws-kms-key-id|-context)?|x-amz-object-lock-.*|x-goog-acl|x-goog-meta-.*|x-goog-content-length-range|x-goog-storage-class)$/;

/** The method a signed URL was signed for, from what the URL says (AWS SDK `x-id`, S3/GCS XML API parameters, signed headers). */
export function signedMethod(p: ReadonlyMap<string, string>, signedHeaders: readonly string[]): { method: string; hint: string } {
  const xid = p.get('x-id');
  if (xid) {
    const hint = `x-id=${xid}`;
    if (/^Head/i.test(xid)) return { method: 'HEAD', hint };
    if (/^(Get|List)/i.test(xid)) return { method: 'GET', hint };
    if (/^(Create|Complete|Restore|Select|DeleteObjects$)/i.test(xid)) return { method: 'POST', hint };
    if (/^Delete/i.test(xid)) return { method: 'DELETE', hint };
    return { method: 'PUT', hint };
  }
  if (p.has('uploadid')) return p.has('partnumber') ? { method: 'PUT', hint: 'uploadId and partNumber (an upload part)' } : { method: 'POST', hint: 'uploadId (completes a multipart upload)' };
  if (p.has('uploads')) return { method: 'POST', hint: 'uploads (starts a multipart upload)' };
  if (p.has('delete')) return { method: 'POST', hint: 'delete (a multi-object delete)' };
  if (p.has('x-amz-copy-source')) return { method: 'PUT', hint: 'x-amz-copy-source (a copy)' };
  if (signedHeaders.includes('x-goog-resumable')) return { method: 'POST', hint: 'x-goog-resumable is signed (starts a resumable upload)' };
  const upload = signedHeaders.find((h) => UPLOAD_HEADER.test(h));
  if (upload) return { method: 'PUT', hint: `${upload} is signed (an upload)` };
  return { method: 'GET', hint: 'no other method is hinted, and presigned URLs are GET unless signed otherwise' };
}

/** The shapes real signatures have, and the placeholder/example test every rule uses. */
function placeholderOf(kind: SignedUrlKind, p: ReadonlyMap<string, string>): string | null {
  switch (kind) {
    case 's3-presigned-v4': {
      const sig = p.get('x-amz-signature') ?? '';
      const keyId = (p.get('x-amz-credential') ?? '').split('/')[0] ?? '';
      if (!/^[0-9a-f]{64}$/i.test(sig) || looksLikePlaceholder(sig)) return 'its X-Amz-Signature is a placeholder, not a SigV4 signature';
      return isDocumentationKey(keyId) ? `it is signed with the AWS documentation example key ${keyId}` : null;
    }
    case 's3-presigned-v2': {
      const sig = p.get('signature') ?? '';
      const keyId = p.get('awsaccesskeyid') ?? '';
      if (!/^[A-Za-z0-9+/]{27}=$/.test(sig) || looksLikePlaceholder(sig)) return 'its Signature is a placeholder, not a SigV2 signature';
      return isDocumentationKey(keyId) ? `it is signed with the AWS documentation example key ${keyId}` : null;
    }
    case 'gcs-signed-v4': {
      const sig = p.get('x-goog-signature') ?? '';
      if (!/^[0-9a-f]+$/i.test(sig) || ![64, 256, 512, 768, 1024].includes(sig.length) || looksLikePlaceholder(sig)) return 'its X-Goog-Signature is a placeholder, not a V4 signature';
      return null;
    }
    case 'gcs-signed-v2': {
      const sig = p.get('signature') ?? '';
      if (!/^[A-Za-z0-9+/]{40,}={0,2}$/.test(sig) || looksLikePlaceholder(sig)) return 'its Signature is a placeholder, not a V2 signature';
      return looksLikePlaceholder(p.get('googleaccessid') ?? '') ? 'its GoogleAccessId is a placeholder' : null;
    }
  }
}

function plusSeconds(d: Date | null, secs: string | undefined): Date | null {
  if (!d || !secs || !/^\d+$/.test(secs)) return null;
  return new Date(d.getTime() + Number(secs) * 1000);
}

function headerList(v: string | undefined): string[] {
  return (v ?? '').split(';').map((s) => s.trim().toLowerCase()).filter(Boolean);
}

export async function verifySignedUrl(url: string, info: SignedUrlInfo, client: ScopedClient, now: Date): Promise<Verification> {
  const when = { source: 'offline' as const, checkedAt: now.toISOString(), host: null, httpStatus: null, errorCode: null, requests: [] };
  const notSent = (cause: UnknownCause, reason: string): Verification => ({ status: 'unknown', cause, reason, ...when });
  if (info.placeholder) return notSent('placeholder', `not checked: ${info.placeholder}; an example is never sent`);
  if (info.expiry && info.expiry.getTime() <= now.getTime()) {
    return { status: 'expired', reason: `expired ${info.expiry.toISOString()} (${humanDuration((now.getTime() - info.expiry.getTime()) / 1000)} ago); not sent`, ...when };
  }
  if (info.start && info.start.getTime() > now.getTime() + SKEW_MS) {
    return { status: 'not-yet-valid', reason: `signed for a time in the future (${info.start.toISOString()}); not sent`, ...when };
  }
  if (info.method !== 'GET' && info.method !== 'HEAD') {
    return notSent('not-replayable', `not checked: signed for ${info.method} (${info.methodHint}); only URLs signed for GET or HEAD are replayed, and a write never is`);
  }
  const unsendable = info.signedHeaders.filter((h) => h !== 'host');
  if (unsendable.length) {
    return notSent('not-replayable', `not checked: it signs ${unsendable.join(', ')}, whose values are not in the URL, so a request without them would be refused whatever the URL's state`);
  }
  const method = info.method;
  const headers: Record<string, string> = method === 'GET' ? { Range: 'bytes=0-0' } : {};
  const p = await probe(client, method === 'GET' ? 'get-object-range' : 'head-object', { method, url: httpsOnly(url, client), headers, maxBodyBytes: 4096 });
  const v: Verification = { ...when, status: 'unknown', reason: '', source: 'live', host: safeHost(url), httpStatus: p.evidence.status, errorCode: p.evidence.errorCode, requests: [p.evidence] };
  if (p.evidence.status === null) {
    const n = networkFailure(p.evidence);
    return { ...v, status: n.status, cause: n.cause ?? 'network', reason: n.reason };
  }
  const c = classifySignedUrl(p.evidence.status, p.evidence.errorCode, p.evidence.detail, info, now);
  if (c.status !== 'unknown') return { ...v, status: c.status, reason: c.reason };
  return { ...v, cause: c.cause ?? 'service-error', reason: c.reason };
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
export function classifySignedUrl(status: number | null, code: string | null, message: string | null, info: SignedUrlInfo, now: Date): { status: VerificationStatus; cause?: UnknownCause; reason: string } {
  const c = code ?? '';
  const tag = `${status}${c ? ` ${c}` : ''}`;
  if (status === null) return { status: 'unknown', cause: 'network', reason: 'could not check: no answer' };
  if (status >= 200 && status < 300) return { status: 'live', reason: `accepted: HTTP ${status} (one byte requested)` };
  if (status >= 300 && status < 400) return { status: 'unknown', cause: 'redirect', reason: `HTTP ${tag}: redirect not followed (wrong regional endpoint?)` };
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
  if (status === 429 || status === 503) return { status: 'unknown', cause: 'throttled', reason: `HTTP ${tag}: throttled; try again later` };
  return { status: 'unknown', cause: 'service-error', reason: `unexpected answer ${tag}` };
}
