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
