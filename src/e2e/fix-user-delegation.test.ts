import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { randomAccountKey, startAzurite, type AzuriteInstance } from '../testing/azurite.js';
import { runCliAsync, tempTree } from '../testing/cli.js';

/**
 * A user delegation SAS minted for real: Azurite over HTTPS with `--oauth basic`
 * (shared/reference §9.4), and the CLI's DefaultAzureCredential getting its Entra token from a
 * local managed-identity endpoint (the App Service protocol: IDENTITY_ENDPOINT +
 * IDENTITY_HEADER) that hands out the unsigned token Azurite accepts. The credential chain,
 * Get User Delegation Key, the signing and the live check are all the real ones.
 */
const OPENSSL = spawnSync('openssl', ['version']).status === 0;
// CI installs openssl and sets this: there the test must run, not skip
if (!OPENSSL && process.env['SASQUATCH_REQUIRE_OPENSSL']) throw new Error('SASQUATCH_REQUIRE_OPENSSL is set but openssl is not installed');
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const OID = '0b1e2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';

let azurite: AzuriteInstance;
let identity: http.Server;
let tls: { dir: string; cleanup: () => void };
const tokenRequests: { url: string; header: string | undefined }[] = [];

function jwt(): string {
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  return `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ aud: 'https://storage.azure.com', iss: `https://sts.windows.net/${TENANT}/`, oid: OID, tid: TENANT, nbf: now - 60, iat: now - 60, exp: now + 3600 })}.`;
}

before(async () => {
  if (!OPENSSL) return;
  tls = tempTree({});
  const r = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'key.pem', '-out', 'cert.pem', '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'], { cwd: tls.dir });
  assert.equal(r.status, 0, String(r.stderr));
  azurite = await startAzurite({ accounts: [{ name: 'leakyacct', keys: [randomAccountKey()] }], services: ['blob'], extraArgs: ['--cert', path.join(tls.dir, 'cert.pem'), '--key', path.join(tls.dir, 'key.pem'), '--oauth', 'basic'] });
  identity = http.createServer((req, res) => {
    tokenRequests.push({ url: req.url!, header: req.headers['x-identity-header'] as string | undefined });
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ access_token: jwt(), expires_on: String(Math.floor(Date.now() / 1000) + 3600), resource: 'https://storage.azure.com', token_type: 'Bearer' }));
  });
  await new Promise<void>((resolve) => identity.listen(0, '127.0.0.1', () => resolve()));
});

after(async () => {
  await azurite?.stop();
  if (identity) {
    identity.closeAllConnections();
    await new Promise<void>((r) => identity.close(() => r()));
  }
  tls?.cleanup();
});

/** Asynchronous: the identity endpoint the CLI asks for its token is served by this process. */
function cli(args: string[]) {
  return runCliAsync([...args, '--allow-private-hosts'], {
    env: {
      NODE_EXTRA_CA_CERTS: path.join(tls.dir, 'cert.pem'),
      IDENTITY_ENDPOINT: `http://127.0.0.1:${(identity.address() as AddressInfo).port}/msi/token`,
      IDENTITY_HEADER: 'sasquatch-test',
      AZURE_STORAGE_CONNECTION_STRING: '',
      AZURE_CLIENT_ID: '',
      AZURE_CLIENT_SECRET: '',
      AZURE_TENANT_ID: '',
    },
  });
}

/** A raw HTTPS request trusting the test certificate: the status and error code of a write attempt. */
function put(url: string): Promise<{ status: number; code: string }> {
  return new Promise((resolve, reject) => {
    const req = https.request(url, { method: 'PUT', ca: readFileSync(path.join(tls.dir, 'cert.pem')), headers: { 'x-ms-blob-type': 'BlockBlob', 'content-length': '1', 'x-ms-version': '2025-05-05' } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode!, code: String(res.headers['x-ms-error-code'] ?? '') }));
    });
    req.on('error', reject);
    req.end('x');
  });
}

describe('user delegation SAS (e2e, Azurite over HTTPS with --oauth basic)', { skip: OPENSSL ? false : 'openssl is not installed: no certificate for Azurite HTTPS' }, () => {
  it('mints a read-only user delegation SAS with an Entra ID credential, live and refusing writes; revoke says what to run', async () => {
    const endpoint = azurite.accountUrl('blob');
    assert.match(endpoint, /^https:/);
    const r = await cli(['mint', '--user-delegation', '--account', 'leakyacct', '--container', 'public-models', '--list', '--endpoint', endpoint, '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const m = JSON.parse(r.stdout) as { link: string; kind: string; permissions: string; protocol: string; userDelegationKey: { signerObjectId: string; signerTenantId: string }; actions: { action: string; result: string }[] };
    assert.equal(m.kind, 'user-delegation-sas');
    assert.deepEqual([m.userDelegationKey.signerObjectId, m.userDelegationKey.signerTenantId], [OID, TENANT]);
    assert.equal(m.protocol, 'https');
    assert.equal(m.permissions, 'rl');
    const q = new URL(m.link).searchParams;
    assert.deepEqual([q.get('skoid'), q.get('sktid'), q.get('sks'), q.get('sr'), q.get('sp'), q.get('spr'), q.get('si')], [OID, TENANT, 'b', 'c', 'rl', 'https', null]);
    assert.deepEqual(m.actions.map((a) => `${a.action}:${a.result}`), ['get-user-delegation-key:done', 'mint-user-delegation-sas:done']);
    assert.ok(tokenRequests.length >= 1 && tokenRequests.every((t) => t.header === 'sasquatch-test' && /resource=https%3A%2F%2Fstorage\.azure\.com/.test(t.url)), 'the token came from the managed-identity endpoint');

    const v = await cli(['verify', m.link, '--format', 'json']);
    assert.equal(v.code, 1, v.stderr);
    assert.equal((JSON.parse(v.stdout) as { results: { verification: { status: string } }[] }).results[0]!.verification.status, 'live');
    const [base, query] = m.link.split('?') as [string, string];
    assert.deepEqual(await put(`${base}/planted.bin?${query}`), { status: 403, code: 'AuthorizationPermissionMismatch' }, 'write refused');
    const edited = m.link.replace(`skoid=${OID}`, 'skoid=00000000-0000-0000-0000-000000000000');
    const forged = await cli(['verify', edited, '--format', 'json']);
    assert.equal((JSON.parse(forged.stdout) as { results: { verification: { status: string } }[] }).results[0]!.verification.status, 'revoked-or-invalid');

    const rv = await cli(['revoke', m.link, '--format', 'json']);
    assert.equal(rv.code, 1, rv.stderr);
    const out = JSON.parse(rv.stdout) as { kind: string; outcome: string; signingKey: unknown; commands: { command: string }[]; notes: string[] };
    assert.deepEqual([out.kind, out.outcome, out.signingKey], ['user-delegation-sas', 'action-required', null]);
    assert.ok(out.commands.some((c) => c.command === 'az storage account revoke-delegation-keys --resource-group "$RG" --name leakyacct'));
    assert.ok(out.notes.some((n) => /rotating account keys does not touch it/.test(n)));
  });

  it('refuses a stored access policy or more than 7 days for a user delegation SAS', async () => {
    const endpoint = azurite.accountUrl('blob');
    const policy = await cli(['mint', '--user-delegation', '--account', 'leakyacct', '--container', 'public-models', '--policy', 'p1', '--endpoint', endpoint]);
    assert.equal(policy.code, 2);
    assert.match(policy.stderr, /cannot use a stored access policy/);
    const long = await cli(['mint', '--user-delegation', '--account', 'leakyacct', '--container', 'public-models', '--expires', '8d', '--allow-wide', '--endpoint', endpoint]);
    assert.equal(long.code, 2);
    assert.match(long.stderr, /at most 7 days/);
  });
});
