import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fakeSig, INCIDENT, sasQuery } from '../../testing/tokens.js';
import { readSas, type SasReading } from './grant.js';

const NOW = new Date('2026-11-29T00:00:00Z');

function read(query: string, extra: { url?: string; connectionString?: string } = {}): SasReading {
  const r = readSas({ query, ...extra }, NOW);
  if ('notSas' in r) throw new Error(`not a SAS: ${r.notSas}`);
  return r;
}

test('2023 token A: account SAS, blob only, read/list/delete-version, note on x before 2019-12-12', () => {
  const r = read(INCIDENT.tokenA(), { url: `${INCIDENT.host}/public-models/x.ckpt` });
  const g = r.grant;
  assert.equal(g.kind, 'account-sas');
  assert.equal(g.account, 'robustnessws4285631339');
  assert.deepEqual(g.services, ['blob']);
  assert.deepEqual(g.resourceTypes, ['container', 'object', 'service']);
  assert.deepEqual(g.permissions, ['read', 'list', 'delete-version']);
  assert.equal(g.start, '2020-06-10T07:06:23Z');
  assert.equal(g.expiry, '2021-10-05T15:06:23Z');
  assert.equal(g.expired, true);
  assert.deepEqual(g.protocols, ['https']);
  assert.equal(g.revocation, 'rotate-account-key');
  assert.ok(g.notes.some((n) => /"x".*not defined at signed version 2019-10-10/.test(n)));
  assert.equal(r.verdict, 'real');
});

test('2023 token B: account SAS on four services with twelve permissions, 30 years, http allowed', () => {
  const g = read(INCIDENT.tokenB(), { url: `${INCIDENT.host}/public-datasets/` }).grant;
  assert.equal(g.kind, 'account-sas');
  assert.deepEqual(g.services, ['blob', 'file', 'queue', 'table']);
  assert.deepEqual(
    [...g.permissions!].sort(),
    ['add', 'create', 'delete', 'delete-version', 'filter', 'immutability', 'list', 'process', 'read', 'tag', 'update', 'write'],
  );
  assert.equal(g.expiry, '2051-10-06T07:09:59Z');
  assert.deepEqual(g.protocols, ['https', 'http']);
  assert.equal(g.expired, false);
  assert.equal(Math.round(g.lifetimeSeconds! / 86400), 10957);
  assert.equal(g.resource?.container, 'public-datasets');
});

test('parameter order does not matter', () => {
  const a = read(sasQuery({ sv: '2021-08-06', sr: 'b', sp: 'r', se: '2030-01-01T00:00:00Z' }, 's1'), { url: 'https://acct1.blob.core.windows.net/c/b.txt' });
  const b = read(sasQuery({ sig: fakeSig('s1'), se: '2030-01-01T00:00:00Z', sp: 'r', sr: 'b', sv: '2021-08-06' }), { url: 'https://acct1.blob.core.windows.net/c/b.txt' });
  assert.deepEqual(a.grant, b.grant);
  assert.equal(a.signature, b.signature);
});

test('kinds: service (blob, container, directory, file, share, queue, table) and user delegation', () => {
  const cases: [string, Record<string, string>, string, string, string[]][] = [
    ['https://a1b2c3.blob.core.windows.net/c/b.bin', { sv: '2022-11-02', sr: 'b', sp: 'rw', se: '2030-01-01' }, 'service-sas', 'object', ['read', 'write']],
    ['https://a1b2c3.blob.core.windows.net/c', { sv: '2022-11-02', sr: 'c', sp: 'rl', se: '2030-01-01' }, 'service-sas', 'container', ['read', 'list']],
    ['https://a1b2c3.dfs.core.windows.net/fs/dir', { sv: '2022-11-02', sr: 'd', sdd: '1', sp: 'rle', se: '2030-01-01' }, 'service-sas', 'directory', ['read', 'list', 'execute']],
    ['https://a1b2c3.file.core.windows.net/share/f.txt', { sv: '2022-11-02', sr: 'f', sp: 'rcwd', se: '2030-01-01' }, 'service-sas', 'object', ['read', 'create', 'write', 'delete']],
    ['https://a1b2c3.file.core.windows.net/share', { sv: '2022-11-02', sr: 's', sp: 'rl', se: '2030-01-01' }, 'service-sas', 'share', ['read', 'list']],
    ['https://a1b2c3.queue.core.windows.net/jobs/messages', { sv: '2022-11-02', sp: 'raup', se: '2030-01-01' }, 'service-sas', 'queue', ['read', 'add', 'update', 'process']],
    ['https://a1b2c3.table.core.windows.net/Orders()', { sv: '2019-02-02', tn: 'Orders', sp: 'raud', se: '2030-01-01' }, 'service-sas', 'table', ['read', 'add', 'update', 'delete']],
    [
      'https://a1b2c3.blob.core.windows.net/c/b.bin',
      { sv: '2023-08-03', sr: 'b', sp: 'r', se: '2030-01-01', skoid: '6c3f5990-5ba8-4e2a-8901-ec4bac491539', sktid: '0024541e-887a-4178-97ec-2146baa4dcc9', skt: '2029-12-30T00:00:00Z', ske: '2029-12-31T00:00:00Z', sks: 'b', skv: '2023-08-03' },
      'user-delegation-sas',
      'object',
      ['read'],
    ],
  ];
  for (const [url, params, kind, scope, perms] of cases) {
    const g = read(sasQuery(params, url), { url }).grant;
    assert.equal(g.kind, kind, url);
    assert.equal(g.scope, scope, url);
    assert.deepEqual(g.permissions, perms, url);
    assert.equal(g.account, 'a1b2c3', url);
  }
});

test('user delegation SAS dies at the key expiry and is revoked by revoking delegation keys', () => {
  const url = 'https://a1b2c3.blob.core.windows.net/c/b.bin';
  const g = read(sasQuery({ sv: '2023-08-03', sr: 'b', sp: 'r', st: '2026-11-28T00:00:00Z', se: '2027-01-01', skoid: 'x', sktid: 'y', skt: '2026-11-28T00:00:00Z', ske: '2026-11-28T12:00:00Z', sks: 'b', skv: '2023-08-03' }), { url }).grant;
  assert.equal(g.keyExpiry, '2026-11-28T12:00:00Z');
  assert.equal(g.expired, true, 'key expired before se');
  assert.equal(g.revocation, 'revoke-user-delegation-keys');
  assert.equal(g.userDelegation?.signerObjectId, 'x');
});

test('stored access policy: permissions and expiry may come from the policy', () => {
  const g = read(sasQuery({ sv: '2021-06-08', sr: 'c', si: 'ml-readers', spr: 'https' }), { url: 'https://mlmodels5e.blob.core.windows.net/shared' }).grant;
  assert.equal(g.storedPolicy, 'ml-readers');
  assert.equal(g.permissions, null);
  assert.equal(g.expiry, null);
  assert.equal(g.revocation, 'delete-stored-policy');
});

test('every host family: public, dfs, sovereign clouds, secondary, private link, Azure Stack, emulator, custom domain', () => {
  const q = sasQuery({ sv: '2022-11-02', sr: 'b', sp: 'r', se: '2030-01-01' });
  const cases: [string, string | null, string][] = [
    ['https://acct1.blob.core.windows.net/c/b', 'acct1', 'public'],
    ['https://acct1.dfs.core.windows.net/c/b', 'acct1', 'public'],
    ['https://acct1.web.core.windows.net/c/b', 'acct1', 'public'],
    ['https://acct1.blob.core.chinacloudapi.cn/c/b', 'acct1', 'china'],
    ['https://acct1.blob.core.usgovcloudapi.net/c/b', 'acct1', 'usgov'],
    ['https://acct1-secondary.blob.core.windows.net/c/b', 'acct1', 'public'],
    ['https://acct1.privatelink.blob.core.windows.net/c/b', 'acct1', 'public'],
    ['https://acct1.z13.blob.storage.azure.net/c/b', 'acct1', 'public'],
    ['https://acct1.blob.local.azurestack.external/c/b', 'acct1', 'azurestack'],
    ['https://acct1.blob.westus.mystack.contoso.com/c/b', 'acct1', 'azurestack'],
    ['http://127.0.0.1:10000/devstoreaccount1/c/b', 'devstoreaccount1', 'emulator'],
    ['http://devstoreaccount1.blob.localhost:10000/c/b', 'devstoreaccount1', 'emulator'],
    ['https://downloads.example.org/c/b', null, 'custom'],
  ];
  for (const [url, account, cloud] of cases) {
    const g = read(q, { url }).grant;
    assert.equal(g.account, account, url);
    assert.equal(g.endpoint?.cloud, cloud, url);
    assert.equal(g.resource?.container, 'c', url);
    assert.equal(g.resource?.path, 'b', url);
  }
});

test('emulator SAS on loopback is flagged as emulator; the same account name elsewhere is not', () => {
  const q = sasQuery({ sv: '2022-11-02', sr: 'b', sp: 'r', se: '2030-01-01' });
  assert.equal(read(q, { url: 'http://localhost:10000/devstoreaccount1/c/b' }).grant.emulator, true);
  assert.equal(read(q, { url: 'https://devstoreaccount1.blob.core.windows.net/c/b' }).grant.emulator, false);
});

test('connection string with SharedAccessSignature: account and services from the endpoints', () => {
  const token = sasQuery({ sv: '2019-10-10', ss: 'bfq', srt: 'so', sp: 'c', se: '2021-11-12T12:52:47Z' });
  const cs = `BlobEndpoint=https://prodlogs.blob.core.windows.net/;FileEndpoint=https://prodlogs.file.core.windows.net;SharedAccessSignature=${token}`;
  const g = read(token, { connectionString: cs }).grant;
  assert.equal(g.kind, 'account-sas');
  assert.equal(g.account, 'prodlogs');
  assert.deepEqual(g.services, ['blob', 'file', 'queue']);
  assert.deepEqual(g.permissions, ['create']);
});

test('invalid letters for the resource are rejected and named; unknown letters are reported, not dropped', () => {
  const g = read(sasQuery({ sv: '2022-11-02', sr: 'b', sp: 'rwuq', se: '2030-01-01' }), { url: 'https://acct1.blob.core.windows.net/c/b' }).grant;
  assert.deepEqual(g.permissions, ['read', 'write']);
  assert.deepEqual(g.invalidPermissions?.map((i) => i.letter), ['u']);
  assert.match(g.invalidPermissions![0]!.reason, /not a blob SAS permission/);
  assert.deepEqual(g.unknownPermissions, ['q']);
  const file = read(sasQuery({ sv: '2022-11-02', sr: 'f', sp: 'rl', se: '2030-01-01' }), { url: 'https://acct1.file.core.windows.net/s/f' }).grant;
  assert.deepEqual(file.invalidPermissions?.map((i) => i.letter), ['l'], 'list is a share permission, not a file one');
});

test('newer letters accepted in any order for account SAS: x y t f i', () => {
  const g = read(sasQuery({ sv: '2021-06-08', ss: 'b', srt: 'co', sp: 'ifytx', se: '2030-01-01' }), { url: 'https://acct1.blob.core.windows.net/' }).grant;
  assert.deepEqual(g.permissions, ['immutability', 'filter', 'permanent-delete', 'tag', 'delete-version']);
  assert.equal(g.invalidPermissions, undefined);
});

test('times: date only, minutes only, seconds, fractions, percent-encoded colons', () => {
  const url = 'https://acct1.blob.core.windows.net/c/b';
  const t = (se: string) => read(`sv=2022-11-02&sr=b&sp=r&se=${se}&sig=${encodeURIComponent(fakeSig('t'))}`, { url }).grant.expiry;
  assert.equal(t('2036-06-27'), '2036-06-27T00:00:00Z');
  assert.equal(t('2030-06-02T04:10Z'), '2030-06-02T04:10:00Z');
  assert.equal(t('2030-06-02T04%3A10%3A05Z'), '2030-06-02T04:10:05Z');
  assert.equal(t('2030-06-02T04:10:05.1234567Z'), '2030-06-02T04:10:05Z');
});

test('placeholders are not real signatures', () => {
  const url = 'https://acct1.blob.core.windows.net/c/b';
  for (const sig of ['%3Csignature%3E', '<your-sig>', 'XXXX', 'REDACTED', '...', '${SAS_SIGNATURE}', '{signature}', '***', 'XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX%3D', 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA%3D']) {
    const r = read(`sv=2022-11-02&sr=b&sp=r&se=2030-01-01&sig=${sig}`, { url });
    assert.notEqual(r.verdict, 'real', sig);
  }
  assert.equal(read(`sv=2022-11-02&sr=b&sp=r&se=2030-01-01&sig=${encodeURIComponent(fakeSig('ok'))}`, { url }).verdict, 'real');
});

test('look-alikes are not storage SAS: Service Bus, Logic Apps, too few parameters on an unknown host', () => {
  const sig = encodeURIComponent(fakeSig('l'));
  assert.ok('notSas' in readSas({ query: `sr=https%3A%2F%2Fns.servicebus.windows.net%2Fq&sig=${sig}&se=1700000000&skn=RootManageSharedAccessKey` }, NOW));
  assert.ok('notSas' in readSas({ query: `api-version=2016-10-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=${sig}`, url: 'https://prod-00.westus.logic.azure.com:443/workflows/x/triggers/manual/paths/invoke' }, NOW));
  assert.ok('notSas' in readSas({ query: `page=2&sig=${sig}`, url: 'https://example.org/x' }, NOW));
  assert.ok('notSas' in readSas({ query: `sig=${sig}` }, NOW));
});
