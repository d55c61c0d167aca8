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
    const suffix = std[4]!;
    endpoint.service = std[3]!;
    endpoint.secondary = Boolean(std[2]);
    endpoint.cloud = CLOUDS.find(([re]) => re.test(suffix))?.[1] ?? (/\.storage\.azure\.net$/.test(suffix) ? 'public' : 'azurestack');
    if (endpoint.cloud === 'azurestack' && !/\./.test(suffix)) endpoint.cloud = 'custom';
    return { endpoint, account: std[1]!, segments, scheme, port, loopback };
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
