import { createHash } from 'node:crypto';
import type { Grant } from '../model/grant.js';
import type { UnknownCause, Verification } from '../model/verification.js';
import { redactSecrets } from './redact-url.js';
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
    if (key === null) return this.isolated(c);
    const hit = this.cache.get(key);
    if (hit) return { ...(await hit), cached: true };
    const pending = this.isolated(c);
    this.cache.set(key, pending);
    return pending;
  }

  /**
   * One credential's check, isolated: whatever goes wrong while checking it (a link no URL
   * parser accepts, an SDK error) makes that credential `unknown` with the reason, and the
   * others go on.
   */
  private async isolated(c: Credential): Promise<Verification> {
    try {
      return await this.run(c);
    } catch (e) {
      const message = redactSecrets(e instanceof Error ? e.message : String(e)).split('\n')[0]!.slice(0, 300);
      const invalid = (e as NodeJS.ErrnoException).code === 'ERR_INVALID_URL' || /invalid url|invalid character/i.test(message);
      return offlineOnly(this.now(), `could not check: ${message}`, invalid ? 'invalid-input' : 'error');
    }
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

  /** Why a target cannot be made into requests at all (a host or port no URL parser takes, an impossible account name). */
  private invalidTarget(target: AzureTarget, now: Date): Verification | null {
    for (const e of Object.values(target.endpoints)) {
      if (e && originOf(e) === null) return offlineOnly(now, `could not check: ${hostPart(e)} is not a valid host (the link cannot be made into a request); nothing sent`, 'invalid-input');
    }
    if (target.account !== null && !/^[a-z0-9]{3,24}$/i.test(target.account)) {
      return offlineOnly(now, `could not check: "${target.account}" is not a valid storage account name (3 to 24 letters and digits); nothing sent`, 'invalid-input');
    }
    return null;
  }

  private async run(c: Credential): Promise<Verification> {
    const now = this.now();
    const g = c.grant;
    const kind = g?.kind ?? '';
    if (g && g.provider === 'azure' && SAS_KINDS.has(kind)) return this.azureSas(c, g, now);
    if (isAzureKey(c)) return this.azureKey(c, now);
    const url = c.material['url'];
    const signed = url ? readSignedUrl(url) : null;
    if (url && signed && (SIGNED_URL_KINDS.has(kind) || !g || g.provider !== 'azure')) {
      const origin = originOf(httpsUnlessPrivate(url, this.allowPrivateHosts));
      return verifySignedUrl(url, signed, this.guard.scope(origin ? [origin] : []), now);
    }
    if (SIGNED_URL_KINDS.has(kind)) return offlineOnly(now, 'not checked: no host is known for this signed URL, and it is never sent to a guessed host', 'no-host');
    return offlineOnly(now, `not checked: no live check exists for ${kind || c.rule}`, 'unsupported');
  }

  private async azureSas(c: Credential, g: Grant, now: Date): Promise<Verification> {
    const window = offlineWindow(g, now);
    if (window) return { status: window.status, reason: window.reason, source: 'offline', checkedAt: now.toISOString(), host: null, httpStatus: null, errorCode: null, requests: [] };
    const scope = this.azureScope(c.material);
    if (!scope) return unusableHost(g, now) ?? offlineOnly(now, 'not checked: no host is known for this token, and a token is never sent to a guessed host', 'no-host');
    if (scope.target.publicEmulatorAccount) return offlineOnly(now, 'not checked: the emulator account devstoreaccount1 has a published key, so its tokens prove nothing', 'public-emulator');
    return this.invalidTarget(scope.target, now) ?? verifyAzureSas(scope.target, g, scope.client, now);
  }

  private async azureKey(c: Credential, now: Date): Promise<Verification> {
    const scope = this.azureScope(keyMaterial(c));
    if (!scope) return offlineOnly(now, 'not checked: no account endpoint is known for this key', 'no-host');
    if (scope.target.publicEmulatorAccount) return offlineOnly(now, 'not checked: the well-known emulator key is public', 'public-emulator');
    return this.invalidTarget(scope.target, now) ?? verifyAzureKey(scope.target, scope.client, now);
  }
}

function offlineOnly(now: Date, reason: string, cause: UnknownCause): Verification {
  return { status: 'unknown', cause, reason, source: 'offline', checkedAt: now.toISOString(), host: null, httpStatus: null, errorCode: null, requests: [] };
}

/** The authority of a URL-like string, for messages (never its query). */
/**
 * A link whose host is written but is no host (`acct^1.blob…`, `acct%3A….blob…`): invalid input,
 * not a missing host. A host the code fills in at run time (`{account}`, `$ACCOUNT`, `%ACCOUNT%`) is missing.
 */
function unusableHost(g: Grant, now: Date): Verification | null {
  const url = g.resource?.url;
  if (!url) return null;
  const host = hostPart(url);
  if (!host || /[{}$]|%(?![0-9a-f]{2})/i.test(host)) return null;
  return offlineOnly(now, `could not check: ${host} is not a valid host (the link cannot be made into a request); nothing sent`, 'invalid-input');
}

function hostPart(url: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i.exec(url)?.[1] ?? url.replace(/[?#].*$/, '');
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
