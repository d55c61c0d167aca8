import { createHash } from 'node:crypto';
import type { Grant } from '../model/grant.js';
import type { Verification } from '../model/verification.js';
import { verifyAzureKey } from './azure/key.js';
import { verifyAzureSas } from './azure/sas.js';
import { azureTarget, type AzureTarget } from './azure/target.js';
import { HttpGuard, originOf, type HttpOptions, type ScopedClient } from './http.js';
import { offlineWindow } from './offline.js';
import { readSignedUrl, verifySignedUrl } from './signed-url.js';

/**
 * Verifies credentials found by a scan, one verdict per credential: the cache key is the
 * account (or host) plus SHA-256 of the signature or key, so a token repeated in a hundred
 * files costs one request, not a hundred. Everything goes through one HttpGuard (timeout,
 * concurrency, budget, host and address rules).
 */
export interface VerifyOptions extends Partial<HttpOptions> {
  now?: Date;
}

/** What a verifier needs about one finding: its grant and the unredacted material. */
export interface Credential {
  rule: string;
  grant: Grant | null;
  material: Record<string, string>;
}

const SAS_KINDS = new Set(['account-sas', 'service-sas', 'user-delegation-sas', 'legacy-sas']);
const SIGNED_URL_KINDS = new Set(['s3-presigned-v4', 's3-presigned-v2', 'gcs-signed-v4', 'gcs-signed-v2']);

export class Verifier {
  readonly guard: HttpGuard;
  private readonly cache = new Map<string, Promise<Verification>>();
  private readonly now: () => Date;

  constructor(opts: VerifyOptions = {}) {
    this.guard = new HttpGuard(opts);
    this.now = () => opts.now ?? new Date();
  }

  get allowPrivateHosts(): boolean {
    return this.guard.options.allowPrivateHosts;
  }

  /** Verdicts computed so far (distinct credentials). */
  get distinctCredentials(): number {
    return this.cache.size;
  }

  async verify(c: Credential): Promise<Verification> {
    const key = cacheKey(c, this.allowPrivateHosts);
    if (key === null) return this.run(c);
    const hit = this.cache.get(key);
    if (hit) return { ...(await hit), cached: true };
    const pending = this.run(c);
    this.cache.set(key, pending);
    return pending;
  }

  /** Target and scoped client for a credential of any Azure kind (SAS material or key material). */
  scopeFor(c: Credential): { target: AzureTarget; client: ScopedClient } | null {
    return this.azureScope(isAzureKey(c) ? keyMaterial(c) : c.material);
  }

  /** The Azure target and a client scoped to its endpoints (for exposure walks). */
  azureScope(material: Record<string, string>): { target: AzureTarget; client: ScopedClient } | null {
    const target = azureTarget(material, { allowPrivateHosts: this.allowPrivateHosts });
    if (!target) return null;
    return { target, client: this.guard.scope(Object.values(target.endpoints).map((e) => originOf(e!)!).filter(Boolean)) };
  }

  private async run(c: Credential): Promise<Verification> {
    const now = this.now();
    const g = c.grant;
    const kind = g?.kind ?? '';
    if (g && g.provider === 'azure' && SAS_KINDS.has(kind)) return this.azureSas(c, g, now);
    if (isAzureKey(c)) return this.azureKey(c, now);
    const url = c.material['url'];
    const signed = url ? readSignedUrl(url, g) : null;
    if (url && signed && (SIGNED_URL_KINDS.has(kind) || !g || g.provider !== 'azure')) {
      const origin = originOf(httpsUnlessPrivate(url, this.allowPrivateHosts));
      return verifySignedUrl(url, signed, this.guard.scope(origin ? [origin] : []), now);
    }
    return offlineOnly(now, `no live check exists for ${kind || c.rule}`);
  }

  private async azureSas(c: Credential, g: Grant, now: Date): Promise<Verification> {
    const window = offlineWindow(g, now);
    if (window) return { ...offlineOnly(now, window.reason), status: window.status };
    const scope = this.azureScope(c.material);
    if (!scope) return offlineOnly(now, 'not checked: no host is known for this token, and a token is never sent to a guessed host');
    if (scope.target.publicEmulatorAccount) return offlineOnly(now, 'not checked: the emulator account devstoreaccount1 has a published key, so its tokens prove nothing');
    return verifyAzureSas(scope.target, g, scope.client, now);
  }

  private async azureKey(c: Credential, now: Date): Promise<Verification> {
    const scope = this.azureScope(keyMaterial(c));
    if (!scope) return offlineOnly(now, 'not checked: no account endpoint is known for this key');
    if (scope.target.publicEmulatorAccount) return offlineOnly(now, 'not checked: the well-known emulator key is public');
    return verifyAzureKey(scope.target, scope.client, now);
  }
}

function offlineOnly(now: Date, reason: string): Verification {
  return { status: 'unknown', reason, source: 'offline', checkedAt: now.toISOString(), host: null, httpStatus: null, errorCode: null, requests: [] };
}

function isAzureKey(c: Credential): boolean {
  const kind = c.grant?.kind ?? '';
  if (/account-key|connection-string|storage-key/.test(kind)) return true;
  return Boolean(c.material['connectionString'] && /AccountKey=/i.test(c.material['connectionString']) && !c.material['token']);
}

/** Key material in the shapes rules hand over: a connection string, or account + key (+ endpoint). */
function keyMaterial(c: Credential): Record<string, string> {
  const m = c.material;
  if (m['connectionString']) return { connectionString: m['connectionString'] };
  const key = m['accountKey'] ?? m['key'];
  const account = m['accountName'] ?? m['account'] ?? c.grant?.account ?? null;
  if (!key || !account) return {};
  const endpoint = m['endpoint'] ?? m['blobEndpoint'] ?? c.grant?.resource?.url ?? null;
  const parts = [`AccountName=${account}`, `AccountKey=${key}`];
  if (endpoint) parts.push(`BlobEndpoint=${endpoint}`);
  else {
    // Only a host the key was found with: a bare key and a name in different places could be for any cloud.
    const host = c.grant?.endpoint?.host ?? '';
    const suffix = /\.(?:blob|queue|table|file|dfs)\.(core\..+)$/.exec(host)?.[1];
    if (!suffix) return {};
    parts.push(`EndpointSuffix=${suffix}`);
  }
  return { connectionString: parts.join(';') };
}

function httpsUnlessPrivate(url: string, allowPrivate: boolean): string {
  return url.startsWith('http:') && !allowPrivate ? `https:${url.slice(5)}` : url;
}

function sha256(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}

/** (account or host, sha256 of the secret part): the same credential is never probed twice. */
function cacheKey(c: Credential, allowPrivate: boolean): string | null {
  const m = c.material;
  const where = c.grant?.account ?? c.grant?.endpoint?.host ?? (m['url'] ? originOf(m['url']) : null) ?? '?';
  const sig = /(?:^|[?&;])sig=([^&;]+)/.exec(m['token'] ?? m['url'] ?? m['connectionString'] ?? '')?.[1];
  if (c.grant?.provider === 'azure' && sig && !isAzureKey(c)) return `sas\0${where}\0${sha256(sig)}\0${allowPrivate}\0${endpointsOf(m)}`;
  const key = /AccountKey=([^;]+)/i.exec(m['connectionString'] ?? '')?.[1] ?? m['accountKey'] ?? m['key'];
  if (key) return `key\0${where}\0${sha256(key)}\0${endpointsOf(m)}`;
  if (m['url']) return `url\0${sha256(m['url'])}`;
  return null;
}

/** Endpoints are part of the key: the same token found with two different hosts is two checks. */
function endpointsOf(m: Record<string, string>): string {
  const url = m['url'];
  if (url) return originOf(url) ?? '';
  return /(?:Blob|Queue|Table|File)Endpoint=([^;]+)/gi.exec(m['connectionString'] ?? '')?.[1] ?? '';
}
