import picomatch from 'picomatch';
import type { GitleaksIgnoreEntry } from '../config/gitleaksignore.js';
import type { Finding } from '../model/finding.js';

/**
 * Findings the user has accepted: inline allow comments (marked when the finding was built),
 * the baseline (fingerprints), and the configuration's allow list. Suppressed findings are
 * kept and counted — never silently dropped — but do not fail the scan.
 */
export interface AllowRule {
  fingerprint?: string;
  rule?: string;
  /** Glob against the finding's path. */
  path?: string;
  reason?: string;
}

export interface Suppressions {
  baseline?: ReadonlySet<string>;
  allow?: readonly AllowRule[];
  /** `.gitleaksignore` entries (config/gitleaksignore.ts); those that accepted a finding are added to `used`. */
  gitleaks?: { file: string; entries: readonly GitleaksIgnoreEntry[]; used: Set<GitleaksIgnoreEntry> };
}

export function applySuppressions(findings: Finding[], s: Suppressions): { active: Finding[]; suppressed: Finding[] } {
  const matchers = (s.allow ?? []).map((a) => ({ a, path: a.path ? picomatch(a.path, { dot: true }) : null }));
  const active: Finding[] = [];
  const suppressed: Finding[] = [];
  for (const f of findings) {
    if (!f.suppressed && s.baseline?.has(f.fingerprint)) f.suppressed = { by: 'baseline' };
    if (!f.suppressed && s.gitleaks) {
      const entry = s.gitleaks.entries.find((e) => gitleaksMatch(e, f));
      if (entry) {
        f.suppressed = { by: 'gitleaksignore', reason: `.gitleaksignore: ${entry.raw}` };
        s.gitleaks.used.add(entry);
      }
    }
    if (!f.suppressed) {
      const hit = matchers.find(({ a, path }) => (!a.fingerprint || a.fingerprint === f.fingerprint) && (!a.rule || a.rule === f.rule) && (!path || path(f.location.path)));
      if (hit) f.suppressed = { by: 'policy', reason: hit.a.reason ?? 'allowed by configuration' };
    }
    (f.suppressed ? suppressed : active).push(f);
  }
  return { active, suppressed };
}

/** Same path and line; and when the entry names a commit, the finding's commit or the one that introduced it. */
function gitleaksMatch(e: GitleaksIgnoreEntry, f: Finding): boolean {
  if (e.path !== f.location.path || e.line !== f.location.line) return false;
  if (!e.commit) return true;
  const commits = [f.location.commit, f.history?.introduced.commit].filter(Boolean).map((c) => c!.toLowerCase());
  return commits.includes(e.commit);
}

export function countSuppressed(suppressed: readonly Finding[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const f of suppressed) {
    const by = f.suppressed?.by ?? 'other';
    out[by] = (out[by] ?? 0) + 1;
  }
  return out;
}
