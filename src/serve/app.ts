import { readFileSync } from 'node:fs';
import { STATUS_CODES } from 'node:http';
import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyFormbody from '@fastify/formbody';
import fastifySwagger from '@fastify/swagger';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Db } from '../store/db.js';
import { getFinding, listFindings, resolveFingerprints, triageFindings, triageMatching } from '../store/findings.js';
import { findingCounts, recentScans } from '../store/overview.js';
import { getRepository } from '../store/repositories.js';
import { runStatus } from '../store/scans.js';
import { isTriageStatus, type TriageStatus } from '../store/types.js';
import { TOOL } from '../version.js';
import { checkAccess, cleanName, isLoopbackHost, matchToken, Sessions, type AccessConfig } from './access.js';
import type { Html } from './html.js';
import { findingPage } from './pages/finding.js';
import { findingsPage } from './pages/findings.js';
import { errorPage, type PageContext } from './pages/layout.js';
import { loginPage } from './pages/login.js';
import { overviewPage } from './pages/overview.js';
import { repositoriesPage, repositoryPage } from './pages/repositories.js';
import { statusPage } from './pages/status.js';
import { filterOf, parseTableQuery, QueryError, type RawQuery } from './query.js';
import { readOverview, readRepositories, readTable, ruleIds } from './reads.js';
import * as S from './schemas.js';
import { findingDetail, findingRow } from './view.js';

/**
 * The triage console: an HTTP API (JSON, documented by OpenAPI) and server-rendered pages
 * over the store. It reads and writes only through store/. Security is in the request
 * hooks, not in each route: who the caller is (access.ts), a Host that names loopback when
 * there is no token, CSRF and Origin checks on every write, a strict Content-Security-Policy
 * (own scripts and styles only, nothing inline, nothing external) on every response, and a
 * read-only mode that refuses every write.
 */
export interface ServeOptions extends AccessConfig {
  readOnly: boolean;
  /** The clock (tests pin it). */
  now?: () => Date;
}

declare module 'fastify' {
  interface FastifyInstance {
    apiRoutes: string[];
  }
  interface FastifyRequest {
    user: string;
    via: 'local' | 'bearer' | 'session' | 'proxy' | 'none';
  }
}

const SESSION_COOKIE = 'sasquatch_session';
const FLASH_COOKIE = 'sasquatch_flash';
const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

const ASSETS: Record<string, [URL, string]> = {
  'report.css': [new URL('../report/html/assets/report.css', import.meta.url), 'text/css; charset=utf-8'],
  'console.css': [new URL('./assets/console.css', import.meta.url), 'text/css; charset=utf-8'],
  'console.js': [new URL('./assets/console.js', import.meta.url), 'text/javascript; charset=utf-8'],
};

/** Paths anyone may load: the sign-in page, the stylesheets and script, the API's description. */
function isPublic(url: string): boolean {
  return url.startsWith('/assets/') || url === '/login' || url.startsWith('/login?') || url === '/api/openapi.json' || url === '/favicon.ico';
}

export async function buildApp(db: Db, opts: ServeOptions): Promise<FastifyInstance> {
  checkAccess(opts);
  const now = opts.now ?? (() => new Date());
  const sessions = new Sessions();
  const loopbackOnly = isLoopbackHost(opts.host) && !opts.tokens.length && !opts.userHeader;
  const assets = Object.fromEntries(Object.entries(ASSETS).map(([k, [url, type]]) => [k, { body: readFileSync(url), type }]));
  const app = Fastify({ logger: false, bodyLimit: 256 * 1024, trustProxy: Boolean(opts.userHeader), routerOptions: { maxParamLength: 200 } });

  await app.register(fastifyCookie);
  await app.register(fastifyFormbody, { bodyLimit: 256 * 1024 });
  await app.register(fastifyCsrf, { cookieKey: 'sasquatch_csrf', cookieOpts: { path: '/', sameSite: 'strict', httpOnly: true } });
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'sasquatch triage console API',
        version: TOOL.version,
        description:
          'Findings in the store: list (filtered, sorted, paged), one finding, triage (recorded with who and when), repositories and scans. Signatures are never returned unredacted. Writes need a CSRF token (GET /api/session, then the x-csrf-token header with the cookie it sets) unless the request carries the bearer token.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'SASQUATCH_SERVE_TOKEN (when the console was started with one)' } } },
    },
  });
  // every API route, as OpenAPI names it (a test holds the document to this list)
  const apiRoutes: string[] = [];
  app.decorate('apiRoutes', apiRoutes);
  app.addHook('onRoute', (r) => {
    if (r.url.startsWith('/api/') && r.url !== '/api/openapi.json' && r.method !== 'HEAD') apiRoutes.push(`${String(r.method).toLowerCase()} ${r.url.replace(/:(\w+)/g, '{$1}')}`);
  });
  app.decorateRequest('user', '');
  app.decorateRequest('via', 'none');

  // ---- who is asking ----
  app.addHook('onRequest', async (req, reply) => {
    if (loopbackOnly && !isLoopbackHost(hostName(req.headers.host ?? ''))) {
      // a page whose name was rebound to 127.0.0.1 may not read or write the store
      return reply.code(421).type('text/plain').send('This console answers to localhost only.\n');
    }
    if (isPublic(req.url)) return;
    const who = identify(req);
    if (who) {
      req.user = who.user;
      req.via = who.via;
      return;
    }
    if (isApi(req)) return reply.code(401).send({ statusCode: 401, error: 'Unauthorized', message: opts.userHeader && !req.headers[opts.userHeader] ? `no ${opts.userHeader} header: sign in through the proxy` : 'a bearer token or a session is required' });
    if (opts.userHeader && !opts.tokens.length) return reply.code(401).type('text/plain').send(`No ${opts.userHeader} header: open the console through its sign-in proxy.\n`);
    return reply.redirect(`/login?next=${encodeURIComponent(req.url)}`, 303);
  });

  function identify(req: FastifyRequest): { user: string; via: FastifyRequest['via'] } | null {
    let proxyUser: string | null = null;
    if (opts.userHeader) {
      const v = req.headers[opts.userHeader];
      proxyUser = cleanName(Array.isArray(v) ? (v[0] ?? '') : (v ?? ''));
      if (!proxyUser) return null;
    }
    if (opts.tokens.length) {
      const auth = req.headers.authorization;
      const bearer = auth && /^Bearer\s+/i.test(auth) ? auth.replace(/^Bearer\s+/i, '').trim() : undefined;
      const token = matchToken(opts.tokens, bearer);
      if (token) return { user: proxyUser ?? token.name ?? 'token', via: 'bearer' };
      const session = sessions.get(req.cookies[SESSION_COOKIE]);
      if (session) return { user: proxyUser ?? session.user, via: 'session' };
      return null;
    }
    if (proxyUser) return { user: proxyUser, via: 'proxy' };
    return { user: opts.localUser, via: 'local' };
  }

  // ---- writes: read-only mode, Origin, CSRF ----
  app.addHook('preValidation', async (req, reply) => {
    if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return;
    const origin = req.headers.origin;
    const site = req.headers['sec-fetch-site'];
    // (a browser sends Origin: null where a referrer policy hides it; then its own
    // Sec-Fetch-Site, which no page can set, must say same-origin)
    const foreign = origin === 'null' ? site !== 'same-origin' : Boolean(origin && !sameOrigin(origin, req));
    if (foreign || site === 'cross-site' || site === 'same-site') {
      return reply.code(403).send({ statusCode: 403, error: 'Forbidden', message: 'a request from another site may not change anything here' });
    }
    if (req.url === '/login') return;
    if (opts.readOnly && req.url !== '/logout') return reply.code(403).send({ statusCode: 403, error: 'Forbidden', message: 'this console is read-only' });
    // a bearer token is not sent by a browser on its own: no request forgery to guard against
    if (req.via === 'bearer') return;
    await new Promise<void>((resolve) => app.csrfProtection(req, reply, () => resolve()));
    if (reply.sent) return reply;
  });

  function sameOrigin(origin: string, req: FastifyRequest): boolean {
    try {
      const host = (opts.userHeader ? (req.headers['x-forwarded-host'] as string | undefined) : undefined) ?? req.headers.host;
      return new URL(origin).host === host;
    } catch {
      return false;
    }
  }

  // ---- every response ----
  app.addHook('onSend', async (req, reply, payload) => {
    reply.header('Content-Security-Policy', CSP);
    reply.header('X-Content-Type-Options', 'nosniff');
    // the console's own URLs (they hold filters) go to no other site
    reply.header('Referrer-Policy', 'same-origin');
    reply.header('X-Frame-Options', 'DENY');
    reply.header('Cross-Origin-Opener-Policy', 'same-origin');
    reply.header('Cross-Origin-Resource-Policy', 'same-origin');
    if (!req.url.startsWith('/assets/')) reply.header('Cache-Control', 'no-store');
    return payload;
  });

  app.setErrorHandler((err: Error & { statusCode?: number; validation?: unknown }, req, reply) => {
    const status = err instanceof QueryError || err.validation ? 400 : (err.statusCode ?? 500);
    const message = status >= 500 ? 'internal error (the server log has it)' : err.message;
    if (status >= 500) process.stderr.write(`serve: ${req.method} ${req.url}: ${err.stack ?? err.message}\n`);
    if (isApi(req) || !req.user) return reply.code(status).send({ statusCode: status, error: STATUS_CODES[status] ?? 'Error', message });
    return sendPage(reply.code(status), errorPage(ctx(req, reply), status, message));
  });
  app.setNotFoundHandler((req, reply) => {
    if (isApi(req) || !req.user) return reply.code(404).send({ statusCode: 404, error: 'Not Found', message: `no ${req.method} ${req.url.split('?')[0]}` });
    return sendPage(reply.code(404), errorPage(ctx(req, reply), 404, 'No such page.'));
  });

  function ctx(req: FastifyRequest, reply: FastifyReply): PageContext {
    // a read-only console has no forms but sign-out
    const csrf = !opts.readOnly || req.via === 'session' ? reply.generateCsrf() : null;
    return { user: req.user || 'unknown', csrf, readOnly: opts.readOnly, session: req.via === 'session', store: db.location, now: now() };
  }

  function takeFlash(req: FastifyRequest, reply: FastifyReply): string | null {
    const v = req.cookies[FLASH_COOKIE];
    if (!v) return null;
    reply.clearCookie(FLASH_COOKIE, { path: '/' });
    return v.slice(0, 300);
  }

  function flash(reply: FastifyReply, text: string): void {
    reply.setCookie(FLASH_COOKIE, text, { path: '/', httpOnly: true, sameSite: 'strict', maxAge: 60 });
  }

  // ---- assets ----
  app.get('/assets/:name', { schema: { hide: true } }, async (req, reply) => {
    const a = assets[(req.params as { name: string }).name];
    if (!a) return reply.code(404).type('text/plain').send('no such asset\n');
    return reply.type(a.type).header('Cache-Control', 'no-cache').send(a.body);
  });
  app.get('/favicon.ico', { schema: { hide: true } }, async (_req, reply) => reply.code(204).send());

  // ---- sign in ----
  app.get('/login', { schema: { hide: true } }, async (req, reply) => {
    const q = req.query as RawQuery;
    const next = safeNext(String(q['next'] ?? '/'));
    if (!opts.tokens.length) return reply.redirect(next, 303);
    return sendPage(reply, loginPage({ next, askName: opts.tokens.some((t) => !t.name) }));
  });
  app.post('/login', { schema: { hide: true } }, async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, string>;
    const next = safeNext(body['next'] ?? '/');
    const token = matchToken(opts.tokens, body['token']);
    const name = token?.name ?? cleanName(body['name'] ?? '');
    if (!token || !name) {
      return sendPage(reply.code(401), loginPage({ next, askName: opts.tokens.some((t) => !t.name), error: token ? 'Give your name: it is recorded with your decisions.' : 'That token is not the one this console was started with.' }));
    }
    const id = sessions.create(token.name ?? `${name} (shared token)`);
    reply.setCookie(SESSION_COOKIE, id, { path: '/', httpOnly: true, sameSite: 'strict' });
    return reply.redirect(next, 303);
  });
  app.post('/logout', { schema: { hide: true } }, async (req, reply) => {
    sessions.delete(req.cookies[SESSION_COOKIE]);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.redirect(opts.tokens.length ? '/login' : '/', 303);
  });

  // ---- pages ----
  app.get('/', { schema: { hide: true } }, async (req, reply) => sendPage(reply, overviewPage(ctx(req, reply), await readOverview(db, now()))));

  app.get('/findings', { schema: { hide: true } }, async (req, reply) => {
    const c = ctx(req, reply);
    const rules = await ruleIds(db);
    const flashText = takeFlash(req, reply);
    try {
      const query = parseTableQuery(req.query as RawQuery);
      const t = await readTable(db, query, c.now);
      return sendPage(reply, findingsPage(c, { query, rows: t.rows, total: t.total, rules, flash: flashText }));
    } catch (e) {
      if (!(e instanceof QueryError)) throw e;
      const query = parseTableQuery({});
      return sendPage(reply.code(400), findingsPage(c, { query, rows: [], total: 0, rules, error: e.message }));
    }
  });

  app.get('/findings/:fp', { schema: { hide: true } }, async (req, reply) => {
    const fp = (req.params as { fp: string }).fp.toLowerCase();
    const d = await getFinding(db, fp, now());
    if (!d) {
      const found = await resolveFingerprints(db, fp);
      if (found.length === 1 && fp.length >= 8) return reply.redirect(`/findings/${found[0]}`, 303);
      return sendPage(reply.code(404), errorPage(ctx(req, reply), 404, `No finding ${fp} in the store.`));
    }
    return sendPage(reply, findingPage(ctx(req, reply), d, takeFlash(req, reply)));
  });

  app.post('/findings/:fp/triage', { schema: { hide: true } }, async (req, reply) => {
    const fp = (req.params as { fp: string }).fp.toLowerCase();
    const body = (req.body ?? {}) as Record<string, string>;
    const status = triageStatus(body['status']);
    const changed = await db.transaction((tx) => triageFindings(tx, [fp], { status, note: note(body['note']), actor: req.user }));
    if (!changed.length) return sendPage(reply.code(404), errorPage(ctx(req, reply), 404, `No finding ${fp} in the store.`));
    flash(reply, `Marked ${status} by ${req.user}.`);
    return reply.redirect(`/findings/${fp}`, 303);
  });

  app.post('/findings/triage', { schema: { hide: true } }, async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, string | string[]>;
    const status = triageStatus(one(body['status']));
    const input = { status, note: note(one(body['note'])), actor: req.user };
    const back = safeNext(one(body['back']) || '/findings');
    let changed: string[];
    if (one(body['scope']) === 'matching') {
      const query = parseTableQuery(Object.fromEntries(new URLSearchParams(one(body['match']))) as RawQuery);
      const expect = Number(one(body['match_total']));
      const r = await triageByFilter(query, input, Number.isFinite(expect) ? expect : undefined);
      if ('conflict' in r) {
        flash(reply, `Nothing recorded: the filters now match ${r.conflict} findings, not ${expect}. Look again, then record.`);
        return reply.redirect(back, 303);
      }
      changed = r.changed;
    } else {
      const fps = (Array.isArray(body['fp']) ? body['fp'] : body['fp'] ? [body['fp']] : []).map(String).filter((f) => /^[0-9a-f]{8,64}$/.test(f)).slice(0, 1000);
      if (!fps.length) {
        flash(reply, 'Nothing recorded: select findings first (or choose all that the filters match).');
        return reply.redirect(back, 303);
      }
      changed = await db.transaction((tx) => triageFindings(tx, fps, input));
    }
    flash(reply, `${changed.length} finding${changed.length === 1 ? '' : 's'} marked ${status} by ${req.user}.`);
    return reply.redirect(back, 303);
  });

  /** Bulk triage of what a filter matches, refused when it no longer matches the count the person saw. */
  async function triageByFilter(query: ReturnType<typeof parseTableQuery>, input: { status: TriageStatus; note: string | null; actor: string }, expect: number | undefined): Promise<{ changed: string[] } | { conflict: number }> {
    const filter = filterOf(query, now());
    return db.transaction(async (tx) => {
      if (expect !== undefined) {
        const total = (await listFindings(tx, filter, { limit: 1, offset: 0 })).total;
        if (total !== expect) return { conflict: total };
      }
      return { changed: await triageMatching(tx, filter, input) };
    });
  }

  app.get('/repositories', { schema: { hide: true } }, async (req, reply) => {
    const q = req.query as RawQuery;
    const name = String(q['name'] ?? '').slice(0, 300);
    const page = Math.max(1, Number(q['page']) || 1);
    const r = await readRepositories(db, name, page, 100);
    return sendPage(reply, repositoriesPage(ctx(req, reply), { ...r, name, page, perPage: 100 }));
  });

  app.get('/repositories/:id', { schema: { hide: true } }, async (req, reply) => {
    const id = Number((req.params as { id: string }).id);
    const r = Number.isSafeInteger(id) ? await getRepository(db, id) : null;
    if (!r) return sendPage(reply.code(404), errorPage(ctx(req, reply), 404, 'No such repository in the store.'));
    const counts = (await findingCounts(db, [id])).get(id) ?? { open: 0, total: 0 };
    const open = await listFindings(db, { statuses: ['open'], repository: r.url, now: now() }, { limit: 25, offset: 0 });
    return sendPage(reply, repositoryPage(ctx(req, reply), r, counts, open.items.map(findingRow), await recentScans(db, { repositoryId: id, limit: 20 })));
  });

  app.get('/status', { schema: { hide: true } }, async (req, reply) => sendPage(reply, statusPage(ctx(req, reply), await runStatus(db), await recentScans(db, { limit: 50 }))));

  // ---- the JSON API ----
  const secured = opts.tokens.length ? [{ bearer: [] }] : [];
  const api = (summary: string, schema: Record<string, unknown>) => ({ schema: { summary, security: secured, ...schema } });

  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  app.get('/api/session', api('Who the console takes you for, whether it is read-only, and a CSRF token for writes (its cookie is set too)', { response: { 200: { type: 'object', properties: { user: { type: 'string' }, readOnly: { type: 'boolean' }, csrfToken: { type: ['string', 'null'] } } } } }), async (req, reply) => ({
    user: req.user,
    readOnly: opts.readOnly,
    csrfToken: opts.readOnly ? null : reply.generateCsrf(),
  }));

  app.get('/api/overview', api('Counts by severity and status, still-valid links by expiry, newest findings, top repositories, open findings over 90 days', { response: { 200: S.looseObject } }), async () => readOverview(db, now()));

  app.get('/api/findings', api('Findings, filtered, sorted and paged (the same query as the findings page URL)', { querystring: S.findingsQuery, response: { 200: S.findingsPage, 400: S.error } }), async (req) => {
    const query = parseTableQuery(req.query as RawQuery);
    const t = await readTable(db, query, now());
    return { total: t.total, page: query.page, perPage: query.perPage, items: t.rows };
  });

  app.get(
    '/api/findings/:fingerprint',
    api('One finding: its record (redacted), where it lives, every recorded commit, its triage history', {
      params: { type: 'object', properties: { fingerprint: { type: 'string', pattern: '^[0-9a-f]{32,64}$' } } },
      response: { 200: S.findingDetail, 404: S.error },
    }),
    async (req, reply) => {
      const d = await getFinding(db, (req.params as { fingerprint: string }).fingerprint, now());
      if (!d) return reply.code(404).send({ statusCode: 404, error: 'Not Found', message: 'no such finding' });
      return findingDetail(d);
    },
  );

  app.post('/api/findings/triage', api('Record a decision (status, note) for findings given by fingerprint or by a filter; recorded with who and when', { body: S.triageBody, response: { 200: S.triageResult, 400: S.error, 409: S.error } }), async (req, reply) => {
    const b = req.body as { status: TriageStatus; note?: string; fingerprints?: string[]; filter?: string; expectTotal?: number };
    if (Boolean(b.fingerprints) === (b.filter !== undefined)) return reply.code(400).send({ statusCode: 400, error: 'Bad Request', message: 'give fingerprints or filter (one of them)' });
    const input = { status: b.status, note: note(b.note), actor: req.user };
    let changed: string[];
    if (b.fingerprints) changed = await db.transaction((tx) => triageFindings(tx, b.fingerprints!, input));
    else {
      const r = await triageByFilter(parseTableQuery(Object.fromEntries(new URLSearchParams(b.filter)) as RawQuery), input, b.expectTotal);
      if ('conflict' in r) return reply.code(409).send({ statusCode: 409, error: 'Conflict', message: `the filter matches ${r.conflict} findings, not ${b.expectTotal}: nothing recorded` });
      changed = r.changed;
    }
    return { changed, status: b.status, actor: req.user };
  });

  app.get('/api/repositories', api('Repositories with their open and total findings', { querystring: { type: 'object', properties: { name: { type: 'string' }, page: { type: 'integer', minimum: 1 } } }, response: { 200: S.looseObject } }), async (req) => {
    const q = req.query as { name?: string; page?: number };
    const page = q.page ?? 1;
    const r = await readRepositories(db, q.name ?? '', page, 100);
    return { total: r.total, page, perPage: 100, items: r.items.map((i) => ({ ...i.repository, open: i.open, findings: i.total })) };
  });

  app.get('/api/repositories/:id', api('One repository, its finding counts and latest scans', { params: { type: 'object', properties: { id: { type: 'integer' } } }, response: { 200: S.looseObject, 404: S.error } }), async (req, reply) => {
    const id = (req.params as { id: number }).id;
    const r = await getRepository(db, id);
    if (!r) return reply.code(404).send({ statusCode: 404, error: 'Not Found', message: 'no such repository' });
    const counts = (await findingCounts(db, [id])).get(id) ?? { open: 0, total: 0 };
    return { ...r, open: counts.open, findings: counts.total, scans: await recentScans(db, { repositoryId: id, limit: 20 }) };
  });

  app.get('/api/status', api('The latest organisation run (scans by state, throughput, failures) and the latest scans', { response: { 200: S.looseObject } }), async () => ({ ...(await runStatus(db)), scans: await recentScans(db, { limit: 50 }) }));

  return app;
}

function sendPage(reply: FastifyReply, page: Html): FastifyReply {
  return reply.type('text/html; charset=utf-8').send(page.value);
}

function isApi(req: FastifyRequest): boolean {
  return req.url.startsWith('/api/');
}

function hostName(host: string): string {
  const m = /^\[([^\]]+)\](?::\d+)?$/.exec(host);
  if (m) return m[1]!;
  return host.replace(/:\d+$/, '');
}

/** Where to go after a form: a path on this console only (never another site). */
function safeNext(next: string): string {
  return /^\/(?![/\\])[^\s]*$/.test(next) && !next.startsWith('/login') ? next : '/';
}

function one(v: string | string[] | undefined): string {
  return Array.isArray(v) ? (v[0] ?? '') : (v ?? '');
}

function triageStatus(v: string | undefined): TriageStatus {
  if (!isTriageStatus(v)) throw Object.assign(new Error(`status ${v ?? '(none)'}: expected open, false-positive, accepted-risk, revoked or fixed`), { statusCode: 400 });
  return v;
}

function note(v: string | undefined): string | null {
  const t = (v ?? '').trim().slice(0, 2000);
  return t || null;
}
