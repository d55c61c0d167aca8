import { createHash } from 'node:crypto';
import { fakeSig } from './tokens.js';

/**
 * Writes storage log records the way Azure does, for tests and the benchmark — from the
 * documented layouts (shared/reference §7), independently of the parsers in src/logs/:
 * classic Storage Analytics lines (1.0: 30 fields, 2.0: 38; `;`-separated, text fields
 * quoted and HTML-encoded), Azure Monitor resource-log JSON records, and Log Analytics
 * rows (JSON objects with string values, or the portal's CSV export).
 */
export interface FakeRequest {
  /** ISO time; classic lines get seven fraction digits like the real ones. */
  time: string;
  operation: string;
  /** Classic request-status / Monitor StatusText. */
  status: string;
  http: number;
  /** Classic: sas | authenticated | anonymous. Monitor: SAS | AccountKey | OAuth | Anonymous. */
  auth: string;
  account: string;
  service?: 'blob' | 'queue' | 'table' | 'file';
  /** The request URL as sent (not encoded for the log; the writer does that). */
  url: string;
  objectKey: string;
  requestId: string;
  operationCount?: number;
  /** With port, as logged: `203.0.113.7:50123`. */
  ip: string;
  requestBytes?: number;
  responseBytes?: number;
  userAgent?: string;
  referrer?: string;
  clientRequestId?: string;
  /** Monitor only: `key1(<hex>),SasSignature(<hex>)`. */
  authHash?: string;
  sasExpiryStatus?: string;
}

/** `&`, `"`, `<`, `>` and newlines HTML-encoded, as classic logs write quoted fields. */
function htmlEncode(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\n/g, '&#10;');
}

function quoted(s: string | undefined): string {
  return s ? `"${htmlEncode(s)}"` : '';
}

/** `2023-06-20T18:00:01.123Z` → `2023-06-20T18:00:01.1230000Z` (classic logs write 100 ns ticks). */
export function ticks(iso: string): string {
  const d = new Date(iso);
  const frac = /\.(\d+)Z$/.exec(iso)?.[1] ?? String(d.getUTCMilliseconds()).padStart(3, '0');
  return `${d.toISOString().slice(0, 19)}.${frac.padEnd(7, '0').slice(0, 7)}Z`;
}

export function classicLine(r: FakeRequest, version: '1.0' | '2.0' = '1.0'): string {
  const fields = [
    version, // 1 version-number
    ticks(r.time), // 2 request-start-time
    r.operation, // 3 operation-type
    r.status, // 4 request-status
    String(r.http), // 5 http-status-code
    '12', // 6 end-to-end-latency-in-ms
    '9', // 7 server-latency-in-ms
    r.auth, // 8 authentication-type
    r.auth === 'authenticated' ? r.account : '', // 9 requester-account-name (empty for SAS)
    r.account, // 10 owner-account-name
    r.service ?? 'blob', // 11 service-type
    quoted(r.url), // 12 request-url
    quoted(r.objectKey), // 13 requested-object-key
    r.requestId, // 14 request-id-header
    String(r.operationCount ?? 0), // 15 operation-count
    r.ip, // 16 requester-ip-address
    '2020-08-04', // 17 request-version-header
    '512', // 18 request-header-size
    String(r.requestBytes ?? 0), // 19 request-packet-size
    '265', // 20 response-header-size
    String(r.responseBytes ?? 0), // 21 response-packet-size
    String(r.requestBytes ?? 0), // 22 request-content-length
    '', // 23 request-md5
    '', // 24 server-md5
    quoted('"0x8D15A2F5D6A1A6F"'), // 25 etag-identifier (quotes inside become &quot;)
    'Monday, 19-Jun-23 22:59:23 GMT', // 26 last-modified-time
    '', // 27 conditions-used
    quoted(r.userAgent), // 28 user-agent-header
    quoted(r.referrer), // 29 referrer-header
    quoted(r.clientRequestId), // 30 client-request-id
  ];
  if (version === '2.0') fields.push('', '', '', '', '', '', '', ''); // 31–38: OAuth identity fields, empty for SAS
  return fields.join(';');
}

/** A resource-log record as diagnostic settings archive it (`insights-logs-*`, one per line). */
export function monitorRecord(r: FakeRequest): Record<string, unknown> {
  const service = r.service ?? 'blob';
  return {
    time: r.time,
    resourceId: `/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/${r.account}/${service}Services/default`,
    category: /^(?:Get|List|Query|Peek)/.test(r.operation) ? 'StorageRead' : /^Delete/.test(r.operation) ? 'StorageDelete' : 'StorageWrite',
    operationName: r.operation,
    operationVersion: '2020-08-04',
    schemaVersion: '1.0',
    statusCode: r.http,
    statusText: r.status,
    durationMs: 12,
    callerIpAddress: r.ip,
    correlationId: r.requestId,
    identity: { type: r.auth, tokenHash: r.authHash ?? '' },
    location: 'westeurope',
    properties: {
      accountName: r.account,
      userAgentHeader: r.userAgent ?? '',
      referrerHeader: r.referrer ?? '',
      clientRequestId: r.clientRequestId ?? '',
      etag: '"0x8D15A2F5D6A1A6F"',
      serverLatencyMs: 9,
      serviceType: service,
      objectKey: r.objectKey,
      operationCount: r.operationCount ?? 0,
      requestHeaderSize: 512,
      requestBodySize: r.requestBytes ?? 0,
      responseHeaderSize: 265,
      responseBodySize: r.responseBytes ?? 0,
      contentLengthHeader: r.requestBytes ?? 0,
      tlsVersion: 'TLS 1.2',
      ...(r.sasExpiryStatus ? { sasExpiryStatus: r.sasExpiryStatus } : {}),
    },
    uri: r.url,
    protocol: 'HTTPS',
    resourceType: `Microsoft.Storage/storageAccounts/${service}Services`,
  };
}

const TABLE_OF: Record<string, string> = { blob: 'StorageBlobLogs', queue: 'StorageQueueLogs', table: 'StorageTableLogs', file: 'StorageFileLogs' };

/** A Log Analytics row as `az monitor log-analytics query` prints it: every value a string. */
export function logAnalyticsRow(r: FakeRequest): Record<string, string> {
  const service = r.service ?? 'blob';
  return {
    TimeGenerated: r.time,
    AccountName: r.account,
    Location: 'westeurope',
    Protocol: 'HTTPS',
    OperationName: r.operation,
    OperationVersion: '2020-08-04',
    OperationCount: String(r.operationCount ?? 0),
    AuthenticationType: r.auth,
    AuthenticationHash: r.authHash ?? '',
    StatusCode: String(r.http),
    StatusText: r.status,
    DurationMs: '12',
    ServerLatencyMs: '9',
    Uri: r.url,
    CallerIpAddress: r.ip,
    CorrelationId: r.requestId,
    UserAgentHeader: r.userAgent ?? '',
    ReferrerHeader: r.referrer ?? '',
    ClientRequestId: r.clientRequestId ?? '',
    ServiceType: service,
    ObjectKey: r.objectKey,
    RequestHeaderSize: '512',
    RequestBodySize: String(r.requestBytes ?? 0),
    ResponseHeaderSize: '265',
    ResponseBodySize: String(r.responseBytes ?? 0),
    SasExpiryStatus: r.sasExpiryStatus ?? '',
    Category: 'StorageRead',
    Type: TABLE_OF[service]!,
  };
}

/** The Azure portal's "Export to CSV": `TimeGenerated [UTC]` header, `6/23/2023, 8:15:30.250 AM` times. */
export function logAnalyticsCsv(rows: FakeRequest[]): string {
  const objects = rows.map((r) => ({ ...logAnalyticsRow(r), TimeGenerated: portalTime(r.time) }));
  const columns = Object.keys(logAnalyticsRow(rows[0]!));
  const header = columns.map((c) => (c === 'TimeGenerated' ? 'TimeGenerated [UTC]' : c));
  const lines = [header.map(csvQuote).join(',')];
  for (const o of objects) lines.push(columns.map((c) => csvQuote((o as Record<string, string>)[c] ?? '')).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

export function csvQuote(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

function portalTime(iso: string): string {
  const d = new Date(iso);
  const h = d.getUTCHours();
  const ms = d.getUTCMilliseconds();
  const hh = h % 12 === 0 ? 12 : h % 12;
  const frac = ms ? `.${String(ms).padStart(3, '0')}` : '';
  return `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()}, ${hh}:${String(d.getUTCMinutes()).padStart(2, '0')}:${String(d.getUTCSeconds()).padStart(2, '0')}${frac} ${h < 12 ? 'AM' : 'PM'}`;
}

/**
 * AuthenticationHash of a SAS request: SHA-256 of the account key and of the signature
 * text, upper-case hex as in Microsoft's examples.
 */
export function sasAuthHash(sig: string, key = 'key1', of: 'text' | 'bytes' = 'text'): string {
  const keyHash = createHash('sha256').update(`account-key-${key}`).digest('hex').toUpperCase();
  const data = of === 'text' ? Buffer.from(sig, 'utf8') : Buffer.from(sig, 'base64');
  return `${key}(${keyHash}),SasSignature(${createHash('sha256').update(data).digest('hex').toUpperCase()})`;
}

/** A fixture signature holding `+`, `/` (and, like all, a final `=`): in a URL `%2B`, `%2F`, `%3D`. */
export function awkwardSig(seed: string): string {
  for (let i = 0; ; i++) {
    const sig = fakeSig(`${seed}#${i}`);
    if (sig.includes('+') && sig.includes('/')) return sig;
  }
}
