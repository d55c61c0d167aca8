import { parseLogTime, stripPort, type LogRecord, type Malformed } from './record.js';

/**
 * Azure Monitor resource logs for Storage, in the two shapes they reach an investigator:
 * - resource-log records (diagnostic settings → storage account `insights-logs-*`, Event Hubs):
 *   camelCase, `identity.tokenHash`, `properties.*`;
 * - Log Analytics rows (`StorageBlobLogs`, `StorageQueueLogs`, `StorageTableLogs`,
 *   `StorageFileLogs` exported as JSON or CSV): PascalCase columns, `AuthenticationHash`.
 * Values may arrive as strings (CSV, `az monitor log-analytics query`) or numbers.
 */
export function recordFromObject(value: unknown): LogRecord | Malformed {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return { error: 'not a JSON object' };
  const r = value as Record<string, unknown>;
  if ('TimeGenerated' in r) return fromTableRow(r);
  if ('time' in r) return fromResourceLog(r);
  return { error: 'neither time nor TimeGenerated: not a storage log record' };
}

const TABLE_SERVICE: Record<string, string> = {
  storagebloblogs: 'blob', storagequeuelogs: 'queue', storagetablelogs: 'table', storagefilelogs: 'file',
};

function fromTableRow(r: Record<string, unknown>): LogRecord | Malformed {
  return build('log-analytics', {
    time: text(r['TimeGenerated']),
    operation: text(r['OperationName']),
    statusText: text(r['StatusText']),
    httpStatus: r['StatusCode'],
    authType: text(r['AuthenticationType']),
    authHash: text(r['AuthenticationHash']),
    url: text(r['Uri']),
    objectKey: text(r['ObjectKey']),
    requestId: text(r['CorrelationId']),
    operationCount: r['OperationCount'],
    callerIp: text(r['CallerIpAddress']),
    userAgent: text(r['UserAgentHeader']),
    clientRequestId: text(r['ClientRequestId']),
    referrer: text(r['ReferrerHeader']),
    service: text(r['ServiceType']) || TABLE_SERVICE[text(r['Type']).toLowerCase()] || '',
    account: text(r['AccountName']) || accountOfResourceId(text(r['_ResourceId'])),
    requestBytes: r['RequestBodySize'],
    responseBytes: r['ResponseBodySize'],
    sasExpiryStatus: text(r['SasExpiryStatus']),
  });
}

function fromResourceLog(r: Record<string, unknown>): LogRecord | Malformed {
  const identity = objectOf(r['identity']);
  const p = objectOf(r['properties']);
  const resourceId = text(r['resourceId']);
  return build('monitor-json', {
    time: text(r['time']),
    operation: text(r['operationName']),
    statusText: text(r['statusText']),
    httpStatus: r['statusCode'],
    authType: text(identity['type']),
    authHash: text(identity['tokenHash']),
    url: text(r['uri']) || text(p['requestUrl']),
    objectKey: text(p['objectKey']),
    requestId: text(r['correlationId']),
    operationCount: p['operationCount'],
    callerIp: text(r['callerIpAddress']),
    userAgent: text(p['userAgentHeader']),
    clientRequestId: text(p['clientRequestId']),
    referrer: text(p['referrerHeader']),
    service: text(p['serviceType']) || serviceOfResourceId(resourceId),
    account: text(p['accountName']) || accountOfResourceId(resourceId),
    requestBytes: p['requestBodySize'],
    responseBytes: p['responseBodySize'],
    sasExpiryStatus: text(p['sasExpiryStatus']),
  });
}

/** Numbers arrive as numbers or strings (or not at all): checked in build(). */
type NumericField = 'httpStatus' | 'operationCount' | 'requestBytes' | 'responseBytes';
type RawFields = Omit<LogRecord, 'format' | 'time' | NumericField> & { time: string } & Record<NumericField, unknown>;

function build(format: LogRecord['format'], f: RawFields): LogRecord | Malformed {
  const time = parseLogTime(f.time);
  if (Number.isNaN(time)) return { error: f.time ? `time "${f.time.slice(0, 40)}" is not a time` : 'no time' };
  if (!f.operation) return { error: 'no operation name' };
  const httpStatus = integer(f.httpStatus);
  if (httpStatus === undefined) return { error: `status code "${String(f.httpStatus).slice(0, 20)}" is not a number` };
  const operationCount = integer(f.operationCount);
  const requestBytes = integer(f.requestBytes);
  const responseBytes = integer(f.responseBytes);
  if (operationCount === undefined || requestBytes === undefined || responseBytes === undefined) {
    return { error: 'operation count or body size is not a number' };
  }
  // built field by field, in LogRecord's order: every record gets the same compact shape
  return {
    format,
    time,
    operation: f.operation,
    statusText: f.statusText,
    httpStatus,
    authType: f.authType.toLowerCase(),
    authHash: f.authHash,
    url: f.url,
    objectKey: f.objectKey,
    requestId: f.requestId,
    operationCount: operationCount ?? 0,
    callerIp: stripPort(f.callerIp),
    userAgent: f.userAgent,
    clientRequestId: f.clientRequestId,
    referrer: f.referrer,
    service: f.service.toLowerCase(),
    account: f.account.toLowerCase(),
    requestBytes: requestBytes ?? 0,
    responseBytes: responseBytes ?? 0,
    sasExpiryStatus: f.sasExpiryStatus,
  };
}

function text(v: unknown): string {
  if (v === null || v === undefined) return '';
  return typeof v === 'string' ? v : String(v);
}

function objectOf(v: unknown): Record<string, unknown> {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/** A whole number from a number or a digit string; null when absent; undefined when not a number. */
function integer(v: unknown): number | null | undefined {
  if (v === null || v === undefined || v === '') return null;
  if (typeof v === 'number') return Number.isFinite(v) ? Math.trunc(v) : undefined;
  if (typeof v === 'string' && /^\s*-?\d+(?:\.0+)?\s*$/.test(v)) return Math.trunc(Number(v));
  return undefined;
}

function accountOfResourceId(id: string): string {
  return /\/storageAccounts\/([^/]+)/i.exec(id)?.[1] ?? '';
}

function serviceOfResourceId(id: string): string {
  return /\/(blob|queue|table|file)Services\//i.exec(id)?.[1] ?? '';
}
