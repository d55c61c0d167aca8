import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { QueueServiceClient, StorageSharedKeyCredential as QueueKey } from '@azure/storage-queue';
import { AzureNamedKeyCredential, TableServiceClient } from '@azure/data-tables';
import { BUILTIN_RULES } from '../detect/rules/index.js';
import type { Finding } from '../model/finding.js';
import { ACCOUNT, PROD_HOST, seedTotals, startLeakyAccount, type LeakyAccount } from '../testing/storage-fixture.js';
import { overrideLookup } from './address.js';
import { azureExposure } from './exposure/walk.js';
import { verifyFindings, type VerifyFindingsOptions } from './findings.js';
import { credentialsFromText } from './input.js';
import { Verifier } from './verify.js';

/**
 * Against a real Azurite (started here on loopback, ephemeral ports): live vs expired vs bad
 * signature vs revoked, exposure totals equal to what was uploaded, sensitive objects, limits.
 */
let acct: LeakyAccount;

before(async () => {
  acct = await startLeakyAccount();
});
after(async () => {
  await acct?.stop();
});

function verifier(): Verifier {
  return new Verifier({ allowPrivateHosts: true, lookup: overrideLookup(new Map([[PROD_HOST, '127.0.0.1']])) });
}

async function check(input: string, opts: VerifyFindingsOptions = {}, v = verifier()): Promise<Finding> {
  const { findings, material } = credentialsFromText(input, BUILTIN_RULES, { showSecrets: false, now: new Date() });
  assert.equal(findings.length, 1, `one credential in ${input.slice(0, 80)}`);
  await verifyFindings(findings, material, v, opts);
  return findings[0]!;
}

describe('verify against Azurite', () => {
  it('reports a live account SAS with per-permission evidence and tagged requests', async () => {
    const f = await check(`${acct.pathStyleRoot}/?${acct.accountSas({ permissions: 'rwdl' })}`);
    const v = f.verification!;
    assert.equal(v.status, 'live');
    assert.equal(v.httpStatus, 200);
    assert.equal(v.emulator, true);
    assert.deepEqual(v.requests.map((r) => r.operation), ['get-account-info', 'list-containers', 'list-blobs', 'get-blob-properties']);
    for (const r of v.requests) {
      assert.match(r.clientRequestId, /^sasquatch-[0-9a-f-]{36}$/);
      assert.ok(!/sig=[A-Za-z0-9%]{10}/.test(r.url), 'signature redacted in evidence');
      assert.ok(r.method === 'GET' || r.method === 'HEAD');
    }
    const perms = Object.fromEntries(v.permissions!.map((p) => [p.permission, p.result]));
    assert.deepEqual(perms, { list: 'confirmed', read: 'confirmed', write: 'claimed', delete: 'claimed' });
    assert.equal(v.account?.kind, 'StorageV2');
  });

  it('never sends an expired or not-yet-valid token', async () => {
    const expired = acct.accountSas({ permissions: 'rl', expiresOn: new Date(Date.now() - 3600_000), startsOn: new Date(Date.now() - 7200_000) });
    const f = await check(`${acct.pathStyleRoot}/?${expired}`);
    assert.equal(f.verification!.status, 'expired');
    assert.equal(f.verification!.source, 'offline');
    assert.equal(f.verification!.requests.length, 0);
    const future = acct.accountSas({ permissions: 'rl', startsOn: new Date(Date.now() + 86400_000), expiresOn: new Date(Date.now() + 2 * 86400_000) });
    const g = await check(`${acct.pathStyleRoot}/?${future}`);
    assert.equal(g.verification!.status, 'not-yet-valid');
    assert.equal(g.verification!.requests.length, 0);
    const sigOf = (t: string) => /sig=([^&]+)/.exec(t)![1]!;
    assert.ok(!acct.azurite.output().includes(sigOf(expired)), 'the emulator never saw the expired token');
    assert.ok(!acct.azurite.output().includes(sigOf(future)), 'the emulator never saw the future token');
  });

  it('reports a tampered signature as revoked-or-invalid with the emulator error code as evidence', async () => {
    const token = acct.accountSas({ permissions: 'rl' });
    const forged = token.replace(/sig=[^&]+/, `sig=${encodeURIComponent(randomBytes(32).toString('base64'))}`);
    const f = await check(`${acct.prodRoot}/?${forged}`);
    const v = f.verification!;
    assert.equal(v.status, 'revoked-or-invalid');
    assert.equal(v.httpStatus, 403);
    assert.equal(v.errorCode, 'AuthorizationFailure');
    assert.equal(v.requests.length, 1, 'no permission probes after a rejection');
    assert.equal(f.severity, 'low');
    assert.match(f.reasons[0]!, /^verified revoked-or-invalid/);
  });

  it('sees a policy-bound SAS die when its stored access policy is deleted', async () => {
    await acct.setPolicy('models', 'readers', 'rl');
    const url = `${acct.pathStyleRoot}/models?${acct.containerSas('models', { identifier: 'readers' })}`;
    const before = await check(url);
    assert.equal(before.verification!.status, 'live');
    const list = before.verification!.permissions!.find((p) => p.permission === 'list');
    assert.equal(list?.result, 'confirmed', 'read-only permissions of a policy are probed');
    await acct.deletePolicies('models');
    const afterDelete = await check(url);
    assert.equal(afterDelete.verification!.status, 'revoked-or-invalid');
    assert.match(afterDelete.verification!.reason, /stored access policy "readers"/);
  });

  it('checks service SAS tokens on their own resource', async () => {
    const c = await check(`${acct.pathStyleRoot}/backups?${acct.containerSas('backups', { permissions: 'rl' })}`);
    assert.equal(c.verification!.status, 'live');
    assert.deepEqual(c.verification!.requests.map((r) => r.operation), ['get-account-info', 'list-blobs', 'get-blob-properties']);
    const b = await check(`${acct.pathStyleRoot}/models/resnet50/checkpoint.pt?${acct.blobSas('models', 'resnet50/checkpoint.pt', 'r')}`);
    assert.equal(b.verification!.status, 'live');
    assert.equal(b.verification!.permissions!.find((p) => p.permission === 'read')?.result, 'confirmed');
  });

  it('verifies production-style host names mapped to loopback, and caches per token', async () => {
    const token = acct.accountSas({ permissions: 'rl' });
    const v = verifier();
    const first = await check(`${acct.prodRoot}/?${token}`, {}, v);
    assert.equal(first.verification!.status, 'live');
    assert.equal(first.verification!.host, `${PROD_HOST}:${acct.port}`);
    const sent = v.guard.requestsSent;
    const again = await check(`${acct.prodRoot}/models?${token}`.replace('/models?', '/?'), {}, v);
    assert.equal(again.verification!.cached, true);
    assert.equal(v.guard.requestsSent, sent, 'a cached verdict sends nothing');
  });

  it('verifies account keys with one signed list request', async () => {
    // The key rules are another change: hand the verifier the grant shape they produce.
    const keyCredential = (key: string, kind: string, material: Record<string, string>) => ({
      rule: 'azure-storage-key',
      grant: { provider: 'azure' as const, kind, account: ACCOUNT, services: ['blob', 'file', 'queue', 'table'], resource: null, scope: 'account', permissions: null, start: null, expiry: null, lifetimeSeconds: null, expired: null, protocols: null, ipRange: null, storedPolicy: null, revocation: 'rotate-account-key' as const, revocationHint: '', notes: [] },
      material: { ...material, accountKey: key },
    });
    const cs = (key: string) => `DefaultEndpointsProtocol=http;AccountName=${ACCOUNT};AccountKey=${key};BlobEndpoint=${acct.pathStyleRoot};`;
    const good = await verifier().verify(keyCredential(acct.key, 'connection-string', { connectionString: cs(acct.key) }));
    assert.equal(good.status, 'live');
    assert.equal(good.requests.length, 1);
    assert.equal(good.requests[0]!.operation, 'list-containers');
    assert.match(good.requests[0]!.clientRequestId, /^sasquatch-/);
    const rotated = randomBytes(64).toString('base64');
    const bad = await verifier().verify(keyCredential(rotated, 'connection-string', { connectionString: cs(rotated) }));
    assert.equal(bad.status, 'revoked-or-invalid');
    assert.equal(bad.httpStatus, 403);
    // a bare key with an account name and an endpoint
    const bare = await verifier().verify(keyCredential(acct.key, 'account-key', { account: ACCOUNT, endpoint: acct.pathStyleRoot }));
    assert.equal(bare.status, 'live');
    // no endpoint next to a bare key: its host is never guessed
    const guessed = await new Verifier({ allowPrivateHosts: false }).verify(keyCredential(acct.key, 'account-key', { account: ACCOUNT }));
    assert.equal(guessed.status, 'unknown');
    assert.equal(guessed.requests.length, 0);
  });
});

describe('exposure against Azurite', () => {
  const limits = { maxObjects: 10_000, maxSeconds: 60 };

  it('counts exactly what was uploaded and flags the sensitive objects', async () => {
    const f = await check(`${acct.prodRoot}/?${acct.accountSas({ permissions: 'rl' })}`, { exposure: limits });
    const e = f.exposure!;
    assert.equal(e.partial, false);
    const totals = seedTotals();
    assert.equal(e.totals.containers, totals.size);
    assert.equal(e.totals.objects, [...totals.values()].reduce((a, t) => a + t.objects, 0));
    assert.equal(e.totals.bytes, [...totals.values()].reduce((a, t) => a + t.bytes, 0));
    for (const c of e.containers) assert.deepEqual({ objects: c.objects, bytes: c.bytes }, totals.get(c.name), c.name);
    const byName = Object.fromEntries(e.sensitive.map((s) => [s.name, s.category]));
    assert.equal(byName['workstation/disk0.vhd'], 'disk-image');
    assert.equal(byName['users/alice/.ssh/id_rsa'], 'private-key');
    assert.equal(byName['resnet50/checkpoint.pt'], 'model-checkpoint');
    assert.equal(byName['config/.env'], 'env');
    assert.equal(byName['users/alice/.ssh/id_rsa.pub'], undefined, 'a public key is not sensitive');
    assert.equal(e.largest[0]!.name, 'workstation/disk0.vhd');
    assert.equal(e.writable, false);
    assert.deepEqual(e.enumerable, ['containers', 'blobs']);
    assert.equal(f.severity, 'high', 'live + sensitive objects');
  });

  it('puts a live, writable, account-wide link at the top', async () => {
    const f = await check(`${acct.prodRoot}/?${acct.accountSas({ permissions: 'rwdl' })}`, { exposure: limits });
    assert.equal(f.severity, 'critical');
    assert.ok(f.exposure!.writable);
    assert.ok(f.exposure!.sensitive.every((s) => s.writable));
    assert.ok(f.reasons.some((r) => /live, writable and account-wide/.test(r)));
    assert.ok(f.reasons.some((r) => /model checkpoint/.test(r)));
  });

  it('stops at --max-objects and says the result is partial', async () => {
    const f = await check(`${acct.prodRoot}/?${acct.accountSas({ permissions: 'rl' })}`, { exposure: { maxObjects: 3, maxSeconds: 60 } });
    const e = f.exposure!;
    assert.equal(e.partial, true);
    assert.equal(e.totals.objects, 3);
    assert.match(e.partialReasons.join(' '), /max-objects 3/);
    assert.ok(e.containers.some((c) => c.partial));
  });

  it('walks only the container a container SAS names', async () => {
    const f = await check(`${acct.pathStyleRoot}/backups?${acct.containerSas('backups', { permissions: 'rl' })}`, { exposure: limits });
    assert.deepEqual(f.exposure!.containers.map((c) => c.name), ['backups']);
    assert.equal(f.exposure!.totals.objects, seedTotals().get('backups')!.objects);
  });

  it('finds secrets inside small text objects with --scan-content, within its budget', async () => {
    const f = await check(`${acct.prodRoot}/?${acct.accountSas({ permissions: 'rl' })}`, {
      exposure: { ...limits, scanContent: { budgetBytes: 64 * 1024, maxObjectBytes: 16 * 1024, rules: BUILTIN_RULES, showSecrets: false } },
    });
    const c = f.exposure!.content!;
    assert.ok(c.objectsScanned >= 3);
    assert.ok(c.bytesDownloaded <= 64 * 1024);
    const hit = c.findings.find((x) => x.name === 'config/storage.json');
    assert.ok(hit, 'the SAS inside storage.json is found');
    assert.equal(hit.rule, 'azure-sas');
    assert.ok(!hit.secret.includes(encodeURIComponent('sig=')) && /sig=.{1,6}…/.test(hit.secret), 'redacted');
    const tight = await check(`${acct.prodRoot}/?${acct.accountSas({ permissions: 'rl' })}`, {
      exposure: { ...limits, scanContent: { budgetBytes: 20, maxObjectBytes: 16 * 1024, rules: BUILTIN_RULES, showSecrets: false } },
    });
    assert.ok(tight.exposure!.content!.bytesDownloaded <= 20);
    assert.match(tight.exposure!.partialReasons.join(' '), /scan-content budget/);
  });

  it('walks the whole account with an account key (Shared Key signed listings)', async () => {
    const v = verifier();
    const cred = { rule: 'azure-storage-key', grant: null, material: { connectionString: `AccountName=${ACCOUNT};AccountKey=${acct.key};BlobEndpoint=${acct.pathStyleRoot}` } };
    const verdict = await v.verify(cred);
    assert.equal(verdict.status, 'live');
    const scope = v.scopeFor(cred)!;
    const e = await azureExposure(scope.target, null, verdict, scope.client, limits);
    const totals = [...seedTotals().values()];
    assert.equal(e.totals.objects, totals.reduce((a, t) => a + t.objects, 0));
    assert.equal(e.writable, true, 'a key can write everything');
  });

  it('enumerates queues and tables through the endpoints a connection string lists', async () => {
    const qs = new QueueServiceClient(acct.azurite.accountUrl('queue'), new QueueKey(ACCOUNT, acct.key));
    await qs.createQueue('jobs');
    await qs.createQueue('alerts');
    const ts = new TableServiceClient(acct.azurite.accountUrl('table'), new AzureNamedKeyCredential(ACCOUNT, acct.key), { allowInsecureConnection: true });
    await ts.createTable('customers');
    const sas = acct.accountSas({ permissions: 'rl', services: 'bqt' });
    const cs = `BlobEndpoint=${acct.pathStyleRoot};QueueEndpoint=${acct.azurite.accountUrl('queue')};TableEndpoint=${acct.azurite.accountUrl('table')};SharedAccessSignature=${sas}`;
    const f = await check(cs, { exposure: limits });
    assert.equal(f.verification!.status, 'live');
    assert.deepEqual(f.exposure!.queues!.names.sort(), ['alerts', 'jobs']);
    assert.deepEqual(f.exposure!.tables!.names, ['customers']);
    assert.ok(f.exposure!.enumerable.includes('queues') && f.exposure!.enumerable.includes('tables'));
  });
});
