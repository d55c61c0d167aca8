import { couldNotScan, type Notice, type SkipReason } from '../sources/types.js';

/**
 * What every report format says about what was not scanned (one place, so no format can
 * look like a clean pass when another says the scan was incomplete):
 *  - could not be scanned (unreadable, decode error, archive cut, internal error, missing
 *    target): errors; the scan is incomplete;
 *  - skipped by choice or by a limit (excluded, binary, too large…): counted and listed;
 *    warnings among them (limits) are shown like errors, infos on request.
 */
export interface NoticeSummary {
  /** Could not be scanned. */
  errors: Notice[];
  /** Warnings that are not errors: limits hit, shallow clones, notebooks read as text… */
  warnings: Notice[];
  /** Items that could not be scanned, by reason (a notice may stand for several). */
  errorCounts: Partial<Record<SkipReason, number>>;
  /** How many items could not be scanned. */
  errorTotal: number;
}

export function summarizeNotices(notices: readonly Notice[]): NoticeSummary {
  const errors: Notice[] = [];
  const warnings: Notice[] = [];
  const errorCounts: Partial<Record<SkipReason, number>> = {};
  let errorTotal = 0;
  for (const n of notices) {
    if (couldNotScan(n)) {
      errors.push(n);
      const k = n.count ?? 1;
      errorCounts[n.skipped!] = (errorCounts[n.skipped!] ?? 0) + k;
      errorTotal += k;
    } else if (n.level === 'warning') warnings.push(n);
  }
  return { errors, warnings, errorCounts, errorTotal };
}

/** True when something could not be scanned: no report may then read as a clean pass. */
export function incomplete(notices: readonly Notice[]): boolean {
  return notices.some(couldNotScan);
}

/** One line per error and warning, as text and stderr show them. */
export function noticeText(n: Notice): string {
  const times = n.count && n.count > 1 && !/^\d/.test(n.message) ? ` (×${n.count})` : '';
  return `${couldNotScan(n) ? 'error' : n.level === 'warning' ? 'warning' : 'note'}: ${n.path}: ${n.message}${times}`;
}

/** The closing sentence of an incomplete scan. */
export function incompleteText(s: NoticeSummary): string {
  const by = Object.entries(s.errorCounts)
    .map(([reason, n]) => `${n} ${reason}`)
    .join(', ');
  return `INCOMPLETE: ${s.errorTotal} item${s.errorTotal === 1 ? '' : 's'} could not be scanned (${by}); a clean result does not mean nothing leaked`;
}
