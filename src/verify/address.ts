import dns from 'node:dns';
import { BlockList, isIP, isIPv4 } from 'node:net';

/**
 * Addresses a verifier must not reach unless the user says so (--allow-private-hosts):
 * loopback, private ranges, link-local (cloud metadata at 169.254.169.254), CGNAT,
 * unspecified, benchmarking, documentation, multicast, reserved and broadcast, and their
 * IPv6 equivalents. An IPv6 address that carries an IPv4 one — IPv4-mapped and -compatible,
 * SIIT-translated, NAT64 (64:ff9b::/96), 6to4 (2002::/16), Teredo (2001::/32, both the server
 * and the obfuscated client), ISATAP (`…:5efe:a.b.c.d`) — is judged by that IPv4 address as
 * well, so `::ffff:127.0.0.1`, `::127.0.0.1`, `64:ff9b::a9fe:a9fe` or `2002:7f00:1::` are as
 * private as what they carry. The local-use NAT64 prefix 64:ff9b:1::/48 is private as a whole.
 * A leaked "storage" URL that resolves there is either a test fixture or an attempt to make
 * the scanner probe an internal service.
 */
const PRIVATE_V4 = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.88.99.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24],
  ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) {
  PRIVATE_V4.addSubnet(net, bits, 'ipv4');
}
PRIVATE_V4.addAddress('255.255.255.255', 'ipv4');

const PRIVATE_V6 = new BlockList();
for (const [net, bits] of [
  ['::', 128], ['::1', 128], ['64:ff9b:1::', 48], ['100::', 64], ['2001:2::', 48], ['2001:db8::', 32], ['3fff::', 20],
  ['fc00::', 7], ['fe80::', 10], ['fec0::', 10], ['ff00::', 8],
] as const) {
  PRIVATE_V6.addSubnet(net, bits, 'ipv6');
}

const LOOPBACK_V4 = new BlockList();
LOOPBACK_V4.addSubnet('127.0.0.0', 8, 'ipv4');

/** The eight 16-bit groups of an IPv6 address (zone id dropped, embedded dotted quad read), or null. */
export function ipv6Groups(address: string): number[] | null {
  let a = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  if (isIP(a) !== 6) return null;
  const quad = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(a);
  if (quad) {
    const [b0, b1, b2, b3] = quad.slice(1).map(Number) as [number, number, number, number];
    a = `${a.slice(0, quad.index)}${((b0 << 8) | b1).toString(16)}:${((b2 << 8) | b3).toString(16)}`;
  }
  const [head, tail] = a.includes('::') ? (a.split('::') as [string, string]) : [a, null];
  const part = (s: string) => (s ? s.split(':').map((h) => parseInt(h, 16)) : []);
  const left = part(head);
  const right = tail === null ? [] : part(tail);
  const fill = 8 - left.length - right.length;
  return [...left, ...new Array<number>(tail === null ? 0 : fill).fill(0), ...right];
}

function v4(hi: number, lo: number): string {
  return `${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`;
}

/** Every IPv4 address an IPv6 address carries, by the transition mechanisms that carry one. */
export function embeddedIPv4(address: string): string[] {
  const g = ipv6Groups(address);
  if (!g) return [];
  const out: string[] = [];
  const zeros = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);
  // IPv4-compatible ::a.b.c.d (deprecated), IPv4-mapped ::ffff:a.b.c.d, SIIT ::ffff:0:a.b.c.d
  if (zeros(0, 5) && (g[5] === 0 || g[5] === 0xffff)) out.push(v4(g[6]!, g[7]!));
  if (zeros(0, 4) && g[4] === 0xffff && g[5] === 0) out.push(v4(g[6]!, g[7]!));
  // NAT64 well-known prefix 64:ff9b::/96
  if (g[0] === 0x64 && g[1] === 0xff9b && zeros(2, 6)) out.push(v4(g[6]!, g[7]!));
  // 6to4 2002:AABB:CCDD::/48
  if (g[0] === 0x2002) out.push(v4(g[1]!, g[2]!));
  // Teredo 2001:0000:SERVER:flags:port:CLIENT (the client address is stored inverted)
  if (g[0] === 0x2001 && g[1] === 0) out.push(v4(g[2]!, g[3]!), v4(g[6]! ^ 0xffff, g[7]! ^ 0xffff));
  // ISATAP interface identifier 0000:5efe:a.b.c.d or 0200:5efe:a.b.c.d, under any prefix
  if ((g[4] === 0 || g[4] === 0x200) && g[5] === 0x5efe) out.push(v4(g[6]!, g[7]!));
  return out;
}

export function isPrivateAddress(address: string): boolean {
  const a = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  if (isIPv4(a)) return PRIVATE_V4.check(a, 'ipv4');
  if (isIP(a) !== 6) return false;
  if (PRIVATE_V6.check(a, 'ipv6')) return true;
  return embeddedIPv4(a).some((x) => PRIVATE_V4.check(x, 'ipv4'));
}

export function isLoopbackAddress(address: string): boolean {
  const a = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  if (isIPv4(a)) return LOOPBACK_V4.check(a, 'ipv4');
  const g = ipv6Groups(a);
  if (!g) return false;
  if (g.slice(0, 7).every((x) => x === 0) && g[7] === 1) return true;
  return embeddedIPv4(a).some((x) => LOOPBACK_V4.check(x, 'ipv4'));
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
