import { makeStyle, type Style } from '../report/style.js';
import type { ObjectsOut, UseEvent } from './aggregate.js';
import { FAILURE_KINDS, FAILURE_WORDS, OPERATION_CLASSES } from './classify.js';
import type { LogsResult } from './investigate.js';
import type { LinkTarget } from './link.js';
import { MATCH_WORDS, type MatchMethod } from './match.js';
import type { LogFormat } from './record.js';
import { kqlFor } from './report-json.js';

/**
 * The investigation for a person: the verdict first (used or not, tampering or not), then
 * who, when, what, and how sure. Every string taken from a log (user agents, object
 * names, addresses) is printed with control characters escaped: whoever used the link
 * chose them, and a terminal must not run them.
 */
export function renderLogsText(result: LogsResult, opts: { color: boolean }): string {
  const s = makeStyle(opts.color);
  const out: string[] = [];
  const t = result.target;
  const sum = result.summary;
  out.push(s.bold(t ? 'sasquatch logs: use of a leaked link' : 'sasquatch logs: every SAS request'), '');
  if (t) add(out, linkLines(t, s));
  if (sum.window) out.push(row('window', `${when(sum.window.from, 'open')} → ${when(sum.window.until, 'open')}  ${s.dim(`(${sum.window.source})`)}`));
  add(out, inputLines(result, s), '');
  add(out, verdictLines(result, s));
  if (sum.use.requests > 0) {
    add(out, [''], useLines(result, s));
    add(out, callerLines(result, s));
    add(out, objectSections(result, s));
  }
  add(out, failureLines(result, s));
  add(out, windowLines(result, s));
  add(out, extraLines(result, s));
  add(out, malformedLines(result, s));
  add(out, noticeLines(result, s));
  const kql = kqlFor(t);
  if (kql) add(out, ['', s.bold('Same search in Log Analytics')], kql.split('\n').map((l) => `  ${l}`));
  if (result.csv) out.push('', `${s.dim('csv')} ${clean(result.csv.path)}: ${count(result.csv.rows, 'matched row')}`);
  out.push('', s.dim(`${num(result.inputs.records)} records in ${count(result.inputs.files, 'file')}, ${bytes(result.inputs.bytes)}, ${(result.durationMs / 1000).toFixed(2)} s`));
  return `${out.join('\n')}\n`;
}

const LABEL = 14;

function row(label: string, value: string): string {
  return `${label.padEnd(LABEL)}${value}`;
}

function more(value: string): string {
  return `${' '.repeat(LABEL)}${value}`;
}

function linkLines(t: LinkTarget, s: Style): string[] {
  const lines = [row('link', `${t.kind}${t.account ? ` on ${t.account}` : ''}`), more(s.dim(clean(t.shown)))];
  lines.push(more(`valid ${when(iso(t.start), 'on arrival')} → ${when(iso(t.expiry), 'no expiry in the link')}`));
  lines.push(more(t.sigHash ? `signature SHA-256 ${t.sigHash}` : 'signature unknown (redacted): matching by token fields only'));
  for (const n of t.notes) lines.push(more(s.dim(`note: ${n}`)));
  if (t.finding) lines.push(row('finding', `${t.finding.fingerprint}  ${clean(t.finding.path)}:${t.finding.line}`));
  return lines;
}

const FORMAT_WORDS: Record<LogFormat, string> = {
  'classic-1.0': 'Storage Analytics 1.0',
  'classic-2.0': 'Storage Analytics 2.0',
  'monitor-json': 'Azure Monitor JSON',
  'log-analytics': 'Log Analytics export',
};

function inputLines(result: LogsResult, s: Style): string[] {
  const i = result.inputs;
  const l = result.summary.logs;
  const formats = Object.entries(l.byFormat)
    .map(([f, n]) => `${FORMAT_WORDS[f as LogFormat]} ${num(n)}`)
    .join(', ');
  const lines = [row('logs', `${count(i.files, 'file')}, ${bytes(i.bytes)}, ${num(i.records)} records${formats ? ` (${formats})` : ''}`)];
  if (l.first) lines.push(more(`${when(l.first, '?')} → ${when(l.last, '?')}, ${count(l.daysWithRecords, 'day')} with records, ${num(l.sasRequests)} SAS requests`));
  if (i.malformed) lines.push(more(s.dim(`${count(i.malformed, 'malformed line')} skipped (listed below)`)));
  return lines;
}

function verdictLines(result: LogsResult, s: Style): string[] {
  const sum = result.summary;
  const u = sum.use;
  const t = result.target;
  const lines: string[] = [];
  if (u.requests === 0) {
    lines.push(s.bold(t ? 'NO USE FOUND in these logs' : 'NO SAS REQUESTS in these logs'));
    add(lines, absenceCaveats(result));
    return lines;
  }
  const who = `${count(sum.callers.distinct, 'address')}${sum.callers.distinctIsLowerBound ? ' or more' : ''}`;
  const what = t ? 'USED' : 'SAS USE';
  lines.push(s.severity('high', `${what}: ${count(u.requests, 'request')} (${num(u.successes)} succeeded) from ${who}, ${when(u.first?.time ?? null, '?')} → ${when(u.last?.time ?? null, '?')}`));
  const writes = u.byClass.write.succeeded;
  const deletes = u.byClass.delete.succeeded;
  if ((writes || deletes) && !t) {
    lines.push(s.severity('medium', `changes made with SAS: ${count(writes, 'write')} and ${count(deletes, 'delete')} succeeded — check which token made them (SAS tokens below)`));
  } else if (writes || deletes) {
    lines.push(
      s.severity(
        'critical',
        `POSSIBLE TAMPERING: ${count(writes, 'write')} and ${count(deletes, 'delete')} succeeded — a writable link can replace files (models, packages, data) that others then trust`,
      ),
    );
  } else if (u.byClass.write.failed || u.byClass.delete.failed) {
    lines.push(s.severity('medium', `attempted changes: ${num(u.byClass.write.failed)} write and ${num(u.byClass.delete.failed)} delete attempts, all refused`));
  }
  if (sum.revocation && sum.revocation.successesAfter > 0) {
    const f = sum.revocation.firstSuccessAfter;
    lines.push(s.severity('critical', `STILL WORKING after revocation: ${num(sum.revocation.successesAfter)} successful requests after ${when(sum.revocation.at, '?')}${f ? ` (first ${when(f.time, '?')} from ${clean(f.callerIp)})` : ''}`));
  }
  return lines;
}

/** Why "nothing found" may not mean "not used". */
function absenceCaveats(result: LogsResult): string[] {
  const out: string[] = [];
  const sum = result.summary;
  const t = result.target;
  const cov = sum.logs.windowCoverage;
  if (!sum.logs.records) out.push('  the inputs hold no log records at all');
  if (cov && cov.days > 0 && cov.daysWithRecords < cov.days) {
    out.push(`  the logs cover only ${num(cov.daysWithRecords)} of the ${num(cov.days)} days of the exposure window: absence of evidence is not evidence of absence`);
  }
  const monitorRows = (sum.logs.byFormat['monitor-json'] ?? 0) + (sum.logs.byFormat['log-analytics'] ?? 0);
  if (t && !t.sigHash && monitorRows) out.push(`  ${num(monitorRows)} Azure Monitor rows could only be matched by token fields in their URI: give the full link for hash matching`);
  if (t?.sigHash) out.push('  both the documented hash (of the signature text) and the hash of its raw bytes were tried');
  out.push('  logging records nothing before it was switched on, and classic logging is best effort');
  return out;
}

function useLines(result: LogsResult, s: Style): string[] {
  const u = result.summary.use;
  const lines: string[] = [];
  if (u.first) lines.push(row('first use', eventText(u.first, s)));
  if (u.last) lines.push(row('last use', eventText(u.last, s)));
  lines.push(row('requests', OPERATION_CLASSES.map((c) => `${c} ${num(u.byClass[c].requests)}`).join(' · ') + `  (${num(u.failures)} failed)`));
  lines.push(row('data', `${bytes(u.bytesOut)} served (egress) · ${bytes(u.bytesIn)} written`));
  lines.push(row('operations', u.byOperation.slice(0, 8).map((o) => `${clean(o.operation)} ${num(o.requests)}`).join(' · ')));
  lines.push(row('services', Object.entries(u.byService).map(([k, v]) => `${clean(k)} ${num(v)}`).join(' · ')));
  lines.push(row('matched by', (Object.entries(u.byMethod) as [MatchMethod, number][]).map(([m, n]) => `${MATCH_WORDS[m]}: ${num(n)}`).join('; ')));
  if (u.duplicatesDropped) lines.push(row('duplicates', `${count(u.duplicatesDropped, 'repeated log row')} (same request id) counted once`));
  return lines;
}

function eventText(e: UseEvent, s: Style): string {
  return `${when(e.time, '?')}  ${clean(e.operation)} ${clean(e.status)}  from ${clean(e.callerIp) || '?'}  ${clean(clip(e.object, 60))}  ${s.dim(`(${clean(e.source)}:${e.line})`)}`;
}

function callerLines(result: LogsResult, s: Style): string[] {
  const sum = result.summary;
  const lines = ['', s.bold(`Callers (${num(sum.callers.distinct)}${sum.callers.distinctIsLowerBound ? '+' : ''} addresses)`)];
  for (const c of sum.callers.top) {
    const changes = c.writes || c.deletes ? `  ${s.severity('high', `${count(c.writes, 'write')}, ${count(c.deletes, 'delete')}`)}` : '';
    lines.push(`  ${clean(c.ip).padEnd(40)} ${num(c.requests).padStart(9)} req  ${bytes(c.bytesOut).padStart(10)} out  ${num(c.failures)} failed  ${range(c.first, c.last)}${changes}`);
  }
  lines.push('', s.bold(`User agents (${num(sum.userAgents.distinct)}${sum.userAgents.distinctIsLowerBound ? '+' : ''})`));
  for (const a of sum.userAgents.top) lines.push(`  ${num(a.requests).padStart(9)}  ${clean(clip(a.userAgent, 100))}  ${s.dim(range(a.first, a.last))}`);
  return lines;
}

function objectSections(result: LogsResult, s: Style): string[] {
  const o = result.summary.objects;
  const lines: string[] = [];
  const section = (title: string, x: ObjectsOut, what: (e: ObjectsOut['top'][number]) => string, warn = false) => {
    if (!x.distinct) return;
    const head = `${title} (${num(x.distinct)}${x.distinctIsLowerBound ? '+' : ''} distinct, ${count(x.requests, 'request')}, ${bytes(x.bytes)})`;
    lines.push('', warn ? s.severity('critical', head) : s.bold(head));
    for (const e of x.top) lines.push(`  ${clean(clip(e.object, 90))}  ${what(e)}`);
    if (x.top.length < x.distinct) lines.push(s.dim(`  … ${num(x.distinct - x.top.length)} more (--top, --csv)`));
  };
  section('Objects read', o.read, (e) => `${num(e.requests)} req, ${bytes(e.bytes)}, ${range(e.first, e.last)}`);
  section('Containers and directories listed', o.listed, (e) => `${num(e.requests)} req, ${range(e.first, e.last)}`);
  const changed = (e: ObjectsOut['top'][number]) => `${e.operations.map(clean).join(', ')} ×${num(e.requests)}, last ${when(e.last, '?')} from ${e.callers.map(clean).join(', ')}`;
  section('Objects changed — possible tampering: compare with known-good copies', o.changed, changed, true);
  section('Objects deleted', o.deleted, changed, true);
  return lines;
}

function failureLines(result: LogsResult, s: Style): string[] {
  const f = result.summary.failures;
  const rev = result.summary.revocation;
  if (!f.total && !rev) return [];
  const lines = ['', s.bold(`Failed attempts (${num(f.total)})`)];
  for (const k of FAILURE_KINDS) {
    const x = f.byKind[k];
    if (x.requests) lines.push(`  ${num(x.requests).padStart(9)}  ${FAILURE_WORDS[k]}  ${s.dim(range(x.first, x.last))}`);
  }
  if (rev) lines.push(`  after revocation (${when(rev.at, '?')}): ${num(rev.failuresAfter)} failed, ${num(rev.successesAfter)} succeeded`);
  else if (f.firstRejectionWithinValidity && result.target) lines.push(`  first refusal while the link was still valid: ${when(f.firstRejectionWithinValidity, '?')} (revocation or a network rule?)`);
  return lines;
}

function windowLines(result: LogsResult, s: Style): string[] {
  const w = result.summary.window;
  if (!w || !result.summary.use.requests) return [];
  const part = (name: string, p: typeof w.inside) => `${name} ${num(p.requests)} (${num(p.successes)} ok, ${bytes(p.bytesOut)}, ${num(p.changes)} changes)`;
  const lines = ['', s.bold('Exposure window'), `  ${[part('before', w.before), part('inside', w.inside), part('after', w.after)].join(' · ')}`];
  const cov = result.summary.logs.windowCoverage;
  if (cov && cov.days) lines.push(`  the logs cover ${num(cov.daysWithRecords)} of its ${num(cov.days)} days`);
  return lines;
}

function extraLines(result: LogsResult, s: Style): string[] {
  const sum = result.summary;
  const lines: string[] = [];
  const keys = Object.entries(sum.signingKeys);
  if (keys.length) {
    const list = keys.map(([k, n]) => `${k} (${count(n, 'request')})`).join(', ');
    lines.push('', row('signed with', result.target ? `${list}: rotate ${keys.map(([k]) => k).join(' and ')} to revoke this link` : list));
  }
  const policy = Object.entries(sum.sasExpiryPolicy);
  if (policy.length) lines.push(row('SAS policy', policy.map(([k, n]) => `${clean(k)}: ${num(n)}`).join('; ')));
  if (sum.probes.requests) lines.push(row('own checks', `${count(sum.probes.requests, 'sasquatch verification request')} (client request id sasquatch-…), ${range(sum.probes.first, sum.probes.last)}: not counted above`));
  if (sum.days.length > 1) {
    const busiest = [...sum.days].sort((a, b) => b.requests - a.requests || (a.day < b.day ? -1 : 1)).slice(0, 5);
    lines.push(row('busiest days', busiest.map((d) => `${d.day} ${num(d.requests)}`).join(' · ')));
  }
  if (sum.tokens?.distinct) {
    lines.push('', s.bold(`SAS tokens (${num(sum.tokens.distinct)}${sum.tokens.distinctIsLowerBound ? '+' : ''} distinct)`));
    for (const t of sum.tokens.top) {
      const id = t.id.startsWith('sha256:') ? `signature SHA-256 ${t.id.slice(7, 23)}…` : 'signature not in the logs';
      const changes = t.changes ? `  ${s.severity('high', count(t.changes, 'change'))}` : '';
      lines.push(`  ${num(t.requests).padStart(9)} req (${num(t.successes)} ok)  ${id}${t.signingKey ? `, ${t.signingKey}` : ''}  ${s.dim(range(t.first, t.last))}${changes}`);
      if (t.fields) lines.push(`             ${s.dim(clean(clip(t.fields, 140)))}`);
    }
  }
  return lines;
}

function malformedLines(result: LogsResult, s: Style): string[] {
  const i = result.inputs;
  if (!i.malformed) return [];
  const lines = ['', s.bold(`Malformed lines (${num(i.malformed)}, skipped)`)];
  for (const m of i.malformedSamples) lines.push(`  ${clean(m.source)}:${m.line}  ${clean(m.error)}`);
  if (i.malformedSamples.length < i.malformed) {
    lines.push(s.dim(`  … ${num(i.malformed - i.malformedSamples.length)} more (--verbose prints every one)`));
    for (const [reason, n] of Object.entries(i.malformedByReason)) lines.push(s.dim(`  ${num(n).padStart(9)}  ${clean(reason)}`));
  }
  return lines;
}

function noticeLines(result: LogsResult, s: Style): string[] {
  const shown = result.inputs.notices.filter((n) => n.level === 'warning');
  if (!shown.length) return [];
  return ['', ...shown.map((n) => `${s.dim('warning:')} ${clean(n.path)}: ${clean(n.message)}`)];
}

// ---- formatting

/** Escapes control and bidirectional-override characters so log text cannot drive the terminal. */
export function clean(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => {
    const code = c.charCodeAt(0);
    return code > 0xff ? `\\u${code.toString(16).padStart(4, '0')}` : `\\x${code.toString(16).padStart(2, '0')}`;
  });
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function count(n: number, noun: string): string {
  return `${num(n)} ${noun}${n === 1 ? '' : noun.endsWith('ss') ? 'es' : 's'}`;
}

export function num(n: number): string {
  return n.toLocaleString('en-US');
}

export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(v < 10 ? 2 : 1)} ${units[u]}`;
}

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

/** An instant to the second (logs give sub-second precision; the CSV and JSON keep it). */
function when(isoTime: string | null, missing: string): string {
  return isoTime ? isoTime.replace(/\.\d+Z$/, 'Z') : missing;
}

function range(first: string | null, last: string | null): string {
  if (!first) return '';
  return first === last ? when(first, '?') : `${when(first, '?')} → ${when(last, '?')}`;
}

/** Appends lines (or a line) without spreading them into arguments: inputs and notices can be many. */
function add(out: string[], ...parts: (readonly string[] | string)[]): void {
  for (const p of parts) {
    if (typeof p === 'string') out.push(p);
    else for (const l of p) out.push(l);
  }
}
