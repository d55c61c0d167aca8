import type { Grant } from '../model/grant.js';
import { severityAt, severityRank, type Severity } from '../model/severity.js';
import { humanDuration, iso, relative, SECONDS } from './time.js';

/**
 * Severity of a method-bound signed URL (S3 presigned, GCS signed), one rule set for both:
 * expired → low (the signing key outlives it); otherwise medium, high when signed for a
 * write, high when a legacy scheme leaves more than a week of validity, one level lower when
 * it expires within a day. The key note says what outlives the URL.
 */
export interface SignedUrlFacts {
  /** `bucket/object` as reported. */
  where: string;
  method: string;
  writes: boolean;
  /** A legacy scheme (SigV2, GCS V2) that sets no lifetime cap, with the reason to print. */
  uncapped: string | null;
  /** What outlives the URL: the access key, the service account key, the HMAC key. */
  keyNote: string;
  /** Where the owner finds use of the URL (S3 access logs, Cloud Audit Logs). */
  logs: string;
  /** Further facts, printed after the method (e.g. an over-privileged default signer). */
  extra?: string[];
}

export function judgeSignedUrl(g: Grant, f: SignedUrlFacts, now: Date): { severity: Severity; reasons: string[] } {
  const reasons = [`${g.scope === 'object' ? 'one object' : g.scope}: ${f.where}`];
  const expiry = g.expiry ? new Date(g.expiry) : null;
  if (expiry && expiry.getTime() <= now.getTime()) {
    reasons.push(`expired ${g.expiry!.slice(0, 10)} (${humanDuration((now.getTime() - expiry.getTime()) / 1000)} ago)`);
    if (g.lifetimeSeconds !== null) reasons.push(`was valid for ${humanDuration(g.lifetimeSeconds)}: check ${f.logs} for that window`);
    reasons.push(f.keyNote);
    return { severity: 'low', reasons };
  }
  let level = severityRank('medium');
  if (f.writes) {
    level = severityRank('high');
    reasons.push(`signed for a write (${f.method}): anyone can upload or overwrite the object`);
  } else reasons.push(`signed for ${f.method}`);
  // bounded: a few reasons
  reasons.push(...(f.extra ?? []));
  if (!expiry) reasons.push('expiry unknown (no date or expires parameter)');
  else {
    const remaining = (expiry.getTime() - now.getTime()) / 1000;
    reasons.push(`expires ${relative(expiry, now)}`);
    if (f.uncapped && remaining > 7 * SECONDS.day && level < severityRank('high')) {
      level = severityRank('high');
      reasons.push(f.uncapped);
    }
    if (remaining <= SECONDS.day) {
      level--;
      reasons.push('expires within 24 hours');
    }
  }
  reasons.push(f.keyNote);
  return { severity: severityAt(Math.max(severityRank('low'), level)), reasons };
}

/** The validity fields of a signed URL's grant: the same arithmetic for S3 and GCS. */
export function signedUrlValidity(start: Date | null, expiry: Date | null, now: Date, url: string | null | undefined): Pick<Grant, 'start' | 'expiry' | 'lifetimeSeconds' | 'expired' | 'notYetValid' | 'protocols'> {
  return {
    start: iso(start),
    expiry: iso(expiry),
    lifetimeSeconds: start && expiry ? Math.round((expiry.getTime() - start.getTime()) / 1000) : null,
    expired: expiry ? expiry.getTime() <= now.getTime() : null,
    notYetValid: start ? start.getTime() > now.getTime() : false,
    protocols: url?.startsWith('http://') ? ['http'] : ['https'],
  };
}
