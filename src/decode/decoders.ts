import { MappedBuilder, type MappedText } from './mapped-text.js';

/**
 * Decoders for the outer encodings real files put around a link: HTML/XML entities
 * (`&amp;`), JSON/JavaScript escapes (`\u0026`, `\/`), and one level of percent-encoding
 * (a link inside another link's query). Each returns null when there is nothing to undo,
 * so callers only pay for the encodings a window actually has.
 */

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", equals: '=', sol: '/', colon: ':', quest: '?', percnt: '%', plus: '+', num: '#',
};

export function decodeHtmlEntities(text: string): MappedText | null {
  if (!/&(?:#\d{1,7}|#x[0-9a-f]{1,6}|[a-z]{2,8});/i.test(text)) return null;
  const out = new MappedBuilder();
  const re = /&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([a-zA-Z]{2,8}));/g;
  let last = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const ch = entityChar(m[1], m[2], m[3]);
    if (ch === null) continue;
    out.copy(text, last, m.index);
    out.push(ch, m.index);
    last = m.index + m[0].length;
  }
  out.copy(text, last, text.length);
  return out.finish(text.length, 'html');
}

/**
 * The same decoding without an offset map, for hot paths that only need the text (fields of
 * Storage Analytics log lines): same entities, same result, no regex callback per entity.
 * Unknown entities stay as written.
 */
export function unescapeHtml(text: string): string {
  let amp = text.indexOf('&');
  if (amp < 0) return text;
  let out = '';
  let last = 0;
  while (amp >= 0) {
    const semi = text.indexOf(';', amp + 3);
    const ch = semi > 0 && semi - amp <= 10 ? entityOfBody(text.slice(amp + 1, semi)) : null;
    if (ch === null) {
      amp = text.indexOf('&', amp + 1);
      continue;
    }
    out += text.slice(last, amp) + ch;
    last = semi + 1;
    amp = text.indexOf('&', last);
  }
  return out + text.slice(last);
}

/** `amp` → `&`, `#59` → `;`, `#x27` → `'`; null when the body is not an entity decodeHtmlEntities knows. */
function entityOfBody(body: string): string | null {
  if (body === 'amp') return '&';
  if (body === 'quot') return '"';
  const m = /^(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([a-zA-Z]{2,8}))$/.exec(body);
  return m ? entityChar(m[1], m[2], m[3]) : null;
}

function entityChar(dec?: string, hex?: string, name?: string): string | null {
  if (dec) return safeCodePoint(parseInt(dec, 10));
  if (hex) return safeCodePoint(parseInt(hex, 16));
  return NAMED_ENTITIES[name!.toLowerCase()] ?? null;
}

function safeCodePoint(cp: number): string | null {
  return cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : null;
}

const SIMPLE_ESCAPES: Record<string, string> = { '/': '/', '"': '"', "'": "'", '\\': '\\', n: '\n', t: '\t', r: '\r', '&': '&', '=': '=' };

export function decodeJsonEscapes(text: string): MappedText | null {
  if (!/\\(?:u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|[/"'\\&=])/.test(text)) return null;
  const out = new MappedBuilder();
  const re = /\\(?:u([0-9a-fA-F]{4})|x([0-9a-fA-F]{2})|([/"'\\nrt&=]))/g;
  let last = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const hex = m[1] ?? m[2];
    const ch = hex ? String.fromCharCode(parseInt(hex, 16)) : SIMPLE_ESCAPES[m[3]!]!;
    out.copy(text, last, m.index);
    out.push(ch, m.index);
    last = m.index + m[0].length;
  }
  out.copy(text, last, text.length);
  return out.finish(text.length, 'json');
}

/**
 * Undoes one level of percent-encoding of URL delimiters only (`%26`, `%3D`, `%3F`, `%2F`,
 * `%3A`, `%25`…): enough to expose a link nested in another link's query while the nested
 * link's own encoded values (its `%2B` in `sig`, once `%252B`) come out as it had them.
 */
export function decodePercentOnce(text: string): MappedText | null {
  if (!/%(?:26|3[dDfFaA]|25|2[fF]|40|2[cC]|2[bB]|3[bB])/.test(text)) return null;
  const out = new MappedBuilder();
  const re = /%([0-9a-fA-F]{2})/g;
  let last = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const code = parseInt(m[1]!, 16);
    if (code < 0x20 || code > 0x7e) continue; // leave non-ASCII bytes encoded
    out.copy(text, last, m.index);
    out.push(String.fromCharCode(code), m.index);
    last = m.index + 3;
  }
  out.copy(text, last, text.length);
  return out.finish(text.length, 'percent');
}

/**
 * Joins string literals that code splits a long link across: Python's adjacent literals
 * (`"https://…?"` newline `"sv=…"`), `+` concatenation in JavaScript, Java or C#, and a shell
 * line continuation inside quotes. Only the quote–glue–quote is removed, so every character
 * of the link keeps its original offset.
 */
const STRING_JOIN = /(["'])[ \t]*(?:\+[ \t]*)?(?:\\?\r?\n[ \t]*(?:\+[ \t]*)?)?\1/g;

export function decodeStringJoins(text: string): MappedText | null {
  STRING_JOIN.lastIndex = 0;
  if (!STRING_JOIN.test(text)) return null;
  const out = new MappedBuilder();
  let last = 0;
  let joined = 0;
  STRING_JOIN.lastIndex = 0;
  for (let m = STRING_JOIN.exec(text); m; m = STRING_JOIN.exec(text)) {
    // an empty literal ("") is a value, not glue between two pieces of one
    if (m[0].length === 2 || !continuesLink(text, m.index, m[1]!)) continue;
    out.copy(text, last, m.index);
    last = m.index + m[0].length;
    joined++;
  }
  if (!joined) return null;
  out.copy(text, last, text.length);
  return out.finish(text.length, 'joined-strings');
}

/** The literal closed at `end` is a piece of a link or query (`https://…?`, `sv=…&`), not a word. */
function continuesLink(text: string, end: number, quote: string): boolean {
  const start = text.lastIndexOf(quote, end - 1);
  if (start < 0) return false;
  const piece = text.slice(start + 1, end);
  return piece.length > 0 && !/\s/.test(piece) && /:\/\/|[?&=]/.test(piece);
}

/** Percent-decodes a single query value the way a server does (no `+` to space). */
export function percentDecodeValue(v: string): string {
  if (!v.includes('%')) return v;
  try {
    return decodeURIComponent(v);
  } catch {
    return v.replace(/%([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
  }
}
