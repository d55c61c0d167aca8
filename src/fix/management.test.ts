import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { StorageSharedKeyCredential } from '@azure/storage-blob';
import { randomAccountKey } from '../testing/azurite.js';
import { overrideLookup } from '../verify/address.js';
import { GuardError, HttpGuard } from '../verify/http.js';
import { managementService, MANAGEMENT_X_MS_VERSION } from './storage.js';

/**
 * mint and revoke write (Set Container ACL, Get User Delegation Key) through the same guarded
 * client as verification, in a management scope: PUT/POST allowed, every other guard kept.
 */
interface Seen {
  method: string;
  url: string;
  body: string;
  headers: http.IncomingHttpHeaders;
}
const seen: Seen[] = [];
const HOST = 'leakyacct.blob.core.windows.net';
let port = 0;
const server = http.createServer((req, res) => {
  let body = '';
  req.on('data', (d: Buffer) => (body += d.toString('utf8')));
  req.on('end', () => {
    seen.push({ method: req.method!, url: req.url!, body, headers: req.headers });
    if (req.url!.startsWith('/redirect')) {
      res.writeHead(307, { Location: `http://evil.example:${port}/steal` });
      return res.end();
    }
    if (req.method === 'GET' && req.url!.includes('comp=acl')) {
      res.writeHead(200, { 'content-type': 'application/xml', 'x-ms-blob-public-access': 'blob', 'last-modified': 'Wed, 01 May 2024 00:00:00 GMT' });
      return res.end('<?xml version="1.0" encoding="utf-8"?><SignedIdentifiers><SignedIdentifier><Id>keep-me</Id><AccessPolicy><Permission>r</Permission></AccessPolicy></SignedIdentifier></SignedIdentifiers>');
    }
    res.writeHead(200);
    res.end();
  });
});
const lookup = () => overrideLookup(new Map([[HOST, '127.0.0.1'], ['evil.example', '127.0.0.1']]));

before(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  port = (server.address() as AddressInfo).port;
});
after(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

describe('the management scope of the guarded client', () => {
  it('may PUT with a body; a verification scope may not', async () => {
    const g = new HttpGuard({ allowPrivateHosts: true, lookup: lookup() });
    const origin = `http://${HOST}:${port}`;
    const res = await g.managementScope([origin]).request({ method: 'PUT', url: `${origin}/c?restype=container&comp=acl`, body: '<x/>' });
    assert.equal(res.status, 200);
    assert.equal(seen.at(-1)!.body, '<x/>');
    assert.equal(seen.at(-1)!.headers['content-length'], '4');
    const before = seen.length;
    await assert.rejects(g.scope([origin]).request({ method: 'PUT', url: `${origin}/c`, body: 'x' }), (e: Error) => e instanceof GuardError && e.reason === 'method');
    await assert.rejects(g.managementScope([origin]).request({ method: 'DELETE' as 'PUT', url: `${origin}/c` }), GuardError);
    assert.equal(seen.length, before, 'nothing sent');
  });

  it('keeps the host, private-address and redirect guards', async () => {
    const origin = `http://${HOST}:${port}`;
    const closed = new HttpGuard({ allowPrivateHosts: false, lookup: lookup() });
    await assert.rejects(closed.managementScope([origin]).request({ method: 'PUT', url: `${origin}/c`, body: 'x' }), /private|plain http/);
    const g = new HttpGuard({ allowPrivateHosts: true, lookup: lookup() });
    await assert.rejects(g.managementScope([origin]).request({ method: 'PUT', url: `http://evil.example:${port}/c`, body: 'x' }), (e: Error) => e instanceof GuardError && e.reason === 'other-host');
    const before = seen.length;
    const res = await g.managementScope([origin]).request({ method: 'POST', url: `${origin}/redirect`, body: 'x' });
    assert.equal(res.status, 307, 'the redirect is returned, not followed');
    assert.equal(seen.length, before + 1);
  });

  it('carries SDK management calls: Set Container ACL keeps the other policies and the public access level, pins x-ms-version', async () => {
    const g = new HttpGuard({ allowPrivateHosts: true, lookup: lookup() });
    const key = new StorageSharedKeyCredential('leakyacct', randomAccountKey());
    const container = (await managementService(g, `http://${HOST}:${port}`, key)).getContainerClient('public-models');
    const { ensurePolicy } = await import('./policy.js');
    const r = await ensurePolicy(container, { id: 'models-read', permissions: 'rl', start: null, expiry: null }, { allowWide: false });
    assert.ok('created' in r && r.created);
    const put = seen.at(-1)!;
    assert.equal(put.method, 'PUT');
    assert.equal(put.headers['x-ms-blob-public-access'], 'blob', 'public access level kept');
    assert.equal(put.headers['if-unmodified-since'], 'Wed, 01 May 2024 00:00:00 GMT', 'no lost update');
    assert.equal(put.headers['x-ms-version'], MANAGEMENT_X_MS_VERSION);
    assert.match(String(put.headers['authorization']), /^SharedKey leakyacct:/);
    assert.match(put.body, /<Id>keep-me<\/Id>.*<Id>models-read<\/Id>/s, 'the existing policy is kept');
    assert.match(String(put.headers['x-ms-client-request-id']), /^sasquatch-/);
  });
});
