import type { EndpointInfo } from '../../model/grant.js';

/**
 * Azure Storage host forms (shared/reference §1.12): public and sovereign clouds, secondary
 * and private-link aliases, DNS-zone endpoints, Azure Stack, and the Azurite emulator in
 * path style (`127.0.0.1:10000/devstoreaccount1/…`) and production style (`acct.blob.localhost`).
 */
export interface AzureUrl {
  endpoint: EndpointInfo;
  account: string | null;
  /** Path segments after the account (for path-style emulator URLs, the account is removed). */
  segments: string[];
  scheme: string;
  port: string | null;
  loopback: boolean;
  /**
   * The account label as code wrote it when it is filled in at run time (`{account}`,
   * `${ACCOUNT}`, `%s`, `$(name)`): `account` is then null, the service and cloud still known.
   */
  accountInterpolated?: string;
}

const SERVICES = 'blob|dfs|file|queue|table|web';
const CLOUDS: [RegExp, string][] = [
  [/^core\.windows\.net$/, 'public'],
  [/^core\.chinacloudapi\.cn$/, 'china'],
  [/^core\.usgovcloudapi\.net$/, 'usgov'],
  [/^core\.cloudapi\.de$/, 'germany'],
];
const STANDARD = new RegExp(`^([a-z0-9]{3,24})(-secondary)?(?:\\.privatelink)?\\.(${SERVICES})\\.(.+)$`);
const DNS_ZONE = new RegExp(`^([a-z0-9]{3,24})\\.z\\d{1,2}\\.(${SERVICES})\\.(?:storage\\.azure\\.net|core\\.windows\\.net)$`);
// An account label with an interpolation in it: f-strings, template literals, format strings, shell and pipeline variables.
const INTERPOLATED = new RegExp(`^([^/]*?(?:[{}%]|\\$[a-z_({])[^/]*?)(-secondary)?(?:\\.privatelink)?\\.(${SERVICES})\\.(.+)$`);
const EMULATOR_PROD = new RegExp(`^([a-z0-9]{3,24})\\.(${SERVICES})\\.localhost$`);
const EMULATOR_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1', 'azurite', 'host.docker.internal', '0.0.0.0']);
const EMULATOR_PORTS: Record<string, string> = { '10000': 'blob', '10001': 'queue', '10002': 'table' };

export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '[::1]' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host) || host.endsWith('.localhost');
}

export function parseAzureUrl(url: string): AzureUrl | null {
  const m = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)([^?#]*)/i.exec(url);
  if (!m) return null;
  const scheme = m[1]!.toLowerCase();
  const authority = m[2]!.replace(/^[^@]*@/, '').toLowerCase();
  const hostPort = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(authority);
  if (!hostPort) return null;
  const host = hostPort[1]!;
  const port = hostPort[2] ?? null;
  const segments = m[3]!.split('/').filter((s) => s.length > 0).map(safeDecode);
  const loopback = isLoopbackHost(host);
  const endpoint: EndpointInfo = { host, service: null, cloud: 'custom', secondary: false };

  const prod = EMULATOR_PROD.exec(host);
  if (prod) {
    endpoint.service = prod[2]!;
    endpoint.cloud = 'emulator';
    return { endpoint, account: prod[1]!, segments, scheme, port, loopback: true };
  }
  const std = STANDARD.exec(host);
  if (std) {
    storageEndpoint(endpoint, std[3]!, Boolean(std[2]), std[4]!);
    return { endpoint, account: std[1]!, segments, scheme, port, loopback };
  }
  const interpolated = INTERPOLATED.exec(host);
  if (interpolated) {
    storageEndpoint(endpoint, interpolated[3]!, Boolean(interpolated[2]), interpolated[4]!);
    return { endpoint, account: null, segments, scheme, port, loopback, accountInterpolated: interpolated[1]! };
  }
  const zone = DNS_ZONE.exec(host);
  if (zone) {
    endpoint.service = zone[2]!;
    endpoint.cloud = 'public';
    return { endpoint, account: zone[1]!, segments, scheme, port, loopback };
  }
  if (EMULATOR_HOSTS.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host)) {
    endpoint.cloud = 'emulator';
    endpoint.service = (port && EMULATOR_PORTS[port]) ?? null;
    const [account, ...rest] = segments;
    return { endpoint, account: account ?? null, segments: rest, scheme, port, loopback: true };
  }
  return { endpoint, account: null, segments, scheme, port, loopback };
}

/** Service label, secondary flag and cloud of a `<account>.<service>.<suffix>` host. */
function storageEndpoint(endpoint: EndpointInfo, service: string, secondary: boolean, suffix: string): void {
  endpoint.service = service;
  endpoint.secondary = secondary;
  endpoint.cloud = CLOUDS.find(([re]) => re.test(suffix))?.[1] ?? (/\.storage\.azure\.net$/.test(suffix) ? 'public' : 'azurestack');
  if (endpoint.cloud === 'azurestack' && !/\./.test(suffix)) endpoint.cloud = 'custom';
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** The storage service a host label stands for in grants (ADLS `dfs` is the Blob service). */
export function serviceOfLabel(label: string | null): string | null {
  switch (label) {
    case 'blob':
    case 'dfs':
    case 'web':
      return 'blob';
    case 'file':
    case 'queue':
    case 'table':
      return label;
    default:
      return null;
  }
}
