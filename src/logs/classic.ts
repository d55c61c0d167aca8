import { unescapeHtml } from '../decode/decoders.js';
import { parseLogTime, stripPort, type LogRecord, type Malformed } from './record.js';

/**
 * Classic Storage Analytics logs (`$logs`): one request per line, fields separated by `;`.
 * A field that may hold `;`, `"` or a newline is written in double quotes and HTML-encoded
 * (`&amp;`, `&quot;`), so a quote inside a quoted field is always `&quot;` and the next raw
 * `"` closes it. The first field is the format version and fixes the field count: 1.0 has 30
 * fields, 2.0 appends 8 identity fields (38). Each line is checked on its own.
 */
export const CLASSIC_FIELDS_V1 = [
  'version-number', 'request-start-time', 'operation-type', 'request-status', 'http-status-code',
  'end-to-end-latency-in-ms', 'server-latency-in-ms', 'authentication-type', 'requester-account-name', 'owner-account-name',
  'service-type', 'request-url', 'requested-object-key', 'request-id-header', 'operation-count',
  'requester-ip-address', 'request-version-header', 'request-header-size', 'request-packet-size', 'response-header-size',
  'response-packet-size', 'request-content-length', 'request-md5', 'server-md5', 'etag-identifier',
  'last-modified-time', 'conditions-used', 'user-agent-header', 'referrer-header', 'client-request-id',
] as const;

export const CLASSIC_FIELDS_V2 = [
  ...CLASSIC_FIELDS_V1,
  'user-object-id', 'tenant-id', 'application-id', 'audience', 'issuer', 'user-principal-name', 'reserved-field', 'authorization-detail',
] as const;

const FIELD_COUNT: Record<string, number> = { '1.0': CLASSIC_FIELDS_V1.length, '2.0': CLASSIC_FIELDS_V2.length };

/** 0-based positions of the fields the investigation reads. */
const F = {
  time: 1, operation: 2, status: 3, http: 4, auth: 7, owner: 9, service: 10, url: 11, objectKey: 12, requestId: 13,
  operationCount: 14, ip: 15, requestBytes: 18, responseBytes: 20, userAgent: 27, referrer: 28, clientRequestId: 29,
} as const;

/** Does this line start like a classic log record (`<major>.<minor>;`)? Used to sniff a file's format. */
export function looksClassic(line: string): boolean {
  return /^\d+\.\d+;/.test(line);
}

/** Splits one line into its fields, undoing quotes and HTML encoding. */
export function splitClassicLine(line: string): string[] | Malformed {
  const split = splitRaw(line);
  if (!('fields' in split)) return split;
  return split.fields.map((f, i) => (split.quoted[i] ? unescapeHtml(f) : f));
}

/** Fields without their quotes, still HTML-encoded: only the fields used get decoded. */
function splitRaw(line: string): { fields: string[]; quoted: boolean[] } | Malformed {
  const fields: string[] = [];
  const quoted: boolean[] = [];
  let i = 0;
  for (;;) {
    if (line.charCodeAt(i) === 34 /* " */) {
      const close = line.indexOf('"', i + 1);
      if (close < 0) return { error: `field ${fields.length + 1}: quoted field is not closed` };
      fields.push(line.slice(i + 1, close));
      quoted.push(true);
      i = close + 1;
      if (i === line.length) return { fields, quoted };
      if (line.charCodeAt(i) !== 59 /* ; */) return { error: `field ${fields.length}: text after the closing quote` };
      i++;
    } else {
      const semi = line.indexOf(';', i);
      quoted.push(false);
      if (semi < 0) {
        fields.push(line.slice(i));
        return { fields, quoted };
      }
      fields.push(line.slice(i, semi));
      i = semi + 1;
    }
  }
}

export function parseClassicLine(line: string): LogRecord | Malformed {
  const split = splitRaw(line);
  if (!('fields' in split)) return split;
  const { fields, quoted } = split;
  const text = (i: number) => (quoted[i] ? unescapeHtml(fields[i]!) : fields[i]!);
  const version = fields[0]!;
  const expected = FIELD_COUNT[version];
  if (expected === undefined) {
    return { error: /^\d+\.\d+$/.test(version) ? `unsupported log version ${version} (known: 1.0, 2.0)` : 'not a Storage Analytics log line' };
  }
  // a writer that ends every line with ';' leaves one empty field too many: harmless
  if (fields.length === expected + 1 && fields[expected] === '') fields.pop();
  if (fields.length !== expected) return { error: `version ${version} has ${expected} fields, this line has ${fields.length}` };

  const time = parseLogTime(fields[F.time]!);
  if (Number.isNaN(time)) return { error: `request-start-time "${clip(fields[F.time]!)}" is not a time` };
  const http = fields[F.http]!;
  if (http !== '' && !/^\d{3}$/.test(http)) return { error: `http-status-code "${clip(http)}" is not a status code` };
  const numbers: number[] = [];
  for (const idx of [F.operationCount, F.requestBytes, F.responseBytes]) {
    const v = fields[idx]!;
    if (v !== '' && !/^\d+$/.test(v)) return { error: `${CLASSIC_FIELDS_V1[idx]} "${clip(v)}" is not a number` };
    numbers.push(v === '' ? 0 : Number(v));
  }
  return {
    format: version === '1.0' ? 'classic-1.0' : 'classic-2.0',
    time,
    operation: fields[F.operation]!,
    statusText: fields[F.status]!,
    httpStatus: http === '' ? null : Number(http),
    authType: fields[F.auth]!.toLowerCase(),
    authHash: '',
    url: text(F.url),
    objectKey: text(F.objectKey),
    requestId: fields[F.requestId]!,
    operationCount: numbers[0]!,
    callerIp: stripPort(fields[F.ip]!),
    userAgent: text(F.userAgent),
    clientRequestId: text(F.clientRequestId),
    referrer: text(F.referrer),
    service: fields[F.service]!.toLowerCase(),
    account: fields[F.owner]!.toLowerCase(),
    requestBytes: numbers[1]!,
    responseBytes: numbers[2]!,
    sasExpiryStatus: '',
  };
}

function clip(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}
