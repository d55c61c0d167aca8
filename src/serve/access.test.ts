import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Finding } from '../model/finding.js';
import type { Db } from '../store/db.js';
import { getFinding, upsertFindings } from '../store/findings.js';
import { upsertRepositories } from '../store/repositories.js';
import { openStore } from '../store/store.js';
import { freshStoreDir } from '../testing/embedded-store.js';
import { AccessConfigError, checkAccess, isLoopbackHost, parseTokens } from './access.js';
import { buildApp, type ServeOptions } from './app.js';

/** Who may use the console and who they are recorded as: loopback, tokens, a sign-in proxy, read-only. */
const FP = 'a'.repeat(32);
const BASE: ServeOptions = { host: '127.0.0.1', tokens: [], userHeader: null, localUser: 'local-user', readOnly: false };
const TOKEN = 'correct-horse-battery-staple-0123';

describe('console access', () => {
  let db: Db;
  before(async () => {
    db = await openStore(await freshStoreDir());
    const ids = await upsertRepositories(db, [{ url: 'https://git.example/a.git', source: 'github', name: 'a' }]);
    const f = { fingerprint: FP, rule: 'azure-sas', title: 'Azure SAS', severity: 'high', confidence: 'high', reasons: [], location: { path: 'x', line: 1, column: 1 }, secret: 'sv=…', redacted: true, grant: null } as unknown as Finding;
    await upsertFindings(db, ids.get('https://git.example/a.git')!, [f]);
  });
  after(() => db?.close());

  const triage = (app: Awaited<ReturnType<typeof buildApp>>, headers: Record<string, string>, status = 'fixed') =>
    app.inject({ method: 'POST', url: '/api/findings/triage', headers: { host: 'console.example:8080', 'content-type': 'application/json', ...headers }, payload: JSON.stringify({ status, fingerprints: [FP] }) });

  it('refuses to listen beyond loopback without a token or a sign-in proxy; tokens are long enough', () => {
    assert.throws(() => checkAccess({ ...BASE, host: '0.0.0.0' }), (e: unknown) => e instanceof AccessConfigError && /SASQUATCH_SERVE_TOKEN/.test((e as Error).message));
    assert.doesNotThrow(() => checkAccess({ ...BASE, host: '0.0.0.0', tokens: parseTokens(TOKEN) }));
    assert.doesNotThrow(() => checkAccess({ ...BASE, host: '10.0.0.5', userHeader: 'x-forwarded-user' }));
    assert.doesNotThrow(() => checkAccess({ ...BASE, host: '::1' }));
    assert.throws(() => parseTokens('short'), /at least 16/);
    assert.deepEqual(parseTokens(`alice:${TOKEN}, bob:${TOKEN}x`), [
      { name: 'alice', token: TOKEN },
      { name: 'bob', token: `${TOKEN}x` },
    ]);
    assert.ok(isLoopbackHost('localhost') && isLoopbackHost('127.0.0.2') && isLoopbackHost('[::1]') && !isLoopbackHost('127.0.0.1.evil.example') && !isLoopbackHost('0.0.0.0'));
  });

  it('on loopback without a token: the local user, and only requests that name loopback (no DNS rebinding)', async () => {
    const app = await buildApp(db, BASE);
    try {
      const ok = await app.inject({ method: 'GET', url: '/api/session', headers: { host: 'localhost:8080' } });
      assert.equal(ok.statusCode, 200);
      assert.equal((ok.json() as { user: string }).user, 'local-user');
      const rebound = await app.inject({ method: 'GET', url: '/api/findings', headers: { host: 'attacker.example:8080' } });
      assert.equal(rebound.statusCode, 421);
      // a write from another site is refused before its CSRF token is even looked at
      const foreign: Record<string, string>[] = [{ origin: 'null', 'sec-fetch-site': 'cross-site' }, { origin: 'null' }, { 'sec-fetch-site': 'same-site' }, { origin: 'http://localhost:9999' }];
      for (const headers of foreign) {
        const r = await triage(app, { host: 'localhost:8080', ...headers });
        assert.equal(r.statusCode, 403, JSON.stringify(headers));
        assert.match(r.body, /another site/);
      }
    } finally {
      await app.close();
    }
  });

  it('with tokens: nothing without one; a bearer token names its holder and needs no CSRF token; signing in sets a session', async () => {
    const app = await buildApp(db, { ...BASE, host: '0.0.0.0', tokens: parseTokens(`alice:${TOKEN}`) });
    try {
      assert.equal((await app.inject({ method: 'GET', url: '/api/findings', headers: { host: 'console.example:8080' } })).statusCode, 401);
      const page = await app.inject({ method: 'GET', url: '/findings?severity=high', headers: { host: 'console.example:8080' } });
      assert.equal(page.statusCode, 303);
      assert.equal(page.headers.location, '/login?next=%2Ffindings%3Fseverity%3Dhigh');
      assert.equal((await app.inject({ method: 'GET', url: '/api/findings', headers: { host: 'console.example:8080', authorization: `Bearer ${TOKEN}x` } })).statusCode, 401);
      const r = await triage(app, { authorization: `Bearer ${TOKEN}` });
      assert.equal(r.statusCode, 200, r.body);
      assert.equal((r.json() as { actor: string }).actor, 'alice');
      assert.equal((await getFinding(db, FP))!.triage.at(-1)!.actor, 'alice');
      const bad = await app.inject({ method: 'POST', url: '/login', headers: { host: 'console.example:8080', 'content-type': 'application/x-www-form-urlencoded' }, payload: 'token=nope&next=/findings' });
      assert.equal(bad.statusCode, 401);
      const login = await app.inject({ method: 'POST', url: '/login', headers: { host: 'console.example:8080', 'content-type': 'application/x-www-form-urlencoded' }, payload: `token=${TOKEN}&next=%2Ffindings` });
      assert.equal(login.statusCode, 303);
      assert.equal(login.headers.location, '/findings');
      const cookie = String(login.headers['set-cookie']);
      assert.match(cookie, /sasquatch_session=[^;]+; Path=\/; HttpOnly; SameSite=Strict/);
      const me = await app.inject({ method: 'GET', url: '/api/session', headers: { host: 'console.example:8080', cookie: cookie.split(';')[0]! } });
      assert.equal((me.json() as { user: string }).user, 'alice');
      // a session is a cookie, which a browser sends on its own: writes need the CSRF token too
      assert.equal((await triage(app, { cookie: cookie.split(';')[0]! })).statusCode, 403);
      const open = await app.inject({ method: 'POST', url: '/login', headers: { host: 'console.example:8080', 'content-type': 'application/x-www-form-urlencoded' }, payload: `token=${TOKEN}&next=//evil.example/` });
      assert.equal(open.headers.location, '/', 'never sent to another site after signing in');
    } finally {
      await app.close();
    }
  });

  it('a shared token asks for a name at sign-in and records it as such', async () => {
    const app = await buildApp(db, { ...BASE, tokens: parseTokens(TOKEN) });
    try {
      const form = await app.inject({ method: 'GET', url: '/login', headers: { host: '127.0.0.1:8080' } });
      assert.match(form.body, /name="name"/);
      const login = await app.inject({ method: 'POST', url: '/login', headers: { host: '127.0.0.1:8080', 'content-type': 'application/x-www-form-urlencoded' }, payload: `token=${TOKEN}&name=Dana` });
      const me = await app.inject({ method: 'GET', url: '/api/session', headers: { host: '127.0.0.1:8080', cookie: String(login.headers['set-cookie']).split(';')[0]! } });
      assert.equal((me.json() as { user: string }).user, 'Dana (shared token)');
    } finally {
      await app.close();
    }
  });

  it('behind a sign-in proxy: its header names the person; without it, nothing', async () => {
    const app = await buildApp(db, { ...BASE, host: '0.0.0.0', userHeader: 'x-forwarded-user' });
    try {
      assert.equal((await app.inject({ method: 'GET', url: '/api/findings', headers: { host: 'console.example' } })).statusCode, 401);
      const s = await app.inject({ method: 'GET', url: '/api/session', headers: { host: 'console.example', 'x-forwarded-user': 'carol@example.org' } });
      assert.equal((s.json() as { user: string }).user, 'carol@example.org');
      const cookie = String(s.headers['set-cookie']).split(';')[0]!;
      const r = await triage(app, { host: 'console.example', 'x-forwarded-user': 'carol@example.org', cookie, 'x-csrf-token': (s.json() as { csrfToken: string }).csrfToken, origin: 'http://console.example' }, 'accepted-risk');
      assert.equal(r.statusCode, 200, r.body);
      assert.equal((await getFinding(db, FP))!.triage.at(-1)!.actor, 'carol@example.org');
    } finally {
      await app.close();
    }
  });

  it('read-only: pages show no forms, every write is refused', async () => {
    const app = await buildApp(db, { ...BASE, readOnly: true });
    try {
      const page = await app.inject({ method: 'GET', url: `/findings/${FP}`, headers: { host: '127.0.0.1' } });
      assert.equal(page.statusCode, 200);
      assert.doesNotMatch(page.body, /<form method="post"/);
      const list = await app.inject({ method: 'GET', url: '/findings?status=all', headers: { host: '127.0.0.1' } });
      assert.doesNotMatch(list.body, /<form method="post"|type="checkbox" name="fp"/);
      const before = (await getFinding(db, FP))!.status;
      const r = await triage(app, { host: '127.0.0.1' });
      assert.equal(r.statusCode, 403);
      assert.match(r.body, /read-only/);
      assert.equal((await getFinding(db, FP))!.status, before);
    } finally {
      await app.close();
    }
  });
});
