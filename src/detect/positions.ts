/**
 * Turns byte offsets in a latin1 view of UTF-8 text into 1-based lines and columns, where
 * a column counts characters (UTF-16 code units, as editors and SARIF viewers do).
 * Works across chunks: the tracker carries the line number and the column at the start
 * of the next region, so a file scanned in pieces gets the same positions as a whole one.
 */
export interface Position {
  line: number;
  column: number;
}

/** Characters (UTF-16 units) encoded by the UTF-8 bytes of text[from, to). */
export function utf16Length(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const b = text.charCodeAt(i);
    if ((b & 0xc0) !== 0x80) n += b >= 0xf0 ? 2 : 1;
  }
  return n;
}

export class PositionTracker {
  /** 1-based line at the start of the current region. */
  private line = 1;
  /** Characters between the start of that line and the start of the current region. */
  private column0 = 0;

  /**
   * Positions of the given offsets (all ≥ regionStart, any order) in `text`, whose region
   * of responsibility starts at regionStart. Returns them in the order given.
   */
  locate(text: string, regionStart: number, offsets: readonly number[]): Position[] {
    const order = offsets.map((o, i) => [o, i] as const).sort((a, b) => a[0] - b[0]);
    const result: Position[] = new Array(offsets.length);
    let line = this.line;
    let cursor = regionStart;
    // the column is carried along the line (offsets come in order): a long line holding many
    // matches is measured once, not once per match
    let columnAt = regionStart;
    let column = this.column0;
    for (const [offset, idx] of order) {
      for (let nl = text.indexOf('\n', cursor); nl !== -1 && nl < offset; nl = text.indexOf('\n', nl + 1)) {
        line++;
        cursor = nl + 1;
        columnAt = nl + 1;
        column = 0;
      }
      const to = Math.min(offset, text.length);
      cursor = Math.max(cursor, to);
      if (to > columnAt) {
        column += utf16Length(text, columnAt, to);
        columnAt = to;
      }
      result[idx] = { line, column: column + 1 };
    }
    return result;
  }

  /** Lines started and the column reached so far: what a region scanned alone adds to the ones before it. */
  get progress(): { newlines: number; column: number } {
    return { newlines: this.line - 1, column: this.column0 };
  }

  /** A byte-order mark at the start is not a character anyone sees: `units` is what its bytes would count for (1 for UTF-8's). */
  skipByteOrderMark(units = 1): void {
    this.column0 = -units;
  }

  /** Moves past a region [regionStart, regionEnd) of `bytes` (UTF-8), without a string of it. */
  advanceBytes(bytes: Buffer, regionStart: number, regionEnd: number): void {
    let lastNl = -1;
    for (let nl = bytes.indexOf(10, regionStart); nl !== -1 && nl < regionEnd; nl = bytes.indexOf(10, nl + 1)) {
      this.line++;
      lastNl = nl;
    }
    const from = lastNl < 0 ? regionStart : lastNl + 1;
    let n = 0;
    for (let i = from; i < regionEnd; i++) {
      const b = bytes[i]!;
      if ((b & 0xc0) !== 0x80) n += b >= 0xf0 ? 2 : 1;
    }
    this.column0 = lastNl < 0 ? this.column0 + n : n;
  }

  /** Moves past a region [regionStart, regionEnd) of `text`. */
  advance(text: string, regionStart: number, regionEnd: number): void {
    let lastNl = -1;
    for (let nl = text.indexOf('\n', regionStart); nl !== -1 && nl < regionEnd; nl = text.indexOf('\n', nl + 1)) {
      this.line++;
      lastNl = nl;
    }
    this.column0 = lastNl < 0 ? this.column0 + utf16Length(text, regionStart, regionEnd) : utf16Length(text, lastNl + 1, regionEnd);
  }
}

/**
 * Puts the positions of a region scanned on its own (lines from 1, columns from its start)
 * after the regions before it: a large file's regions are scanned in parallel, in any order,
 * and placed in file order.
 */
export class RegionPlacer {
  private line = 1;
  private column0 = 0;

  place<T extends { line: number; column: number; endLine: number; endColumn: number }>(matches: T[], progress: { newlines: number; column: number }): T[] {
    for (const m of matches) {
      if (m.line === 1) m.column += this.column0;
      if (m.endLine === 1) m.endColumn += this.column0;
      m.line += this.line - 1;
      m.endLine += this.line - 1;
    }
    this.line += progress.newlines;
    this.column0 = progress.newlines ? progress.column : this.column0 + progress.column;
    return matches;
  }
}
