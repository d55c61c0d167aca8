import { randomBytes, timingSafeEqual, createHash } from 'node:crypto';
import net from 'node:net';

/**
 * Who may use the console, and who they are. Three ways in:
 *   - loopback with no token: whoever can reach 127.0.0.1 is the local user (the OS login, or
 *     $SASQUATCH_USER), as for `findings triage`; the Host header must name loopback, so a web
 *     page that rebinds its own name to 127.0.0.1 is refused;
 *   - a token (SASQUATCH_SERVE_TOKEN): `Authorization: Bearer …` for scripts, or a session
 *     cookie after signing in with it; `name:token` entries (comma-separated) name each holder;
 *   - a reverse proxy that authenticates people and names them in a header (--user-header).
 * Listening on anything but loopback needs a token or a proxy header.
 */

export interface NamedToken {
  /** Who holds it (null: a token shared by the team; people give their name when signing in). */
  name: string | null;
  token: string;
}

export interface AccessConfig {
  host: string;
  tokens: NamedToken[];
  /** Lower-case header a trusted reverse proxy sets to the signed-in person, or null. */
  userHeader: string | null;
  /** The local user (loopback without a token). */
  localUser: string;
}

export class AccessConfigError extends Error {}

const MIN_TOKEN = 16;

/** SASQUATCH_SERVE_TOKEN: one token, or `name:token` entries separated by commas. */
export function parseTokens(value: string | undefined): NamedToken[] {
  if (value === undefined || !value.trim()) return [];
  const out: NamedToken[] = [];
  for (const entry of value.split(',').map((e) => e.trim()).filter(Boolean)) {
    const i = entry.indexOf(':');
    const name = i > 0 ? entry.slice(0, i).trim() : null;
    const token = i > 0 ? entry.slice(i + 1).trim() : entry;
    if (token.length < MIN_TOKEN) throw new AccessConfigError(`SASQUATCH_SERVE_TOKEN: ${name ? `${name}'s token` : 'the token'} is ${token.length} characters; use at least ${MIN_TOKEN} (e.g. openssl rand -hex 24)`);
    out.push({ name, token });
  }
  return out;
}

export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (net.isIPv4(h)) return h.startsWith('127.');
  if (net.isIPv6(h)) return h === '::1' || h === '0:0:0:0:0:0:0:1';
  return false;
}

/** Refuses a configuration that would put the store on the network for anyone. */
export function checkAccess(cfg: AccessConfig): void {
  if (isLoopbackHost(cfg.host)) return;
  if (!cfg.tokens.length && !cfg.userHeader) {
    throw new AccessConfigError(
      `--host ${cfg.host} would let anyone who can reach it read and triage the findings: set SASQUATCH_SERVE_TOKEN (a token of ${MIN_TOKEN}+ characters) or put it behind a reverse proxy that signs people in and names them in --user-header`,
    );
  }
}

/** The token a credential matches, compared in constant time (null: none). */
export function matchToken(tokens: readonly NamedToken[], given: string | undefined): NamedToken | null {
  if (!given) return null;
  const g = createHash('sha256').update(given).digest();
  let found: NamedToken | null = null;
  for (const t of tokens) {
    if (timingSafeEqual(g, createHash('sha256').update(t.token).digest())) found = t;
  }
  return found;
}

export interface Session {
  user: string;
  expires: number;
}

/** Sessions of people who signed in with a token: random ids in an HttpOnly, SameSite=Strict cookie. */
export class Sessions {
  private readonly map = new Map<string, Session>();
  constructor(private readonly ttlMs = 12 * 3600_000) {}

  create(user: string): string {
    const id = randomBytes(32).toString('base64url');
    this.map.set(id, { user, expires: Date.now() + this.ttlMs });
    if (this.map.size > 10_000) this.sweep();
    return id;
  }

  get(id: string | undefined): Session | null {
    if (!id) return null;
    const s = this.map.get(id);
    if (!s) return null;
    if (s.expires < Date.now()) {
      this.map.delete(id);
      return null;
    }
    return s;
  }

  delete(id: string | undefined): void {
    if (id) this.map.delete(id);
  }

  private sweep(): void {
    const now = Date.now();
    for (const [id, s] of this.map) if (s.expires < now) this.map.delete(id);
  }
}

/** A name as people type it, made safe to record: printable, trimmed, at most 100 characters. */
export function cleanName(name: string): string {
  // eslint-disable-next-line no-control-regex
  return name.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '').trim().slice(0, 100);
}
