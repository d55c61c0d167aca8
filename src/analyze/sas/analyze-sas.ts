import { redactQueryParam } from '../redact.js';
import type { Analysis, AnalysisContext } from '../types.js';
import { explainSas } from './explain.js';
import { readSas, type SasCandidate } from './grant.js';
import { sasPlaybook, sasRemediation } from './remediation.js';
import { judgeSas } from './severity.js';

/** The azure-sas analyzer: regex groups → grant, severity, explanation, playbook. */
export function analyzeSas(match: { text: string; groups: Record<string, string> }, ctx: AnalysisContext): Analysis | null {
  const g = match.groups;
  const candidate: SasCandidate = { query: g['query'] ?? match.text };
  if (g['url']) candidate.url = g['url'];
  if (g['cs'] !== undefined && /sharedaccesssignature=/i.test(match.text)) candidate.connectionString = match.text;
  const reading = readSas(candidate, ctx.now);
  if ('notSas' in reading) return null;
  const { grant, verdict } = reading;
  const example = verdict !== 'real';
  const judged = example ? exampleJudgement(verdict) : judgeSas(grant, ctx.now, ctx.policy);
  const raw = reading.token;
  const material: Record<string, string> = { token: raw };
  if (candidate.url) material['url'] = `${candidate.url}?${raw}`;
  if (candidate.connectionString) material['connectionString'] = candidate.connectionString;
  return {
    rule: 'azure-sas',
    title: titleOf(grant.kind),
    severity: judged.severity,
    // a signed version that is a real date and an HMAC-SHA256-sized signature: the structure of a real SAS
    ...(!example && validVersion(candidate.query) ? { confidence: 'high' as const } : {}),
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

/** `sv` is a calendar date (2012-02-12 onward), as in every SAS a service or SDK issues. */
function validVersion(query: string): boolean {
  const sv = /(?:^|[?&])sv=(\d{4})-(\d{2})-(\d{2})(?:&|$)/.exec(query.replace(/&amp;/g, '&'));
  if (!sv) return false;
  const [y, m, d] = [Number(sv[1]), Number(sv[2]), Number(sv[3])];
  const date = new Date(Date.UTC(y, m - 1, d));
  return y >= 2012 && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}
