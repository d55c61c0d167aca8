/**
 * Jupyter notebooks: the secrets live in cell sources and text outputs; the bulk is Base64
 * image outputs, which are never secrets and drown other scanners in false positives.
 * We blank those payloads in place (same length, so every offset, line and column of the
 * .ipynb stays exact) and record where each cell starts so findings can name their cell.
 */
export interface NotebookView {
  /** The notebook text with binary payloads replaced by spaces. */
  text: string;
  /** [start, end) offsets of each element of the top-level "cells" array. */
  cells: [number, number][];
  /** Bytes blanked. */
  masked: number;
}

const BINARY_MIME = /^(?:image\/(?!svg)[\w.+-]+|application\/(?:pdf|octet-stream|vnd\.[\w.+-]*(?:zip|binary)[\w.+-]*))$/i;

export function isNotebookPath(path: string): boolean {
  return path.length >= 6 && path.slice(-6).toLowerCase() === '.ipynb';
}

/** Returns null when the text is not a JSON notebook (it is then scanned as plain text). */
export function readNotebook(text: string): NotebookView | null {
  if (!/^\s*\{/.test(text)) return null;
  const walker = new JsonWalker(text);
  try {
    walker.walk();
  } catch {
    return null;
  }
  if (!walker.sawCells) return null;
  let masked = 0;
  let out = text;
  if (walker.binarySpans.length) {
    const parts: string[] = [];
    let last = 0;
    for (const [s, e] of walker.binarySpans) {
      parts.push(text.slice(last, s), ' '.repeat(e - s));
      masked += e - s;
      last = e;
    }
    parts.push(text.slice(last));
    out = parts.join('');
  }
  return { text: out, cells: walker.cells, masked };
}

/** Index of the cell containing an offset, or undefined. */
export function cellAt(cells: readonly [number, number][], offset: number): number | undefined {
  let lo = 0;
  let hi = cells.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [s, e] = cells[mid]!;
    if (offset < s) hi = mid - 1;
    else if (offset >= e) lo = mid + 1;
    else return mid;
  }
  return undefined;
}

/**
 * Where a value sits: how deep, the top-level key above it and its own key — all the walker
 * needs (copying the whole key path for every value made deep nesting quadratic).
 */
interface Where {
  depth: number;
  top: string | null;
  key: string | null;
}

/**
 * A minimal JSON walker that tracks where each value sits: enough to find the top-level
 * `cells` array elements and the string values under binary MIME keys in outputs' `data`.
 * Linear in the document: every search moves forward only.
 */
class JsonWalker {
  i = 0;
  cells: [number, number][] = [];
  binarySpans: [number, number][] = [];
  sawCells = false;
  /** Where the next `;base64,` is (searched again only once the walk has passed it). */
  private nextDataUri = -2;

  constructor(private readonly s: string) {}

  walk(): void {
    this.ws();
    this.value({ depth: 0, top: null, key: null });
  }

  private value(at: Where): void {
    this.ws();
    const c = this.s[this.i];
    if (c === '{') this.object(at);
    else if (c === '[') this.array(at);
    else if (c === '"') this.string(at);
    else this.literal();
  }

  private object(at: Where): void {
    this.i++;
    this.ws();
    if (this.s[this.i] === '}') {
      this.i++;
      return;
    }
    for (;;) {
      this.ws();
      const keyStart = this.i;
      this.skipString();
      const key = JSON.parse(this.s.slice(keyStart, this.i)) as string;
      this.ws();
      this.expect(':');
      this.value({ depth: at.depth + 1, top: at.depth === 0 ? key : at.top, key });
      this.ws();
      if (this.s[this.i] === ',') {
        this.i++;
        continue;
      }
      this.expect('}');
      return;
    }
  }

  private array(at: Where): void {
    this.i++;
    const isCells = at.depth === 1 && at.top === 'cells';
    if (isCells) this.sawCells = true;
    this.ws();
    if (this.s[this.i] === ']') {
      this.i++;
      return;
    }
    for (;;) {
      this.ws();
      const start = this.i;
      this.value(at);
      if (isCells) this.cells.push([start, this.i]);
      this.ws();
      if (this.s[this.i] === ',') {
        this.i++;
        continue;
      }
      this.expect(']');
      return;
    }
  }

  private string(at: Where): void {
    const start = this.i;
    this.skipString();
    const key = at.key;
    if (key && BINARY_MIME.test(key) && this.i - start > 2) this.binarySpans.push([start + 1, this.i - 1]);
    else this.dataUris(start + 1, this.i - 1);
  }

  /** The first `;base64,` at or after `from`: a search past the string being read is kept for the strings after it. */
  private dataUriFrom(from: number): number {
    if (this.nextDataUri !== -1 && this.nextDataUri < from) this.nextDataUri = this.s.indexOf(';base64,', from);
    return this.nextDataUri;
  }

  /** Images inlined as data URIs in HTML outputs and Markdown sources are binary too. */
  private dataUris(from: number, to: number): void {
    const s = this.s;
    for (let at = this.dataUriFrom(from); at >= 0 && at < to; at = this.dataUriFrom(at + 8)) {
      const mime = /data:([\w.+-]+\/[\w.+-]+)$/.exec(s.slice(Math.max(from, at - 80), at));
      if (!mime || !BINARY_MIME.test(mime[1]!)) continue;
      let end = at + 8;
      while (end < to && isBase64Char(s.charCodeAt(end))) end++;
      if (end - (at + 8) > 16) this.binarySpans.push([at + 8, end]);
    }
  }

  private skipString(): void {
    this.expect('"');
    const s = this.s;
    for (;;) {
      const q = s.indexOf('"', this.i);
      if (q < 0) throw new Error('unterminated string');
      let bs = 0;
      for (let k = q - 1; k >= this.i && s[k] === '\\'; k--) bs++;
      this.i = q + 1;
      if (bs % 2 === 0) return;
    }
  }

  private literal(): void {
    const m = /^(?:-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(this.s.slice(this.i, this.i + 64));
    if (!m) throw new Error(`unexpected character at ${this.i}`);
    this.i += m[0].length;
  }

  private ws(): void {
    const s = this.s;
    let i = this.i;
    // JSON's whitespace: space, tab, line feed, carriage return
    for (let c = s.charCodeAt(i); c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09; c = s.charCodeAt(++i));
    this.i = i;
  }

  private expect(ch: string): void {
    if (this.s[this.i] !== ch) throw new Error(`expected ${ch} at ${this.i}`);
    this.i++;
  }
}

function isBase64Char(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2f || c === 0x3d;
}
