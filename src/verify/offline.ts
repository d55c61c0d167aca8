import { effectiveExpiry } from '../analyze/sas/severity.js';
import { humanDuration } from '../analyze/time.js';
import type { Grant } from '../model/grant.js';
import type { VerificationStatus } from '../model/verification.js';

/** Clock skew tolerated before calling a credential not yet valid (Azure allows ~15 min either way). */
export const SKEW_MS = 5 * 60_000;

/**
 * Expired or not yet valid, from the credential's own signed fields. Decided before any
 * request: an expired token is never sent (nothing to learn, and it adds noise to the owner's logs).
 */
export function offlineWindow(grant: Grant, now: Date): { status: VerificationStatus; reason: string } | null {
  const expiry = effectiveExpiry(grant);
  if (expiry && expiry.getTime() <= now.getTime()) {
    const which = grant.keyExpiry && grant.expiry && new Date(grant.keyExpiry) < new Date(grant.expiry) ? 'its user delegation key expired' : 'it expired';
    return { status: 'expired', reason: `${which} ${expiry.toISOString()} (${humanDuration((now.getTime() - expiry.getTime()) / 1000)} ago); not sent` };
  }
  const start = grant.start ? new Date(grant.start) : null;
  if (start && start.getTime() > now.getTime() + SKEW_MS) {
    return { status: 'not-yet-valid', reason: `valid only from ${start.toISOString()} (in ${humanDuration((start.getTime() - now.getTime()) / 1000)}); not sent` };
  }
  return null;
}
