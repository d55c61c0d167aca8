/**
 * One storage request as the logs describe it, whatever the format it came from: classic
 * Storage Analytics lines (versions 1.0 and 2.0) and Azure Monitor resource logs (the JSON
 * records diagnostic settings archive to storage, and Log Analytics exports as JSON or CSV).
 */
export type LogFormat = 'classic-1.0' | 'classic-2.0' | 'monitor-json' | 'log-analytics';

export interface LogRecord {
  format: LogFormat;
  /** Request start, milliseconds since the epoch (UTC). */
  time: number;
  /** Operation name as logged: GetBlob, PutBlob, ListBlobs, … */
  operation: string;
  /** Classic `request-status` / Monitor `StatusText`: Success, SASSuccess, AuthenticationFailed, … */
  statusText: string;
  httpStatus: number | null;
  /** Lower-case: sas, authenticated, accountkey, oauth, anonymous, … */
  authType: string;
  /** Monitor `AuthenticationHash` / `identity.tokenHash`: `key1(<hex>),SasSignature(<hex>)`. Empty in classic logs. */
  authHash: string;
  /** Request URL, HTML-decoded; may carry the SAS fields (sig usually masked). */
  url: string;
  /** `/<account>/<container>/<blob>` (or queue, table, share path). */
  objectKey: string;
  requestId: string;
  operationCount: number;
  /** Caller address without the port. */
  callerIp: string;
  userAgent: string;
  clientRequestId: string;
  referrer: string;
  /** blob | queue | table | file, or '' when the log does not say. */
  service: string;
  /** The storage account that owns the resource (lower-case), or ''. */
  account: string;
  /** Request body bytes (upload). */
  requestBytes: number;
  /** Response body bytes (download). */
  responseBytes: number;
  /** Monitor `SasExpiryStatus` (SAS expiration policy violations), or ''. */
  sasExpiryStatus: string;
}

/** A line (or record) that could not be read, with the reason; never fatal. */
export interface Malformed {
  error: string;
}

export function isMalformed(x: LogRecord | Malformed): x is Malformed {
  return (x as Malformed).error !== undefined;
}

/** `192.0.2.4:5123` → `192.0.2.4`; `[2001:db8::1]:443` → `2001:db8::1`; bare IPv6 stays as is. */
export function stripPort(address: string): string {
  const a = address.trim();
  if (a.startsWith('[')) {
    const end = a.indexOf(']');
    return end > 0 ? a.slice(1, end) : a;
  }
  const colon = a.indexOf(':');
  if (colon >= 0 && colon === a.lastIndexOf(':')) return a.slice(0, colon);
  return a;
}

/**
 * Log timestamps: ISO 8601 with any number of fraction digits (classic logs write seven),
 * taken as UTC when no zone is given, and the Azure portal's CSV export form
 * `6/22/2023, 6:00:01.123 PM` (UTC columns). NaN for anything else.
 */
export function parseLogTime(value: string): number {
  // the common case first: `2023-06-22T18:00:01.1234567Z` as every writer but the portal emits it
  if (value.length >= 20 && value.charCodeAt(10) === 84 && value.charCodeAt(value.length - 1) === 90 && value.charCodeAt(4) === 45) return Date.parse(value);
  const v = value.trim();
  if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(v)) {
    const zoned = /(?:Z|[+-]\d{2}:?\d{2})$/i.test(v) ? v : `${v}Z`;
    return Date.parse(zoned.replace(' ', 'T'));
  }
  const us = /^(\d{1,2})\/(\d{1,2})\/(\d{4}),? (\d{1,2}):(\d{2}):(\d{2})(?:\.(\d{1,7}))? ?([AP]M)?$/i.exec(v);
  if (!us) return NaN;
  const [, mo, d, y, h, mi, s, frac = '0', ampm] = us;
  let hour = +h!;
  if (ampm) {
    if (hour < 1 || hour > 12) return NaN;
    hour = (hour % 12) + (ampm.toUpperCase() === 'PM' ? 12 : 0);
  }
  const ms = Math.round(parseFloat(`0.${frac}`) * 1000);
  const t = Date.UTC(+y!, +mo! - 1, +d!, hour, +mi!, +s!, ms);
  return new Date(t).getUTCDate() === +d! ? t : NaN;
}
