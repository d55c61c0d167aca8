import type { Finding } from '../../model/finding.js';
import { statusOf } from './data.js';

/**
 * The report's first sentence: what a security lead needs before anything else. With live
 * verification it says how many credentials are live and how much they expose; without, how
 * many are still valid and how wide they are.
 */
const WRITE = new Set(['write', 'delete', 'create', 'add', 'update', 'process', 'permanent-delete', 'delete-version', 'immutability']);

export function verdict(findings: readonly Finding[]): string {
  const links = uniqueLinks(findings.filter((f) => f.grant));
  if (!findings.length) return 'No leaked storage links or credentials found.';
  if (!links.length) return `${count(findings.length, 'credential')} found; none of them with a parsed grant.`;
  const live = links.filter((f) => statusOf(f) === 'live');
  if (findings.some((f) => f.verification)) return liveVerdict(live, links.length, links.filter((f) => statusOf(f) === 'unknown').length);
  const valid = links.filter((f) => f.grant!.expired === false || (f.grant!.expired === null && f.grant!.storedPolicy));
  const wide = valid.filter(isWideWritable).length;
  const stillValid = valid.filter((f) => f.history?.exposure?.stillValidAfterRemoval).length;
  const parts = [`${count(links.length, 'credential')} found, ${valid.length} of them still valid`];
  if (wide) parts.push(`${wide} writable and account-wide`);
  if (stillValid) parts.push(`${stillValid} removed from the code but still valid`);
  return `${parts.join('; ')}.`;
}

function liveVerdict(live: Finding[], total: number, unknown: number): string {
  const unchecked = unknown ? ` ${unknown} of them could not be checked.` : '';
  if (!live.length) return unknown ? `None of the ${count(total, 'credential')} is known to be live:${unchecked}` : `None of the ${count(total, 'credential')} checked is live.`;
  const bytes = sumExposure(live);
  const wide = live.filter(isWideWritable).length;
  const head = `${count(live.length, 'live credential')} ${bytes !== null ? `expose${live.length === 1 ? 's' : ''} ${humanBytes(bytes)}` : `of ${total} checked`}`;
  if (!wide) return `${head}.${unchecked}`;
  const which = live.length === 1 ? 'writable and account-wide' : `${wide === 1 ? 'one' : wide} of them writable and account-wide`;
  return `${head}, ${which}.${unchecked}`;
}

/** The same token in several files is one link. */
function uniqueLinks(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.rule}\0${f.grant?.account}\0${f.secret}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function isWideWritable(f: Finding): boolean {
  return f.grant?.scope === 'account' && (f.grant.permissions ?? []).some((p) => WRITE.has(p));
}

function sumExposure(findings: Finding[]): number | null {
  let total: number | null = null;
  const seen = new Set<string>();
  for (const f of findings) {
    const x = f.exposure as { totals?: { bytes?: number } } | undefined;
    const b = x?.totals?.bytes;
    if (typeof b !== 'number') continue;
    const key = `${f.grant?.account}\0${b}`;
    if (seen.has(key)) continue;
    seen.add(key);
    total = (total ?? 0) + b;
  }
  return total;
}

export function humanBytes(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];
  let i = 0;
  let v = n;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${i ? v.toFixed(1) : v} ${units[i]}`;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
