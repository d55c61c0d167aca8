/**
 * Checksums that token formats embed, so a random look-alike can be told from a real
 * token offline: CRC-32 in Base62 (GitHub and npm tokens), Marvin32 (Microsoft's
 * identifiable keys and Entra client secrets).
 */

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 (IEEE 802.3), as zlib computes it. */
export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** An unsigned integer in an alphabet, most significant digit first, left-padded to minLength. */
export function encodeInAlphabet(value: number, alphabet: string, minLength: number): string {
  let n = value >>> 0;
  let s = '';
  while (n > 0) {
    s = alphabet[n % alphabet.length]! + s;
    n = Math.floor(n / alphabet.length);
  }
  return s.padStart(minLength, alphabet[0]!);
}

/**
 * GitHub's token format (also npm's): prefix, 30 random Base62 characters, then the
 * CRC-32 of those 30 characters in Base62, 6 characters. Random strings pass with
 * probability 62⁻⁶.
 */
export function base62Crc32Valid(body: string): boolean {
  if (body.length < 7) return false;
  const random = body.slice(0, -6);
  return encodeInAlphabet(crc32(Buffer.from(random, 'latin1')), BASE62, 6) === body.slice(-6);
}

function rotl(x: number, n: number): number {
  return ((x << n) | (x >>> (32 - n))) >>> 0;
}

/**
 * Marvin32 (the checksum of Microsoft's identifiable secrets), 64-bit result as [low, high].
 * Seeds are 64-bit; pass them as hex strings to keep every bit.
 */
export function marvin64(bytes: Uint8Array, seedHex: string): [number, number] {
  const seed = BigInt(`0x${seedHex}`);
  let p0 = Number(seed & 0xffffffffn) >>> 0;
  let p1 = Number(seed >> 32n) >>> 0;
  const block = () => {
    p1 = (p1 ^ p0) >>> 0;
    p0 = rotl(p0, 20);
    p0 = (p0 + p1) >>> 0;
    p1 = rotl(p1, 9);
    p1 = (p1 ^ p0) >>> 0;
    p0 = rotl(p0, 27);
    p0 = (p0 + p1) >>> 0;
    p1 = rotl(p1, 19);
  };
  let i = 0;
  for (; i + 4 <= bytes.length; i += 4) {
    p0 = (p0 + ((bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24)) >>> 0)) >>> 0;
    block();
  }
  // the 0–3 remaining bytes, little-endian, followed by a 0x80 marker
  let last = 0x80;
  for (let k = bytes.length - 1; k >= i; k--) last = ((last << 8) | bytes[k]!) >>> 0;
  p0 = (p0 + last) >>> 0;
  block();
  block();
  return [p0, p1];
}

/** Marvin32 collapsed to 32 bits (high XOR low), as an unsigned integer. */
export function marvin32(bytes: Uint8Array, seedHex: string): number {
  const [lo, hi] = marvin64(bytes, seedHex);
  return (lo ^ hi) >>> 0;
}
