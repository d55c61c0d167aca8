import { confidenceRank, type Confidence } from '../model/confidence.js';
import type { Finding } from '../model/finding.js';

/**
 * Which findings a report lists. Nothing is dropped silently: what is held back is counted,
 * and every report says how many and how to see them (--all).
 *   - below `minConfidence` (--min-confidence, `minConfidence` in the configuration);
 *   - info findings of low confidence (a generic match in tests or docs, default credentials
 *     on localhost): neither failing nor credible, so held back unless `listLowConfidenceInfo`
 *     (examples, reported only when asked for, are not held back).
 */
export interface ListingOptions {
  minConfidence?: Confidence;
  listLowConfidenceInfo?: boolean;
}

export interface Filtered {
  /** Below the minimum confidence asked for. */
  belowConfidence: number;
  /** Info findings of low confidence, held back by default. */
  lowConfidenceInfo: number;
}

/** Why a finding is held back from the listing, or null when it is listed. */
export function heldBack(f: Finding, opts: ListingOptions): keyof Filtered | null {
  if (confidenceRank(f.confidence) < confidenceRank(opts.minConfidence ?? 'low')) return 'belowConfidence';
  // examples are there only when asked for (--include-examples)
  if (opts.listLowConfidenceInfo === false && f.severity === 'info' && f.confidence === 'low' && !f.example) return 'lowConfidenceInfo';
  return null;
}

export function listFindings(findings: readonly Finding[], opts: ListingOptions): { listed: Finding[]; filtered: Filtered } {
  const filtered: Filtered = { belowConfidence: 0, lowConfidenceInfo: 0 };
  const listed = findings.filter((f) => {
    const why = heldBack(f, opts);
    if (why) filtered[why]++;
    return !why;
  });
  return { listed, filtered };
}

/** "3 below the minimum confidence (medium), 40 low-confidence info", or '' when nothing was held back. */
export function describeFiltered(f: Filtered | undefined, minConfidence?: Confidence): string {
  if (!f) return '';
  const parts = [];
  if (f.belowConfidence) parts.push(`${f.belowConfidence} below the minimum confidence${minConfidence ? ` (${minConfidence})` : ''}`);
  if (f.lowConfidenceInfo) parts.push(`${f.lowConfidenceInfo} low-confidence info`);
  return parts.join(', ');
}

export function filteredCount(f: Filtered | undefined): number {
  return f ? f.belowConfidence + f.lowConfidenceInfo : 0;
}
