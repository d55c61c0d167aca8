import { pipeline, Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { redactValue } from '../analyze/redact.js';
import { looksClassic, parseClassicLine } from './classic.js';
import { CsvRows, looksLikeLogAnalyticsCsv, type CsvEvent } from './csv.js';
import { JsonArrayElements, jsonLayout, valuesOfJsonLine, type JsonElement } from './json.js';
import { splitLines } from './lines.js';
import { recordFromObject } from './monitor.js';
import { isMalformed, type LogRecord, type Malformed } from './record.js';

/** Something that can be read as a log file: a local file or a blob in a container. */
export interface LogSource {
  /** How the source is named in reports (never carries a SAS). */
  name: string;
  /** Stored size in bytes when known (compressed size for .gz). */
  size: number | null;
  open(): Promise<Readable>;
}

export type FileLayout = 'classic' | 'json-lines' | 'json-array' | 'csv';

export interface SourceStats {
  name: string;
  layout: FileLayout | null;
  gzip: boolean;
  /** Bytes read from storage (compressed bytes for .gz). */
  bytes: number;
  lines: number;
  records: number;
  malformed: number;
  /** Why the file was skipped or read only in part. */
  warnings: string[];
}

export type ReadEvent =
  | { kind: 'record'; record: LogRecord; line: number }
  | { kind: 'malformed'; line: number; error: string; text: string };

/**
 * Streams one source: gunzips when the bytes say gzip (not the name), recognises the
 * layout from the first non-blank line, and yields records and malformed lines with their
 * line numbers, in batches (one per chunk read). Read errors end the source with a
 * warning; they never end the run.
 */
export async function* readLogSource(source: LogSource, stats: SourceStats): AsyncGenerator<ReadEvent[]> {
  let raw: Readable;
  try {
    raw = await source.open();
  } catch (e) {
    stats.warnings.push(`cannot read: ${errorText(e)}`);
    return;
  }
  const it = (raw as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  let first: IteratorResult<Buffer>;
  try {
    first = await it.next();
  } catch (e) {
    stats.warnings.push(`cannot read: ${errorText(e)}`);
    return;
  }
  if (first.done) return;
  stats.gzip = first.value[0] === 0x1f && first.value[1] === 0x8b;
  const counted = Readable.from(countBytes(first.value, it, stats));
  const decoded = stats.gzip ? pipeline(counted, createGunzip(), () => {}) : counted;
  try {
    yield* parseLines(decoded, source.name, stats);
  } catch (e) {
    stats.warnings.push(`stopped after line ${stats.lines}: ${errorText(e)}`);
  } finally {
    decoded.destroy();
    raw.destroy();
  }
}

async function* countBytes(first: Buffer, rest: AsyncIterator<Buffer>, stats: SourceStats): AsyncGenerator<Buffer> {
  stats.bytes += first.length;
  yield first;
  for (let r = await rest.next(); !r.done; r = await rest.next()) {
    stats.bytes += r.value.length;
    yield r.value;
  }
}

const SKIPPED = 'not a storage log (neither Storage Analytics, Azure Monitor JSON nor a Log Analytics CSV export): skipped';

async function* parseLines(input: Readable, name: string, stats: SourceStats): AsyncGenerator<ReadEvent[]> {
  let parse: LineParser | null = null;
  let lineNo = 0;
  for await (const batch of splitLines(input)) {
    const out: ReadEvent[] = [];
    for (const line of batch) {
      lineNo++;
      if (line === null) {
        out.push(malformed(stats, lineNo, 'line longer than 4 MiB', ''));
        continue;
      }
      const text = lineNo === 1 ? line.replace(/^\uFEFF/, '') : line;
      if (!parse) {
        if (text.trim() === '') continue;
        const layout = layoutOf(text, name);
        if (!layout) {
          stats.lines = lineNo;
          stats.warnings.push(SKIPPED);
          return;
        }
        stats.layout = layout;
        parse = lineParser(layout);
      }
      parse.line(text, lineNo, stats, out);
    }
    stats.lines = lineNo;
    if (out.length) yield out;
  }
  if (parse) {
    const out: ReadEvent[] = [];
    parse.end(lineNo, stats, out);
    if (out.length) yield out;
    for (const w of parse.warnings()) stats.warnings.push(w);
    if (stats.records === 0 && stats.malformed > 0) stats.warnings.push(`not a storage log: none of its ${stats.malformed} non-blank lines parsed as ${LAYOUT_NAMES[stats.layout!]} records`);
  }
}

const LAYOUT_NAMES: Record<FileLayout, string> = {
  classic: 'Storage Analytics ($logs)',
  'json-lines': 'Azure Monitor (JSON lines)',
  'json-array': 'Azure Monitor / Log Analytics (JSON array)',
  csv: 'Log Analytics CSV',
};

/** What `logs` reads, for messages about what it did not. */
export const EXPECTED_LOGS = 'Storage Analytics ($logs) 1.0/2.0 lines, Azure Monitor resource logs (StorageBlobLogs/Queue/Table/File, JSON lines), or a Log Analytics CSV/JSON export';

function layoutOf(firstLine: string, name: string): FileLayout | null {
  const t = firstLine.trimStart();
  if (looksClassic(t)) return 'classic';
  if (t.startsWith('{') || t.startsWith('[')) return jsonLayout(t) === 'array' ? 'json-array' : 'json-lines';
  if (looksLikeLogAnalyticsCsv(t)) return 'csv';
  // a $logs blob whose first line is damaged is still a classic log
  if (/\.log(?:\.gz)?$/i.test(name)) return 'classic';
  return null;
}

/** Turns the lines of one layout into events, appended to `out`. */
interface LineParser {
  line(text: string, lineNo: number, stats: SourceStats, out: ReadEvent[]): void;
  end(lastLine: number, stats: SourceStats, out: ReadEvent[]): void;
  warnings(): string[];
}

/** Blank or whitespace only, without allocating a trimmed copy of every line. */
const isBlank = (text: string) => text.length === 0 || (text.charCodeAt(0) <= 32 && text.trim() === '');

function lineParser(layout: FileLayout): LineParser {
  switch (layout) {
    case 'classic':
      return {
        line(text, lineNo, stats, out) {
          if (!isBlank(text)) out.push(outcome(stats, lineNo, parseClassicLine(text), text));
        },
        end() {},
        warnings: () => [],
      };
    case 'json-lines':
      return {
        line(text, lineNo, stats, out) {
          if (isBlank(text)) return;
          const values = valuesOfJsonLine(text);
          if (!Array.isArray(values)) out.push(malformed(stats, lineNo, values.error, text));
          else for (const v of values) out.push(outcome(stats, lineNo, recordFromObject(v), text));
        },
        end() {},
        warnings: () => [],
      };
    case 'json-array': {
      const elements = new JsonArrayElements();
      const take = (list: JsonElement[], stats: SourceStats, out: ReadEvent[]) => {
        for (const el of list) out.push('error' in el ? malformed(stats, el.line, el.error, '') : elementEvent(stats, el.line, el.text));
      };
      return {
        line: (text, lineNo, stats, out) => take(elements.push(text, lineNo), stats, out),
        end: (lastLine, stats, out) => take(elements.end(lastLine), stats, out),
        warnings: () => [],
      };
    }
    case 'csv': {
      const rows = new CsvRows();
      const take = (ev: CsvEvent | null, stats: SourceStats, out: ReadEvent[]) => {
        if (ev) out.push('error' in ev ? malformed(stats, ev.line, ev.error, '') : outcome(stats, ev.line, recordFromObject(ev.row), ''));
      };
      return {
        line: (text, lineNo, stats, out) => take(rows.push(text, lineNo), stats, out),
        end: (_lastLine, stats, out) => take(rows.end(), stats, out),
        warnings: () => rows.warnings,
      };
    }
  }
}

function elementEvent(stats: SourceStats, line: number, text: string): ReadEvent {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return malformed(stats, line, `not valid JSON (${(e as Error).message.slice(0, 80)})`, text);
  }
  return outcome(stats, line, recordFromObject(value), text);
}

function outcome(stats: SourceStats, line: number, r: LogRecord | Malformed, text: string): ReadEvent {
  if (isMalformed(r)) return malformed(stats, line, r.error, text);
  stats.records++;
  return { kind: 'record', record: r, line };
}

function malformed(stats: SourceStats, line: number, error: string, text: string): ReadEvent {
  stats.malformed++;
  return { kind: 'malformed', line, error, text };
}

export function newSourceStats(name: string): SourceStats {
  return { name, layout: null, gzip: false, bytes: 0, lines: 0, records: 0, malformed: 0, warnings: [] };
}

function errorText(e: unknown): string {
  if (e && typeof e === 'object') {
    const o = e as { code?: string; statusCode?: number; message?: string };
    const parts = [o.statusCode, o.code].filter(Boolean).join(' ');
    const msg = (o.message ?? '').split('\n')[0]!.slice(0, 200);
    return redactSig(parts ? `${parts}${msg ? `: ${msg}` : ''}` : msg);
  }
  return redactSig(String(e));
}

/** Error texts can quote a request URL: never let its signature through. */
export function redactSig(text: string): string {
  return text.replace(/([?&;]sig=)([^&\s"';]+)/gi, (_m, key: string, value: string) => `${key}${redactValue(value)}`);
}
