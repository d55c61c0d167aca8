import type { Rule, LocatedMatch } from '../detect/types.js';
import type { Finding } from '../model/finding.js';
import { severityRank, type Severity } from '../model/severity.js';
import { policyViolations } from './policy-check.js';
import { ANALYZERS } from './analyzers.js';
import { fingerprintOf } from './fingerprint.js';
import { redactValue } from './redact.js';
import type { Analysis, AnalysisContext } from './types.js';

export interface FindingOptions extends AnalysisContext {
  showSecrets: boolean;
  includeExamples: boolean;
  /** Honour inline allow comments (default true; --no-inline-allow turns it off). */
  inlineAllow?: boolean;
  /** Per-rule severity set by configuration. */
  severityOverrides?: ReadonlyMap<string, Severity>;
}

/** Secret material kept apart from findings (for verification); keyed by fingerprint. */
export type SecretMaterial = Map<string, Record<string, string>>;

/**
 * Turns one blob's matches into findings: analyze each, drop look-alikes and (unless asked)
 * examples, number repeats of the same secret, fingerprint, and redact — here, once, so no
 * report format can show what another hides.
 */
export function findingsForBlob(
  path: string,
  matches: readonly LocatedMatch[],
  rules: ReadonlyMap<string, Rule>,
  opts: FindingOptions,
  material?: SecretMaterial,
): Finding[] {
  const seen = new Map<string, number>();
  const out: Finding[] = [];
  for (const m of [...matches].sort((a, b) => a.start - b.start)) {
    const rule = rules.get(m.rule);
    if (!rule) continue;
    const analysis = analyze(rule, m, opts);
    if (!analysis || (analysis.example && !opts.includeExamples)) continue;
    const key = `${analysis.rule}\0${analysis.secretValue}`;
    const ordinal = seen.get(key) ?? 0;
    seen.set(key, ordinal + 1);
    applyPolicy(analysis, opts);
    const override = opts.severityOverrides?.get(analysis.rule);
    if (override) {
      analysis.severity = override;
      analysis.reasons.push(`severity set to ${override} by configuration`);
    }
    const finding = toFinding(path, m, rule, analysis, ordinal, opts.showSecrets);
    if (m.allowMarker && opts.inlineAllow !== false) finding.suppressed = { by: 'inline', reason: m.allowMarker };
    if (material && analysis.material) material.set(finding.fingerprint, analysis.material);
    out.push(finding);
  }
  return out;
}

/** Policy violations become reasons, and raise a usable link to the policy's severity floor. */
function applyPolicy(a: Analysis, ctx: AnalysisContext): void {
  if (!a.grant || a.example) return;
  const violations = policyViolations(a.grant, ctx.policy, ctx.now);
  if (!violations.length) return;
  a.reasons.push(...violations);
  const floor = ctx.policy.violationSeverity ?? 'high';
  const usable = a.grant.expired !== true && !a.grant.emulator;
  if (usable && severityRank(a.severity) < severityRank(floor)) a.severity = floor;
}

function analyze(rule: Rule, m: LocatedMatch, ctx: AnalysisContext): Analysis | null {
  const analyzer = rule.analyzer ? ANALYZERS[rule.analyzer] : undefined;
  if (analyzer) return analyzer(m, ctx);
  const secret = m.groups['secret'] ?? m.text;
  return {
    rule: rule.id,
    severity: rule.severity,
    reasons: [rule.description],
    grant: null,
    secretValue: secret,
    shown: { raw: secret, redacted: redactValue(secret) },
    example: false,
  };
}

function toFinding(path: string, m: LocatedMatch, rule: Rule, a: Analysis, ordinal: number, showSecrets: boolean): Finding {
  const finding: Finding = {
    fingerprint: fingerprintOf(a.rule, a.secretValue, path, ordinal),
    rule: a.rule,
    family: rule.family,
    title: a.title ?? rule.title,
    severity: a.severity,
    reasons: a.reasons,
    location: { path, line: m.line, column: m.column, endLine: m.endLine, endColumn: m.endColumn },
    secret: showSecrets ? a.shown.raw : a.shown.redacted,
    redacted: !showSecrets,
    grant: a.grant,
  };
  if (m.cell !== undefined) finding.location.cell = m.cell;
  if (m.encoding !== 'plain') finding.location.encoding = m.encoding;
  if (a.explanation) finding.explanation = a.explanation;
  if (a.remediation) finding.remediation = a.remediation;
  if (a.playbook) finding.playbook = a.playbook;
  if (a.example) finding.example = true;
  return finding;
}
