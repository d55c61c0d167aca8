import { FAILURE_KINDS, failureKind, isSuccess, OPERATION_CLASSES, operationClass, type FailureKind, type OperationClass } from './classify.js';
import type { LinkTarget, TimeWindow } from './link.js';
import { sasHashOf, signingKeyOf, tokenIdentity, type MatchMethod } from './match.js';
import type { LogFormat, LogRecord } from './record.js';
import { detach, Tally } from './tally.js';

/**
 * Folds matched requests into the numbers an investigation reports. Every structure is
 * bounded: per-key tallies stop adding keys at `maxDistinct` (and say so), lists are cut to
 * `top` when the summary is built, and per-day counts grow with the days covered only.
 */
export interface AggregateOptions {
  target: LinkTarget | null;
  window: TimeWindow | null;
  revokedAt: number | null;
  top: number;
  maxDistinct: number;
}

/** Where a row came from: file (or blob) and line. */
export interface RowRef {
  source: string;
  line: number;
}

export interface UseEvent extends RowRef {
  time: string;
  operation: string;
  status: string;
  callerIp: string;
  userAgent: string;
  object: string;
}

interface Span {
  requests: number;
  first: number;
  last: number;
}

interface IpStats extends Span {
  failures: number;
  bytesOut: number;
  bytesIn: number;
  writes: number;
  deletes: number;
}

type ObjectClass = 'read' | 'listed' | 'changed' | 'deleted';
const OBJECT_CLASS_OF: Partial<Record<OperationClass, ObjectClass>> = { read: 'read', list: 'listed', write: 'changed', delete: 'deleted' };

/** One object's successful use of one class. Lists are comma-joined strings: a fraction of an array's memory. */
interface ObjectUse extends Span {
  bytes: number;
  operations: string;
  callers: string;
}

/** Per object, only the classes it was used for: one map entry per object, however it was used. */
type ObjectEntry = Partial<Record<ObjectClass, ObjectUse>>;

interface TokenStats extends Span {
  successes: number;
  /** Successful writes and deletes. */
  changes: number;
  fields: string;
  signingKey: string | null;
}

interface WindowPart {
  requests: number;
  successes: number;
  bytesOut: number;
  changes: number;
}

const DAY = 86_400_000;
const LIST_CAP = 6;

export class Aggregator {
  // everything read, matched or not
  private records = 0;
  private readonly byFormat: Partial<Record<LogFormat, number>> = {};
  private sasRecords = 0;
  private logFirst = Infinity;
  private logLast = -Infinity;
  private readonly logDays = new Set<number>();

  // matched use (probes excluded)
  private requests = 0;
  private successes = 0;
  private bytesOut = 0;
  private bytesIn = 0;
  // records, not events: an event is built once, in summary(), not for every newer row
  private firstUse: Sighting | null = null;
  private lastUse: Sighting | null = null;
  private readonly byClass = Object.fromEntries(OPERATION_CLASSES.map((c) => [c, { requests: 0, succeeded: 0, failed: 0 }])) as Record<
    OperationClass,
    { requests: number; succeeded: number; failed: number }
  >;
  private readonly byMethod: Partial<Record<MatchMethod, number>> = {};
  private readonly byService = new Tally<{ n: number }>(64, () => ({ n: 0 }));
  private readonly byOperation = new Tally<{ n: number }>(1_000, () => ({ n: 0 }));
  private readonly ips: Tally<IpStats>;
  private readonly agents: Tally<Span>;
  private readonly objects: Tally<ObjectEntry>;
  private readonly objectsDistinct: Record<ObjectClass, number> = { read: 0, listed: 0, changed: 0, deleted: 0 };
  private readonly objectsUntracked: Record<ObjectClass, number> = { read: 0, listed: 0, changed: 0, deleted: 0 };
  private readonly failures = Object.fromEntries(FAILURE_KINDS.map((k) => [k, span()])) as Record<FailureKind, Span>;
  private firstRejectionInValidity: number | null = null;
  private readonly afterRevocation = { successes: 0, failures: 0, firstSuccess: null as Sighting | null };
  private readonly windowParts = { before: windowPart(), inside: windowPart(), after: windowPart() };
  private readonly days = new Map<number, number>();
  private readonly signingKeys = new Map<string, number>();
  private readonly expiryPolicy = new Tally<{ n: number }>(100, () => ({ n: 0 }));
  private readonly tokens: Tally<TokenStats>;
  private readonly probes = { requests: 0, first: Infinity, last: -Infinity, ips: new Set<string>() };
  private duplicates = 0;

  constructor(private readonly opts: AggregateOptions) {
    const cap = opts.maxDistinct;
    this.ips = new Tally(cap, () => ({ ...span(), failures: 0, bytesOut: 0, bytesIn: 0, writes: 0, deletes: 0 }));
    this.agents = new Tally(cap, span);
    this.objects = new Tally(cap, () => ({}));
    this.tokens = new Tally(cap, () => ({ ...span(), successes: 0, changes: 0, fields: '', signingKey: null }));
  }

  /** Every record read, matched or not: what the logs cover. */
  scanned(r: LogRecord): void {
    this.records++;
    this.byFormat[r.format] = (this.byFormat[r.format] ?? 0) + 1;
    if (r.authType === 'sas' || sasHashOf(r.authHash) !== null) this.sasRecords++;
    if (r.time < this.logFirst) this.logFirst = r.time;
    if (r.time > this.logLast) this.logLast = r.time;
    this.logDays.add(Math.floor(r.time / DAY));
  }

  duplicate(): void {
    this.duplicates++;
  }

  /** A request made by sasquatch's own verification (x-ms-client-request-id `sasquatch-…`). */
  probe(r: LogRecord): Judged {
    this.probes.requests++;
    this.probes.first = Math.min(this.probes.first, r.time);
    this.probes.last = Math.max(this.probes.last, r.time);
    if (this.probes.ips.size < 100) this.probes.ips.add(detach(r.callerIp));
    return this.judge(r);
  }

  /** A request made with the link (or with any SAS when no link was given). */
  use(r: LogRecord, method: MatchMethod, ref: RowRef): Judged {
    const t = this.opts.target;
    const judged = this.judge(r);
    const { cls, ok, failure } = judged;
    this.requests++;
    this.byMethod[method] = (this.byMethod[method] ?? 0) + 1;
    this.byService.get(r.service || 'unknown')!.n++;
    const op = this.byOperation.get(r.operation);
    if (op) op.n++;
    const c = this.byClass[cls];
    c.requests++;
    if (ok) {
      c.succeeded++;
      this.successes++;
      this.bytesOut += r.responseBytes;
      if (cls === 'write') this.bytesIn += r.requestBytes;
    } else c.failed++;
    this.firstAndLast(r, ref);
    this.day(r.time);
    this.caller(r, ok, cls);
    if (ok) this.object(r, cls);
    if (failure) this.failure(r, failure);
    this.revocation(r, ok, ref);
    this.windowed(r, ok, cls);
    const key = signingKeyOf(r.authHash);
    if (key) this.signingKeys.set(key, (this.signingKeys.get(key) ?? 0) + 1);
    if (r.sasExpiryStatus) {
      const p = this.expiryPolicy.get(r.sasExpiryStatus);
      if (p) p.n++;
    }
    if (!t) this.token(r, ok, cls);
    return judged;
  }

  private judge(r: LogRecord): Judged {
    const t = this.opts.target;
    const ok = isSuccess(r);
    return { cls: operationClass(r.operation), ok, failure: ok ? null : failureKind(r, t?.start ?? null, t?.expiry ?? null) };
  }

  private firstAndLast(r: LogRecord, ref: RowRef): void {
    if (!this.firstUse || r.time < this.firstUse.record.time) this.firstUse = { record: r, ref };
    if (!this.lastUse || r.time >= this.lastUse.record.time) this.lastUse = { record: r, ref };
  }

  private day(time: number): void {
    const d = Math.floor(time / DAY);
    this.days.set(d, (this.days.get(d) ?? 0) + 1);
  }

  private caller(r: LogRecord, ok: boolean, cls: OperationClass): void {
    const ip = this.ips.get(r.callerIp || 'unknown');
    if (ip) {
      touch(ip, r.time);
      if (!ok) ip.failures++;
      else {
        ip.bytesOut += r.responseBytes;
        if (cls === 'write') {
          ip.bytesIn += r.requestBytes;
          ip.writes++;
        }
        if (cls === 'delete') ip.deletes++;
      }
    }
    const ua = this.agents.get(r.userAgent || '(none)');
    if (ua) touch(ua, r.time);
  }

  private object(r: LogRecord, cls: OperationClass): void {
    const k = OBJECT_CLASS_OF[cls];
    if (!k) return;
    const entry = this.objects.get(r.objectKey || '(none)');
    if (!entry) {
      this.objectsUntracked[k]++;
      return;
    }
    let u = entry[k];
    if (!u) {
      u = entry[k] = { ...span(), bytes: 0, operations: '', callers: '' };
      this.objectsDistinct[k]++;
    }
    touch(u, r.time);
    u.bytes += cls === 'write' ? r.requestBytes : r.responseBytes;
    u.operations = addToList(u.operations, r.operation);
    u.callers = addToList(u.callers, r.callerIp);
  }

  private failure(r: LogRecord, kind: FailureKind): void {
    touch(this.failures[kind], r.time);
    if (kind === 'signature-rejected' || kind === 'denied') {
      if (this.firstRejectionInValidity === null || r.time < this.firstRejectionInValidity) this.firstRejectionInValidity = r.time;
    }
  }

  private revocation(r: LogRecord, ok: boolean, ref: RowRef): void {
    const at = this.opts.revokedAt;
    if (at === null || r.time < at) return;
    if (ok) {
      this.afterRevocation.successes++;
      const f = this.afterRevocation.firstSuccess;
      if (!f || r.time < f.record.time) this.afterRevocation.firstSuccess = { record: r, ref };
    } else this.afterRevocation.failures++;
  }

  private windowed(r: LogRecord, ok: boolean, cls: OperationClass): void {
    const w = this.opts.window;
    if (!w) return;
    const part = this.windowParts[windowSide(r.time, w)];
    part.requests++;
    if (ok) {
      part.successes++;
      part.bytesOut += r.responseBytes;
      if (cls === 'write' || cls === 'delete') part.changes++;
    }
  }

  private token(r: LogRecord, ok: boolean, cls: OperationClass): void {
    const id = tokenIdentity(r);
    const s = this.tokens.get(id.id);
    if (!s) return;
    touch(s, r.time);
    if (ok) s.successes++;
    if (ok && (cls === 'write' || cls === 'delete')) s.changes++;
    s.signingKey ??= signingKeyOf(r.authHash);
    if (!s.fields && id.fields) s.fields = detach(id.fields);
  }

  /**
   * Distinct tokens. A row known only by its fields (a classic line with a masked `sig`) is
   * folded into the hash-identified token with the same fields, when exactly one has them:
   * Azure Monitor rows carry both, so the same link is not counted twice across formats.
   */
  private tokenSummary(n: number, spanOut: (s: Span) => SpanOut): NonNullable<LogsSummary['tokens']> {
    const merged = new Map<string, TokenStats>();
    const byFields = new Map<string, TokenStats | null>();
    for (const [id, s] of this.tokens.entries()) {
      if (id.startsWith('fields:')) continue;
      const copy = { ...s };
      merged.set(id, copy);
      if (id.startsWith('sha256:') && s.fields) byFields.set(s.fields, byFields.has(s.fields) ? null : copy);
    }
    for (const [id, s] of this.tokens.entries()) {
      if (!id.startsWith('fields:')) continue;
      const into = byFields.get(s.fields);
      if (!into) {
        merged.set(id, { ...s });
        continue;
      }
      into.requests += s.requests;
      into.successes += s.successes;
      into.changes += s.changes;
      into.first = Math.min(into.first, s.first);
      into.last = Math.max(into.last, s.last);
    }
    const top = [...merged.entries()].sort((a, b) => b[1].requests - a[1].requests || (a[0] < b[0] ? -1 : 1)).slice(0, n);
    return {
      distinct: merged.size,
      distinctIsLowerBound: this.tokens.truncated,
      top: top.map(([id, s]) => ({ id, fields: s.fields, signingKey: s.signingKey, ...spanOut(s), successes: s.successes, changes: s.changes })),
    };
  }

  summary(): LogsSummary {
    const n = this.opts.top;
    const ts = (t: number) => (Number.isFinite(t) ? new Date(t).toISOString() : null);
    const spanOut = (s: Span) => ({ requests: s.requests, first: ts(s.first), last: ts(s.last) });
    const objectsOut = (k: ObjectClass, order: (a: ObjectUse, b: ObjectUse) => number): ObjectsOut => {
      const uses: [string, ObjectUse][] = [];
      let requests = this.objectsUntracked[k];
      let bytes = 0;
      for (const [key, entry] of this.objects.entries()) {
        const u = entry[k];
        if (!u) continue;
        uses.push([key, u]);
        requests += u.requests;
        bytes += u.bytes;
      }
      uses.sort((a, b) => order(a[1], b[1]) || (a[0] < b[0] ? -1 : 1));
      return {
        distinct: this.objectsDistinct[k],
        distinctIsLowerBound: this.objectsUntracked[k] > 0,
        requests,
        bytes,
        top: uses.slice(0, n).map(([object, u]) => ({ object, ...spanOut(u), bytes: u.bytes, operations: listOf(u.operations), callers: listOf(u.callers) })),
      };
    };
    const w = this.opts.window;
    return {
      logs: {
        records: this.records,
        byFormat: this.byFormat,
        sasRequests: this.sasRecords,
        first: ts(this.logFirst),
        last: ts(this.logLast),
        daysWithRecords: this.logDays.size,
        windowCoverage: w ? coverage(w, this.logDays, this.logFirst, this.logLast) : null,
      },
      use: {
        requests: this.requests,
        successes: this.successes,
        failures: this.requests - this.successes,
        duplicatesDropped: this.duplicates,
        first: useEvent(this.firstUse),
        last: useEvent(this.lastUse),
        bytesOut: this.bytesOut,
        bytesIn: this.bytesIn,
        byClass: this.byClass,
        byMethod: this.byMethod,
        byService: Object.fromEntries(this.byService.top(64, byCount).map(([k, v]) => [k, v.n])),
        byOperation: this.byOperation.top(n * 3, byCount).map(([operation, v]) => ({ operation, class: operationClass(operation), requests: v.n })),
      },
      callers: {
        distinct: this.ips.size,
        distinctIsLowerBound: this.ips.truncated,
        top: this.ips.top(n, byRequests).map(([ip, s]) => ({ ip, ...spanOut(s), failures: s.failures, bytesOut: s.bytesOut, bytesIn: s.bytesIn, writes: s.writes, deletes: s.deletes })),
      },
      userAgents: {
        distinct: this.agents.size,
        distinctIsLowerBound: this.agents.truncated,
        top: this.agents.top(n, byRequests).map(([userAgent, s]) => ({ userAgent, ...spanOut(s) })),
      },
      objects: {
        read: objectsOut('read', (a, b) => b.bytes - a.bytes || b.requests - a.requests),
        listed: objectsOut('listed', byRequests),
        changed: objectsOut('changed', (a, b) => b.last - a.last),
        deleted: objectsOut('deleted', (a, b) => b.last - a.last),
      },
      failures: {
        total: this.requests - this.successes,
        byKind: Object.fromEntries(FAILURE_KINDS.map((k) => [k, spanOut(this.failures[k])])) as Record<FailureKind, SpanOut>,
        firstRejectionWithinValidity: ts(this.firstRejectionInValidity ?? NaN),
      },
      revocation:
        this.opts.revokedAt === null
          ? null
          : { at: ts(this.opts.revokedAt)!, successesAfter: this.afterRevocation.successes, failuresAfter: this.afterRevocation.failures, firstSuccessAfter: useEvent(this.afterRevocation.firstSuccess) },
      window: w ? { from: ts(w.from ?? NaN), until: ts(w.until ?? NaN), source: w.source, ...this.windowParts } : null,
      days: [...this.days.entries()].sort((a, b) => a[0] - b[0]).map(([d, requests]) => ({ day: new Date(d * DAY).toISOString().slice(0, 10), requests })),
      signingKeys: Object.fromEntries([...this.signingKeys.entries()].sort()),
      sasExpiryPolicy: Object.fromEntries(this.expiryPolicy.top(100, byCount).map(([k, v]) => [k, v.n])),
      probes: {
        requests: this.probes.requests,
        first: ts(this.probes.first),
        last: ts(this.probes.last),
        callers: [...this.probes.ips].sort(),
      },
      tokens: this.opts.target ? null : this.tokenSummary(n, spanOut),
    };
  }
}

export interface Judged {
  cls: OperationClass;
  ok: boolean;
  failure: FailureKind | null;
}

export function windowSide(time: number, w: TimeWindow): 'before' | 'inside' | 'after' {
  if (w.from !== null && time < w.from) return 'before';
  if (w.until !== null && time > w.until) return 'after';
  return 'inside';
}

export interface SpanOut {
  requests: number;
  first: string | null;
  last: string | null;
}

export type LogsSummary = {
  logs: {
    records: number;
    byFormat: Partial<Record<LogFormat, number>>;
    sasRequests: number;
    first: string | null;
    last: string | null;
    daysWithRecords: number;
    windowCoverage: { days: number; daysWithRecords: number } | null;
  };
  use: {
    requests: number;
    successes: number;
    failures: number;
    duplicatesDropped: number;
    first: UseEvent | null;
    last: UseEvent | null;
    bytesOut: number;
    bytesIn: number;
    byClass: Record<OperationClass, { requests: number; succeeded: number; failed: number }>;
    byMethod: Partial<Record<MatchMethod, number>>;
    byService: Record<string, number>;
    byOperation: { operation: string; class: OperationClass; requests: number }[];
  };
  callers: {
    distinct: number;
    distinctIsLowerBound: boolean;
    top: (SpanOut & { ip: string; failures: number; bytesOut: number; bytesIn: number; writes: number; deletes: number })[];
  };
  userAgents: { distinct: number; distinctIsLowerBound: boolean; top: (SpanOut & { userAgent: string })[] };
  objects: Record<ObjectClass, ObjectsOut>;
  failures: { total: number; byKind: Record<FailureKind, SpanOut>; firstRejectionWithinValidity: string | null };
  revocation: { at: string; successesAfter: number; failuresAfter: number; firstSuccessAfter: UseEvent | null } | null;
  window: { from: string | null; until: string | null; source: string; before: WindowPart; inside: WindowPart; after: WindowPart } | null;
  days: { day: string; requests: number }[];
  signingKeys: Record<string, number>;
  sasExpiryPolicy: Record<string, number>;
  probes: { requests: number; first: string | null; last: string | null; callers: string[] };
  tokens: {
    distinct: number;
    distinctIsLowerBound: boolean;
    top: (SpanOut & { id: string; fields: string; signingKey: string | null; successes: number; changes: number })[];
  } | null;
};

export interface ObjectsOut {
  distinct: number;
  distinctIsLowerBound: boolean;
  requests: number;
  bytes: number;
  top: (SpanOut & { object: string; bytes: number; operations: string[]; callers: string[] })[];
}

const byRequests = (a: Span, b: Span) => b.requests - a.requests;
const byCount = (a: { n: number }, b: { n: number }) => b.n - a.n;

function span(): Span {
  return { requests: 0, first: Infinity, last: -Infinity };
}

function windowPart(): WindowPart {
  return { requests: 0, successes: 0, bytesOut: 0, changes: 0 };
}

function touch(s: Span, time: number): void {
  s.requests++;
  if (time < s.first) s.first = time;
  if (time > s.last) s.last = time;
}

/** A row kept whole (with where it was read) until the summary describes it. */
interface Sighting {
  record: LogRecord;
  ref: RowRef;
}

function useEvent(s: Sighting | null): UseEvent | null {
  if (!s) return null;
  const { record: r, ref } = s;
  return {
    time: new Date(r.time).toISOString(),
    operation: r.operation,
    status: r.httpStatus !== null ? `${r.httpStatus} ${r.statusText}`.trim() : r.statusText,
    callerIp: r.callerIp,
    userAgent: r.userAgent,
    object: r.objectKey,
    source: ref.source,
    line: ref.line,
  };
}

/** Adds `item` to a comma-joined list of at most LIST_CAP distinct entries (detached from its log line). */
function addToList(list: string, item: string): string {
  if (!list) return detach(item);
  if (list === item || list.startsWith(`${item},`) || list.endsWith(`,${item}`) || list.includes(`,${item},`)) return list;
  let commas = 0;
  for (let i = list.indexOf(','); i >= 0; i = list.indexOf(',', i + 1)) commas++;
  return commas + 1 >= LIST_CAP ? list : detach(`${list},${item}`);
}

function listOf(list: string): string[] {
  return list ? list.split(',') : [];
}

/** How many days of the window the logs hold any record for. */
function coverage(w: TimeWindow, logDays: Set<number>, first: number, last: number): { days: number; daysWithRecords: number } {
  const from = Math.floor((w.from ?? first) / DAY);
  const until = Math.floor((w.until ?? last) / DAY);
  if (!Number.isFinite(from) || !Number.isFinite(until) || until < from) return { days: 0, daysWithRecords: 0 };
  let covered = 0;
  for (const d of logDays) if (d >= from && d <= until) covered++;
  return { days: until - from + 1, daysWithRecords: covered };
}
