import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { BUILTIN_RULES } from '../detect/rules/index.js';
import { overrideLookup } from './address.js';
import { credentialsFromText } from './input.js';
import { classifySignedUrl, readSignedUrl } from './signed-url.js';
import { Verifier } from './verify.js';

/**
 * S3 / GCS signed URLs against a local stand-in for the provider (the hosts map to 127.0.0.1).
 * The stand-in accepts the GOOD signatures on any path, and anything at all under /public/
 * (like a public object, which is how a placeholder signature used to come back LIVE).
 */
const S3_HOST = 'leaky-bucket.s3.us-east-1.amazonaws.com';
const GCS_HOST = 'storage.googleapis.com';
const KEY_ID = 'AKIAZ7QYVXNM3L5T2KDR';
const GOOD = createHash('sha256').update('good').digest('hex');
const GOOD_V2 = createHash('sha1').update('good').digest('base64');
const seen: { url: string; headers: http.IncomingHttpHeaders; method: string }[] = [];
let port = 0;
const srv = http.createServer((req, res) => {
  seen.push({ url: req.url!, headers: req.headers, method: req.method! });
  const ok = req.url!.startsWith('/public/') || req.url!.includes(GOOD) || req.url!.includes(encodeURIComponent(GOOD_V2));
  if (ok) {
    res.writeHead(req.method === 'HEAD' ? 200 : 206, { 'Content-Range': 'bytes 0-0/5000', 'Content-Length': req.method === 'HEAD' ? '5000' : '1' });
    return res.end(req.method === 'HEAD' ? undefined : 'x');
  }
  res.writeHead(403, { 'Content-Type': 'application/xml' });
  res.end('<?xml version="1.0" encoding="UTF-8"?><Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match the signature you provided.</Message></Error>');
});

before(async () => {
  port = await new Promise<number>((r) => srv.listen(0, '127.0.0.1', () => r((srv.address() as AddressInfo).port)));
});
after(() => new Promise<void>((r) => { srv.closeAllConnections(); srv.close(() => r()); }));

const compact = (d: Date) => d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
function s3v4(opts: { date?: Date; expires?: number; sig?: string; extra?: string; signedHeaders?: string; keyId?: string; path?: string } = {}): string {
  const d = opts.date ?? new Date(Date.now() - 60_000);
  return `http://${S3_HOST}:${port}${opts.path ?? '/reports/q3.pdf'}?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=${opts.keyId ?? KEY_ID}%2F${compact(d).slice(0, 8)}%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=${compact(d)}&X-Amz-Expires=${opts.expires ?? 3600}&X-Amz-SignedHeaders=${opts.signedHeaders ?? 'host'}${opts.extra ?? ''}&X-Amz-Signature=${opts.sig ?? GOOD}`;
}
const verifier = () => new Verifier({ allowPrivateHosts: true, lookup: overrideLookup(new Map([[S3_HOST, '127.0.0.1'], [GCS_HOST, '127.0.0.1']])) });
const check = (url: string, v = verifier()) => v.verify({ rule: 'aws-presigned-url', grant: null, material: { url } });

/** The way scan and verify check a URL: through the analyzer's finding, its grant and material. */
async function checkAsFound(url: string) {
  const { findings, material } = credentialsFromText(url, BUILTIN_RULES, { showSecrets: false, now: new Date() });
  const f = findings.find((x) => material.has(x.fingerprint) && !x.example);
  assert.ok(f, `a checkable finding for ${url}`);
  return verifier().verify({ rule: f.rule, grant: f.grant ?? null, material: material.get(f.fingerprint)! });
}

describe('signed URLs: offline first, then one ranged GET', () => {
  it('reads the validity window of each scheme', () => {
    const v4 = readSignedUrl(s3v4({ date: new Date('2030-01-01T00:00:00Z'), expires: 600 }))!;
    assert.equal(v4.kind, 's3-presigned-v4');
    assert.equal(v4.expiry!.toISOString(), '2030-01-01T00:10:00.000Z');
    assert.equal(readSignedUrl(`https://b.s3.amazonaws.com/k?AWSAccessKeyId=${KEY_ID}&Expires=1893456000&Signature=abc%3D`)!.kind, 's3-presigned-v2');
    const g = readSignedUrl('https://storage.googleapis.com/b/o?X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Credential=sa%40p.iam.gserviceaccount.com%2F20300101%2Fauto%2Fstorage%2Fgoog4_request&X-Goog-Date=20300101T000000Z&X-Goog-Expires=60&X-Goog-SignedHeaders=host&X-Goog-Signature=ab')!;
    assert.equal(g.kind, 'gcs-signed-v4');
    assert.equal(g.expiry!.toISOString(), '2030-01-01T00:01:00.000Z');
    assert.equal(readSignedUrl('https://storage.googleapis.com/b/o?GoogleAccessId=sa%40p.iam.gserviceaccount.com&Expires=1893456000&Signature=abc')!.kind, 'gcs-signed-v2');
  });

  it('reads the signed method from the hints a URL carries; GET without one', () => {
    const method = (extra: string, signedHeaders?: string) => readSignedUrl(s3v4({ extra, ...(signedHeaders ? { signedHeaders } : {}) }))!.method;
    assert.equal(method(''), 'GET');
    assert.equal(method('&x-id=GetObject'), 'GET');
    assert.equal(method('&x-id=HeadObject'), 'HEAD');
    assert.equal(method('&x-id=PutObject'), 'PUT');
    assert.equal(method('&x-id=DeleteObject'), 'DELETE');
    assert.equal(method('&x-id=CreateMultipartUpload'), 'POST');
    assert.equal(method('&uploadId=abc&partNumber=2'), 'PUT');
    assert.equal(method('&uploadId=abc'), 'POST');
    assert.equal(method('&response-content-disposition=attachment'), 'GET');
    assert.equal(method('', 'content-type%3Bhost'), 'PUT');
    const resumable = 'https://storage.googleapis.com/b/o?X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Credential=sa%40p.iam.gserviceaccount.com%2F20300101%2Fauto%2Fstorage%2Fgoog4_request&X-Goog-Date=20300101T000000Z&X-Goog-Expires=60&X-Goog-SignedHeaders=host%3Bx-goog-resumable&X-Goog-Signature=ab';
    assert.equal(readSignedUrl(resumable)!.method, 'POST');
  });

  it('a live GET-signed URL: 206 to a one-byte range, tagged with the sasquatch user agent', async () => {
    const v = await check(s3v4());
    assert.equal(v.status, 'live');
    assert.equal(v.httpStatus, 206);
    const req = seen.at(-1)!;
    assert.equal(req.method, 'GET');
    assert.equal(req.headers['range'], 'bytes=0-0');
    assert.match(String(req.headers['user-agent']), /^sasquatch\//);
    assert.match(v.requests[0]!.url, /X-Amz-Signature=\w{4}…$/);
  });

  it('replays a real SigV4 URL as found by a scan: no method hint, or x-id=GetObject', async () => {
    for (const url of [s3v4(), s3v4({ extra: '&x-id=GetObject' })]) {
      const before = seen.length;
      const v = await checkAsFound(url);
      assert.equal(v.status, 'live', `${url}: ${v.reason}`);
      assert.equal(seen.length, before + 1);
      assert.equal(seen.at(-1)!.method, 'GET');
    }
  });

  it('a URL signed for HEAD is checked with HEAD', async () => {
    const v = await checkAsFound(s3v4({ extra: '&x-id=HeadObject' }));
    assert.equal(v.status, 'live');
    assert.equal(seen.at(-1)!.method, 'HEAD');
  });

  it('never sends a placeholder or documentation-example signature, even to a host that would answer 200', async () => {
    const before = seen.length;
    const placeholders = [
      s3v4({ path: '/public/q3.pdf', sig: 'a'.repeat(64) }),
      s3v4({ path: '/public/q3.pdf', sig: '%3Csignature%3E' }),
      s3v4({ path: '/public/q3.pdf', keyId: 'AKIAIOSFODNN7EXAMPLE' }),
      `http://${S3_HOST}:${port}/public/k?AWSAccessKeyId=${KEY_ID}&Expires=${Math.floor(Date.now() / 1000) + 3600}&Signature=XXXXXXXXXXXXXXXXXXXXXXXXXXX%3D`,
    ];
    for (const url of placeholders) {
      const v = await check(url);
      assert.equal(v.status, 'unknown', url);
      assert.equal(v.cause, 'placeholder', url);
      const input = credentialsFromText(url, BUILTIN_RULES, { showSecrets: false, now: new Date() });
      assert.equal(input.findings.filter((f) => input.material.has(f.fingerprint) && !f.example).length, 0, `nothing to verify in ${url}`);
    }
    assert.equal(seen.length, before, 'nothing reached the server');
  });

  it('a rejected signature is revoked-or-invalid, with the provider error code', async () => {
    const v = await check(s3v4({ sig: createHash('sha256').update('rotated').digest('hex') }));
    assert.equal(v.status, 'revoked-or-invalid');
    assert.equal(v.errorCode, 'SignatureDoesNotMatch');
  });

  it('never sends an expired URL, a URL signed for a write or for headers it does not carry, or to a private address without permission', async () => {
    const before = seen.length;
    const expired = await check(s3v4({ date: new Date(Date.now() - 2 * 86400_000), expires: 3600 }));
    assert.equal(expired.status, 'expired');
    assert.equal(expired.source, 'offline');
    const put = await check(s3v4({ extra: '&x-id=PutObject' }));
    assert.equal(put.status, 'unknown');
    assert.equal(put.cause, 'not-replayable');
    assert.match(put.reason, /signed for PUT \(x-id=PutObject\)/);
    const ranged = await check(s3v4({ signedHeaders: 'host%3Brange' }));
    assert.equal(ranged.cause, 'not-replayable');
    assert.match(ranged.reason, /signs range/);
    const refused = await new Verifier({ allowPrivateHosts: false, lookup: overrideLookup(new Map([[S3_HOST, '127.0.0.1']])) }).verify({ rule: 'x', grant: null, material: { url: s3v4() } });
    assert.equal(refused.status, 'unknown');
    assert.equal(refused.cause, 'guard');
    assert.match(refused.reason, /private or loopback/);
    assert.equal(seen.length, before, 'nothing reached the server');
  });

  it('checks GCS V4 and S3 V2 URLs the same way', async () => {
    const d = new Date(Date.now() - 60_000);
    const gcs = `http://${GCS_HOST}:${port}/bucket/obj.bin?X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Credential=sa%40proj.iam.gserviceaccount.com%2F${compact(d).slice(0, 8)}%2Fauto%2Fstorage%2Fgoog4_request&X-Goog-Date=${compact(d)}&X-Goog-Expires=900&X-Goog-SignedHeaders=host&X-Goog-Signature=${GOOD}`;
    assert.equal((await check(gcs)).status, 'live');
    const v2 = `http://${S3_HOST}:${port}/k?AWSAccessKeyId=${KEY_ID}&Expires=${Math.floor(Date.now() / 1000) + 3600}&Signature=${encodeURIComponent(GOOD_V2)}`;
    assert.equal((await check(v2)).status, 'live');
  });

  it('classifies the documented S3/GCS answers', () => {
    const info = readSignedUrl(s3v4())!;
    const now = new Date();
    assert.equal(classifySignedUrl(403, 'AccessDenied', 'Request has expired', info, now).status, 'expired');
    assert.equal(classifySignedUrl(400, 'ExpiredToken', null, info, now).status, 'expired');
    assert.equal(classifySignedUrl(403, 'InvalidAccessKeyId', null, info, now).status, 'revoked-or-invalid');
    assert.equal(classifySignedUrl(403, 'AccessDenied', 'Access Denied', info, now).status, 'revoked-or-invalid');
    assert.match(classifySignedUrl(404, 'NoSuchBucket', null, info, now).reason, /registered again/);
    assert.equal(classifySignedUrl(301, 'PermanentRedirect', null, info, now).cause, 'redirect');
    assert.equal(classifySignedUrl(503, 'SlowDown', null, info, now).cause, 'throttled');
  });
});
