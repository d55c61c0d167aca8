import { randomUUID } from 'node:crypto';
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { VERSION } from '../version.js';
import { guardedLookup, isPrivateAddress, type LookupFunction } from './address.js';
import { redactUrl } from './redact-url.js';

/**
 * The only way verification talks to the network. Every request is checked against the
 * rules a security tool owes the owners of the storage it probes:
 * - read-only methods only (GET, HEAD): nothing can be written, deleted or consumed;
 * - only to the origins the credential was issued for (a per-credential scope);
 * - redirects are never followed (reported with their target instead);
 * - private, loopback and link-local addresses refused unless allowed, checked on the
 *   address actually connected to;
 * - plain http only to loopback/private addresses the user allowed (emulators);
 * - a timeout, a concurrency cap and a request budget shared by the whole run;
 * - `User-Agent: sasquatch/<version>` and `x-ms-client-request-id: sasquatch-<uuid>`, so the
 *   owner can tell these checks apart from an attacker in their logs.
 */
export interface HttpOptions {
  /** Per-request timeout (connect + full response), default 10 s. */
  timeoutMs: number;
  /** Requests in flight at once across the run, default 4. */
  concurrency: number;
  /** Requests the whole run may send, default 500; further requests are refused. */
  maxRequests: number;
  allowPrivateHosts: boolean;
  /** Name resolution (tests and --resolve override it); guarded either way. */
  lookup?: LookupFunction;
}

export const DEFAULT_HTTP_OPTIONS: HttpOptions = { timeoutMs: 10_000, concurrency: 4, maxRequests: 500, allowPrivateHosts: false };

export const USER_AGENT = `sasquatch/${VERSION} (+read-only verification; https://github.com/sasquatch-scanner/sasquatch)`;

export type ReadMethod = 'GET' | 'HEAD';
/** Only remediation (mint, revoke) may write, through a management scope the user asked for. */
export type WriteMethod = 'PUT' | 'POST';

const READ_METHODS: ReadonlySet<string> = new Set<ReadMethod>(['GET', 'HEAD']);
const MANAGEMENT_METHODS: ReadonlySet<string> = new Set<ReadMethod | WriteMethod>(['GET', 'HEAD', 'PUT', 'POST']);

export interface HttpRequest {
  method: ReadMethod | WriteMethod;
  url: string;
  headers?: Record<string, string>;
  /** Request body (management scopes only); Content-Length is set from it. */
  body?: string | Buffer;
  /** Stop reading the body after this many bytes (default 1 MiB); `truncated` says so. */
  maxBodyBytes?: number;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  truncated: boolean;
  clientRequestId: string;
  /** The address the socket connected to. */
  remoteAddress: string | null;
}

export type GuardReason = 'method' | 'other-host' | 'scheme' | 'private-address' | 'budget' | 'bad-url';

/** A request the guards refused to send. Nothing left the machine. */
export class GuardError extends Error {
  constructor(
    readonly reason: GuardReason,
    message: string,
  ) {
    super(message);
    this.name = 'GuardError';
  }
}

/** One entry per request attempted, for evidence and for the "requests sent" summary. */
export interface RequestLogEntry {
  method: string;
  url: string;
  status: number | null;
  clientRequestId: string;
  error: string | null;
}

export class HttpGuard {
  readonly options: HttpOptions;
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  private sent = 0;
  readonly log: RequestLogEntry[] = [];

  constructor(options: Partial<HttpOptions> = {}) {
    this.options = { ...DEFAULT_HTTP_OPTIONS, ...options };
  }

  /** Requests that actually went out (refused ones are not counted). */
  get requestsSent(): number {
    return this.sent;
  }

  get budgetLeft(): number {
    return Math.max(0, this.options.maxRequests - this.sent);
  }

  /** A read-only client that may only talk to these origins (`scheme://host[:port]`). */
  scope(origins: readonly string[]): ScopedClient {
    return new ScopedClient(this, originSet(origins), READ_METHODS);
  }

  /**
   * A client for remediation the user asked for (create or delete a stored access policy,
   * get a user delegation key): it may also PUT and POST, and every other guard still holds
   * (these origins only, no redirects, private addresses only when allowed, http only there).
   * Verification never gets one.
   */
  managementScope(origins: readonly string[]): ScopedClient {
    return new ScopedClient(this, originSet(origins), MANAGEMENT_METHODS);
  }

  /** @internal used by ScopedClient */
  async send(req: HttpRequest, allowed: ReadonlySet<string>, methods: ReadonlySet<string> = READ_METHODS): Promise<HttpResponse> {
    const url = checkRequest(req, allowed, methods, this.options.allowPrivateHosts);
    await this.acquire();
    try {
      if (this.sent >= this.options.maxRequests) {
        throw new GuardError('budget', `request budget of ${this.options.maxRequests} exhausted (--max-requests)`);
      }
      this.sent++;
      // Keep an id a signed request already carries (Shared Key signs x-ms-* headers), if it is ours.
      const given = Object.entries(req.headers ?? {}).find(([k]) => k.toLowerCase() === 'x-ms-client-request-id')?.[1];
      const clientRequestId = given && /^sasquatch-[0-9a-f-]{36}$/.test(given) ? given : `sasquatch-${randomUUID()}`;
      const entry: RequestLogEntry = { method: req.method, url: redactUrl(req.url), status: null, clientRequestId, error: null };
      this.log.push(entry);
      try {
        const res = await this.transmit(url, req, clientRequestId);
        entry.status = res.status;
        return res;
      } catch (e) {
        entry.error = e instanceof Error ? e.message : String(e);
        if (e && typeof e === 'object') (e as { clientRequestId?: string }).clientRequestId = clientRequestId;
        throw e;
      }
    } finally {
      this.release();
    }
  }

  private transmit(url: URL, req: HttpRequest, clientRequestId: string): Promise<HttpResponse> {
    const lib = url.protocol === 'https:' ? https : http;
    const maxBody = req.maxBodyBytes ?? 1 << 20;
    let remoteAddress: string | null = null;
    const rules = { allowPrivate: this.options.allowPrivateHosts, requirePrivate: url.protocol === 'http:' };
    const lookup = guardedLookup(this.options.lookup ?? (dns.lookup as unknown as LookupFunction), rules, (a) => (remoteAddress = a));
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers ?? {})) {
      const lower = k.toLowerCase();
      if (lower === 'user-agent' || lower === 'x-ms-client-request-id' || lower === 'host' || lower === 'content-length') continue;
      headers[k] = v;
    }
    headers['User-Agent'] = USER_AGENT;
    headers['x-ms-client-request-id'] = clientRequestId;
    const body = req.body === undefined ? null : Buffer.isBuffer(req.body) ? req.body : Buffer.from(req.body, 'utf8');
    if (body) headers['Content-Length'] = String(body.length);
    else if (req.method === 'PUT' || req.method === 'POST') headers['Content-Length'] = '0';
    return new Promise<HttpResponse>((resolve, reject) => {
      const request = lib.request(
        url,
        { method: req.method, headers, lookup: lookup as never, agent: false, timeout: this.options.timeoutMs },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          let truncated = false;
          res.on('data', (chunk: Buffer) => {
            if (truncated) return;
            if (size + chunk.length > maxBody) {
              chunks.push(chunk.subarray(0, maxBody - size));
              size = maxBody;
              truncated = true;
              res.destroy();
              finish();
              return;
            }
            chunks.push(chunk);
            size += chunk.length;
          });
          let done = false;
          const finish = () => {
            if (done) return;
            done = true;
            clearTimeout(timer);
            remoteAddress ??= res.socket?.remoteAddress ?? null;
            resolve({ status: res.statusCode ?? 0, headers: flatHeaders(res.headers), body: Buffer.concat(chunks), truncated, clientRequestId, remoteAddress });
          };
          res.on('end', finish);
          res.on('error', (e) => (truncated ? finish() : fail(e)));
        },
      );
      const fail = (e: Error) => {
        clearTimeout(timer);
        reject(e);
      };
      // The socket timeout only covers idle time; this covers the whole exchange.
      const timer = setTimeout(() => request.destroy(timeoutError(this.options.timeoutMs)), this.options.timeoutMs);
      request.on('timeout', () => request.destroy(timeoutError(this.options.timeoutMs)));
      request.on('error', fail);
      if (body) request.end(body);
      else request.end();
    });
  }

  private async acquire(): Promise<void> {
    if (this.active < this.options.concurrency) {
      this.active++;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
  }

  private release(): void {
    this.active--;
    this.waiting.shift()?.();
  }
}

/** A guard bound to the origins one credential was issued for, and to the methods it may use. */
export class ScopedClient {
  constructor(
    readonly guard: HttpGuard,
    readonly origins: ReadonlySet<string>,
    readonly methods: ReadonlySet<string> = READ_METHODS,
  ) {}

  /** True for a read-only (verification) client. */
  get readOnly(): boolean {
    return [...this.methods].every((m) => READ_METHODS.has(m));
  }

  request(req: HttpRequest): Promise<HttpResponse> {
    return this.guard.send(req, this.origins, this.methods);
  }
}

function originSet(origins: readonly string[]): Set<string> {
  return new Set(origins.map(originOf).filter((o): o is string => o !== null));
}

function timeoutError(ms: number): Error {
  const e = new Error(`timed out after ${ms} ms`) as NodeJS.ErrnoException;
  e.code = 'ETIMEDOUT';
  return e;
}

export function originOf(url: string): string | null {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}`.toLowerCase();
  } catch {
    return null;
  }
}

function checkRequest(req: HttpRequest, allowed: ReadonlySet<string>, methods: ReadonlySet<string>, allowPrivate: boolean): URL {
  if (!methods.has(req.method)) {
    throw new GuardError('method', `refused ${String(req.method)}: verification only reads (GET, HEAD)`);
  }
  if (req.body !== undefined && READ_METHODS.has(req.method)) throw new GuardError('method', `refused a ${req.method} with a body`);
  let url: URL;
  try {
    url = new URL(req.url);
  } catch {
    throw new GuardError('bad-url', 'not a valid URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new GuardError('scheme', `refused scheme ${url.protocol}`);
  if (url.username || url.password) throw new GuardError('bad-url', 'refused a URL with credentials in it');
  const origin = `${url.protocol}//${url.host}`.toLowerCase();
  if (!allowed.has(origin)) {
    throw new GuardError('other-host', `refused to send a credential to ${url.host}: it was issued for ${[...allowed].map((o) => o.replace(/^https?:\/\//, '')).join(', ') || 'no host'}`);
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) && isPrivateAddress(host) && !allowPrivate) {
    throw new GuardError('private-address', `refused private or loopback address ${host} (use --allow-private-hosts to allow)`);
  }
  if (host === 'localhost' || host.endsWith('.localhost')) {
    if (!allowPrivate) throw new GuardError('private-address', `refused ${host} (use --allow-private-hosts to allow)`);
  }
  if (url.protocol === 'http:' && (!allowPrivate || (isIP(host) && !isPrivateAddress(host)))) {
    // A token sent over plain http can be read by anyone on the path: only emulators get http.
    throw new GuardError('scheme', 'refused plain http: only https is used for live checks (http only for allowed private/loopback hosts)');
  }
  return url;
}

function flatHeaders(h: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}
