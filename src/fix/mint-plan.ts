import type { Grant } from '../model/grant.js';
import { replacementFor } from '../analyze/sas/replacement.js';
import { VALID_LETTERS } from '../analyze/sas/permissions.js';
import { humanDuration } from '../analyze/time.js';

/**
 * The mint planner: a stated need → the narrowest SAS that meets it. Pure: no keys, no
 * network. What it refuses without --allow-wide: an account SAS, any permission beyond read
 * and list, and lifetimes over 7 days (a link that outlives a week should be a stored-policy
 * link someone can revoke, not a long-lived key-signed token). Plain http is never in a
 * minted link, except for a local emulator that only speaks http (--allow-http).
 */
export type MintKind = 'service-sas' | 'user-delegation-sas' | 'account-sas';

export interface MintNeed {
  account: string;
  container: string | null;
  blob: string | null;
  /** Permission letters asked for; default r (rl with --list). */
  permissions: string;
  kind: MintKind;
  /** Lifetime from now, in seconds. */
  expiresInSeconds: number;
  ipRange: string | null;
  /** Stored access policy to bind the link to (created if missing). */
  policy: string | null;
  allowWide: boolean;
  /** Allowed only for a loopback/private emulator endpoint that speaks plain http. */
  allowHttp: boolean;
  /** Service version to sign (sv). */
  version: string;
  /** Account SAS only. */
  services?: string;
  resourceTypes?: string;
}

export interface MintSpec {
  kind: MintKind;
  account: string;
  container: string | null;
  blob: string | null;
  /** Canonical letters. */
  permissions: string;
  start: Date;
  expiry: Date;
  protocol: 'https' | 'https,http';
  ipRange: string | null;
  policy: string | null;
  version: string;
  services: string | null;
  resourceTypes: string | null;
  /** Why the link looks the way it does. */
  notes: string[];
}

export type MintPlan = { spec: MintSpec } | { refused: string[] };

export const DEFAULT_LIFETIME_SECONDS = 3600;
/** Longest lifetime minted without --allow-wide (also the user delegation key's limit). */
export const MAX_NARROW_LIFETIME_SECONDS = 7 * 86_400;
/** Signed with this service version unless --version says otherwise (Azure and Azurite 3.35 accept it). */
export const DEFAULT_SAS_VERSION = '2025-05-05';
/**
 * Start five minutes early so a server whose clock runs slightly ahead accepts the link at
 * once; the lifetime (se − st) is still exactly what was asked, so a SAS expiration policy
 * of that length does not block it.
 */
const CLOCK_SKEW_MS = 5 * 60_000;

const READ_ONLY = new Set(['r', 'l']);
const IP_RANGE = /^(\d{1,3}(?:\.\d{1,3}){3})(?:-(\d{1,3}(?:\.\d{1,3}){3}))?$/;

export function planMint(need: MintNeed, now: Date): MintPlan {
  const refused: string[] = [];
  const notes: string[] = [];
  const wide = (why: string) => {
    if (need.allowWide) notes.push(`${why} (allowed by --allow-wide)`);
    else refused.push(`${why}: refused without --allow-wide`);
  };
  if (!/^[a-z0-9]{3,24}$/.test(need.account)) refused.push(`"${need.account}" is not a storage account name (3–24 lower-case letters and digits)`);
  if (need.kind === 'account-sas') {
    wide('an account SAS reaches every container of the account and can only be revoked by rotating the account key');
    if (need.policy) refused.push('an account SAS cannot be bound to a stored access policy');
  } else {
    if (!need.container) refused.push('say which container the link is for (--container, or --from a leaked link that names one)');
    else if (!/^(?:\$root|\$web|[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){2,62})$/.test(need.container)) refused.push(`"${need.container}" is not a valid container name`);
  }
  if (need.kind === 'user-delegation-sas' && need.policy) refused.push('a user delegation SAS cannot use a stored access policy (the service rejects si on it); revoke it by revoking user delegation keys');

  const context = need.kind === 'account-sas' ? 'account' : need.blob ? 'blob' : 'container';
  const letters = canonical(need.permissions, VALID_LETTERS[context]);
  if (letters.invalid.length) refused.push(`permission letters ${letters.invalid.join('')} are not valid for a ${context} SAS (valid: ${VALID_LETTERS[context]})`);
  if (!letters.ordered) refused.push('no permissions asked for');
  const beyondRead = [...letters.ordered].filter((l) => !READ_ONLY.has(l));
  if (beyondRead.length && need.kind !== 'account-sas') wide(`permissions ${beyondRead.join('')} go beyond read and list`);
  if (need.blob && letters.ordered.includes('l')) notes.push('list has no effect on a single blob');

  if (!(need.expiresInSeconds > 0)) refused.push('the expiry must be in the future');
  if (need.expiresInSeconds > MAX_NARROW_LIFETIME_SECONDS) {
    if (need.kind === 'user-delegation-sas') refused.push('a user delegation SAS lives at most 7 days (its key does)');
    else wide(`a lifetime of ${humanDuration(need.expiresInSeconds)} is over 7 days`);
  }
  if (need.ipRange && !validIpRange(need.ipRange)) refused.push(`--ip ${need.ipRange} is not an IPv4 address or range a.b.c.d-e.f.g.h`);
  if (need.policy !== null && !/^[A-Za-z0-9_.-]{1,64}$/.test(need.policy)) refused.push('a stored access policy name is 1–64 letters, digits, - _ or .');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(need.version)) refused.push(`--version ${need.version} is not a service version (YYYY-MM-DD)`);
  else if (need.kind === 'user-delegation-sas' && need.version < '2018-11-09') refused.push('a user delegation SAS needs service version 2018-11-09 or later');
  else if (need.version < '2015-04-05') refused.push('service versions before 2015-04-05 cannot pin HTTPS or an IP range');

  if (refused.length) return { refused };

  const start = new Date(Math.floor((now.getTime() - CLOCK_SKEW_MS) / 1000) * 1000);
  const expiry = new Date(start.getTime() + need.expiresInSeconds * 1000);
  if (need.allowHttp) notes.push('allows plain http because the endpoint is a local emulator that only speaks http (--allow-http)');
  else notes.push('HTTPS only');
  notes.push(`valid for ${humanDuration(need.expiresInSeconds)}: from 5 minutes ago (to tolerate clock skew) until ${expiry.toISOString().replace(/\.000Z$/, 'Z')}`);
  if (need.policy) notes.push(`bound to stored access policy "${need.policy}": deleting the policy revokes it without touching the account key`);
  else if (need.kind === 'service-sas') notes.push('not bound to a stored access policy: only rotating the account key revokes it before it expires (use --policy NAME)');
  if (need.kind === 'user-delegation-sas') notes.push('a user delegation SAS: signed with an Entra ID key, revoked by revoking user delegation keys; its real rights are also limited by the signer\'s roles');
  return {
    spec: {
      kind: need.kind,
      account: need.account,
      container: need.kind === 'account-sas' ? null : need.container,
      blob: need.kind === 'account-sas' ? null : need.blob,
      permissions: letters.ordered,
      start,
      expiry,
      protocol: need.allowHttp ? 'https,http' : 'https',
      ipRange: need.ipRange,
      policy: need.policy,
      version: need.version,
      services: need.kind === 'account-sas' ? (need.services ?? 'b') : null,
      resourceTypes: need.kind === 'account-sas' ? (need.resourceTypes ?? 'sco') : null,
      notes,
    },
  };
}

/**
 * `mint --from <leaked link>`: the need that the narrowest replacement meets (same account,
 * container — or the one blob a blob SAS named — read, plus list only if the leaked link
 * could list). Explicit flags (container, blob, permissions) override what is inferred.
 */
export function needFromLeaked(g: Grant, base: Omit<MintNeed, 'account' | 'container' | 'blob' | 'permissions' | 'kind'> & Partial<Pick<MintNeed, 'container' | 'blob' | 'permissions' | 'kind'>>): { need: MintNeed; notes: string[] } | { error: string } {
  const r = replacementFor(g);
  if (r.unsupported) return { error: r.unsupported };
  if (!r.account) return { error: 'the leaked link does not name its storage account (custom domain or bare token): pass --account' };
  const notes = [...r.notes];
  const need: MintNeed = {
    ...base,
    kind: base.kind ?? 'service-sas',
    account: r.account,
    container: base.container ?? r.container,
    blob: base.blob !== undefined ? base.blob : r.blob,
    permissions: base.permissions ?? (base.blob ? 'r' : r.permissions),
  };
  if (base.container && r.container && base.container !== r.container) notes.push(`--container ${base.container} replaces the leaked link's container ${r.container}`);
  if (g.kind === 'account-sas') notes.push(`the leaked link was an account SAS on ${g.services.join(', ')} with ${g.permissions?.length ?? 0} permissions; the replacement is a service SAS on one container`);
  if (g.protocols?.includes('http')) notes.push(base.allowHttp ? 'the leaked link allowed plain http; the replacement does only because of --allow-http (emulator)' : 'the leaked link allowed plain http; the replacement does not');
  return { need, notes };
}

function canonical(letters: string, valid: string): { ordered: string; invalid: string[] } {
  const asked = new Set(letters.replace(/\s+/g, ''));
  const invalid = [...asked].filter((l) => !valid.includes(l));
  return { ordered: [...valid].filter((l) => asked.has(l)).join(''), invalid };
}

function validIpRange(s: string): boolean {
  const m = IP_RANGE.exec(s);
  if (!m) return false;
  const octets = (ip: string) => ip.split('.').map(Number);
  const ok = (ip: string | undefined) => ip === undefined || octets(ip).every((o) => o <= 255);
  if (!ok(m[1]) || !ok(m[2])) return false;
  if (!m[2]) return true;
  const n = (ip: string) => octets(ip).reduce((a, o) => a * 256 + o, 0);
  return n(m[1]!) <= n(m[2]);
}
