import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  AccountSASPermissions,
  AccountSASResourceTypes,
  AccountSASServices,
  BlobSASPermissions,
  ContainerSASPermissions,
  generateAccountSASQueryParameters,
  generateBlobSASQueryParameters,
  SASProtocol,
  StorageSharedKeyCredential,
} from '@azure/storage-blob';
import { generateQueueSASQueryParameters, QueueSASPermissions, StorageSharedKeyCredential as QueueKey } from '@azure/storage-queue';
import { AzureNamedKeyCredential, generateTableSas } from '@azure/data-tables';
import { randomAccountKey } from '../testing/azurite.js';
import { signAccountSas } from '../testing/tokens.js';
import { identifySigningKey, resolveSlots, signingInputOf, type CandidateKey } from './identify.js';
import { stringToSign } from './signing.js';

/**
 * The layouts are checked against tokens the Azure SDK generated: recomputing the signature
 * with the signing key must give the SDK's `sig`, and any other key must not.
 */
const ACCT = 'leakyacct';
const KEY1 = randomAccountKey();
const KEY2 = randomAccountKey();
const cred = new StorageSharedKeyCredential(ACCT, KEY1);
const ST = new Date('2024-05-01T10:00:00Z');
const SE = new Date('2024-05-01T11:30:00Z');
const BLOB_HOST = `https://${ACCT}.blob.core.windows.net`;

function sigOf(token: string): string {
  return decodeURIComponent(/(?:^|&)sig=([^&]+)/.exec(token)![1]!);
}

function check(url: string, expectedLayout: string): void {
  const parsed = signingInputOf(url, ST);
  assert.ok(!('error' in parsed), 'error' in parsed ? parsed.error : '');
  const token = url.slice(url.indexOf('?') + 1);
  const keys: CandidateKey[] = [
    { slot: 'key2', key: KEY2, source: 'K2' },
    { slot: 'key1', key: KEY1, source: 'K1' },
  ];
  const id = identifySigningKey(parsed.input, sigOf(token), keys);
  assert.equal(id.verdict, 'identified', id.reason);
  assert.equal(id.slot, 'key1');
  assert.equal(id.layout, expectedLayout);
  const other = identifySigningKey(parsed.input, sigOf(token), [keys[0]!]);
  assert.equal(other.verdict, 'no-match');
}

function accountSas(version: string, extra: { encryptionScope?: string; ipRange?: { start: string; end?: string }; protocol?: SASProtocol } = {}): string {
  return generateAccountSASQueryParameters(
    {
      permissions: AccountSASPermissions.parse('rwdlacup'),
      services: AccountSASServices.parse('bfqt').toString(),
      resourceTypes: AccountSASResourceTypes.parse('sco').toString(),
      startsOn: ST,
      expiresOn: SE,
      version,
      ...extra,
    },
    cred,
  ).toString();
}

describe('account SAS layouts (checked against the Azure SDK)', () => {
  it('2015-04-05 layout for versions before 2020-12-06', () => {
    check(`${BLOB_HOST}/?${accountSas('2015-04-05')}`, 'account-2015-04-05');
    check(`${BLOB_HOST}/?${accountSas('2019-10-10', { ipRange: { start: '10.0.0.1', end: '10.0.0.9' }, protocol: SASProtocol.Https })}`, 'account-2015-04-05');
    check(`${BLOB_HOST}/models/x.pt?${accountSas('2020-08-04', { protocol: SASProtocol.HttpsAndHttp })}`, 'account-2015-04-05');
  });

  it('2020-12-06 layout adds ses (the encryption scope)', () => {
    check(`${BLOB_HOST}/?${accountSas('2020-12-06')}`, 'account-2020-12-06');
    check(`${BLOB_HOST}/?${accountSas('2021-12-02', { encryptionScope: 'scope1' })}`, 'account-2020-12-06');
    check(`${BLOB_HOST}/?${accountSas('2025-05-05', { encryptionScope: 'scope1', ipRange: { start: '203.0.113.7' } })}`, 'account-2020-12-06');
  });

  it('agrees with the test oracle in testing/tokens.ts', () => {
    const p = { sp: 'rl', ss: 'b', srt: 'sco', se: '2030-01-01T00:00:00Z', spr: 'https', sv: '2021-12-02' };
    const sig = signAccountSas(ACCT, KEY1, p);
    const token = new URLSearchParams({ ...p, sig }).toString();
    check(`${BLOB_HOST}/?${token}`, 'account-2020-12-06');
  });

  it('a token with an ses written into the URL no longer verifies against the pre-2020-12-06 layout', () => {
    const token = accountSas('2019-10-10');
    const parsed = signingInputOf(`${BLOB_HOST}/?${token}&ses=x`);
    assert.ok(!('error' in parsed));
    const sts = stringToSign(parsed.input);
    assert.ok('text' in sts && !sts.text.includes('\nx\n'), 'ses is not signed before 2020-12-06');
  });
});

function blobSas(version: string, o: { blob?: string; snapshot?: string; versionId?: string; identifier?: string; encryptionScope?: string; headers?: boolean } = {}): string {
  const permissions = o.identifier ? undefined : o.blob ? BlobSASPermissions.parse('r') : ContainerSASPermissions.parse('rl');
  return generateBlobSASQueryParameters(
    {
      containerName: 'public-models',
      blobName: o.blob,
      snapshotTime: o.snapshot,
      versionId: o.versionId,
      identifier: o.identifier,
      permissions,
      startsOn: o.identifier ? undefined : ST,
      expiresOn: o.identifier ? undefined : SE,
      protocol: SASProtocol.Https,
      ipRange: { start: '198.51.100.1', end: '198.51.100.20' },
      version,
      encryptionScope: o.encryptionScope,
      ...(o.headers ? { cacheControl: 'no-cache', contentDisposition: 'attachment; filename="m.ckpt"', contentEncoding: 'gzip', contentLanguage: 'en', contentType: 'application/octet-stream' } : {}),
    },
    cred,
  ).toString();
}

describe('blob service SAS layouts (checked against the Azure SDK)', () => {
  it('2015-04-05 layout (before 2018-11-09), container and blob, with response headers', () => {
    check(`${BLOB_HOST}/public-models?${blobSas('2017-11-09')}`, 'blob-2015-04-05');
    check(`${BLOB_HOST}/public-models/resnet50/model.ckpt?${blobSas('2017-11-09', { blob: 'resnet50/model.ckpt', headers: true })}`, 'blob-2015-04-05');
  });

  it('2018-11-09 layout adds sr and the snapshot / version time', () => {
    check(`${BLOB_HOST}/public-models?${blobSas('2018-11-09')}`, 'blob-2018-11-09');
    check(`${BLOB_HOST}/public-models/resnet50/model.ckpt?${blobSas('2019-12-12', { blob: 'resnet50/model.ckpt', headers: true })}`, 'blob-2018-11-09');
    const snap = '2024-04-30T08:00:00.1234567Z';
    check(`${BLOB_HOST}/public-models/a.bin?snapshot=${encodeURIComponent(snap)}&${blobSas('2020-08-04', { blob: 'a.bin', snapshot: snap })}`, 'blob-2018-11-09');
    const ver = '2024-04-30T09:00:00.7654321Z';
    check(`${BLOB_HOST}/public-models/a.bin?versionid=${encodeURIComponent(ver)}&${blobSas('2020-08-04', { blob: 'a.bin', versionId: ver })}`, 'blob-2018-11-09');
  });

  it('2020-12-06 layout adds ses, with and without a stored access policy', () => {
    check(`${BLOB_HOST}/public-models?${blobSas('2020-12-06')}`, 'blob-2020-12-06');
    check(`${BLOB_HOST}/public-models?${blobSas('2025-05-05', { encryptionScope: 'cmk' })}`, 'blob-2020-12-06');
    check(`${BLOB_HOST}/public-models/dir/with space+plus.bin?${blobSas('2021-12-02', { blob: 'dir/with space+plus.bin', headers: true })}`.replace('with space+plus', 'with%20space%2Bplus'), 'blob-2020-12-06');
    check(`${BLOB_HOST}/public-models?${blobSas('2021-12-02', { identifier: 'read-models' })}`, 'blob-2020-12-06');
  });

  it('works on path-style emulator URLs (account in the path)', () => {
    check(`http://127.0.0.1:10000/${ACCT}/public-models?${blobSas('2021-12-02')}`, 'blob-2020-12-06');
  });
});

describe('queue and table service SAS layouts (checked against the Azure SDKs)', () => {
  it('queue', () => {
    const token = generateQueueSASQueryParameters(
      { queueName: 'jobs', permissions: QueueSASPermissions.parse('raup'), startsOn: ST, expiresOn: SE, version: '2019-12-12' },
      new QueueKey(ACCT, KEY1),
    ).toString();
    check(`https://${ACCT}.queue.core.windows.net/jobs?${token}`, 'queue-2015-04-05');
  });

  it('table (name lower-cased in the canonical resource, partition/row range signed)', () => {
    const token = generateTableSas('Models', new AzureNamedKeyCredential(ACCT, KEY1), {
      permissions: { query: true },
      startsOn: ST,
      expiresOn: SE,
      startPartitionKey: 'a',
      endPartitionKey: 'm',
    });
    check(`https://${ACCT}.table.core.windows.net/Models?${token}`, 'table-2015-04-05');
  });
});

describe('what is not recomputed', () => {
  it('says why instead of guessing', () => {
    const ud = signingInputOf(`${BLOB_HOST}/c?sv=2021-12-02&sr=c&sp=r&se=2030-01-01&skoid=a&sktid=b&skt=2024-01-01&ske=2024-01-02&sks=b&skv=2021-12-02&sig=${encodeURIComponent('x'.repeat(43) + '=')}`);
    assert.ok(!('error' in ud));
    assert.equal(identifySigningKey(ud.input, 'x', [{ slot: 'key1', key: KEY1, source: 'K1' }]).verdict, 'unsupported');
    const old = signingInputOf(`${BLOB_HOST}/c?sv=2013-08-15&sr=c&sp=r&se=2030-01-01&sig=abc`);
    assert.ok(!('error' in old));
    assert.match(identifySigningKey(old.input, 'x', [{ slot: 'key1', key: KEY1, source: 'K1' }]).reason, /predates 2015-04-05/);
    const file = signingInputOf(`https://${ACCT}.file.core.windows.net/share/a.txt?sv=2021-12-02&sr=f&sp=r&se=2030-01-01&sig=abc`);
    assert.ok(!('error' in file));
    assert.equal(identifySigningKey(file.input, 'x', [{ slot: 'key1', key: KEY1, source: 'K1' }]).verdict, 'unsupported');
    assert.equal(identifySigningKey(file.input, 'x', []).verdict, 'unsupported');
  });

  it('with no keys the signer is unknown', () => {
    const parsed = signingInputOf(`${BLOB_HOST}/?${accountSas('2021-12-02')}`);
    assert.ok(!('error' in parsed));
    assert.equal(identifySigningKey(parsed.input, 'x', []).verdict, 'unknown');
  });

  it('a connection-string key takes the slot of an identical key given with its slot', () => {
    const keys = resolveSlots([
      { slot: null, key: KEY1, source: '$CONN' },
      { slot: 'key1', key: KEY1, source: '$KEY1' },
      { slot: 'key2', key: KEY2, source: '$KEY2' },
    ]);
    assert.deepEqual(keys.map((k) => [k.slot, k.source]), [['key1', '$KEY1'], ['key2', '$KEY2']]);
  });
});
