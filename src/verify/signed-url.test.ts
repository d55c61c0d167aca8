import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { overrideLookup } from './address.js';
import { classifySignedUrl, readSignedUrl } from './signed-url.js';
import { Verifier } from './verify.js';

/** S3 / GCS signed URLs against a local stand-in for the provider (the hosts map to 127.0.0.1). */
const S3_HOST = 'leaky-bucket.s3.us-east-1.amazonaws.com';
const GCS_HOST = 'storage.googleapis.com';
const GOOD = createHash('sha256').update('good').digest('hex');
const seen: { url: string; headers: http.IncomingHttpHeaders; method: string }[] = [];
let port = 0;
const srv = http.createServer((req, res) => {
  seen.push({ url: req.url!, headers: req.headers, method: req.method! });
  const ok = req.url!.includes(GOOD) || /Signature=good/.test(req.url!);
  if (ok) {
    res.writeHead(206, { 'Content-Range': 'bytes 0-0/5000', 'Content-Length': '1' });
    return res.end('x');
  }
  res.writeHead(403, { 'Content-Type': 'application/xml' });
  res.end('<?xml version="1.0" encoding="UTF-8"?><Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match the signature you provided.</Message></Error>');
});

before(async () => {
  port = await new Promise<number>((r) => srv.listen(0, '127.0.0.1', () => r((srv.address() as AddressInfo).port)));
});
after(() => new Promise<void>((r) => { srv.closeAllConnections(); srv.close(() => r()); }));

const compact = (d: Date) => d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
function s3v4(opts: { date?: Date; expires?: number; sig?: string; extra?: string; signedHeaders?: string } = {}): string {
  const d = opts.date ?? new Date(Date.now() - 60_000);
  return `http://${S3_HOST}:${port}/reports/q3.pdf?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F${compact(d).slice(0, 8)}%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=${compact(d)}&X-Amz-Expires=${opts.expires ?? 3600}&X-Amz-SignedHeaders=${opts.signedHeaders ?? 'host'}${opts.extra ?? ''}&X-Amz-Signature=${opts.sig ?? GOOD}`;
}
const verifier = () => new Verifier({ allowPrivateHosts: true, lookup: overrideLookup(new Map([[S3_HOST, '127.0.0.1'], [GCS_HOST, '127.0.0.1']])) });
const check = (url: string, v = verifier()) => v.verify({ rule: 'aws-presigned-url', grant: null, material: { url } });

describe('signed URLs: offline first, then one ranged GET', () => {
  it('reads the validity window of each scheme', () => {
    const v4 = readSignedUrl(s3v4({ date: new Date('2030-01-01T00:00:00Z'), expires: 600 }))!;
    assert.equal(v4.kind, 's3-presigned-v4');
    assert.equal(v4.expiry!.toISOString(), '2030-01-01T00:10:00.000Z');
    assert.equal(readSignedUrl('https://b.s3.amazonaws.com/k?AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Expires=1893456000&Signature=abc%3D')!.kind, 's3-presigned-v2');
    const g = readSignedUrl('https://storage.googleapis.com/b/o?X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Credential=sa%40p.iam.gserviceaccount.com%2F20300101%2Fauto%2Fstorage%2Fgoog4_request&X-Goog-Date=20300101T000000Z&X-Goog-Expires=60&X-Goog-SignedHeaders=host&X-Goog-Signature=ab')!;
    assert.equal(g.kind, 'gcs-signed-v4');
    assert.equal(g.expiry!.toISOString(), '2030-01-01T00:01:00.000Z');
    assert.equal(readSignedUrl('https://storage.googleapis.com/b/o?GoogleAccessId=sa%40p.iam.gserviceaccount.com&Expires=1893456000&Signature=abc')!.kind, 'gcs-signed-v2');
    assert.equal(readSignedUrl(s3v4({ extra: '&x-id=PutObject' }))!.method, 'PUT');
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

  it('a rejected signature is revoked-or-invalid, with the provider error code', async () => {
    const v = await check(s3v4({ sig: 'f'.repeat(64) }));
    assert.equal(v.status, 'revoked-or-invalid');
    assert.equal(v.errorCode, 'SignatureDoesNotMatch');
  });

  it('never sends an expired URL, a URL signed for PUT, or to a private address without permission', async () => {
    const before = seen.length;
    const expired = await check(s3v4({ date: new Date(Date.now() - 2 * 86400_000), expires: 3600 }));
    assert.equal(expired.status, 'expired');
    assert.equal(expired.source, 'offline');
    const put = await check(s3v4({ extra: '&x-id=PutObject' }));
    assert.equal(put.status, 'unknown');
    assert.match(put.reason, /signed for PUT: never replayed/);
    const refused = await new Verifier({ allowPrivateHosts: false, lookup: overrideLookup(new Map([[S3_HOST, '127.0.0.1']])) }).verify({ rule: 'x', grant: null, material: { url: s3v4() } });
    assert.equal(refused.status, 'unknown');
    assert.match(refused.reason, /private or loopback/);
    assert.equal(seen.length, before, 'nothing reached the server');
  });

  it('does not add a Range header when range is a signed header', async () => {
    await check(s3v4({ signedHeaders: 'host%3Brange' }));
    assert.equal(seen.at(-1)!.headers['range'], undefined);
  });

  it('checks GCS V4 and S3 V2 URLs the same way', async () => {
    const d = new Date(Date.now() - 60_000);
    const gcs = `http://${GCS_HOST}:${port}/bucket/obj.bin?X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Credential=sa%40proj.iam.gserviceaccount.com%2F${compact(d).slice(0, 8)}%2Fauto%2Fstorage%2Fgoog4_request&X-Goog-Date=${compact(d)}&X-Goog-Expires=900&X-Goog-SignedHeaders=host&X-Goog-Signature=${GOOD}`;
    assert.equal((await check(gcs)).status, 'live');
    const v2 = `http://${S3_HOST}:${port}/k?AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Expires=${Math.floor(Date.now() / 1000) + 3600}&Signature=good%3D`;
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
    assert.equal(classifySignedUrl(301, 'PermanentRedirect', null, info, now).status, 'unknown');
  });
});
