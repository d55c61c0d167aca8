import { day } from '../analyze/time.js';
import type { HistoryInfo } from '../model/finding.js';

/**
 * The history of a finding in one line, for text output and SARIF messages:
 * `introduced 2021-10-06 in 227b13a4ce by Alice <…> · removed 2023-07-07 in d6967dacb6,
 * STILL VALID until 2051-10-06 · still in refs/tags/v1.0 · written by 3 commits`.
 */
export function historyLine(h: HistoryInfo, expiry: string | null): string {
  const short = (c: string) => c.slice(0, 10);
  const boundary = h.introduced.atShallowBoundary ? ' (shallow clone boundary: may be older)' : '';
  const parts = [`introduced ${day(h.introduced.date)} in ${short(h.introduced.commit)}${h.introduced.author ? ` by ${h.introduced.author}` : ''}${boundary}`];
  if (h.presentAtHead) parts.push('still at HEAD');
  else if (h.removed) parts.push(`removed ${day(h.removed.date)} in ${short(h.removed.commit)}${h.exposure?.stillValidAfterRemoval && expiry ? `, STILL VALID until ${day(expiry)}` : ''}`);
  else parts.push('not on HEAD');
  if (h.presentInRefs?.length) parts.push(`still in ${listed(h.presentInRefs)}`);
  if (h.commits && h.commits > 1) parts.push(`written by ${h.commits} commits`);
  if (h.otherPaths?.length) parts.push(`also in ${listed(h.otherPaths)}`);
  return parts.join(' · ');
}

function listed(items: string[]): string {
  return `${items.slice(0, 3).join(', ')}${items.length > 3 ? ` +${items.length - 3}` : ''}`;
}
