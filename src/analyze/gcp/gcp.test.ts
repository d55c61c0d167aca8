import assert from 'node:assert/strict';
import { test } from 'node:test';
import { alphabets, sampleBase64, sampleChars, serviceAccountJson } from '../../detect/rules/samples.js';
import { findIn } from '../../testing/find.js';
import { redactId } from '../redact.js';

const SA = 'gcs-uploader@data-platform-684831.iam.gserviceaccount.com';

function v4(host: string, path: string, signer: string, algorithm: string, sigLength: number, extra = '') {
  return (
    `https://${host}/${path}?X-Goog-Algorithm=${algorithm}&X-Goog-Credential=${encodeURIComponent(signer)}%2F20250420%2Fauto%2Fstorage%2Fgoog4_request` +
    `&X-Goog-Date=20250420T154957Z&X-Goog-Expires=3600&X-Goog-SignedHeaders=host${extra}&X-Goog-Signature=${sampleChars(`sig${sigLength}`, sigLength, alphabets.HEX)}`
  );
}

test('V4 RSA: signer e-mail and project, bucket/object, expiry = date + expires', () => {
  const [f] = findIn(v4('storage.googleapis.com', 'shared-datasets-eu/exports/2023-02-01/users.parquet', SA, 'GOOG4-RSA-SHA256', 512), { now: new Date('2025-04-20T16:00:00Z') });
  assert.equal(f!.rule, 'gcs-signed-url-v4');
  const g = f!.grant!;
  assert.equal(g.kind, 'gcs-signed-v4');
  assert.equal(g.provider, 'gcp');
  assert.equal(g.account, 'data-platform-684831');
  assert.equal(g.resource?.bucket, 'shared-datasets-eu');
  assert.equal(g.resource?.object, 'exports/2023-02-01/users.parquet');
  assert.equal(g.expiry, '2025-04-20T16:49:57Z');
  assert.equal(g.details?.['signer'], SA);
  assert.equal(g.details?.['algorithm'], 'GOOG4-RSA-SHA256');
  assert.equal(g.revocation, 'delete-service-account-key');
  // live, read, expiring within the hour: medium lowered to low
  assert.equal(f!.severity, 'low');
});

test('V4 HMAC: the signer is an HMAC access id; expired → low with the key noted', () => {
  const hmac = `GOOG1${sampleChars('hm', 56, alphabets.BASE32)}`;
  const [f] = findIn(v4('vision-prod-exports.storage.googleapis.com', 'exports/users.parquet', hmac, 'GOOG4-HMAC-SHA256', 64), { now: new Date('2026-01-01T00:00:00Z') });
  assert.equal(f!.grant?.details?.['signer'], redactId(hmac), 'an HMAC access id is a finding on its own: shown as GOOG…last four');
  assert.equal(f!.grant?.details?.['signerType'], 'hmac-key');
  assert.equal(f!.grant?.resource?.bucket, 'vision-prod-exports');
  assert.equal(f!.grant?.revocation, 'deactivate-hmac-key');
  assert.equal(f!.severity, 'low');
  assert.ok(f!.reasons.some((r) => r.includes(redactId(hmac)) && r.includes('outlives')));
});

test('V4 lower-case parameter names, and an upload signed with content-type → high', () => {
  const url = v4('storage.googleapis.com', 'b/o.bin', SA, 'GOOG4-RSA-SHA256', 512).toLowerCase().replace(encodeURIComponent(SA).toLowerCase(), encodeURIComponent(SA)).replace('x-goog-signedheaders=host', 'x-goog-signedheaders=content-type%3bhost');
  const [f] = findIn(url, { now: new Date('2025-04-20T15:50:00Z') });
  assert.equal(f!.grant?.details?.['method'], 'upload (PUT)');
  assert.equal(f!.severity, 'high');
});

test('V2: GoogleAccessId, Expires, Signature', () => {
  const url = `https://storage.googleapis.com/ml-public-assets/models/efficientnet_b0.pt?GoogleAccessId=${encodeURIComponent(SA)}&Expires=1705068222&Signature=${encodeURIComponent(sampleBase64('v2', 256))}`;
  const [f] = findIn(url, { now: new Date('2025-01-01T00:00:00Z') });
  assert.equal(f!.rule, 'gcs-signed-url-v2');
  assert.equal(f!.grant?.kind, 'gcs-signed-v2');
  assert.equal(f!.grant?.expiry, '2024-01-12T14:03:42Z');
  assert.equal(f!.grant?.details?.['signer'], SA);
  assert.equal(f!.grant?.resource?.object, 'models/efficientnet_b0.pt');
  assert.equal(f!.severity, 'low');
});

test('a GCS URL without a signature is not a finding', () => {
  assert.deepEqual(findIn('GCS_PUBLIC_URL="https://storage.googleapis.com/public-datasets/x/README.txt"'), []);
});

test('service-account JSON: project, client e-mail, key id; one finding (not a second private-key one), on the private_key line', () => {
  const json = serviceAccountJson('analytics-622293', 'trainer');
  const found = findIn(`SERVICE_ACCOUNT_INFO = ${json}\n`, { path: 'jobs/export.py' });
  assert.equal(found.length, 1, JSON.stringify(found.map((f) => f.rule)));
  const f = found[0]!;
  assert.equal(f.rule, 'gcp-service-account-key');
  assert.equal(f.severity, 'high');
  assert.equal(f.details?.['projectId'], 'analytics-622293');
  assert.equal(f.details?.['clientEmail'], 'trainer@analytics-622293.iam.gserviceaccount.com');
  assert.match(String(f.details?.['privateKeyId']), /^[0-9a-f]{40}$/);
  assert.equal(f.grant?.kind, 'gcp-service-account-key');
  const lines = `SERVICE_ACCOUNT_INFO = ${json}`.split('\n');
  assert.ok(lines[f.location.line - 1]!.includes('"private_key"'));
  assert.ok(!f.secret.includes('BEGIN'), 'key body never shown');
});

test('HMAC key pair → high; the access id alone → low', () => {
  const hid = `GOOG1${sampleChars('hmac2', 56, alphabets.BASE32)}`;
  const pair = findIn(`[Credentials]\ngs_access_key_id = ${hid}\ngs_secret_access_key = ${sampleBase64('hmac2s', 30)}\n`);
  assert.deepEqual(pair.map((f) => [f.rule, f.severity]), [['gcs-hmac-key', 'high']]);
  assert.deepEqual(findIn(`access id ${hid}`).map((f) => [f.rule, f.severity]), [['gcs-hmac-key', 'low']]);
});
