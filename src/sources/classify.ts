/**
 * What kind of bytes a blob holds, from its first bytes: text (UTF-8/ASCII), UTF-16 text,
 * or binary. Like git, a NUL byte in the first 8 KB means binary — unless the NULs fall
 * in the pattern of UTF-16 text.
 */
export type ContentKind = 'text' | 'utf16le' | 'utf16be' | 'binary';

const SNIFF = 8000;

export function classifyBytes(head: Uint8Array): ContentKind {
  if (head.length >= 2) {
    if (head[0] === 0xff && head[1] === 0xfe) return 'utf16le';
    if (head[0] === 0xfe && head[1] === 0xff) return 'utf16be';
  }
  const n = Math.min(head.length, SNIFF);
  // the common case, found natively: no NUL byte at all
  if (head.subarray(0, n).indexOf(0) === -1) return 'text';
  let nul = 0;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < n; i++) {
    if (head[i] === 0) {
      nul++;
      if (i % 2 === 0) evenNul++;
      else oddNul++;
    }
  }
  if (nul === 0) return 'text';
  // BOM-less UTF-16 of mostly-ASCII text: every other byte is NUL
  const pairs = Math.floor(n / 2);
  if (pairs >= 4 && oddNul >= pairs * 0.6 && evenNul <= pairs * 0.05) return 'utf16le';
  if (pairs >= 4 && evenNul >= pairs * 0.6 && oddNul <= pairs * 0.05) return 'utf16be';
  return 'binary';
}

/** Decodes UTF-16 bytes to UTF-8, dropping the BOM, so lines and columns are those a reader sees. */
export function utf16ToUtf8(bytes: Buffer, kind: 'utf16le' | 'utf16be'): Buffer {
  let b = bytes;
  if (kind === 'utf16be') {
    b = Buffer.from(bytes.subarray(0, bytes.length - (bytes.length % 2)));
    b.swap16();
  }
  let text = b.toString('utf16le');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return Buffer.from(text, 'utf8');
}

/**
 * Whether the first bytes of a blob taken for UTF-16 read as text: mostly ASCII characters
 * (the NUL pattern of UTF-16 code, logs and configuration) and no lone surrogates. A UTF-8
 * file that merely starts with FF FE reads as a run of CJK-looking characters and fails.
 */
export function utf16Plausible(head: Uint8Array, kind: 'utf16le' | 'utf16be'): boolean {
  let units = 0;
  let ascii = 0;
  const hi = kind === 'utf16le' ? 1 : 0;
  for (let i = 0; i + 1 < head.length; i += 2) {
    const u = (head[i + hi]! << 8) | head[i + 1 - hi]!;
    if (u === 0xfeff && i === 0) continue;
    units++;
    if (u < 0x80) ascii++;
    else if (u >= 0xd800 && u <= 0xdfff) {
      const next = i + 3 < head.length ? (head[i + 2 + hi]! << 8) | head[i + 3 - hi]! : -1;
      if (u > 0xdbff || next < 0xdc00 || next > 0xdfff) return false;
      i += 2;
    }
  }
  return units > 0 && ascii >= units * 0.5;
}

/**
 * UTF-16 to UTF-8, a piece at a time (pieces may split a character or a surrogate pair):
 * a large UTF-16 file is decoded as it is read, never whole. The byte-order mark is dropped.
 */
export class Utf16Decoder {
  private readonly decoder = new TextDecoder('utf-16le');
  private carry: number | null = null;

  constructor(private readonly kind: 'utf16le' | 'utf16be') {}

  write(chunk: Uint8Array): Buffer {
    let bytes: Uint8Array = chunk;
    if (this.carry !== null) {
      const joined = new Uint8Array(chunk.length + 1);
      joined[0] = this.carry;
      joined.set(chunk, 1);
      bytes = joined;
      this.carry = null;
    }
    if (bytes.length % 2) {
      this.carry = bytes[bytes.length - 1]!;
      bytes = bytes.subarray(0, bytes.length - 1);
    }
    if (this.kind === 'utf16be') {
      const swapped = Buffer.from(bytes);
      swapped.swap16();
      bytes = swapped;
    }
    return Buffer.from(this.decoder.decode(bytes, { stream: true }), 'utf8');
  }

  end(): Buffer {
    return Buffer.from(this.decoder.decode(), 'utf8');
  }
}
