import type { Rule, LocatedMatch } from '../detect/types.js';
import type { Finding } from '../model/finding.js';
import { confidenceRank, type Confidence } from '../model/confidence.js';
import { severityRank, type Severity } from '../model/severity.js';
import { example } from './credential.js';
import { describeContext, insideVendor, pathContext } from './path-context.js';
import { placeholderShape } from './placeholder.js';
import { policyViolations } from './policy-check.js';
import { ANALYZERS } from './analyzers.js';
import { asDocumentedSample } from './doc-samples.js';
import { fingerprintOf } from './fingerprint.js';
import { redactPublicIds, redactText, redactValue } from './redact.js';
import type { Analysis, AnalysisContext } from './types.js';

export interface FindingOptions extends AnalysisContext {
  showSecrets: boolean;
  includeExamples: boolean;
  /** Honour inline allow comments (default true; --no-inline-allow turns it off). */
  inlineAllow?: boolean;
  /** Per-rule severity set by configuration. */
  severityOverrides?: ReadonlyMap<string, Severity>;
  /**
   * The directory the scan's paths are relative to, when it is itself third-party code
   * (`scan node_modules`): paths below it are judged as installed dependencies.
   */
  contextRoot?: string;
}

/** Secret material kept apart from findings (for verification); keyed by fingerprint. */
export type SecretMaterial = Map<string, Record<string, string>>;

interface Judged {
  m: LocatedMatch;
  rule: Rule;
  rank: number;
  analysis: Analysis;
}

/**
 * Turns one blob's matches into findings: analyze each, drop look-alikes and (unless asked)
 * examples, drop what another rule already reports whole, number repeats of the same
 * secret, fingerprint, and redact — here, once, so no report format can show what another
 * hides.
 */
export function findingsForBlob(
  path: string,
  matches: readonly LocatedMatch[],
  rules: ReadonlyMap<string, Rule>,
  opts: FindingOptions,
  material?: SecretMaterial,
  /** Filled, index-aligned with the result, with each finding's path- and ordinal-free identity (rule + secret). */
  identities?: string[],
): Finding[] {
  if (!matches.length) return [];
  const ranks = ranksOf(rules);
  const judged: Judged[] = [];
  for (const m of [...matches].sort((a, b) => a.start - b.start)) {
    const rule = rules.get(m.rule);
    if (!rule) continue;
    const analysis = analyze(rule, m, { now: opts.now, policy: opts.policy, path });
    if (analysis && rule.generic) dropPlaceholderShape(analysis);
    if (!analysis || (analysis.example && !opts.includeExamples)) continue;
    judged.push({ m, rule, rank: ranks.get(rule.id) ?? 0, analysis });
  }
  const seen = new Map<string, number>();
  const out: Finding[] = [];
  for (const j of withoutContained(judged)) {
    const key = `${j.analysis.rule}\0${j.analysis.secretValue}`;
    const ordinal = seen.get(key) ?? 0;
    seen.set(key, ordinal + 1);
    j.analysis.confidence = confidenceOf(j.rule, j.analysis);
    rankByPlace(j.analysis, path, opts.contextRoot);
    applyPolicy(j.analysis, opts);
    const override = opts.severityOverrides?.get(j.analysis.rule);
    if (override) {
      j.analysis.severity = override;
      j.analysis.reasons.push(`severity set to ${override} by configuration`);
    }
    const finding = toFinding(path, j.m, j.rule, j.analysis, ordinal, opts.showSecrets);
    if (j.m.allowMarker && opts.inlineAllow !== false) finding.suppressed = { by: 'inline', reason: j.m.allowMarker };
    if (material && j.analysis.material) material.set(finding.fingerprint, j.analysis.material);
    identities?.push(fingerprintOf(j.analysis.rule, j.analysis.secretValue, ''));
    out.push(finding);
  }
  return out;
}

const RANKS = new WeakMap<ReadonlyMap<string, Rule>, Map<string, number>>();

/** A rule's place in the rule list (earlier = more specific), computed once per rule set. */
function ranksOf(rules: ReadonlyMap<string, Rule>): Map<string, number> {
  let ranks = RANKS.get(rules);
  if (!ranks) RANKS.set(rules, (ranks = new Map([...rules.keys()].map((id, i) => [id, i]))));
  return ranks;
}

/**
 * Placeholders by shape (analyze/placeholder.ts) for every generic rule: a value known only
 * by where it is written that looks typed rather than generated is an example, not a leak.
 */
function dropPlaceholderShape(a: Analysis): void {
  if (a.example) return;
  const why = placeholderShape(a.secretValue);
  if (!why) return;
  const ex = example(a.rule, a.secretValue, `placeholder: ${why}`, { raw: a.shown.raw, redacted: a.shown.redacted, details: a.details });
  Object.assign(a, { ...ex, title: a.title, reasons: ex.reasons, material: undefined });
}

/**
 * How sure a finding is to be a real credential: what the analyzer says, else high when the
 * format proved itself (a checksum that holds, a key whose body parses, a link read into a
 * grant), else the rule's own (low for generic rules, medium otherwise).
 */
export function confidenceOf(rule: Rule, a: Analysis): Confidence {
  if (a.confidence) return a.confidence;
  const details = { ...a.grant?.details, ...a.details };
  if (details['checksumValid'] === true || details['wellFormed'] === true || (a.grant && !rule.generic)) return 'high';
  return rule.confidence ?? (rule.generic ? 'low' : 'medium');
}

/**
 * A low-confidence match in tests, fixtures, documentation, examples or installed
 * third-party code is most often sample data: ranked info (below every failing threshold)
 * with the reason, listed with --all. Findings of higher confidence keep their severity.
 */
function rankByPlace(a: Analysis, path: string, root?: string): void {
  if (a.example || a.severity === 'info' || confidenceRank(a.confidence ?? 'low') > confidenceRank('low')) return;
  const context = pathContext(path) ?? (root && insideVendor(root) ? 'vendor' : null);
  if (!context) return;
  a.reasons.push(`in ${describeContext(context)}: a match known only by its surroundings is most often sample data there (was ${a.severity})`);
  a.severity = 'info';
}

/** Policy violations become reasons, and raise a usable link to the policy's severity floor. */
function applyPolicy(a: Analysis, ctx: AnalysisContext): void {
  if (!a.grant || a.example) return;
  const violations = policyViolations(a.grant, ctx.policy, ctx.now);
  if (!violations.length) return;
  // bounded: one reason per policy rule
  a.reasons.push(...violations);
  const floor = ctx.policy.violationSeverity ?? 'high';
  const usable = a.grant.expired !== true && !a.grant.emulator;
  if (usable && severityRank(a.severity) < severityRank(floor)) a.severity = floor;
}

/**
 * One secret, one finding: when a rule's match lies inside what another rule reported
 * whole (the access key id inside a presigned URL, the private key inside a service-account
 * JSON), only the enclosing finding stays; on identical spans the rule listed first (the
 * more specific one) wins. A generic rule (a `password=` assignment, a URL with a password)
 * yields to any specific rule matching the same secret, even a smaller one. Examples never
 * hide a real finding.
 */
function withoutContained(list: Judged[]): Judged[] {
  const real = list.filter((j) => !j.analysis.example).sort((a, b) => a.m.start - b.m.start);
  // a match never spans more than its rule's window, so only near neighbours can matter
  const reach = real.reduce((n, j) => Math.max(n, j.m.end - j.m.start), 0);
  const near = (from: number, to: number, visit: (o: Judged) => boolean): boolean => {
    for (let i = firstStartingAtOrAfter(real, from - reach); i < real.length && real[i]!.m.start < to; i++) if (visit(real[i]!)) return true;
    return false;
  };
  const secretOf = (j: Judged): [number, number] => [j.m.secretStart ?? j.m.start, j.m.secretEnd ?? j.m.end];
  const kept = list.filter((j) => {
    if (!j.rule.generic) return true;
    const [s, e] = secretOf(j);
    return !near(s, e, (o) => !o.rule.generic && o.m.start < e && o.m.end > s);
  });
  const keptSet = new Set(kept);
  return kept.filter((j) => !near(j.m.start, j.m.start + 1, (o) => o !== j && keptSet.has(o) && o.rule.id !== j.rule.id && encloses(o, j)));
}

function encloses(outer: Judged, inner: Judged): boolean {
  if (inner.m.start < outer.m.start || inner.m.end > outer.m.end) return false;
  const same = outer.m.start === inner.m.start && outer.m.end === inner.m.end;
  if (!same) return true;
  return outer.rank < inner.rank;
}

function analyze(rule: Rule, m: LocatedMatch, ctx: AnalysisContext): Analysis | null {
  const analyzer = rule.analyzer ? ANALYZERS[rule.analyzer] : undefined;
  if (analyzer) {
    const a = analyzer(m, ctx);
    return a && asDocumentedSample(a);
  }
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
    confidence: confidenceOf(rule, a),
    reasons: a.reasons,
    location: { path, line: m.line, column: m.column, endLine: m.endLine, endColumn: m.endColumn },
    secret: showSecrets ? a.shown.raw : a.shown.redacted,
    redacted: !showSecrets,
    grant: a.grant,
  };
  if (a.details && Object.keys(a.details).length) finding.details = a.details;
  if (m.cell !== undefined) finding.location.cell = m.cell;
  if (m.encoding !== 'plain') finding.location.encoding = m.encoding;
  if (a.explanation) finding.explanation = a.explanation;
  if (a.remediation) finding.remediation = a.remediation;
  if (a.playbook) finding.playbook = a.playbook;
  if (a.example) finding.example = true;
  return showSecrets ? finding : redacted(finding);
}

/**
 * The last word on what a finding may print: every secret query parameter cut (any case, any
 * encoding) in the secret shown, and the ids that are findings on their own (AWS key ids,
 * Cloud Storage HMAC access ids) cut wherever the analyzers wrote them — reasons, grant,
 * explanation, remediation — so no report is itself a finding.
 */
function redacted(f: Finding): Finding {
  const entries = Object.entries(f).map(([k, v]) => [k, k === 'secret' ? redactText(v as string) : k === 'fingerprint' || k === 'location' ? v : deepMap(v, redactPublicIds)]);
  return Object.fromEntries(entries) as Finding;
}

function deepMap(v: unknown, fn: (s: string) => string): unknown {
  if (typeof v === 'string') return fn(v);
  if (Array.isArray(v)) return v.map((x) => deepMap(x, fn));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, deepMap(x, fn)]));
  return v;
}

function firstStartingAtOrAfter(sorted: Judged[], offset: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]!.m.start < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
