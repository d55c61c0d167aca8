import type { Finding } from '../model/finding.js';
import { maxSeverity, severityRank, type Severity } from '../model/severity.js';
import type { Exposure, Verification } from '../model/verification.js';
import { formatBytes, plural } from './units.js';

/**
 * Severity with live evidence (README "Severity", verification rules), applied after the
 * offline judgement; each change adds a reason saying why:
 * - live + account-wide + write/delete (or an account key)  → critical
 * - live + can overwrite model checkpoints it exposes        → critical (supply chain)
 * - live + exposes sensitive objects                         → at least high
 * - live otherwise                                           → at least medium
 * - verified expired or revoked/invalid                      → low (it was exposed; read the logs)
 * - not-yet-valid, ip-restricted, unknown (could not check)  → unchanged, reason added
 * Findings judged `info` (emulator, placeholders) are never raised.
 */
const WRITE_LIKE = new Set(['write', 'create', 'add', 'delete', 'update', 'permanent-delete', 'delete-version', 'all']);

export function applyEvidence(f: Finding): void {
  const v = f.verification;
  if (!v) return;
  const before = f.severity;
  if (before === 'info') {
    f.reasons.push(`verification: ${v.status}${v.cause ? ` (${v.cause})` : ''} — ${v.reason}`);
    return;
  }
  switch (v.status) {
    case 'live':
      live(f, v, f.exposure ?? null);
      break;
    case 'expired':
    case 'revoked-or-invalid':
      f.severity = 'low';
      f.reasons.unshift(`verified ${v.status}: ${v.reason}${before !== 'low' ? ` (lowered from ${before})` : ''}`);
      break;
    default:
      f.reasons.push(`verification: ${v.status}${v.cause ? ` (${v.cause})` : ''} — ${v.reason}`);
  }
}

function live(f: Finding, v: Verification, e: Exposure | null): void {
  const before = f.severity;
  const g = f.grant;
  const writable = Boolean(v.permissions?.some((p) => WRITE_LIKE.has(p.permission) && p.result !== 'denied')) || (g?.permissions ?? []).some((p) => WRITE_LIKE.has(p)) || /key|connection-string/.test(g?.kind ?? '');
  const accountWide = g?.scope === 'account' || /key|connection-string/.test(g?.kind ?? '');
  let target: Severity = maxSeverity(before, 'medium');
  const why: string[] = [`verified live: ${v.reason}`];
  if (accountWide && writable) {
    target = 'critical';
    why.push('live, writable and account-wide');
  }
  if (e) {
    const sensitive = Object.values(e.sensitiveCounts).reduce((a, b) => a + (b ?? 0), 0);
    why.push(`exposes ${plural(`${e.totals.objects}${e.partial ? '+' : ''}`, 'object')}, ${formatBytes(e.totals.bytes)}${e.partial ? '+' : ''} in ${plural(e.totals.containers, 'container')}`);
    if (sensitive) {
      target = maxSeverity(target, 'high');
      why.push(`${plural(sensitive, 'sensitive object')} (${Object.entries(e.sensitiveCounts).map(([k, n]) => `${n} ${k}`).join(', ')})`);
    }
    const models = e.sensitiveCounts['model-checkpoint'] ?? 0;
    if (models && e.writable) {
      target = 'critical';
      why.push(`can replace ${models} model checkpoint${models === 1 ? '' : 's'}: a supply-chain risk`);
    }
  }
  if (severityRank(target) > severityRank(before)) why.push(`raised from ${before}`);
  f.severity = target;
  // bounded: a few reasons
  f.reasons.unshift(...why);
}
