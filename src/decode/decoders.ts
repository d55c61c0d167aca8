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
 * Joins string literals that code splits a long link across, the way each language glues
 * them: Python's and C's adjacent literals (over several lines, comment lines between), `+`
 * in JavaScript, Java, C#, Scala or Go (before or after a line break), `.` in PHP, `&` in
 * Visual Basic (with its ` _` continuation), a shell line continuation, and the elements of
 * an array or YAML list that code joins (`"".join([...])`, `[...].join('')`). String prefixes
 * (`f"…"`, `$"…"`, `@"…"`, `r'…'`) are allowed on the next literal. A variable concatenated
 * between two literals (`"https://" + account + ".blob…"`) becomes `{account}` in the joined
 * text, as an f-string would write it: an interpolation, never a value.
 *
 * Only the quote–glue–quote is removed (or replaced by `{name}`, mapped to the name), so every
 * character of the link keeps its original offset, and its line. Pieces are joined only when
 * they read as the parts of one link: the literal before holds a link or query piece and has
 * no spaces, and the next one does not start a link of its own (`azcopy copy "SRC" "DST"`).
 * Array elements, list items and adjacent literals on one line need more: the join must fall
 * on a query boundary (`…?` or `…&` before, `&…` or `?…` after).
 */
export function decodeStringJoins(text: string): MappedText | null {
  let out: MappedBuilder | null = null;
  let last = 0;
  QUOTE_RE.lastIndex = 0;
  for (let m = QUOTE_RE.exec(text); m; m = QUOTE_RE.exec(text)) {
    const close = m.index;
    // a literal written inside a JSON string (a notebook cell's source line) has escaped quotes
    const inJson = escaped(text, close);
    if (inJson && text[close] !== '"') continue;
    const glue = glueAfter(text, close, inJson);
    if (!glue || !piecesJoin(text, close, glue, inJson)) continue;
    out ??= new MappedBuilder();
    out.copy(text, last, inJson ? close - 1 : close);
    if (glue.expr) {
      const [s, e] = glue.expr;
      out.push('{', s);
      out.copy(text, s, e);
      out.push('}', e - 1);
    }
    last = glue.open + 1;
    QUOTE_RE.lastIndex = glue.open + 1;
  }
  if (!out) return null;
  out.copy(text, last, text.length);
  return out.finish(text.length, 'joined-strings');
}

const QUOTE_RE = /["'`]/g;
/** A statement that appends to a string variable: `url += `, `$url .= `, `url &= `. */
const APPEND = /^\$?[A-Za-z_][\w$]*(?:\.[A-Za-z_][\w$]*)*\s*[+.&]=\s*/;
/** A scheme at the start of a literal: a link of its own, never the rest of the one before. */
const STARTS_LINK = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;
/** A literal that holds part of a link: a scheme, a query, or a cloud storage host. */
const LINK_PIECE = /:\/\/|[?&=]|\.core\.|amazonaws\.com|googleapis\.com/;
/** How far glue may reach (a comment line or two, indentation, one operator). */
const MAX_GLUE = 400;

interface Glue {
  /** Index of the next literal's opening quote. */
  open: number;
  /** The operators between the two literals ('' for adjacent literals). */
  ops: string;
  /** A name concatenated between the literals, [start, end). */
  expr: [number, number] | null;
  /** The glue crosses a line break. */
  multiline: boolean;
}

function isQuote(c: number): boolean {
  return c === 0x22 || c === 0x27 || c === 0x60;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

/** The character at i follows an odd number of backslashes: escaped. */
function escaped(text: string, i: number): boolean {
  let n = 0;
  while (i - n - 1 >= 0 && text.charCodeAt(i - n - 1) === 0x5c) n++;
  return n % 2 === 1;
}

function isIdentStart(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f || c === 0x24;
}

function isIdentPart(c: number): boolean {
  return isIdentStart(c) || (c >= 0x30 && c <= 0x39);
}

/** Only spaces up to the end of the line from `i`. */
function blankToEol(text: string, i: number): boolean {
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a) return true;
    if (c !== 0x20 && c !== 0x09 && c !== 0x0d) return false;
  }
  return false;
}

const PREFIX_START = new Set([...'fFrRbBuUsS$@'].map((c) => c.charCodeAt(0)));

/** The length of a string prefix (`f`, `rb`, `$`, `@`, `$@`, `s`) that directly precedes a quote at i + length, or 0. */
function prefixBeforeQuote(text: string, i: number): number {
  if (!PREFIX_START.has(text.charCodeAt(i))) return 0;
  const m = /^(?:[fFrRbBuUsS]{1,2}|\$@?|@\$?)\\?["'`]/.exec(text.slice(i, i + 4));
  return m ? m[0].length - 1 : 0;
}

/**
 * What follows a quote at `close` up to the next literal's opening quote, when it is glue:
 * whitespace, line breaks and continuations, comments, at most one operator — or a name
 * between two copies of one operator. Null when anything else comes first.
 */
function glueAfter(text: string, close: number, inJson: boolean): Glue | null {
  const limit = Math.min(text.length, close + MAX_GLUE);
  let ops = '';
  let expr: [number, number] | null = null;
  let lineStart = false;
  let multiline = false;
  // inside a JSON array of source lines (a notebook cell): where the last `\n` escape ended a line
  let jsonLine = false;
  let lineBegins = -1;
  // `url = "…";` then `url += "…"` on a following line: the statement must continue with `+=`
  let statementEnd = false;
  let i = close + 1;
  while (i < limit) {
    const c = text.charCodeAt(i);
    const next = text.charCodeAt(i + 1);
    if (c === 0x20 || c === 0x09 || c === 0x0d) {
      i++;
    } else if (c === 0x0a) {
      lineStart = true;
      multiline = true;
      i++;
    } else if (c === 0x5c && (next === 0x6e || next === 0x72)) {
      lineStart = jsonLine = multiline = true; // a `\n` escape: a source line of a cell ends
      i += 2;
    } else if (c === 0x5c && next === 0x22 && inJson) {
      return validGlue(ops, expr) ? { open: i + 1, ops, expr, multiline } : null;
    } else if (c === 0x22 && jsonLine && !escaped(text, i)) {
      const boundary = /^"\s*,\s*"/.exec(text.slice(i, i + 64)); // `",` then the next source line's `"`
      if (!boundary) return null;
      i += boundary[0].length;
      lineBegins = i;
    } else if (c === 0x5c && blankToEol(text, i + 1)) {
      i++; // shell, Ruby, C: a backslash continues the line
    } else if (c === 0x5f && blankToEol(text, i + 1) && !lineStart) {
      i++; // Visual Basic: ` _` continues the line
    } else if ((c === 0x23 || (c === 0x2f && next === 0x2f)) && i > close + 1 && (isSpace(text.charCodeAt(i - 1)) || i === lineBegins)) {
      // a comment (after a space: `"…"//x` is not glue) runs to the end of its line, or of its cell line
      const end = commentEnd(text, i, limit, jsonLine || inJson);
      if (end < 0) return null;
      i = end;
    } else if (c === 0x2f && next === 0x2a) {
      const end = text.slice(i + 2, limit).indexOf('*/');
      if (end < 0) return null;
      i = i + 2 + end + 2;
    } else if (c === 0x3b && !ops && !expr && !multiline && !statementEnd) {
      statementEnd = true;
      i++;
    } else if (isIdentStart(c) && lineStart && !ops && !expr && APPEND.test(text.slice(i, i + 80))) {
      i += APPEND.exec(text.slice(i, i + 80))![0].length; // `url += "…"`, PHP `$url .= '…'`, VB `url &= "…"`
      ops = '+';
      statementEnd = false;
      lineStart = false;
    } else if (statementEnd && !isSpace(c) && c !== 0x23 && c !== 0x2f) {
      return null; // a new statement that does not append to the string
    } else if (c === 0x2b || c === 0x2e || c === 0x26 || c === 0x2c) {
      if (ops.length >= (expr ? 2 : 1)) return null;
      ops += text[i];
      lineStart = false;
      i++;
    } else if (c === 0x2d && lineStart && !ops && !expr && text.charCodeAt(i + 1) === 0x20) {
      ops = '-'; // a YAML list item
      lineStart = false;
      i++;
    } else if (isQuote(c) && !escaped(text, i) && !(inJson && c === 0x22)) {
      if (statementEnd) return null;
      return validGlue(ops, expr) ? { open: i, ops, expr, multiline } : null;
    } else if (prefixBeforeQuote(text, i)) {
      const open = i + prefixBeforeQuote(text, i);
      if ((text[open - 1] === '\\') !== (inJson && text[open] === '"')) return null; // escaped in a JSON string, and only there
      return validGlue(ops, expr) ? { open, ops, expr, multiline } : null;
    } else if (isIdentStart(c) && ops.length === 1 && !expr && '+.&'.includes(ops)) {
      const end = nameEnd(text, i, limit);
      if (end < 0) return null;
      expr = [i, end];
      lineStart = false;
      i = end;
    } else {
      return null;
    }
  }
  return null;
}

/** Where a comment that starts at i ends before `limit`: its line break (or `\n` escape, in a JSON string), or -1. */
function commentEnd(text: string, i: number, limit: number, escapes: boolean): number {
  for (let j = i; j < limit; j++) {
    const c = text.charCodeAt(j);
    if (c === 0x0a || (escapes && c === 0x5c && text.charCodeAt(j + 1) === 0x6e)) return j;
  }
  return -1;
}

/** One operator (or none) between literals; around a name, the same concatenation operator twice. */
function validGlue(ops: string, expr: [number, number] | null): boolean {
  if (expr) return ops.length === 2 && ops[0] === ops[1];
  return ops.length <= 1;
}

/** The end of a name (`account`, `cfg.account`, `$this->account`, `getAccount()`), or -1. */
function nameEnd(text: string, i: number, limit: number): number {
  let j = i;
  for (;;) {
    while (j < limit && isIdentPart(text.charCodeAt(j))) j++;
    if (text[j] === '.' && isIdentStart(text.charCodeAt(j + 1))) j++;
    else if (text.startsWith('->', j) && isIdentStart(text.charCodeAt(j + 2))) j += 2;
    else break;
  }
  if (text.startsWith('()', j)) j += 2;
  return j > i && j <= limit ? j : -1;
}

/**
 * The literal closed at `close` and the one opened at `glue.open` are two pieces of one link:
 * the first holds a piece of a link (`https://…`, `sv=…&`, a storage host; `.blob…/` or `/`
 * when a variable follows) and no spaces; the second is not empty and does not start a link
 * of its own. Array elements, list items and adjacent literals on one line must meet at a
 * query boundary.
 */
function piecesJoin(text: string, close: number, glue: Glue, inJson: boolean): boolean {
  const start = text.lastIndexOf(text[close]!, close - (inJson ? 2 : 1));
  if (start < 0) return false;
  const before = text.slice(start + 1, inJson ? close - 1 : close);
  // a piece of a link (`https://…`, `…?`, `sv=…&`, a storage host), or of a URL built around a variable (`.blob…/`, `/`)
  if (!before || /\s/.test(before) || !(LINK_PIECE.test(before) || (glue.expr && /[./]/.test(before)))) return false;
  const after = text.slice(glue.open + 1, glue.open + 1 + 64);
  const q = text[glue.open]!;
  if (!after || after[0] === q || after.startsWith('\\"') || /^\s/.test(after) || STARTS_LINK.test(after)) return false;
  // array elements, list items, and adjacent literals on one line (two shell or Markdown arguments, unless they meet in a query)
  if (glue.ops === ',' || glue.ops === '-' || (glue.ops === '' && !glue.multiline)) return /[?&]$/.test(before) || /^[?&]/.test(after);
  return true;
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
