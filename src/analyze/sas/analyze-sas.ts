import { redactSecretParams } from '../redact.js';
import type { Analysis, AnalysisContext, MatchInput } from '../types.js';
import { explainSas } from './explain.js';
import { readSas, type SasCandidate } from './grant.js';
import { sasPlaybook, sasRemediation } from './remediation.js';
import { judgeSas, type Judgement } from './severity.js';
import type { SignatureVerdict } from './signature.js';

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
  const { grant, verdict, malformed } = reading;
  const example = verdict === 'placeholder';
  const judged = example ? exampleJudgement() : malformed.length ? malformedJudgement(malformed) : withSignatureNote(judgeSas(grant, ctx.now, ctx.policy), verdict, reading.signature);
  const raw = reading.token;
  const material: Record<string, string> = { token: raw };
  // a host the code fills in at run time is no host to send the token to
  if (candidate.url && !grant.endpoint?.host?.match(/[{}%$]/)) material['url'] = `${candidate.url}?${raw}`;
  if (candidate.connectionString) material['connectionString'] = candidate.connectionString;
  return {
    rule: 'azure-sas',
    title: titleOf(grant.kind),
    severity: judged.severity,
    // a signed version that is a real date and an HMAC-SHA256-sized signature: the structure of a real SAS
    ...(!example && validVersion(candidate.query) ? { confidence: 'high' as const } : {}),
    reasons: judged.reasons,
    grant,
    explanation: example ? undefined : malformed.length ? explainMalformed(malformed, grant.kind) : signaturePrefix(verdict, reading.signature) + explainSas(grant, ctx.now),
    remediation: example ? undefined : sasRemediation(grant, ctx.now),
    playbook: example ? undefined : sasPlaybook(grant, ctx.now),
    secretValue: reading.signature,
    shown: { raw, redacted: redactSecretParams(raw) },
    example,
    material,
  };
}

function exampleJudgement(): Judgement {
  return { severity: 'info', reasons: ['placeholder signature: a documentation example, not a secret'] };
}

/**
 * Azure refuses a token whose fields do not parse, so as written it grants nothing — but a
 * key signed it, and the well-formed original may be elsewhere: low, never "no expiry" or
 * "grants nothing" read as facts.
 */
function malformedJudgement(malformed: string[]): Judgement {
  return { severity: 'low', reasons: [`malformed: Azure Storage refuses this token as written (${malformed.join('; ')})`, 'signed with a real key: look for the well-formed token it was copied from'] };
}

function explainMalformed(malformed: string[], kind: string): string {
  return `This ${kind} is malformed: ${malformed.join('; ')}. Azure Storage refuses such a token before checking its signature, so as written it grants nothing. Its signature has the shape of a real one, so a storage key signed it: the well-formed token it was copied or edited from may still be in use.`;
}

/** A cut or edited signature is still the start of a real one: reported at the grant's severity, and said. */
function withSignatureNote(j: Judgement, verdict: SignatureVerdict, sig: string): Judgement {
  if (verdict === 'truncated') j.reasons.unshift(`signature truncated (${sig.length} of 44 characters): as written the link fails, but it is the start of a real one — the rest may be on the next line or elsewhere`);
  if (verdict === 'malformed') j.reasons.unshift('signature edited (URL-safe Base64 or its "=" dropped): a real signature written differently');
  return j;
}

function signaturePrefix(verdict: SignatureVerdict, sig: string): string {
  if (verdict === 'truncated') return `The signature is cut short (${sig.length} of 44 characters): this link fails as written, but the complete one may exist elsewhere (the next line, another file, history). Complete, it grants this: `;
  if (verdict === 'malformed') return 'The signature was written differently (URL-safe Base64, or its "=" dropped); the original grants this: ';
  return '';
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
