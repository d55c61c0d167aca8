import { pathToFileURL } from 'node:url';
import { describeFiltered, filteredCount } from '../analyze/listing.js';
import { ruleHelp } from '../analyze/rule-help.js';
import { BUILTIN_RULES } from '../detect/rules/index.js';
import type { Rule } from '../detect/types.js';
import { CONFIDENCES, type Confidence } from '../model/confidence.js';
import type { Finding } from '../model/finding.js';
import type { Severity } from '../model/severity.js';
import { TOOL } from '../version.js';
import { historyLine } from './history-summary.js';
import type { ReportInput } from './types.js';
import { incomplete, incompleteText, summarizeNotices } from './notices.js';
import { couldNotScan, SCAN_ERRORS } from '../sources/types.js';

/**
 * SARIF 2.1.0 as GitHub code scanning accepts it: each rule id once, every result with a
 * physical location and a partial fingerprint that survives line moves.
 */
const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note' };
const SECURITY_SEVERITY: Record<Severity, string> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0', info: '0.0' };
/** GitHub's `precision` rule property (very-high, high, medium, low) from a rule's confidence. */
const PRECISION: Record<Confidence, string> = { high: 'very-high', medium: 'high', low: 'low' };
/** SARIF `rank` (0–100, higher = more important to look at): confidence weighs it. */
const RANK: Record<Confidence, number> = { high: 90, medium: 60, low: 20 };

export function sarifReport(input: ReportInput, rules: readonly Rule[] = BUILTIN_RULES): object {
  const all = [...input.findings, ...input.suppressed];
  const used = usedRules(all, rules);
  const index = new Map(used.map((r, i) => [r.id, i]));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: TOOL.name,
            version: TOOL.version,
            semanticVersion: TOOL.version,
            informationUri: TOOL.informationUri,
            rules: used.map((r) => sarifRule(r, ruleConfidence(r, all))),
          },
        },
        originalUriBaseIds: { '%SRCROOT%': srcRoot(input.root) },
        invocations: [
          {
            // false when something could not be scanned: the run did not do all it was asked
            executionSuccessful: !incomplete(input.notices),
            startTimeUtc: input.stats.startedAt,
            toolExecutionNotifications: notifications(input),
            // which configuration decided what was scanned and reported
            ...(input.config ? { properties: { configuration: input.config } } : {}),
          },
        ],
        results: all.map((f) => sarifResult(f, index.get(f.rule) ?? 0)),
        ...(runProperties(input) ? { properties: runProperties(input) } : {}),
      },
    ],
  };
}

export function renderSarif(input: ReportInput, rules?: readonly Rule[]): string {
  return `${JSON.stringify(sarifReport(input, rules), null, 2)}\n`;
}

/** Rules that produced results, each once; unknown ids (from plugins) get a minimal entry. */
function usedRules(findings: Finding[], rules: readonly Rule[]): Rule[] {
  const ids = [...new Set(findings.map((f) => f.rule))].sort();
  return ids.map(
    (id) =>
      rules.find((r) => r.id === id) ?? {
        id,
        family: id,
        title: id,
        description: id,
        keywords: [],
        pattern: /$^/,
        severity: 'medium',
        grantSummary: '',
        examples: [],
        negativeExamples: [],
      },
  );
}

/**
 * Result URIs are relative to the repository root (or the scan root outside git): %SRCROOT% says
 * where that is, as an absolute file URI ending in `/` (SARIF §3.14.14).
 */
function srcRoot(root: string | undefined): object {
  const description = { text: 'The repository root (outside git: the directory the scan reports paths from)' };
  if (!root) return { description };
  const href = pathToFileURL(root).href;
  return { uri: href.endsWith('/') ? href : `${href}/`, description };
}

/**
 * The rule's own default. GitHub code scanning reads `security-severity` from the rule only
 * (result properties are not among the properties it ingests); it takes each result's `level`,
 * and other consumers read the result's own `security-severity` — so one critical link never
 * makes every other finding of its rule look critical.
 */
function sarifRule(r: Rule, confidence: Confidence): object {
  const playbook = ruleHelp(r.id);
  return {
    id: r.id,
    name: r.id.replace(/(^|-)([a-z0-9])/g, (_m, _d: string, c: string) => c.toUpperCase()),
    shortDescription: { text: r.title },
    fullDescription: { text: r.description },
    help: playbook
      ? { text: `${playbook.text}\nWhat sasquatch reports: ${r.grantSummary}.`, markdown: `${playbook.markdown}\n\n**What sasquatch reports:** ${r.grantSummary}.` }
      : {
          text: `${r.description}\nWhat sasquatch reports: ${r.grantSummary}.\nFix: revoke the credential at its issuer, replace it with a narrow short-lived one kept out of code, then check access logs for the time it was exposed (sasquatch explain / logs).`,
          markdown: `${r.description}\n\n**What sasquatch reports:** ${r.grantSummary}.\n\n**Fix:** revoke the credential at its issuer, replace it with a narrow, short-lived one kept out of code, then check access logs for the time it was exposed (\`sasquatch explain\`, \`sasquatch logs\`).`,
        },
    defaultConfiguration: { level: LEVEL[r.severity] },
    properties: { tags: ['security', 'secret', r.family], precision: PRECISION[confidence], 'security-severity': SECURITY_SEVERITY[r.severity] },
  };
}

function sarifResult(f: Finding, ruleIndex: number): object {
  const region: Record<string, number> = { startLine: f.location.line, startColumn: f.location.column };
  if (f.location.endLine) region['endLine'] = f.location.endLine;
  if (f.location.endColumn && (f.location.endLine ?? f.location.line) >= f.location.line) region['endColumn'] = f.location.endColumn;
  const result: Record<string, unknown> = {
    ruleId: f.rule,
    ruleIndex,
    level: LEVEL[f.severity],
    message: { text: messageOf(f) },
    locations: [{ physicalLocation: { artifactLocation: { uri: encodeUri(f.location.path), uriBaseId: '%SRCROOT%' }, region } }],
    partialFingerprints: { 'sasquatch/v1': f.fingerprint },
    rank: RANK[f.confidence],
    properties: { severity: f.severity, confidence: f.confidence, 'security-severity': SECURITY_SEVERITY[f.severity], reasons: f.reasons, secret: f.secret, grant: f.grant ?? null },
  };
  if (f.playbook?.length) (result['properties'] as Record<string, unknown>)['playbook'] = f.playbook;
  // accepted findings stay visible to code scanning, marked as suppressed
  if (f.suppressed) result['suppressions'] = [{ kind: f.suppressed.by === 'inline' ? 'inSource' : 'external', justification: f.suppressed.reason ?? `accepted (${f.suppressed.by})` }];
  const props = result['properties'] as Record<string, unknown>;
  if (f.verification) props['verification'] = { status: f.verification.status, ...(f.verification.cause ? { cause: f.verification.cause } : {}), reason: f.verification.reason, httpStatus: f.verification.httpStatus, errorCode: f.verification.errorCode };
  if (f.exposure) props['exposure'] = { totals: f.exposure.totals, partial: f.exposure.partial, writable: f.exposure.writable, sensitiveCounts: f.exposure.sensitiveCounts };
  if (f.location.commit) props['commit'] = f.location.commit;
  if (f.location.uncommitted) props['uncommitted'] = true;
  if (f.history) props['history'] = f.history;
  return result;
}

/** A rule's confidence: what it declares, else the highest of its results in this run (a checksum rule's tokens are high). */
function ruleConfidence(r: Rule, findings: Finding[]): Confidence {
  if (r.confidence) return r.confidence;
  const seen = findings.filter((f) => f.rule === r.id).map((f) => f.confidence);
  return CONFIDENCES.slice().reverse().find((c) => seen.includes(c)) ?? (r.generic ? 'low' : 'medium');
}

function messageOf(f: Finding): string {
  const head = `${f.title} (${f.severity}, ${f.confidence} confidence): ${f.reasons.slice(0, 4).join('; ')}.`;
  const history = f.history ? ` History: ${historyLine(f.history, f.grant?.expiry ?? null)}.` : '';
  const where = f.location.commit ? ` Line ${f.location.line} of ${f.location.path} as of commit ${f.location.commit.slice(0, 12)}.` : '';
  return `${head}${history}${where}${f.explanation ? ` ${f.explanation}` : ''}`;
}

/** SARIF URIs are URI references: keep `/`, escape what a URI cannot hold. */
function encodeUri(path: string): string {
  return path.split('/').map((seg) => encodeURIComponent(seg).replace(/%21/g, '!')).join('/');
}

/** Errors (could not be scanned) and warnings one each, then one note counting what was skipped by choice. */
function notifications(input: ReportInput): object[] {
  const out: object[] = [];
  for (const n of input.notices) {
    const error = couldNotScan(n);
    if (!error && n.level !== 'warning') continue;
    const props: Record<string, unknown> = { path: n.path };
    if (n.skipped) props['skipped'] = n.skipped;
    if (n.count) props['count'] = n.count;
    out.push({ level: error ? 'error' : 'warning', message: { text: `${n.path}: ${n.message}` }, ...(n.skipped ? { descriptor: { id: n.skipped } } : {}), properties: props });
  }
  const errors = new Set<string>(SCAN_ERRORS);
  const skips = Object.entries(input.stats.skipped ?? {}).filter(([reason]) => !errors.has(reason));
  if (skips.length) out.push({ level: 'note', message: { text: `Not scanned (by choice or limit): ${skips.map(([reason, n]) => `${n} ${reason}`).join(', ')}` }, properties: { skipped: Object.fromEntries(skips) } });
  const summary = summarizeNotices(input.notices);
  if (summary.errorTotal) out.push({ level: 'error', message: { text: incompleteText(summary) }, properties: { errors: summary.errorCounts } });
  return out;
}

/** Findings held back from the results (below --min-confidence; low-confidence info), counted. */
function runProperties(input: ReportInput): object | undefined {
  const held = filteredCount(input.stats.filtered);
  if (!held) return undefined;
  return { filtered: input.stats.filtered, minConfidence: input.stats.minConfidence ?? 'low', note: `${held} not reported (${describeFiltered(input.stats.filtered, input.stats.minConfidence)}): sasquatch scan --all lists them` };
}
