/**
 * JSON log files come three ways: JSON lines (what diagnostic settings write to
 * `insights-logs-*`: one record per line), a root array (Log Analytics / `az monitor
 * log-analytics query` exports, often pretty-printed), or `{"records": [ … ]}` (Event Hubs
 * and older archives). Lines are parsed on their own so one broken line costs one record;
 * arrays are split into elements by a small scanner so a file of any size streams.
 */
export type JsonElement = { line: number; text: string } | { line: number; error: string };

/** An element bigger than this is reported, not buffered. */
const MAX_ELEMENT_CHARS = 1 << 20;

/**
 * Which reader suits the file, from its first non-blank line: an array or a `records`
 * wrapper opened on its own line needs the element scanner; anything else is JSON lines.
 */
export function jsonLayout(firstLine: string): 'lines' | 'array' {
  const t = firstLine.trim();
  if (t.startsWith('[')) return 'array';
  if (/^\{\s*(?:"records"\s*(?::\s*(?:\[.*)?)?)?$/.test(t) && !isCompleteJson(t)) return 'array';
  return 'lines';
}

function isCompleteJson(t: string): boolean {
  try {
    JSON.parse(t);
    return true;
  } catch {
    return false;
  }
}

/** Values of one JSON line: the object itself, or the elements of its `records` array. */
export function valuesOfJsonLine(line: string): unknown[] | { error: string } {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch (e) {
    return { error: `not valid JSON (${(e as Error).message.replace(/^Unexpected/, 'unexpected').slice(0, 80)})` };
  }
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    const records = (v as Record<string, unknown>)['records'];
    if (Array.isArray(records) && !('time' in v) && !('TimeGenerated' in v)) return records;
  }
  return Array.isArray(v) ? v : [v];
}

/** `dead`: the file is not an array after all; the first error said so, the rest is ignored. */
type State = 'start' | 'prefix' | 'between' | 'element' | 'after' | 'dead';

export class JsonArrayElements {
  private state: State = 'start';
  private wrapper = false;
  private prefix = '';
  private parts: string[] = [];
  private chars = 0;
  private oversize = false;
  private startLine = 0;
  private depth = 0;
  private inString = false;
  private escape = false;
  private trailingReported = false;

  push(line: string, lineNo: number): JsonElement[] {
    if (this.state === 'dead') return [];
    const out: JsonElement[] = [];
    let from = -1; // where the current element starts on this line
    for (let i = 0; i < line.length; i++) {
      const c = line.charCodeAt(i);
      switch (this.state) {
        case 'start':
          if (isSpace(c)) break;
          if (c === 91 /* [ */) this.state = 'between';
          else if (c === 123 /* { */) {
            this.state = 'prefix';
            this.prefix = '{';
          } else {
            return this.die(lineNo, 'expected a JSON array or {"records": [...]}');
          }
          break;
        case 'prefix':
          if (c === 91) {
            if (!/^\{\s*"records"\s*:\s*$/.test(this.prefix)) return this.die(lineNo, 'expected {"records": [...]}');
            this.wrapper = true;
            this.state = 'between';
          } else if (this.prefix.length > 200) {
            return this.die(lineNo, 'expected {"records": [...]}');
          } else this.prefix += line[i];
          break;
        case 'between':
          if (isSpace(c) || c === 44 /* , */) break;
          if (c === 93 /* ] */) {
            this.state = 'after';
            break;
          }
          this.state = 'element';
          this.startLine = lineNo;
          this.depth = 0;
          from = i;
          from = this.elementChar(c, line, i, from, out);
          break;
        case 'element':
          from = this.elementChar(c, line, i, from < 0 ? i : from, out);
          break;
        case 'after':
          if (isSpace(c)) break;
          if (c === 125 /* } */ && this.wrapper) {
            this.wrapper = false;
            break;
          }
          if (!this.trailingReported) {
            this.trailingReported = true;
            out.push({ line: lineNo, error: 'text after the end of the JSON array' });
          }
          break;
      }
    }
    if (this.state === 'element' && from >= 0) this.take(line.slice(from));
    if (this.state === 'element') this.take('\n');
    return out;
  }

  end(lineNo: number): JsonElement[] {
    if (this.state === 'element') return [{ line: this.startLine, error: 'JSON array element not closed at end of file' }];
    if (this.state === 'between' || this.state === 'prefix') return [{ line: lineNo, error: 'JSON array not closed at end of file' }];
    return [];
  }

  private die(lineNo: number, error: string): JsonElement[] {
    this.state = 'dead';
    return [{ line: lineNo, error }];
  }

  /** One character inside an element; returns where the open element starts on this line (-1 once it ended). */
  private elementChar(c: number, line: string, i: number, from: number, out: JsonElement[]): number {
    const ended = this.step(c);
    if (ended === null) return from;
    this.take(line.slice(from, ended === 'include' ? i + 1 : i));
    out.push(this.finishElement());
    this.state = c === 93 && ended === 'exclude' ? 'after' : 'between';
    return -1;
  }

  /** Advances the scanner by one character of an element; says whether the element ended. */
  private step(c: number): 'include' | 'exclude' | null {
    if (this.inString) {
      if (this.escape) this.escape = false;
      else if (c === 92 /* \ */) this.escape = true;
      else if (c === 34 /* " */) {
        this.inString = false;
        if (this.depth === 0) return 'include';
      }
      return null;
    }
    if (c === 34) this.inString = true;
    else if (c === 123 || c === 91) this.depth++;
    else if (c === 125 || c === 93) {
      if (this.depth === 0) return 'exclude'; // `]` closing the array after a bare scalar
      this.depth--;
      if (this.depth === 0) return 'include';
    } else if (c === 44 && this.depth === 0) return 'exclude';
    return null;
  }

  private take(s: string): void {
    if (this.oversize) return;
    this.chars += s.length;
    if (this.chars > MAX_ELEMENT_CHARS) {
      this.oversize = true;
      this.parts = [];
    } else this.parts.push(s);
  }

  private finishElement(): JsonElement {
    const line = this.startLine;
    const oversize = this.oversize;
    const text = this.parts.join('');
    this.parts = [];
    this.chars = 0;
    this.oversize = false;
    this.inString = false;
    this.escape = false;
    if (oversize) return { line, error: 'JSON array element larger than 1 MiB' };
    return { line, text };
  }
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 0xfeff;
}
