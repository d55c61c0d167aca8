import dns from 'node:dns';
import { BlockList, isIP } from 'node:net';

/**
 * Addresses a verifier must not reach unless the user says so (--allow-private-hosts):
 * loopback, private ranges, link-local (cloud metadata at 169.254.169.254), CGNAT,
 * unspecified, multicast, and their IPv6 equivalents. A leaked "storage" URL that resolves
 * there is either a test fixture or an attempt to make the scanner probe an internal service.
 */
const PRIVATE = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) {
  PRIVATE.addSubnet(net, bits, 'ipv4');
}
for (const [net, bits] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8]] as const) {
  PRIVATE.addSubnet(net, bits, 'ipv6');
}
const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/** IPv4-mapped IPv6 (::ffff:10.0.0.1) is judged as the IPv4 address it carries. */
function normalise(address: string): { address: string; family: 'ipv4' | 'ipv6' } {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return { address: mapped[1]!, family: 'ipv4' };
  return { address, family: isIP(address) === 6 ? 'ipv6' : 'ipv4' };
}

export function isPrivateAddress(address: string): boolean {
  const a = normalise(address.replace(/^\[|\]$/g, ''));
  return PRIVATE.check(a.address, a.family);
}

export function isLoopbackAddress(address: string): boolean {
  const a = normalise(address.replace(/^\[|\]$/g, ''));
  return LOOPBACK.check(a.address, a.family);
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void;
export type LookupFunction = (hostname: string, options: dns.LookupOptions, callback: LookupCallback) => void;

/**
 * Host → address overrides, like curl's --resolve (`name:address`): for private endpoints
 * and for tests that exercise production-style host names against a local emulator.
 */
export function overrideLookup(overrides: ReadonlyMap<string, string>, fallback: LookupFunction = dns.lookup as unknown as LookupFunction): LookupFunction {
  return (hostname, options, callback) => {
    const address = overrides.get(hostname.toLowerCase());
    if (!address) return fallback(hostname, options, callback);
    const family = isIP(address) || 4;
    if (options.all) return callback(null, [{ address, family }]);
    return callback(null, address, family);
  };
}

/** Parses `--resolve host:address` values (address may be IPv6 in brackets). */
export function parseResolve(values: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const v of values) {
    const m = /^([^:\s]+):(\[[^\]]+\]|[^\s]+)$/.exec(v.trim());
    if (!m || !isIP(m[2]!.replace(/^\[|\]$/g, ''))) throw new Error(`--resolve expects host:address (an IP address), got "${v}"`);
    out.set(m[1]!.toLowerCase(), m[2]!.replace(/^\[|\]$/g, ''));
  }
  return out;
}

/**
 * Wraps a lookup so every resolved address is checked before the socket connects: the
 * check happens on the address actually used, so DNS tricks (rebinding, a public name
 * pointing at 10.x) cannot get past it. `seen` receives the address the request went to.
 */
export function guardedLookup(base: LookupFunction, rules: { allowPrivate: boolean; requirePrivate: boolean }, seen: (address: string) => void): LookupFunction {
  const { allowPrivate, requirePrivate } = rules;
  return (hostname, options, callback) => {
    base(hostname, options, (err, address, family) => {
      if (err) return callback(err, address, family);
      const list = Array.isArray(address) ? address.map((a) => a.address) : [address];
      const bad = list.find((a) => isPrivateAddress(a));
      if (bad && !allowPrivate) {
        const e = new Error(`${hostname} resolves to private or loopback address ${bad}; refused (use --allow-private-hosts to allow)`) as NodeJS.ErrnoException;
        e.code = 'ERR_SASQUATCH_PRIVATE_ADDRESS';
        return callback(e, '', 0);
      }
      const open = list.find((a) => !isPrivateAddress(a));
      if (requirePrivate && open) {
        const e = new Error(`${hostname} resolves to public address ${open}; plain http is only used for private/loopback hosts`) as NodeJS.ErrnoException;
        e.code = 'ERR_SASQUATCH_PLAIN_HTTP';
        return callback(e, '', 0);
      }
      if (list[0]) seen(list[0]);
      callback(null, address, family);
    });
  };
}
