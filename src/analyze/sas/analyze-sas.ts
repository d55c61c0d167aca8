import { redactQueryParam } from '../redact.js';
import type { Analysis, AnalysisContext, MatchInput } from '../types.js';
import { explainSas } from './explain.js';
import { readSas, type SasCandidate } from './grant.js';
import { sasPlaybook, sasRemediation } from './remediation.js';
import { judgeSas } from './severity.js';

/** The azure-sas analyzer: regex groups → grant, severity, explanation, playbook. */
export function analyzeSas(match: MatchInput, ctx: AnalysisContext): Analysis | null {
  const g = match.groups;
  const candidate: SasCandidate = { query: g['query'] ?? match.text };
  if (g['url']) candidate.url = g['url'];
  if (g['cs'] !== undefined && /sharedaccesssignature=/i.test(match.text)) candidate.connectionString = match.text;
  if (match.context) candidate.nearby = match.context;
  if (match.line !== undefined) candidate.line = match.line;
  const reading = readSas(candidate, ctx.now);
  if ('notSas' in reading) return null;
  const { grant, verdict } = reading;
  const example = verdict !== 'real';
  const judged = example ? exampleJudgement(verdict) : judgeSas(grant, ctx.now, ctx.policy);
  const raw = reading.token;
  const material: Record<string, string> = { token: raw };
  // a host the code fills in at run time is no host to send the token to
  if (candidate.url && !grant.endpoint?.host?.match(/[{}%$]/)) material['url'] = `${candidate.url}?${raw}`;
  if (candidate.connectionString) material['connectionString'] = candidate.connectionString;
  return {
    rule: 'azure-sas',
    title: titleOf(grant.kind),
    severity: judged.severity,
    reasons: judged.reasons,
    grant,
    explanation: example ? undefined : explainSas(grant, ctx.now),
    remediation: example ? undefined : sasRemediation(grant, ctx.now),
    playbook: example ? undefined : sasPlaybook(grant, ctx.now),
    secretValue: reading.signature,
    shown: { raw, redacted: redactQueryParam(raw, 'sig') },
    example,
    material,
  };
}

function exampleJudgement(verdict: string) {
  return {
    severity: 'info' as const,
    reasons: [verdict === 'malformed' ? 'signature is not a valid HMAC-SHA256 (truncated or edited)' : 'placeholder signature: a documentation example, not a secret'],
  };
}

function titleOf(kind: string): string {
  switch (kind) {
    case 'account-sas':
      return 'Azure account SAS';
    case 'user-delegation-sas':
      return 'Azure user delegation SAS';
    case 'legacy-sas':
      return 'Azure legacy SAS';
    default:
      return 'Azure service SAS';
  }
}
