import type { Grant } from '../model/grant.js';
import { humanDuration } from './time.js';
import type { LinkPolicy, ResourcePolicy } from './policy.js';

/**
 * Which rules of the organisation's link policy a grant breaks, as reasons a reviewer can act
 * on ("policy: kind account-sas is forbidden"). Pure: severity is decided by the caller.
 */
export function policyViolations(g: Grant, policy: LinkPolicy, now: Date): string[] {
  const out: string[] = [];
  const lifetime = lifetimeOf(g, now);
  if (policy.enforceMaxLifetime && lifetime !== null && lifetime > policy.maxLifetimeSeconds) {
    out.push(`lifetime ${humanDuration(lifetime)} exceeds maxLifetime ${humanDuration(policy.maxLifetimeSeconds)}`);
  }
  if (policy.forbidKinds?.includes(g.kind)) out.push(`kind ${g.kind} is forbidden`);
  const forbidden = (g.permissions ?? []).filter((p) => policy.forbidPermissions?.includes(p));
  if (forbidden.length) out.push(`permissions ${forbidden.join(', ')} are forbidden`);
  if (policy.requireHttpsOnly && g.protocols?.includes('http')) out.push('allows plain HTTP (policy requires HTTPS only)');
  if (policy.requireIpRestriction && g.provider === 'azure' && g.protocols && !g.ipRange) out.push('no IP restriction (policy requires one)');
  if (policy.allowedAccounts?.length && g.provider === 'azure' && g.account && !policy.allowedAccounts.includes(g.account)) {
    out.push(`account ${g.account} is not in allowedAccounts`);
  }
  const bucket = g.resource?.bucket;
  if (policy.allowedBuckets?.length && bucket && !policy.allowedBuckets.includes(bucket)) out.push(`bucket ${bucket} is not in allowedBuckets`);
  for (const r of policy.resources ?? []) {
    if (!appliesTo(r, g)) continue;
    const extra = (g.permissions ?? []).filter((p) => !r.allowPermissions.includes(p));
    if (extra.length) out.push(`${describe(r)} allows only ${r.allowPermissions.join(', ') || 'nothing'}; this link grants ${extra.join(', ')}`);
  }
  return out.map((v) => `policy: ${v}`);
}

/** Validity length: expiry − start, or from now when the link names no start. */
function lifetimeOf(g: Grant, now: Date): number | null {
  if (g.lifetimeSeconds !== null) return g.lifetimeSeconds;
  if (!g.expiry) return null;
  return Math.max(0, (new Date(g.expiry).getTime() - now.getTime()) / 1000);
}

function appliesTo(r: ResourcePolicy, g: Grant): boolean {
  if (r.account && r.account !== g.account) return false;
  if (r.container && r.container !== (g.resource?.container ?? g.resource?.share ?? null)) return false;
  if (r.bucket && r.bucket !== (g.resource?.bucket ?? null)) return false;
  return Boolean(r.account || r.container || r.bucket);
}

function describe(r: ResourcePolicy): string {
  return [r.account && `account ${r.account}`, r.container && `container ${r.container}`, r.bucket && `bucket ${r.bucket}`].filter(Boolean).join(' ');
}
