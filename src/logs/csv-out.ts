import { randomBytes } from 'node:crypto';
import { createWriteStream, realpathSync, renameSync, rmSync, statSync, type WriteStream } from 'node:fs';
import nodePath from 'node:path';
import { once } from 'node:events';
import { redactQueryParam } from '../analyze/redact.js';
import type { FailureKind, OperationClass } from './classify.js';
import type { MatchMethod } from './match.js';
import { sasParamsOfUrl, signingKeyOf } from './match.js';
import { judgeSignature } from '../analyze/sas/signature.js';
import type { LogRecord } from './record.js';

/**
 * The matched rows as CSV, written while the logs are read (never held in memory).
 * Cells that a spreadsheet would run as a formula (`=`, `+`, `-`, `@` first) are prefixed
 * with `'`: user agents and URLs are chosen by whoever used the link.
 */
export const MATCH_CSV_COLUMNS = [
  'time', 'source', 'line', 'format', 'match', 'sasquatch_probe', 'window', 'service', 'account', 'operation', 'class',
  'http_status', 'status', 'failure', 'caller_ip', 'user_agent', 'client_request_id', 'referrer', 'object',
  'request_bytes', 'response_bytes', 'signing_key', 'request_id', 'url',
] as const;

export interface MatchedRow {
  record: LogRecord;
  source: string;
  line: number;
  method: MatchMethod;
  probe: boolean;
  window: 'before' | 'inside' | 'after' | '';
  cls: OperationClass;
  failure: FailureKind | null;
}

const FLUSH_AT = 1 << 16;

export class MatchCsv {
  private buffered: string[] = [];
  private bufferedChars = 0;
  rows = 0;

  private constructor(
    private readonly out: WriteStream,
    private readonly showSecrets: boolean,
    private readonly tmp: string | null,
    private readonly target: string,
  ) {}

  /**
   * Rows go to a temporary file next to `path`, renamed over it by close(): a run that fails
   * half-way leaves no half-written CSV (discard() removes the temporary file).
   */
  static async open(path: string, showSecrets: boolean): Promise<MatchCsv> {
    if (!isRegularOrMissing(path)) {
      // a device or a pipe (/dev/stdout): written in place
      const out = createWriteStream(path);
      await once(out, 'open');
      const csv = new MatchCsv(out, showSecrets, null, path);
      csv.push(MATCH_CSV_COLUMNS.join(','));
      return csv;
    }
    const target = realTarget(path);
    const tmp = nodePath.join(nodePath.dirname(target), `.${nodePath.basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    const out = createWriteStream(tmp, { flags: 'wx' });
    await once(out, 'open');
    const csv = new MatchCsv(out, showSecrets, tmp, target);
    csv.push(MATCH_CSV_COLUMNS.join(','));
    return csv;
  }

  /** Buffers one row; true when the buffer should be flushed. */
  add(row: MatchedRow): boolean {
    const r = row.record;
    const cells: (string | number)[] = [
      new Date(r.time).toISOString(), row.source, row.line, r.format, row.method, row.probe ? 'yes' : 'no', row.window,
      r.service, r.account, r.operation, row.cls, r.httpStatus ?? '', r.statusText, row.failure ?? '', r.callerIp, r.userAgent,
      r.clientRequestId, r.referrer, r.objectKey, r.requestBytes, r.responseBytes, signingKeyOf(r.authHash) ?? '', r.requestId,
      this.showSecrets ? r.url : redactLoggedSig(r.url),
    ];
    this.rows++;
    this.push(cells.map(csvCell).join(','));
    return this.bufferedChars >= FLUSH_AT;
  }

  async close(): Promise<void> {
    await this.flush();
    this.out.end();
    await once(this.out, 'finish');
    if (this.tmp) renameSync(this.tmp, this.target);
  }

  async discard(): Promise<void> {
    this.out.destroy();
    if (this.tmp) rmSync(this.tmp, { force: true });
  }

  private push(line: string): void {
    this.buffered.push(line);
    this.bufferedChars += line.length + 2;
  }

  async flush(): Promise<void> {
    if (!this.buffered.length) return;
    const text = `${this.buffered.join('\r\n')}\r\n`;
    this.buffered = [];
    this.bufferedChars = 0;
    if (!this.out.write(text)) await once(this.out, 'drain');
  }
}

function realTarget(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return nodePath.resolve(path);
  }
}

function isRegularOrMissing(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return true;
  }
}

/** Redacts a signature left in a logged URL; a log's own mask (`sig=XXXXX`) is shown as logged. */
function redactLoggedSig(url: string): string {
  const params = sasParamsOfUrl(url);
  const sig = params?.get('sig');
  if (sig === undefined || judgeSignature(sig) === 'placeholder') return url;
  return redactQueryParam(url, 'sig');
}

export function csvCell(value: string | number): string {
  if (typeof value === 'number') return String(value);
  let v = value;
  if (/^[=+\-@\t\r]/.test(v)) v = `'${v}`;
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}
