import type { Finding } from '../model/finding.js';
import { countBySeverity, SEVERITIES } from '../model/severity.js';
import type { FindingDetail, StoredFinding } from '../store/types.js';
import { detailLine, grantLines } from './grant-summary.js';
import { historyLine } from './history-summary.js';
import { makeStyle } from './style.js';
import type { ReportInput } from './types.js';

/**
 * Findings read from the store, in every report format. For the machine formats (JSON,
 * SARIF, GitHub, JUnit, HTML) each finding is the report contract's record, its path put
 * under its repository's name, with a `store` block (triage state, where it lives); text is
 * a list people scan by eye.
 */
export function storedReportInput(items: readonly StoredFinding[], now: Date, spec: string): ReportInput {
  const findings = items.map(withStoreBlock);
  const byRule: Record<string, number> = {};
  for (const f of findings) byRule[f.rule] = (byRule[f.rule] ?? 0) + 1;
  return {
    findings,
    suppressed: [],
    notices: [],
    targets: [spec],
    now,
    stats: {
      startedAt: now.toISOString(),
      durationMs: 0,
      filesScanned: 0,
      bytesScanned: 0,
      threads: 0,
      skipped: {},
      findingsBySeverity: countBySeverity(findings),
      findingsByRule: byRule,
      suppressed: {},
    },
  };
}

function withStoreBlock(s: StoredFinding): Finding & { store: object } {
  const first = s.places[0];
  const f = s.finding;
  return {
    ...f,
    location: { ...f.location, path: first ? `${first.repository}/${first.path}` : f.location.path },
    store: {
      status: s.status,
      note: s.statusNote,
      by: s.statusBy,
      at: s.statusAt?.toISOString() ?? null,
      firstSeen: s.firstSeen.toISOString(),
      lastSeen: s.lastSeen.toISOString(),
      presentAtHead: s.presentAtHead,
      stillValid: s.stillValid,
      repositories: s.places.map((p) => ({
        name: p.repository,
        url: p.url,
        path: p.path,
        line: p.line,
        presentAtHead: p.presentAtHead,
        introduced: p.introducedCommit ? { commit: p.introducedCommit, date: p.introducedAt?.toISOString() ?? null } : null,
        removed: p.removedCommit || p.removedAt ? { commit: p.removedCommit, date: p.removedAt?.toISOString() ?? null } : null,
      })),
    },
  };
}

/** `findings list` as text: one line per finding, then the counts. */
export function renderStoredList(items: readonly StoredFinding[], total: number, offset: number, opts: { color: boolean }): string {
  const style = makeStyle(opts.color);
  const out: string[] = [];
  for (const s of items) {
    const f = s.finding;
    const place = s.places[0];
    const where = place ? `${place.repository} ${place.path}:${place.line ?? f.location.line}` : `${f.location.path}:${f.location.line}`;
    const more = s.places.length > 1 ? style.dim(` +${s.places.length - 1} more`) : '';
    const state = [s.presentAtHead ? '' : 'removed from HEAD', s.stillValid ? '' : 'no longer valid'].filter(Boolean).join(', ');
    out.push(
      `${s.fingerprint.slice(0, 10)}  ${style.severity(f.severity, f.severity.toUpperCase().padEnd(8))}  ${s.status.padEnd(14)}  ${f.rule.padEnd(24)}  ${where}${more}${state ? style.dim(` (${state})`) : ''}`,
    );
  }
  if (items.length) out.push('');
  const counts = countBySeverity(items.map((i) => i.finding));
  const sev = SEVERITIES.slice()
    .reverse()
    .filter((s) => counts[s])
    .map((s) => `${counts[s]} ${s}`)
    .join(', ');
  const shown = items.length ? (items.length < total || offset ? `showing ${offset + 1}–${offset + items.length} of ${total}` : `${total} finding${total === 1 ? '' : 's'}`) : 'no findings';
  out.push(style.bold(`${shown}${sev ? ` (${sev}${items.length < total ? ' on this page' : ''})` : ''}`));
  return `${out.join('\n')}\n`;
}

/** `findings show` as text: the finding, everywhere it lives, its occurrences and its triage history. */
export function renderStoredDetail(d: FindingDetail, now: Date, opts: { color: boolean }): string {
  const style = makeStyle(opts.color);
  const f = d.finding;
  const out: string[] = [];
  out.push(style.bold(`${d.fingerprint}  ${style.severity(f.severity, f.severity.toUpperCase())}  ${f.rule}  ${f.title}`));
  out.push(`status:     ${d.status}${d.statusBy ? ` (by ${d.statusBy}${d.statusAt ? `, ${d.statusAt.toISOString()}` : ''})` : ''}${d.statusNote ? ` — ${d.statusNote}` : ''}`);
  out.push(`seen:       first ${d.firstSeen.toISOString()}, last ${d.lastSeen.toISOString()}`);
  out.push(`valid:      ${d.stillValid ? 'not known to be expired or revoked' : 'no longer valid'}${d.presentAtHead ? '' : '; removed from HEAD everywhere'}`);
  out.push(`secret:     ${f.secret}`);
  if (f.grant) for (const l of grantLines(f.grant, now)) out.push(`            ${l}`);
  else if (f.details && detailLine(f.details)) out.push(`            ${detailLine(f.details)}`);
  if (f.reasons.length) out.push(`why:        ${f.reasons.join('; ')}`);
  if (f.history) out.push(`history:    ${historyLine(f.history, f.grant?.expiry ?? null)}`);
  out.push('', style.bold(`Repositories (${d.places.length})`));
  for (const p of d.places) {
    const intro = p.introducedCommit ? ` introduced ${p.introducedCommit.slice(0, 10)}${p.introducedAt ? ` ${p.introducedAt.toISOString().slice(0, 10)}` : ''}` : '';
    const head = p.presentAtHead ? 'at HEAD' : `removed${p.removedCommit ? ` in ${p.removedCommit.slice(0, 10)}` : ''}${p.removedAt ? ` ${p.removedAt.toISOString().slice(0, 10)}` : ''}`;
    out.push(`  ${p.repository}  ${p.path}:${p.line ?? '?'}  ${head}${intro}  ${style.dim(p.url)}`);
  }
  if (d.occurrences.length) {
    out.push('', style.bold(`Occurrences (${d.occurrences.length})`));
    for (const o of d.occurrences) out.push(`  ${o.repository}  ${o.commit ? o.commit.slice(0, 10) : '(working tree)'}  ${o.path}${o.line ? `:${o.line}` : ''}${o.date ? `  ${o.date.toISOString().slice(0, 10)}` : ''}`);
  }
  out.push('', style.bold(`Triage (${d.triage.length})`));
  if (!d.triage.length) out.push('  none yet');
  for (const t of d.triage) out.push(`  ${t.at.toISOString()}  ${t.actor}: ${t.previous} → ${t.status}${t.note ? ` — ${t.note}` : ''}`);
  return `${out.join('\n')}\n`;
}
