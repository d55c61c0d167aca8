/**
 * CSV as Log Analytics exports it (RFC 4180: `,` separated, `"` quoting with `""` for a
 * quote, quoted fields may span lines). The first record is the header; the portal suffixes
 * time columns with their zone (`TimeGenerated [UTC]`), which is stripped so rows read like
 * the table. Fed one line at a time so files of any size stream.
 */
export type CsvEvent = { line: number; row: Record<string, string> } | { line: number; error: string };

/** A quoted field longer than this is taken as a missing closing quote, not data. */
const MAX_RECORD_CHARS = 1 << 20;

export function looksLikeLogAnalyticsCsv(firstLine: string): boolean {
  return firstLine.includes(',') && /(^|,)"?TimeGenerated\b/i.test(firstLine);
}

export class CsvRows {
  private header: string[] | null = null;
  private parts: string[] = [];
  private partsChars = 0;
  private quotes = 0;
  private startLine = 0;
  /** Things the reader should know about the file (e.g. times in local time). */
  readonly warnings: string[] = [];

  /** Feeds one physical line; returns a finished row, an error, or null (header, blank line, record continues). */
  push(line: string, lineNo: number): CsvEvent | null {
    if (!this.parts.length) {
      if (line.trim() === '') return null;
      this.startLine = lineNo;
    }
    this.parts.push(line);
    this.partsChars += line.length + 1;
    this.quotes += countQuotes(line);
    if (this.quotes % 2 === 1) {
      if (this.partsChars <= MAX_RECORD_CHARS) return null;
      this.reset();
      return { line: this.startLine, error: 'quoted field not closed within 1 MiB' };
    }
    const record = this.parts.join('\n');
    this.reset();
    return this.finish(record);
  }

  /** Call at end of input: reports a record left open by a missing quote. */
  end(): CsvEvent | null {
    if (!this.parts.length) return null;
    const line = this.startLine;
    this.reset();
    return { line, error: 'quoted field not closed at end of file' };
  }

  private finish(record: string): CsvEvent | null {
    const fields = splitCsvRecord(record);
    if (!Array.isArray(fields)) return { line: this.startLine, error: fields.error };
    if (!this.header) {
      this.header = fields.map((h, i) => normaliseColumn(h, i === 0));
      if (fields.some((h) => /\[local/i.test(h))) this.warnings.push('time columns are in local time; they were read as UTC');
      return null;
    }
    if (fields.length !== this.header.length) {
      return { line: this.startLine, error: `${fields.length} fields where the header has ${this.header.length}` };
    }
    const row: Record<string, string> = {};
    for (let i = 0; i < fields.length; i++) row[this.header[i]!] = fields[i]!;
    return { line: this.startLine, row };
  }

  private reset(): void {
    this.parts = [];
    this.partsChars = 0;
    this.quotes = 0;
  }
}

export function splitCsvRecord(record: string): string[] | { error: string } {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    if (record.charCodeAt(i) === 34 /* " */) {
      let value = '';
      let j = i + 1;
      for (;;) {
        const q = record.indexOf('"', j);
        if (q < 0) return { error: `field ${fields.length + 1}: quoted field is not closed` };
        value += record.slice(j, q);
        if (record.charCodeAt(q + 1) === 34) {
          value += '"';
          j = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
      fields.push(value);
      if (i >= record.length) return fields;
      if (record.charCodeAt(i) !== 44 /* , */) return { error: `field ${fields.length}: text after the closing quote` };
      i++;
    } else {
      const comma = record.indexOf(',', i);
      if (comma < 0) {
        fields.push(record.slice(i).replace(/\r$/, ''));
        return fields;
      }
      fields.push(record.slice(i, comma));
      i = comma + 1;
    }
  }
}

/** `\uFEFFTimeGenerated [UTC]` → `TimeGenerated`. */
function normaliseColumn(name: string, first: boolean): string {
  const n = first ? name.replace(/^\uFEFF/, '') : name;
  return n.replace(/\s*\[[^\]]*\]\s*$/, '').trim();
}

function countQuotes(line: string): number {
  let n = 0;
  for (let i = line.indexOf('"'); i >= 0; i = line.indexOf('"', i + 1)) n++;
  return n;
}
