import type { MappedText } from './mapped-text.js';

/** Base64 runs found by the keyword pass (detect/keyword-matcher.ts): flat start, end pairs. */
export interface Base64Runs {
  runs: Int32Array;
  runCount: number;
}

/**
 * A Base64 view of a text: every Base64 token (standard or URL-safe, padded or not) whose
 * decoding is readable text — Kubernetes Secret `data:` values, `.dockerconfigjson`,
 * `auth` fields, credentials files passed around as Base64 — decoded into one synthetic
 * document, each on its own line as `name=decoded` when the token was assigned to a name.
 * Every decoded character maps back to the Base64 characters that encode it, so a finding
 * in the view keeps the exact line and column of its token in the original file.
 *
 * Finding the tokens is one linear pass with a lookup table (no regex over the whole text);
 * only tokens of MIN_RUN characters or more are decoded, and a token whose first bytes are
 * not text is dropped after decoding those bytes alone.
 */
export interface Base64ViewOptions {
  /** Shortest token worth decoding (characters). */
  minRun: number;
  /** Stop after decoding this many bytes in one view. */
  maxDecodedBytes: number;
  /**
   * Whether a rule can use the view's text (a keyword in it, or Base64 worth decoding again):
   * when given and false, the view is dropped before its offsets are laid out.
   */
  wanted?: (text: string) => boolean;
}

export const DEFAULT_BASE64_OPTIONS: Base64ViewOptions = { minRun: 16, maxDecodedBytes: 16 << 20 };

// 1 = standard alphabet, 2 = URL-safe extra (-_), 3 = both (letters, digits)
const CLASS = new Uint8Array(256);
// 6-bit value of each Base64 character in either alphabet, 255 for others
const VALUE = new Uint8Array(256).fill(255);
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
for (let c = 0; c < 256; c++) {
  const ch = String.fromCharCode(c);
  if (/[A-Za-z0-9]/.test(ch)) CLASS[c] = 3;
  else if (ch === '+' || ch === '/') CLASS[c] = 1;
  else if (ch === '-' || ch === '_') CLASS[c] = 2;
}
for (let v = 0; v < 62; v++) VALUE[ALPHABET.charCodeAt(v)] = v;
VALUE[0x2b] = VALUE[0x2d] = 62; // + -
VALUE[0x2f] = VALUE[0x5f] = 63; // / _

/**
 * Whether the first characters of a token decode to printable ASCII (or UTF-16LE ASCII):
 * decided in place, without allocating, so the thousands of identifiers and hashes in a
 * source file are dismissed after a character or two.
 */
function plausibleStart(text: Uint8Array, start: number, end: number): boolean {
  const n = Math.min(end - start, 24) & ~3;
  let ascii = true;
  let utf16 = true;
  let k = 0;
  for (let q = start; q < start + n; q += 4) {
    const v = (VALUE[text[q]!]! << 18) | (VALUE[text[q + 1]!]! << 12) | (VALUE[text[q + 2]!]! << 6) | VALUE[text[q + 3]!]!;
    for (let b = 16; b >= 0; b -= 8, k++) {
      const byte = (v >> b) & 0xff;
      const printable = (byte >= 0x20 && byte < 0x7f) || byte === 0x0a || byte === 0x0d || byte === 0x09 || byte >= 0xc2;
      if (!printable) ascii = false;
      if (k % 2 === 1 ? byte !== 0 : !(byte >= 0x09 && byte < 0x7f)) utf16 = false;
      if (!ascii && !utf16) return false;
    }
  }
  return true;
}

/**
 * Whether a run of Base64 characters at `start` (at least four) may decode to text: its first
 * three bytes are printable (plausibleStart's ASCII/UTF-8 test) or begin UTF-16LE ASCII. A
 * necessary condition of plausibleStart, cheap enough for the keyword pass to apply to every
 * run it measures (most runs in code are identifiers, and fail it).
 */
export function startsLikeText(bytes: Uint8Array, start: number): boolean {
  const v = (VALUE[bytes[start]!]! << 18) | (VALUE[bytes[start + 1]!]! << 12) | (VALUE[bytes[start + 2]!]! << 6) | VALUE[bytes[start + 3]!]!;
  const b0 = (v >> 16) & 0xff;
  const b1 = (v >> 8) & 0xff;
  const b2 = v & 0xff;
  if (printable(b0) && printable(b1) && printable(b2)) return true;
  return b0 >= 0x09 && b0 < 0x7f && b1 === 0 && b2 >= 0x09 && b2 < 0x7f;
}

/** A byte that may be text: printable ASCII, tab, newline, or a UTF-8 lead byte. */
export function printable(byte: number): boolean {
  return (byte >= 0x20 && byte < 0x7f) || byte === 0x0a || byte === 0x0d || byte === 0x09 || byte >= 0xc2;
}

/** The 6-bit values by byte (255: not Base64), as the keyword pass's WebAssembly reads them. */
export const BASE64_VALUES: Readonly<Uint8Array> = VALUE;

interface Token {
  start: number;
  end: number;
  urlSafe: boolean;
  /**
   * A token wrapped over several lines (`base64` wraps at 76 columns, PEM tools at 64): its
   * pieces as flat start, end pairs, decoded as one. Absent for a token on one line.
   */
  parts?: number[];
}

/** Base64 tokens in text[from, to): maximal runs of one alphabet, optional `=` padding. */
export function findBase64Tokens(text: string, from: number, to: number, minRun: number): Token[] {
  const out: Token[] = [];
  const len = text.length;
  let i = from;
  // a token cut by the start of the region belongs to the region before it
  if (from > 0 && CLASS[text.charCodeAt(from - 1) & 0xff]) while (i < to && (CLASS[text.charCodeAt(i) & 0xff] || text.charCodeAt(i) === 0x3d)) i++;
  while (i < to) {
    if (!CLASS[text.charCodeAt(i) & 0xff]) {
      i++;
      continue;
    }
    const start = i;
    let seen = 0;
    let j = i;
    let k = 0;
    while (j < len && (k = CLASS[text.charCodeAt(j) & 0xff]!) !== 0) {
      if (k !== 3) seen |= k;
      j++;
    }
    if (j - start < minRun) {
      i = j + 1;
      continue;
    }
    let end = j;
    while (end < len && end - j < 2 && text.charCodeAt(end) === 0x3d) end++;
    // `=` followed by more token characters is an assignment (`key=value`), not padding
    if (end > j && end < len && CLASS[text.charCodeAt(end) & 0xff]) end = j;
    i = Math.max(end, j + 1);
    if (seen === 3) continue; // mixes + / with - _: not one alphabet
    if ((j - start) % 4 === 1) continue;
    out.push({ start, end, urlSafe: seen === 2 });
  }
  return out;
}

/** Readable text: printable ASCII, whitespace and well-formed UTF-8 sequences. */
export function isReadable(bytes: Uint8Array): boolean {
  if (bytes.length === 0) return false;
  let bad = 0;
  // a document has letters; with its digits they are a quarter of it (xoxa-2-6478… is mostly digits)
  let letters = 0;
  let alnum = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b >= 0x20 && b < 0x7f) {
      if ((b | 0x20) >= 0x61 && (b | 0x20) <= 0x7a) letters++;
      else if (b >= 0x30 && b <= 0x39) alnum++;
      continue;
    }
    if (b === 0x09 || b === 0x0a || b === 0x0d) continue;
    const extra = b >= 0xf0 && b < 0xf5 ? 3 : b >= 0xe0 && b < 0xf0 ? 2 : b >= 0xc2 && b < 0xe0 ? 1 : 0;
    if (extra > 0) {
      const cont = bytes.subarray(i + 1, i + 1 + extra);
      // a sequence cut by the end of a probe is fine; a broken one is not
      if ([...cont].every((x) => (x & 0xc0) === 0x80)) {
        i += cont.length;
        continue;
      }
    }
    bad++;
  }
  return bad === 0 && letters > 0 && (letters + alnum) * 4 >= bytes.length;
}

/** ASCII text in UTF-16LE: printable bytes alternating with zero bytes. */
function looksUtf16le(b: Uint8Array): boolean {
  if (b.length < 8) return false;
  for (let i = 0; i + 1 < b.length; i += 2) if (b[i + 1] !== 0 || b[i]! < 0x09 || b[i]! > 0x7e) return false;
  return true;
}

const NAME_BEFORE = /(?:^|[\s{,[(])["']?([A-Za-z_.][A-Za-z0-9_.-]{0,63})["']?\s*(?::=|=>|=|:)\s*["']?$/;

/**
 * Builds the Base64 view of text[from, to), or null when it holds no readable Base64.
 * `map[i]` is the offset in `text` of view character i.
 */
export function base64View(text: string, from = 0, to = text.length, opts: Base64ViewOptions = DEFAULT_BASE64_OPTIONS): MappedText | null {
  return viewOfTokens(Buffer.from(text, 'latin1'), findBase64Tokens(text, from, to, opts.minRun), opts);
}

/**
 * The same view from the runs the keyword pass measured over all of `bytes` (runs of at
 * least opts.minRun): the tokens are those runs that start in [from, to), with the same
 * padding and alphabet rules as findBase64Tokens.
 */
export function base64ViewOfRuns(bytes: Buffer, found: Base64Runs, from: number, to: number, opts: Base64ViewOptions = DEFAULT_BASE64_OPTIONS): MappedText | null {
  const tokens: Token[] = [];
  const len = bytes.length;
  const r = found.runs;
  for (let i = 0; i < found.runCount; i++) {
    const start = r[2 * i]!;
    const j = r[2 * i + 1]!;
    if (start < from || start >= to || j - start < opts.minRun) continue;
    if ((j - start) % 4 === 1) continue;
    let end = j;
    while (end < len && end - j < 2 && bytes[end] === 0x3d) end++;
    // `=` followed by more token characters is an assignment (`key=value`), not padding
    if (end > j && end < len && CLASS[bytes[end]!]) end = j;
    // the cheap test before the alphabet check: most runs (identifiers, hashes) fail it
    if (!plausibleStart(bytes, start, end)) continue;
    let seen = 0;
    for (let k = start; k < j; k++) {
      const c = CLASS[bytes[k]!]!;
      if (c !== 3) seen |= c;
    }
    if (seen === 3) continue; // mixes + / with - _: not one alphabet
    const token: Token = { start, end, urlSafe: seen === 2 };
    const wrapped = end === j ? wrappedLines(bytes, start, j) : null;
    if (wrapped) {
      token.parts = wrapped;
      token.end = wrapped[wrapped.length - 1]!;
      // the runs of the following lines are part of this token now
      while (i + 1 < found.runCount && r[2 * (i + 1)]! < token.end) i++;
    }
    tokens.push(token);
  }
  return tokens.length ? viewOfTokens(bytes, tokens, opts) : null;
}

/** Narrowest line width taken for wrapped Base64 (64 and 76 are the usual; 4-aligned). */
const MIN_WRAP = 40;

/**
 * The lines of a Base64 block wrapped at a fixed width, starting with the run
 * bytes[start, end) that fills its line: the following lines hold only Base64 (after the same
 * indentation), all as wide as the first but the last, which may be shorter and padded.
 * Flat start, end pairs, or null when the run is not the first line of such a block.
 */
function wrappedLines(bytes: Uint8Array, start: number, end: number): number[] | null {
  const width = end - start;
  if (width < MIN_WRAP || width % 4 !== 0) return null;
  const parts = [start, end];
  let at = end;
  for (;;) {
    let p = at;
    if (bytes[p] === 0x0d) p++;
    if (bytes[p] !== 0x0a) break;
    p++;
    while (bytes[p] === 0x20 || bytes[p] === 0x09) p++;
    let q = p;
    while (q < bytes.length && CLASS[bytes[q]!] && q - p < width) q++;
    if (q === p || (q < bytes.length && CLASS[bytes[q]!])) break; // an empty line, or a longer one: not this block
    let padded = q;
    while (padded < bytes.length && padded - q < 2 && bytes[padded] === 0x3d) padded++;
    if (padded < bytes.length && bytes[padded] !== 0x0a && bytes[padded] !== 0x0d && bytes[padded] !== 0x22 && bytes[padded] !== 0x27) break;
    parts.push(p, padded);
    at = padded;
    if (q - p < width || padded > q) break; // the last line
  }
  return parts.length > 2 ? parts : null;
}

/** One decoded token of a view, before its offsets are laid out. */
interface DecodedToken {
  token: Token;
  /** `NAME=` before the value, when the token was assigned to a name, with where the name is. */
  name: string | null;
  nameAt: number;
  /** The decoded value as latin1 (one char per byte). */
  decoded: string;
  utf16: boolean;
}

function viewOfTokens(bytes: Buffer, tokens: readonly Token[], opts: Base64ViewOptions): MappedText | null {
  const decoded = decodeTokens(bytes, tokens, opts);
  if (!decoded.length) return null;
  const parts: string[] = [];
  for (const d of decoded) parts.push(d.name === null ? `${d.decoded}\n` : `${d.name}=${d.decoded}\n`);
  const text = parts.join('');
  // the offsets are the costly part (one per character): laid out only for a view a rule can use
  if (opts.wanted && !opts.wanted(text)) return null;
  return layOut(text, decoded);
}

/** The readable tokens, decoded (up to maxDecodedBytes in all). */
function decodeTokens(bytes: Buffer, tokens: readonly Token[], opts: Base64ViewOptions): DecodedToken[] {
  const out: DecodedToken[] = [];
  let decodedTotal = 0;
  for (const t of tokens) {
    if (decodedTotal >= opts.maxDecodedBytes) break;
    if (!plausibleStart(bytes, t.start, t.end)) continue; // (again, for tokens from findBase64Tokens)
    const pieces = t.parts ?? [t.start, t.end];
    let token = '';
    for (let k = 0; k < pieces.length; k += 2) token += bytes.toString('latin1', pieces[k]!, pieces[k + 1]!);
    const probe = Buffer.from(token.slice(0, 32), t.urlSafe ? 'base64url' : 'base64');
    const utf16 = looksUtf16le(probe);
    if (!utf16 && !isReadable(probe.subarray(0, Math.min(probe.length, 18)))) continue;
    const raw = Buffer.from(token, t.urlSafe ? 'base64url' : 'base64');
    // PowerShell -EncodedCommand and .NET tools encode UTF-16LE text
    const decodedBytes = utf16 ? Buffer.from(raw.toString('utf16le'), 'utf8') : raw;
    if (!isReadable(decodedBytes)) continue;
    decodedTotal += decodedBytes.length;
    const lineStart = t.start === 0 ? 0 : bytes.lastIndexOf(10, t.start - 1) + 1;
    const before = bytes.toString('latin1', Math.max(lineStart, t.start - 96), t.start);
    const name = NAME_BEFORE.exec(before);
    const nameAt = name ? t.start - before.length + before.lastIndexOf(name[1]!) : -1;
    out.push({ token: t, name: name ? name[1]! : null, nameAt, decoded: decodedBytes.toString('latin1'), utf16 });
  }
  return out;
}

/** The view's offsets: every decoded character mapped to the Base64 characters that encode it. */
function layOut(text: string, decoded: readonly DecodedToken[]): MappedText {
  const map = new Int32Array(text.length + 1);
  const valueStarts = new Int32Array(decoded.length);
  let at = 0;
  decoded.forEach((d, i) => {
    const t = d.token;
    if (d.name !== null) {
      for (let k = 0; k < d.name.length; k++) map[at++] = d.nameAt + k;
      map[at++] = t.start; // the `=`
    }
    valueStarts[i] = at;
    const pieces = t.parts ?? [t.start, t.end];
    // byte k begins at bit 8k: in Base64 character floor(8k / 6) (UTF-16: twice the bits);
    // character c of the token is at this offset of the original (across the line breaks of a wrapped one)
    const bits = d.utf16 ? 16 : 8;
    let piece = 0;
    let pieceFirst = 0;
    for (let k = 0; k < d.decoded.length; k++) {
      const c = Math.floor((bits * k) / 6);
      while (piece < pieces.length && c - pieceFirst >= pieces[piece + 1]! - pieces[piece]!) {
        pieceFirst += pieces[piece + 1]! - pieces[piece]!;
        piece += 2;
      }
      map[at++] = piece < pieces.length ? pieces[piece]! + c - pieceFirst : t.end;
    }
    map[at++] = t.end; // the line break
  });
  map[at] = map[at - 1]!;
  return { text, map, encoding: 'base64', valueStarts };
}
