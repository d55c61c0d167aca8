import type { Exposure, Verification } from '../model/verification.js';
import { formatBytes, plural } from '../verify/units.js';
import type { Style } from './style.js';

export { formatBytes };

/** Text lines for a verification block: verdict, then one line per request (the evidence). */
export function verificationLines(v: Verification, style: Style, opts: { requests?: boolean } = {}): string[] {
  const head = `${style.dim('verified:')} ${statusText(v, style)} — ${v.reason}${v.cached ? style.dim(' (cached)') : ''}`;
  const lines = [head];
  if (opts.requests !== false) {
    for (const r of v.requests) {
      const answer = r.status !== null ? `${r.status}${r.errorCode ? ` ${r.errorCode}` : ''}` : `no response (${r.error ?? '?'})`;
      lines.push(`  ${style.dim('→')} ${r.method} ${r.operation}: ${answer}${r.server ? style.dim(` [${r.server}]`) : ''}${r.clientRequestId ? style.dim(` ${r.clientRequestId}`) : ''}`);
    }
  }
  if (v.permissions?.length) {
    lines.push(`  ${style.dim('permissions:')} ${v.permissions.map((p) => `${p.permission} ${p.result}`).join(', ')}`);
  }
  return lines;
}

function statusText(v: Verification, style: Style): string {
  const s = v.status === 'unknown' && v.cause ? `UNKNOWN (${v.cause})` : v.status.toUpperCase();
  switch (v.status) {
    case 'live':
      return style.severity('critical', s);
    case 'ip-restricted':
    case 'not-yet-valid':
      return style.severity('medium', s);
    case 'expired':
    case 'revoked-or-invalid':
      return style.severity('low', s);
    default:
      return style.bold(s);
  }
}

/** Text lines for an exposure block: totals, containers, largest and sensitive objects. */
export function exposureLines(e: Exposure, style: Style, opts: { detail?: boolean } = {}): string[] {
  const plus = e.partial ? '+' : '';
  const lines = [
    `${style.dim('exposure:')} ${plural(e.totals.containers, 'container')}, ${plural(`${e.totals.objects}${plus}`, 'object')}, ${formatBytes(e.totals.bytes)}${plus}${e.writable ? ', WRITABLE' : ', read-only'}` +
      `${e.enumerable.length ? ` · can enumerate ${e.enumerable.join(', ')}` : ''}${e.partial ? ` · ${style.bold('PARTIAL')}: ${e.partialReasons.join('; ')}` : ''}`,
  ];
  const detail = opts.detail ?? false;
  if (detail) {
    for (const c of e.containers) lines.push(`  ${c.name}: ${plural(`${c.objects}${c.partial ? '+' : ''}`, 'object')}, ${formatBytes(c.bytes)}${c.error ? ` (${c.error})` : ''}`);
    if (e.queues) lines.push(`  queues: ${e.queues.names.length}${e.queues.partial ? '+' : ''}${e.queues.names.length ? ` (${e.queues.names.slice(0, 10).join(', ')})` : ''}${e.queues.error ? ` — ${e.queues.error}` : ''}`);
    if (e.tables) lines.push(`  tables: ${e.tables.names.length}${e.tables.partial ? '+' : ''}${e.tables.names.length ? ` (${e.tables.names.slice(0, 10).join(', ')})` : ''}${e.tables.error ? ` — ${e.tables.error}` : ''}`);
    if (e.shares) lines.push(`  shares: ${e.shares.names.length}${e.shares.partial ? '+' : ''}${e.shares.error ? ` — ${e.shares.error}` : ''}`);
    if (e.largest.length) {
      lines.push(`  ${style.dim('largest:')}`);
      for (const o of e.largest) lines.push(`    ${formatBytes(o.bytes).padStart(10)}  ${o.container}/${o.name}`);
    }
  }
  const counts = Object.entries(e.sensitiveCounts);
  if (counts.length) {
    lines.push(`  ${style.bold('sensitive:')} ${counts.map(([k, n]) => `${n} ${k}`).join(', ')}`);
    const shown = detail ? e.sensitive : e.sensitive.slice(0, 5);
    for (const s of shown) lines.push(`    ${s.category.padEnd(16)} ${s.container}/${s.name} (${formatBytes(s.bytes)})${s.writable ? ' — writable' : ''}`);
    if (shown.length < e.sensitive.length) lines.push(`    … ${e.sensitive.length - shown.length} more (exposure --format json lists them)`);
  }
  if (e.content) {
    lines.push(`  ${style.dim('content scan:')} ${e.content.objectsScanned} objects, ${formatBytes(e.content.bytesDownloaded)} of ${formatBytes(e.content.budgetBytes)} budget, ${e.content.findings.length} secrets`);
    for (const c of e.content.findings.slice(0, detail ? 50 : 5)) lines.push(`    ${c.severity.padEnd(8)} ${c.rule} in ${c.container}/${c.name}:${c.line}  ${c.secret}`);
  }
  lines.push(`  ${style.dim(`${e.requests} requests, ${(e.durationMs / 1000).toFixed(1)} s`)}`);
  return lines;
}
