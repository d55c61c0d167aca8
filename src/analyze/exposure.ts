import type { Finding, HistoryInfo } from '../model/finding.js';
import type { Grant } from '../model/grant.js';
import { effectiveExpiry, judgeRemovedButValid } from './sas/severity.js';
import { day, humanDuration, iso, SECONDS } from './time.js';

/**
 * What a secret's history means for its risk. A link in git history stays reachable for
 * everyone who cloned (and, on hosted repositories, by commit id) after it is removed, so
 * the question is how long it was both reachable and valid, and whether it still is.
 */
export interface ExposureJudgement {
  exposure: NonNullable<HistoryInfo['exposure']> | null;
  reasons: string[];
  /** Removed from the repository while still valid (severity rule 7). */
  stillValidAfterRemoval: boolean;
  /** It had expired before the commit that introduced it: never usable by a reader of the repository. */
  expiredWhenCommitted?: boolean;
}

/**
 * The exposure window runs from the later of introduction and the link's start to the
 * earlier of its expiry and now. Only links with a known expiry get one; for the others
 * (keys, stored-policy links) the removal is still called out, since it revoked nothing.
 */
export function judgeExposure(grant: Grant | null | undefined, history: HistoryInfo, now: Date, tokenExpiry?: Date | null): ExposureJudgement {
  const reasons: string[] = [];
  const introduced = new Date(history.introduced.date);
  const removed = history.removed ? new Date(history.removed.date) : null;
  const expiry = grant ? effectiveExpiry(grant) : (tokenExpiry ?? null);
  if (history.presentInRefs?.length && !history.presentAtHead) {
    reasons.push(`${removed ? 'removed from HEAD' : 'not on HEAD'}, but still at the tip of ${listOf(history.presentInRefs)}`);
  }
  if (!expiry) {
    if (removed) reasons.push(`removed ${day(removed)}: removing it from the repository does not revoke it`);
    return { exposure: null, reasons, stillValidAfterRemoval: false };
  }
  const start = grant?.start ? new Date(grant.start) : null;
  const from = start && start > introduced ? start : introduced;
  const stillValid = expiry > now;
  const until = stillValid ? now : expiry;
  const seconds = Math.max(0, (until.getTime() - from.getTime()) / 1000);
  const stillValidAfterRemoval = Boolean(removed && removed < now && stillValid);
  const exposure = {
    from: iso(from)!,
    until: iso(until)!,
    days: Math.round((seconds / SECONDS.day) * 10) / 10,
    stillValid,
    stillValidAfterRemoval,
  };
  if (expiry <= introduced) {
    reasons.push(`already expired when committed (expired ${day(expiry)}, committed ${day(introduced)})`);
  } else if (stillValidAfterRemoval) {
    reasons.push(`removed ${day(removed)}, still valid until ${day(expiry)}: removing it from the repository did not revoke it`);
  } else if (removed && expiry > removed) {
    reasons.push(`removed ${day(removed)}, but stayed valid until ${day(expiry)} (${humanDuration((expiry.getTime() - removed.getTime()) / 1000)} after removal) for anyone who had cloned`);
  }
  if (seconds > 0) {
    reasons.push(`exposed in history while valid: ${humanDuration(seconds)} (${day(from)} → ${stillValid ? 'now' : day(until)})`);
  }
  return { exposure, reasons, stillValidAfterRemoval, expiredWhenCommitted: expiry <= introduced };
}

/** The `expiry` a token's details carry (a JWT's `exp`), for credentials without a grant. */
function tokenExpiryOf(finding: Finding): Date | null {
  const e = finding.details?.['expiry'];
  const d = typeof e === 'string' ? new Date(e) : null;
  return d && !Number.isNaN(d.getTime()) ? d : null;
}

/**
 * Attaches a history block to a finding and applies what it means: severity rule 7, and
 * info for a link or token that had already expired when it was committed.
 */
export function applyHistory(finding: Finding, history: HistoryInfo, now: Date): void {
  const judged = judgeExposure(finding.grant, history, now, tokenExpiryOf(finding));
  finding.history = { ...history, exposure: judged.exposure };
  if (finding.example) return;
  if (judged.expiredWhenCommitted && finding.severity !== 'info') {
    // nobody who read the repository could use it: a record, not a leak
    finding.reasons = [...finding.reasons, ...judged.reasons, `info: it had expired before it was committed (was ${finding.severity})`];
    finding.severity = 'info';
    return;
  }
  const before = finding.severity;
  finding.severity = judgeRemovedButValid(finding.severity, judged.stillValidAfterRemoval);
  finding.reasons = [...finding.reasons, ...judged.reasons];
  if (finding.severity !== before) finding.reasons.push(`raised to ${finding.severity}: removed but still valid`);
}

function listOf(items: string[]): string {
  const shown = items.slice(0, 3).join(', ');
  return items.length > 3 ? `${shown} and ${items.length - 3} more` : shown;
}
