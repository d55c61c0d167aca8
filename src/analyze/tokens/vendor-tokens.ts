import type { Confidence } from '../../model/confidence.js';
import type { Severity } from '../../model/severity.js';
import { credential, example } from '../credential.js';
import { shannonEntropy } from '../placeholder.js';
import type { Analysis, AnalysisContext, Analyzer, MatchInput } from '../types.js';
import { passwordPlaceholder } from './passwords.js';
import { placeholderLike } from './service-tokens.js';

/**
 * Tokens of SaaS and cloud vendors, described as data: what a token of each rule grants, how
 * bad a leak is, how to revoke it. One analyzer serves them all: it takes the `secret` group,
 * drops placeholders (`xxxx`, `your-key`, typed runs, low entropy) as examples, and lets a
 * vendor refine the judgement from facts the token carries (type by prefix, a marker, a
 * decodable part) or from its surroundings.
 */
export interface VendorJudgement {
  title?: string;
  reasons?: string[];
  severity?: Severity;
  confidence?: Confidence;
  details?: Record<string, unknown>;
}

export interface VendorToken {
  rule: string;
  title: string;
  /** What the token lets its holder do. */
  grants: string;
  severity: Severity;
  /** How to revoke it. */
  revoke: string;
  /** The random part, for the placeholder and entropy checks (default: after the last `_`, `-` or `.` of a prefix). */
  body?: (token: string) => string;
  /** Bits per character the random part must reach (default 3). */
  minEntropy?: number;
  /** Facts from the token or its surroundings; null drops the match as a look-alike. */
  refine?: (token: string, match: MatchInput) => VendorJudgement | null;
}

const defaultBody = (token: string) => token.replace(/^[A-Za-z0-9]{2,12}[_-](?:v\d_)?/, '');

export function vendorAnalyzer(v: VendorToken): Analyzer {
  return (match: MatchInput, _ctx: AnalysisContext): Analysis | null => {
    const token = match.groups['secret'];
    if (!token) return null;
    const body = (v.body ?? defaultBody)(token);
    if (placeholderLike(token, body) || passwordPlaceholder(body) || shannonEntropy(body) < (v.minEntropy ?? 3)) return example(v.rule, token, 'placeholder token');
    const refined = v.refine ? v.refine(token, match) : {};
    if (refined === null) return null;
    return credential({
      rule: v.rule,
      title: refined.title ?? v.title,
      severity: refined.severity ?? v.severity,
      reasons: refined.reasons ?? [v.grants],
      secret: token,
      ...(refined.confidence ? { confidence: refined.confidence } : {}),
      ...(refined.details ? { details: refined.details } : {}),
      remediation: [v.revoke],
    });
  };
}

/** Text around a match (its context, when the rule asks for one), lower-cased, for vendor hints. */
export function around(match: MatchInput): string {
  return `${match.context?.before ?? ''} ${match.text} ${match.context?.after ?? ''}`.toLowerCase();
}
