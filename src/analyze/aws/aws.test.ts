import assert from 'node:assert/strict';
import { test } from 'node:test';
import { alphabets, awsSecret, sampleBase64, sampleChars } from '../../detect/rules/samples.js';
import { findIn } from '../../testing/find.js';
import { redactId } from '../redact.js';
import { accountOf, keyIdInfo } from './key-id.js';
import { locateS3 } from './s3-endpoint.js';

const hex64 = sampleChars('aws-test-sig', 64, alphabets.HEX);
const id = (seed: string, prefix = 'AKIA') => prefix + sampleChars(seed, 16, alphabets.BASE32);
const v4 = (host: string, path: string, params: Record<string, string>) =>
  `https://${host}/${path}?` +
  Object.entries({ 'X-Amz-Algorithm': 'AWS4-HMAC-SHA256', ...params, 'X-Amz-Signature': hex64 })
    .map(([k, v]) => `${k}=${v}`)
    .join('&');

test('SigV4: bucket, key, region, key id and type, expiry = date + expires', () => {
  const key = id('p1');
  const url = v4('reports-prod-eu.s3.us-west-2.amazonaws.com', 'backups/db%202023.sql.gz', {
    'X-Amz-Credential': `${key}%2F20210202%2Fus-west-2%2Fs3%2Faws4_request`,
    'X-Amz-Date': '20210202T154232Z',
    'X-Amz-Expires': '604800',
    'X-Amz-SignedHeaders': 'host',
  });
  const [f] = findIn(`curl -o x "${url}"`, { now: new Date('2021-02-03T00:00:00Z') });
  assert.equal(f!.rule, 'aws-presigned-url-v4');
  const g = f!.grant!;
  assert.equal(g.kind, 's3-presigned-v4');
  assert.equal(g.provider, 'aws');
  assert.equal(g.resource?.bucket, 'reports-prod-eu');
  assert.equal(g.resource?.key, 'backups/db 2023.sql.gz');
  assert.equal(g.start, '2021-02-02T15:42:32Z');
  assert.equal(g.expiry, '2021-02-09T15:42:32Z');
  assert.equal(g.lifetimeSeconds, 604800);
  assert.equal(g.expired, false);
  assert.equal(g.details?.['accessKeyId'], redactId(key), 'a key id is a finding on its own: shown as AKIA…last four');
  assert.ok(!JSON.stringify(f).includes(key));
  assert.equal(g.details?.['keyType'], 'long-term');
  assert.equal(g.details?.['region'], 'us-west-2');
  assert.equal(g.details?.['temporaryCredentials'], false);
  assert.equal(g.revocation, 'deactivate-access-key');
  assert.equal(f!.severity, 'medium');
  assert.ok(!f!.secret.includes(hex64), 'signature redacted');
});

test('SigV4 expired: low, and the reasons say the access key id outlives the URL', () => {
  const key = id('p2');
  const url = v4('s3.ap-southeast-2.amazonaws.com', 'acme-ml-artifacts/raw/part-0001.json.gz', {
    'X-Amz-Credential': `${key}/20211115/ap-southeast-2/s3/aws4_request`,
    'X-Amz-Date': '20211115T130843Z',
    'X-Amz-Expires': '604800',
    'X-Amz-SignedHeaders': 'host',
  });
  const [f] = findIn(url, { now: new Date('2025-01-01T00:00:00Z') });
  assert.equal(f!.severity, 'low');
  assert.equal(f!.grant?.resource?.bucket, 'acme-ml-artifacts');
  assert.equal(f!.grant?.expiry, '2021-11-22T13:08:43Z');
  assert.equal(f!.grant?.expired, true);
  assert.ok(f!.reasons.some((r) => r.includes(redactId(key)) && r.includes('outlives the URL')));
});

test('SigV4 with temporary credentials and a write: ASIA + security token, PutObject → high with a note', () => {
  const key = id('p3', 'ASIA');
  const url = v4('media-uploads-prod.s3.amazonaws.com', 'in/a.bin', {
    'X-Amz-Credential': `${key}%2F20250318%2Fus-east-1%2Fs3%2Faws4_request`,
    'X-Amz-Date': '20250318T170348Z',
    'X-Amz-Expires': '3600',
    'X-Amz-Security-Token': 'IQoJb3JpZ2luX2VjEJr%2F%2F%2Fabc',
    'X-Amz-SignedHeaders': 'content-type%3Bhost',
    'x-id': 'PutObject',
  });
  const [f] = findIn(url, { now: new Date('2025-03-18T17:10:00Z') });
  assert.equal(f!.grant?.details?.['temporaryCredentials'], true);
  assert.equal(f!.grant?.details?.['keyType'], 'temporary');
  assert.equal(f!.grant?.details?.['method'], 'PutObject');
  assert.ok(f!.grant?.notes.some((n) => /STS session/.test(n)));
  // high for the write, one level down for expiring within the hour
  assert.equal(f!.severity, 'medium');
  assert.ok(!f!.secret.includes('IQoJb3JpZ2lu'), 'security token redacted');
});

test('SigV2: AWSAccessKeyId, Expires (Unix), long validity → high', () => {
  const key = id('p4');
  const url = `https://media-uploads-prod.s3.amazonaws.com/models/w.pt?AWSAccessKeyId=${key}&Expires=1900000000&Signature=${encodeURIComponent(sampleBase64('v2-test', 20))}`;
  const [f] = findIn(url, { now: new Date('2025-01-01T00:00:00Z') });
  assert.equal(f!.rule, 'aws-presigned-url-v2');
  assert.equal(f!.grant?.kind, 's3-presigned-v2');
  assert.equal(f!.grant?.expiry, '2030-03-17T17:46:40Z');
  assert.equal(f!.grant?.resource?.key, 'models/w.pt');
  assert.equal(f!.severity, 'high');
});

test('the AWS documentation key is never above info, in a URL or as a key pair', () => {
  const url = v4('b.s3.amazonaws.com', 'k', { 'X-Amz-Credential': 'AKIAIOSFODNN7EXAMPLE/20240101/us-east-1/s3/aws4_request', 'X-Amz-Date': '20240101T000000Z', 'X-Amz-Expires': '60' });
  const pair = 's3 = boto3.client("s3", aws_access_key_id="AKIAIOSFODNN7EXAMPLE", aws_secret_access_key="wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")';
  for (const text of [url, pair]) {
    assert.deepEqual(findIn(text), []);
    const all = findIn(text, { includeExamples: true });
    assert.ok(all.length > 0);
    assert.ok(all.every((f) => f.severity === 'info' && f.example), JSON.stringify(all.map((f) => [f.rule, f.severity])));
  }
});

test('key pairs: id with secret on the next line (either order), lone id, lone secret', () => {
  const k = id('pair');
  const s = awsSecret('pair');
  const pair = findIn(`[default]\naws_access_key_id = ${k}\naws_secret_access_key = ${s}\n`);
  assert.deepEqual(pair.map((f) => [f.rule, f.severity, f.location.line]), [['aws-access-key', 'high', 2]]);
  assert.equal(pair[0]!.grant?.details?.['secretFound'], true);
  assert.ok(!pair[0]!.secret.includes(s));
  const reversed = findIn(`AWS_SECRET_ACCESS_KEY: "${s}"\nAWS_ACCESS_KEY_ID: ${k}\n`);
  assert.deepEqual(reversed.map((f) => [f.rule, f.severity]), [['aws-access-key', 'high']]);
  const lone = findIn(`key id is ${k} per the ticket`);
  assert.deepEqual(lone.map((f) => [f.rule, f.severity]), [['aws-access-key', 'low']]);
  const secretOnly = findIn(`export AWS_SECRET_ACCESS_KEY=${s}`);
  assert.deepEqual(secretOnly.map((f) => [f.rule, f.severity]), [['aws-access-key-secret', 'high']]);
  // a git hash next to a key id is not its secret
  assert.deepEqual(findIn(`${k} d53c1db1a1027e28dd814a6126b5f8f0c59b06ab`).map((f) => f.severity), ['low']);
});

test('key id: type by prefix and the account decoded from it', () => {
  assert.equal(keyIdInfo('ASIAY34FZKBOKMUTVV7A').keyType, 'temporary');
  assert.equal(accountOf('ASIAY34FZKBOKMUTVV7A'), '609629065308');
  assert.equal(accountOf('AKIAI44QH8DHBEXAMPLE'), null); // not Base32: older ids do not encode it
});

test('S3 hosts: virtual-hosted, path style, legacy dash region, access points, other S3 stores', () => {
  assert.deepEqual(pick(locateS3('https://b1.s3.eu-west-1.amazonaws.com/a/b.txt')), ['b1', 'a/b.txt', 'eu-west-1', 'aws-s3']);
  assert.deepEqual(pick(locateS3('https://s3.amazonaws.com/b2/k')), ['b2', 'k', 'us-east-1', 'aws-s3']);
  assert.deepEqual(pick(locateS3('https://b3.s3-us-west-2.amazonaws.com/k')), ['b3', 'k', 'us-west-2', 'aws-s3']);
  assert.deepEqual(pick(locateS3('https://s3.dualstack.ap-south-1.amazonaws.com/b4/k')), ['b4', 'k', 'ap-south-1', 'aws-s3']);
  assert.deepEqual(pick(locateS3('https://b5.s3.cn-north-1.amazonaws.com.cn/k')), ['b5', 'k', 'cn-north-1', 'aws-s3']);
  const ap = locateS3('https://reports-123456789012.s3-accesspoint.us-east-1.amazonaws.com/x.csv');
  assert.deepEqual(ap.accessPoint, { name: 'reports', account: '123456789012' });
  assert.deepEqual(pick(locateS3('https://acct.r2.cloudflarestorage.com/b6/k')), ['b6', 'k', 'auto', 'cloudflare-r2']);
  assert.deepEqual(pick(locateS3('https://storage.googleapis.com/b7/k')), ['b7', 'k', null, 'gcs-s3-interop']);
});

function pick(l: ReturnType<typeof locateS3>) {
  return [l.bucket, l.key, l.region, l.service];
}
