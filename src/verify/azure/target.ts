import { ENDPOINT_KEYS, parseConnectionString } from '../../analyze/sas/connection-string.js';
import { parseAzureUrl, serviceOfLabel } from '../../analyze/sas/endpoint.js';

/**
 * Where an Azure credential may be sent: the service endpoints it was found with, and
 * nothing else. A SAS URL gives one endpoint (its own host); a connection string gives the
 * endpoints it lists (or the ones its AccountName + EndpointSuffix define). A bare token
 * gives none, and is never tried against a guessed host.
 */
export type AzureService = 'blob' | 'queue' | 'table' | 'file';

export interface AzureTarget {
  account: string | null;
  /** Service → account root URL, e.g. https://acct.blob.core.windows.net or http://127.0.0.1:10000/acct. */
  endpoints: Partial<Record<AzureService, string>>;
  /** Path inside the service from the leaked URL (container[/blob], queue, table, share[/path]), decoded. */
  resourcePath: string[];
  /** The service of the leaked URL's host, if known. */
  service: AzureService | null;
  /** Query string of the SAS (no leading ?), or null for key credentials. */
  token: string | null;
  /** Account key (Base64) for key credentials. */
  accountKey: string | null;
  /** The host is the emulator's well-known account: its key is public, nothing to verify. */
  publicEmulatorAccount: boolean;
}

export interface TargetOptions {
  /** Keep plain http only when private hosts are allowed (emulators); otherwise use https. */
  allowPrivateHosts: boolean;
}

/** From a SAS URL (`https://host/path?token`) or a connection string. */
export function azureTarget(material: Record<string, string>, opts: TargetOptions): AzureTarget | null {
  if (material['connectionString']) return fromConnectionString(material['connectionString'], material['token'] ?? null, opts);
  if (material['url']) return fromUrl(material['url'], opts);
  return null;
}

export function fromUrl(url: string, opts: TargetOptions): AzureTarget | null {
  const q = url.indexOf('?');
  const base = q < 0 ? url : url.slice(0, q);
  const token = q < 0 ? null : url.slice(q + 1);
  const parsed = parseAzureUrl(base);
  if (!parsed) return null;
  const service = (serviceOfLabel(parsed.endpoint.service) as AzureService | null) ?? (parsed.endpoint.service === 'dfs' ? 'blob' : null);
  const root = rootOf(base, parsed.account, parsed.endpoint.cloud === 'emulator' && !parsed.endpoint.host?.includes(`${parsed.account}.`), opts);
  const endpoints: Partial<Record<AzureService, string>> = {};
  endpoints[service ?? 'blob'] = root;
  return {
    account: parsed.account,
    endpoints,
    resourcePath: parsed.segments,
    service,
    token,
    accountKey: null,
    publicEmulatorAccount: parsed.account === 'devstoreaccount1' && parsed.loopback,
  };
}

function fromConnectionString(text: string, token: string | null, opts: TargetOptions): AzureTarget | null {
  const cs = parseConnectionString(text);
  const p = cs.pairs;
  const account = p.get('AccountName') ?? null;
  const endpoints: Partial<Record<AzureService, string>> = {};
  if (/^true$/i.test(p.get('UseDevelopmentStorage') ?? '')) {
    return { account: 'devstoreaccount1', endpoints: {}, resourcePath: [], service: null, token, accountKey: null, publicEmulatorAccount: true };
  }
  for (const key of ENDPOINT_KEYS) {
    const v = p.get(key);
    if (!v) continue;
    const svc = key.replace('Endpoint', '').toLowerCase() as AzureService;
    const parsed = parseAzureUrl(v);
    if (!parsed) continue;
    endpoints[svc] = rootOf(v.replace(/[?#].*$/, ''), parsed.account, parsed.endpoint.cloud === 'emulator' && !parsed.endpoint.host?.includes(`${parsed.account}.`), opts);
  }
  if (account && !Object.keys(endpoints).length) {
    // AccountName + EndpointSuffix define the endpoints: the connection string names them itself.
    const suffix = p.get('EndpointSuffix') || 'core.windows.net';
    const scheme = opts.allowPrivateHosts && /^http$/i.test(p.get('DefaultEndpointsProtocol') ?? '') ? 'http' : 'https';
    for (const svc of ['blob', 'queue', 'table', 'file'] as const) endpoints[svc] = `${scheme}://${account}.${svc}.${suffix}`;
  }
  const key = p.get('AccountKey') ?? null;
  const sas = p.get('SharedAccessSignature') ?? token;
  return {
    account: account ?? Object.values(endpoints).map((e) => parseAzureUrl(e!)?.account).find(Boolean) ?? null,
    endpoints,
    resourcePath: [],
    service: null,
    token: sas ? sas.replace(/^\?/, '') : null,
    accountKey: key,
    publicEmulatorAccount: account === 'devstoreaccount1' || key === 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==',
  };
}

/** Account root: scheme://authority, plus /account for path-style emulator URLs. */
function rootOf(base: string, account: string | null, pathStyle: boolean, opts: TargetOptions): string {
  const m = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]+)/i.exec(base)!;
  let scheme = m[1]!.toLowerCase();
  // Never use http because a link allows it: only emulators on allowed private hosts get http.
  if (scheme === 'http' && !opts.allowPrivateHosts) scheme = 'https';
  const authority = m[2]!.replace(/^[^@]*@/, '');
  return pathStyle && account ? `${scheme}://${authority}/${account}` : `${scheme}://${authority}`;
}

/** Joins an account root, path segments and a query into a request URL. */
export function azureUrl(root: string, segments: readonly string[], query: string): string {
  const path = segments.map((s) => encodeURIComponent(s).replace(/%2F/gi, '/')).join('/');
  return `${root}/${path}${query ? `?${query}` : ''}`;
}
