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
  return /\.ipynb$/i.test(path);
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
 * A minimal JSON walker that tracks the key path: enough to find the top-level `cells`
 * array elements and the string values under binary MIME keys in outputs' `data`.
 */
class JsonWalker {
  i = 0;
  cells: [number, number][] = [];
  binarySpans: [number, number][] = [];
  sawCells = false;

  constructor(private readonly s: string) {}

  walk(): void {
    this.ws();
    this.value([]);
  }

  private value(path: string[]): void {
    this.ws();
    const c = this.s[this.i];
    if (c === '{') this.object(path);
    else if (c === '[') this.array(path);
    else if (c === '"') this.string(path);
    else this.literal();
  }

  private object(path: string[]): void {
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
      this.value([...path, key]);
      this.ws();
      if (this.s[this.i] === ',') {
        this.i++;
        continue;
      }
      this.expect('}');
      return;
    }
  }

  private array(path: string[]): void {
    this.i++;
    const isCells = path.length === 1 && path[0] === 'cells';
    if (isCells) this.sawCells = true;
    this.ws();
    if (this.s[this.i] === ']') {
      this.i++;
      return;
    }
    for (;;) {
      this.ws();
      const start = this.i;
      this.value(path);
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

  private string(path: string[]): void {
    const start = this.i;
    this.skipString();
    const key = path[path.length - 1];
    if (key && BINARY_MIME.test(key) && this.i - start > 2) this.binarySpans.push([start + 1, this.i - 1]);
    else this.dataUris(start + 1, this.i - 1);
  }

  /** Images inlined as data URIs in HTML outputs and Markdown sources are binary too. */
  private dataUris(from: number, to: number): void {
    const s = this.s;
    for (let at = s.indexOf(';base64,', from); at >= 0 && at < to; at = s.indexOf(';base64,', at + 8)) {
      const mime = /data:([\w.+-]+\/[\w.+-]+)$/.exec(s.slice(Math.max(from, at - 80), at));
      if (!mime || !BINARY_MIME.test(mime[1]!)) continue;
      let end = at + 8;
      while (end < to && /[A-Za-z0-9+/=]/.test(s[end]!)) end++;
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
    while (this.i < this.s.length && /\s/.test(this.s[this.i]!)) this.i++;
  }

  private expect(ch: string): void {
    if (this.s[this.i] !== ch) throw new Error(`expected ${ch} at ${this.i}`);
    this.i++;
  }
}
