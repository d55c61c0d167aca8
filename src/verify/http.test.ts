import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { readSas } from '../analyze/sas/grant.js';
import { fakeSig } from '../testing/tokens.js';
import { isLoopbackAddress, isPrivateAddress, overrideLookup, parseResolve } from './address.js';
import { guardedPipeline, removeRedirects } from './azure/sdk.js';
import { azureTarget } from './azure/target.js';
import { azureExposure } from './exposure/walk.js';
import { GuardError, HttpGuard } from './http.js';
import { Verifier } from './verify.js';

/**
 * The guards, against two local servers: A is the host a token was issued for, B is where
 * A's redirects point. B must never receive anything.
 */
interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
}

function server(handler: (req: http.IncomingMessage, res: http.ServerResponse) => void) {
  const seen: Seen[] = [];
  let active = 0;
  let maxActive = 0;
  const s = http.createServer((req, res) => {
    seen.push({ method: req.method!, url: req.url!, headers: req.headers });
    active++;
    maxActive = Math.max(maxActive, active);
    res.on('close', () => active--);
    handler(req, res);
  });
  return {
    seen,
    maxActive: () => maxActive,
    listen: () => new Promise<number>((r) => s.listen(0, '127.0.0.1', () => r((s.address() as AddressInfo).port))),
    close: () => new Promise<void>((r) => { s.closeAllConnections(); s.close(() => r()); }),
  };
}

const HOST_A = 'leakyacct.blob.core.windows.net';
const HOST_B = 'evil.example';
let portA = 0;
let portB = 0;
const b = server((_req, res) => res.end('stolen'));
const a = server((req, res) => {
  if (req.url!.startsWith('/slow')) return; // never answers
  if (req.url!.startsWith('/big')) return res.end(Buffer.alloc(10_000, 65));
  if (req.url!.startsWith('/hold')) return void setTimeout(() => res.end('ok'), 30);
  // every other request is redirected to B, with the query (and so the token) attached
  res.writeHead(302, { Location: `http://${HOST_B}:${portB}/steal${req.url!.slice(req.url!.indexOf('?'))}` });
  res.end();
});
const lookup = () => overrideLookup(new Map([[HOST_A, '127.0.0.1'], [HOST_B, '127.0.0.1']]));

before(async () => {
  portA = await a.listen();
  portB = await b.listen();
});
after(async () => {
  await a.close();
  await b.close();
});

describe('HttpGuard', () => {
  it('tags every request with the sasquatch user agent and a client request id', async () => {
    const g = new HttpGuard({ allowPrivateHosts: true, lookup: lookup() });
    const res = await g.scope([`http://${HOST_A}:${portA}`]).request({ method: 'GET', url: `http://${HOST_A}:${portA}/hold` });
    assert.equal(res.status, 200);
    const h = a.seen.at(-1)!.headers;
    assert.match(String(h['user-agent']), /^sasquatch\/\d+\.\d+\.\d+/);
    assert.match(String(h['x-ms-client-request-id']), /^sasquatch-[0-9a-f-]{36}$/);
    assert.equal(res.clientRequestId, h['x-ms-client-request-id']);
  });

  it('refuses every method that could modify data', async () => {
    const g = new HttpGuard({ allowPrivateHosts: true, lookup: lookup() });
    const before = a.seen.length;
    for (const method of ['PUT', 'DELETE', 'POST', 'PATCH']) {
      await assert.rejects(g.scope([`http://${HOST_A}:${portA}`]).request({ method: method as 'GET', url: `http://${HOST_A}:${portA}/x` }), (e: unknown) => e instanceof GuardError && e.reason === 'method');
    }
    assert.equal(a.seen.length, before);
  });

  it('refuses a host the credential was not issued for', async () => {
    const g = new HttpGuard({ allowPrivateHosts: true, lookup: lookup() });
    await assert.rejects(g.scope([`http://${HOST_A}:${portA}`]).request({ method: 'GET', url: `http://${HOST_B}:${portB}/x` }), (e: unknown) => e instanceof GuardError && e.reason === 'other-host');
    assert.equal(b.seen.length, 0);
  });

  it('refuses private and loopback addresses unless allowed, checked on the resolved address', async () => {
    const before = a.seen.length;
    const g = new HttpGuard({ allowPrivateHosts: false, lookup: lookup() });
    await assert.rejects(g.scope([`https://127.0.0.1:${portA}`]).request({ method: 'GET', url: `https://127.0.0.1:${portA}/hold` }), (e: unknown) => e instanceof GuardError && e.reason === 'private-address');
    await assert.rejects(g.scope([`https://${HOST_A}:${portA}`]).request({ method: 'GET', url: `https://${HOST_A}:${portA}/hold` }), /private or loopback address 127\.0\.0\.1/);
    await assert.rejects(g.scope([`http://${HOST_A}:${portA}`]).request({ method: 'GET', url: `http://${HOST_A}:${portA}/hold` }), (e: unknown) => e instanceof GuardError && e.reason === 'scheme');
    assert.equal(a.seen.length, before);
  });

  it('sends plain http only to private addresses, even when private hosts are allowed', async () => {
    const g = new HttpGuard({ allowPrivateHosts: true, lookup: overrideLookup(new Map([['public.example', '93.184.216.34']])) });
    await assert.rejects(g.scope(['http://public.example']).request({ method: 'GET', url: 'http://public.example/x' }), /plain http is only used for private/);
  });

  it('times out, caps the body, the budget and the concurrency', async () => {
    const g = new HttpGuard({ allowPrivateHosts: true, lookup: lookup(), timeoutMs: 200, maxRequests: 9, concurrency: 2 });
    const c = g.scope([`http://${HOST_A}:${portA}`]);
    await assert.rejects(c.request({ method: 'GET', url: `http://${HOST_A}:${portA}/slow` }), /timed out after 200 ms/);
    const big = await c.request({ method: 'GET', url: `http://${HOST_A}:${portA}/big`, maxBodyBytes: 100 });
    assert.equal(big.body.length, 100);
    assert.equal(big.truncated, true);
    await Promise.all(Array.from({ length: 6 }, () => c.request({ method: 'GET', url: `http://${HOST_A}:${portA}/hold` })));
    assert.ok(a.maxActive() <= 2, `at most 2 in flight (saw ${a.maxActive()})`);
    await c.request({ method: 'GET', url: `http://${HOST_A}:${portA}/hold` });
    await assert.rejects(c.request({ method: 'GET', url: `http://${HOST_A}:${portA}/hold` }), (e: unknown) => e instanceof GuardError && e.reason === 'budget');
    assert.equal(g.requestsSent, 9);
  });
});

describe('redirects are never followed to another host', () => {
  const token = `sv=2021-12-02&ss=b&srt=sco&sp=rl&se=2099-01-01T00:00:00Z&sig=${encodeURIComponent(fakeSig('redirect'))}`;

  it('a liveness probe answered with a redirect reports unknown and B receives nothing', async () => {
    const url = `http://${HOST_A}:${portA}/?${token}`;
    const reading = readSas({ query: token, url: `http://${HOST_A}:${portA}/` }, new Date());
    assert.ok(!('notSas' in reading));
    const v = await new Verifier({ allowPrivateHosts: true, lookup: lookup() }).verify({ rule: 'azure-sas', grant: reading.grant, material: { token, url } });
    assert.equal(v.status, 'unknown');
    assert.match(v.reason, /redirect to http:\/\/evil\.example:\d+\/steal\?.*sig=\S{0,5}…/);
    assert.match(v.reason, /not followed/);
    assert.equal(v.httpStatus, 302);
    assert.equal(b.seen.length, 0);
  });

  it('an exposure walk through the Azure SDK does not follow the redirect either', async () => {
    const reading = readSas({ query: token, url: `http://${HOST_A}:${portA}/` }, new Date());
    assert.ok(!('notSas' in reading));
    const verifier = new Verifier({ allowPrivateHosts: true, lookup: lookup() });
    const scope = verifier.azureScope({ token, url: `http://${HOST_A}:${portA}/?${token}` })!;
    const e = await azureExposure(scope.target, reading.grant, null, scope.client, { maxObjects: 100, maxSeconds: 10 });
    assert.equal(e.partial, true);
    assert.match(e.partialReasons.join(' '), /listing containers failed/);
    assert.ok(a.seen.some((r) => r.url.includes('comp=list')), 'A was asked');
    assert.equal(b.seen.length, 0, 'B never received a request');
  });

  it('removes the SDK redirect policy and tags SDK requests before signing', async () => {
    const { BlobServiceClient } = await import('@azure/storage-blob');
    const g = new HttpGuard({ allowPrivateHosts: true, lookup: lookup() });
    const pipeline = guardedPipeline(g.scope([`http://${HOST_A}:${portA}`]));
    new BlobServiceClient(`http://${HOST_A}:${portA}`, pipeline);
    assert.equal(removeRedirects(pipeline), true);
    const names = (pipeline as unknown as { _corePipeline: { getOrderedPolicies(): { name: string }[] } })._corePipeline.getOrderedPolicies().map((p) => p.name);
    assert.ok(!names.includes('redirectPolicy'));
    assert.ok(names.indexOf('sasquatchClientRequestId') < names.indexOf('storageSharedKeyCredentialPolicy') || !names.includes('storageSharedKeyCredentialPolicy'));
  });

  it('targets only the host in the link (a bare token has none)', () => {
    assert.equal(azureTarget({ token }, { allowPrivateHosts: false }), null);
    const t = azureTarget({ url: `http://${HOST_A}/c/b?${token}` }, { allowPrivateHosts: false })!;
    assert.deepEqual(t.endpoints, { blob: `https://${HOST_A}` }, 'http upgraded to https, same host');
  });
});

describe('address rules', () => {
  it('knows private, loopback, link-local and mapped addresses', () => {
    for (const ip of ['127.0.0.1', '10.1.2.3', '172.16.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', 'fd00::1', 'fe80::1', '::ffff:10.0.0.1', '[::1]']) {
      assert.equal(isPrivateAddress(ip), true, ip);
    }
    for (const ip of ['8.8.8.8', '20.60.0.1', '2001:4860::8888', '172.32.0.1']) assert.equal(isPrivateAddress(ip), false, ip);
  });

  it('covers the IPv4 special ranges', () => {
    const special = ['0.1.2.3', '10.255.0.1', '100.127.255.254', '127.8.9.10', '169.254.0.1', '172.31.255.255', '192.0.0.8', '192.168.255.1', '198.19.0.1', '224.0.0.251', '239.255.255.250', '240.0.0.1', '255.255.255.255'];
    for (const ip of special) assert.equal(isPrivateAddress(ip), true, ip);
    for (const ip of ['1.1.1.1', '100.128.0.1', '172.15.255.255', '198.20.0.1', '223.255.255.255', '52.239.1.1']) assert.equal(isPrivateAddress(ip), false, ip);
  });

  it('covers the IPv6 special ranges, including site-local fec0::/10', () => {
    for (const ip of ['::', '::1', 'fc00::1', 'fdff:ffff::1', 'fe80::1%eth0', 'febf::1', 'fec0::1', 'feff::1', 'ff02::1', 'ff0e::fb']) assert.equal(isPrivateAddress(ip), true, ip);
    for (const ip of ['2606:4700::1111', '2a01:111:f100::1', 'fbff::1']) assert.equal(isPrivateAddress(ip), false, ip);
  });

  it('judges an IPv6 address by the IPv4 address it carries, in every transition form', () => {
    const carried: [string, string][] = [
      ['::127.0.0.1', 'IPv4-compatible'],
      ['::7f00:1', 'IPv4-compatible, hex (how URLs print [::127.0.0.1])'],
      ['::ffff:127.0.0.1', 'IPv4-mapped'],
      ['::ffff:a9fe:a9fe', 'IPv4-mapped, hex'],
      ['::ffff:0:10.0.0.1', 'SIIT translated'],
      ['64:ff9b::127.0.0.1', 'NAT64 well-known prefix'],
      ['64:ff9b::a9fe:a9fe', 'NAT64 to the metadata address'],
      ['64:ff9b:1::808:808', 'NAT64 local-use prefix (private as a whole)'],
      ['2002:7f00:1::', '6to4 of 127.0.0.1'],
      ['2002:a9fe:a9fe::1', '6to4 of 169.254.169.254'],
      ['2001:0:4136:e378:8000:63bf:f5ff:fffe', 'Teredo, obfuscated client 10.0.0.1'],
      ['2001:0:a00:1::1', 'Teredo, server 10.0.0.1'],
      ['fe80::5efe:10.0.0.1', 'ISATAP link-local'],
      ['2001:4860:1:2:0:5efe:192.168.1.1', 'ISATAP under a global prefix'],
      ['2001:4860:1:2:200:5efe:a9fe:a9fe', 'ISATAP (u/l bit set) of the metadata address'],
    ];
    for (const [ip, what] of carried) assert.equal(isPrivateAddress(ip), true, `${ip}: ${what}`);
    const publicCarried = ['::ffff:8.8.8.8', '64:ff9b::808:808', '2002:808:808::1', '2001:0:4136:e378:8000:63bf:f7f7:f7f7', '2001:4860:1:2:0:5efe:8.8.8.8'];
    for (const ip of publicCarried) assert.equal(isPrivateAddress(ip), false, ip);
  });

  it('knows loopback in its IPv6 spellings', () => {
    for (const ip of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', '::ffff:127.0.0.1', '::127.0.0.1']) assert.equal(isLoopbackAddress(ip), true, ip);
    for (const ip of ['10.0.0.1', '::2', 'fe80::1']) assert.equal(isLoopbackAddress(ip), false, ip);
  });

  it('checks the host as the URL parser reads it: decimal, octal, hex and short IPv4 spellings are loopback too', async () => {
    const before = a.seen.length;
    const g = new HttpGuard({ allowPrivateHosts: false });
    for (const host of ['2130706433', '0177.0.0.1', '0x7f.1', '127.1', '0x7f000001', '[::ffff:7f00:1]']) {
      const origin = `https://${host}:${portA}`;
      await assert.rejects(g.scope([origin]).request({ method: 'GET', url: `${origin}/hold` }), (e: unknown) => e instanceof GuardError && e.reason === 'private-address', host);
    }
    assert.equal(a.seen.length, before, 'nothing reached the server');
  });

  it('checks every address a name resolves to, in the forms a resolver returns', async () => {
    const before = a.seen.length;
    for (const address of ['::ffff:127.0.0.1', '127.0.0.1']) {
      const g = new HttpGuard({ allowPrivateHosts: false, lookup: overrideLookup(new Map([[HOST_A, address]])) });
      await assert.rejects(g.scope([`https://${HOST_A}:${portA}`]).request({ method: 'GET', url: `https://${HOST_A}:${portA}/hold` }), /private or loopback address/, address);
    }
    assert.equal(a.seen.length, before);
  });

  it('parses --resolve values and rejects names as addresses', () => {
    assert.deepEqual([...parseResolve(['a.blob.core.windows.net:127.0.0.1', 'b.example:[::1]'])], [['a.blob.core.windows.net', '127.0.0.1'], ['b.example', '::1']]);
    assert.throws(() => parseResolve(['a.example:b.example']), /host:address/);
  });
});
