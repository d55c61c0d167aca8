import { SEVERITIES } from '../model/severity.js';
import type { RunStatus } from '../store/scans.js';
import { makeStyle } from './style.js';
import { formatBytes } from './verification.js';

/**
 * `org status`: the run's repositories by state, throughput, failures with their errors,
 * and the store's open findings by severity.
 */
export function renderRunStatus(s: RunStatus, opts: { color: boolean; store: string }): string {
  const style = makeStyle(opts.color);
  const out: string[] = [];
  if (!s.run) {
    out.push(`No organisation scan in ${opts.store} yet (sasquatch org scan …).`);
  } else {
    const r = s.run;
    out.push(style.bold(`Run ${r.id}: ${r.spec}`) + style.dim(`  started ${r.startedAt.toISOString()}`));
    out.push(`  listed ${r.listed}, queued ${r.queued}, unchanged ${r.unchanged}`);
    const total = s.scans.queued + s.scans.running + s.scans.done + s.scans.failed;
    out.push(`  repositories: ${s.scans.queued} queued, ${s.scans.running} running, ${s.scans.done} done, ${s.scans.failed} failed${total ? ` (of ${total})` : ''}`);
    out.push(`  ${progressBar(s, 40)}`);
    const t = s.throughput;
    if (t.seconds > 0) {
      out.push(
        `  throughput: ${t.reposPerMinute.toFixed(1)} repositories/min, ${formatBytes(Math.round(t.bytesPerSecond))}/s; ${t.commits} commits, ${t.blobs} blobs read (${formatBytes(t.bytes)}), ${t.knownBlobs} blobs already scanned elsewhere, over ${t.seconds.toFixed(1)} s`,
      );
    }
    for (const f of s.running.slice(0, 10)) out.push(style.dim(`  running: ${f.repository}${f.since ? ` since ${f.since.toISOString()}` : ''}${f.attempts > 1 ? ` (attempt ${f.attempts})` : ''}`));
    if (s.failed.length) {
      out.push(style.bold(`  failed (${s.failed.length}):`));
      for (const f of s.failed) out.push(`    ${f.repository}: ${f.error} (${f.attempts} attempt${f.attempts === 1 ? '' : 's'})`);
    }
    for (const n of r.notices.slice(0, 10)) out.push(style.dim(`  note: ${String(n)}`));
  }
  const bySev = SEVERITIES.slice()
    .reverse()
    .map((sev) => `${style.severity(sev, String(s.findings.bySeverity[sev]))} ${sev}`)
    .join(', ');
  out.push(`Open findings: ${s.findings.total} (${bySev})`);
  return `${out.join('\n')}\n`;
}

/** `[#########...........] 45/200` */
export function progressBar(s: RunStatus, width: number): string {
  const total = s.scans.queued + s.scans.running + s.scans.done + s.scans.failed;
  const finished = s.scans.done + s.scans.failed;
  const filled = total ? Math.round((finished / total) * width) : width;
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${finished}/${total}`;
}
