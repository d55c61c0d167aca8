import type { ContainerClient, PublicAccessType, SignedIdentifier } from '@azure/storage-blob';

/**
 * Stored access policies on a blob container (Get/Set Container ACL). Set Container ACL
 * replaces the whole list *and* the container's public access level, so every change reads
 * the current ACL first, keeps the other policies and the public access level as they are,
 * and writes back only if the ACL was not modified in between (If-Unmodified-Since).
 */
export interface StoredPolicy {
  id: string;
  permissions: string | null;
  start: Date | null;
  expiry: Date | null;
}

/** Azure allows at most five stored access policies per container (Azurite does not check). */
export const MAX_POLICIES = 5;

interface Acl {
  publicAccess: PublicAccessType | undefined;
  identifiers: SignedIdentifier[];
  lastModified: Date | undefined;
}

async function readAcl(container: ContainerClient): Promise<Acl> {
  const r = await container.getAccessPolicy();
  return { publicAccess: r.blobPublicAccess, identifiers: r.signedIdentifiers ?? [], lastModified: r.lastModified };
}

async function writeAcl(container: ContainerClient, acl: Acl, identifiers: SignedIdentifier[]): Promise<void> {
  await container.setAccessPolicy(acl.publicAccess, identifiers, acl.lastModified ? { conditions: { ifUnmodifiedSince: acl.lastModified } } : {});
}

function toPolicy(s: SignedIdentifier): StoredPolicy {
  return { id: s.id, permissions: s.accessPolicy?.permissions ?? null, start: s.accessPolicy?.startsOn ?? null, expiry: s.accessPolicy?.expiresOn ?? null };
}

export async function listPolicies(container: ContainerClient): Promise<StoredPolicy[]> {
  return (await readAcl(container)).identifiers.map(toPolicy);
}

export type EnsureResult = { created: true; policy: StoredPolicy } | { created: false; policy: StoredPolicy } | { error: string };

/**
 * The policy `want.id`, created with `want`'s permissions and times if missing. An existing
 * policy is used as it is (other links may depend on it) only if it grants no more than
 * `want` and at least what `want` needs; otherwise this says why and changes nothing.
 */
export async function ensurePolicy(container: ContainerClient, want: StoredPolicy, opts: { allowWide: boolean }): Promise<EnsureResult> {
  const acl = await readAcl(container);
  const existing = acl.identifiers.find((s) => s.id === want.id);
  if (existing) {
    const p = toPolicy(existing);
    const have = new Set(p.permissions ?? '');
    const missing = [...(want.permissions ?? '')].filter((l) => !have.has(l));
    const extra = [...have].filter((l) => !(want.permissions ?? '').includes(l));
    if (missing.length) return { error: `stored access policy "${want.id}" already exists with permissions "${p.permissions ?? ''}" and lacks ${missing.join('')}; choose another --policy name (changing it would change every link bound to it)` };
    if (extra.length && !opts.allowWide) return { error: `stored access policy "${want.id}" already exists and also grants ${extra.join('')}; links bound to it would get those too — choose another --policy name` };
    if (p.expiry && p.expiry.getTime() <= Date.now()) return { error: `stored access policy "${want.id}" already exists and expired on ${p.expiry.toISOString()}; choose another --policy name` };
    return { created: false, policy: p };
  }
  if (acl.identifiers.length >= MAX_POLICIES) {
    return { error: `container ${container.containerName} already has ${acl.identifiers.length} stored access policies (${acl.identifiers.map((s) => s.id).join(', ')}), the most Azure allows; reuse or delete one` };
  }
  const identifier: SignedIdentifier = { id: want.id, accessPolicy: { permissions: want.permissions ?? undefined, startsOn: want.start ?? undefined, expiresOn: want.expiry ?? undefined } };
  await writeAcl(container, acl, [...acl.identifiers, identifier]);
  return { created: true, policy: want };
}

export type RemoveResult = { done: true; policy: StoredPolicy; remaining: string[] } | { done: false; reason: string; existing: string[] };

/** Deletes the policy; links bound to it stop working (Azure: within ~30 s). */
export async function deletePolicy(container: ContainerClient, id: string): Promise<RemoveResult> {
  const acl = await readAcl(container);
  const found = acl.identifiers.find((s) => s.id === id);
  if (!found) return { done: false, reason: `container ${container.containerName} has no stored access policy "${id}"`, existing: acl.identifiers.map((s) => s.id) };
  const rest = acl.identifiers.filter((s) => s.id !== id);
  await writeAcl(container, acl, rest);
  return { done: true, policy: toPolicy(found), remaining: rest.map((s) => s.id) };
}

/**
 * Keeps the policy but moves its expiry into the past (and its start before that): the
 * links die, the policy's name and permissions stay visible for the record.
 */
export async function expirePolicy(container: ContainerClient, id: string, now: Date): Promise<RemoveResult> {
  const acl = await readAcl(container);
  const found = acl.identifiers.find((s) => s.id === id);
  if (!found) return { done: false, reason: `container ${container.containerName} has no stored access policy "${id}"`, existing: acl.identifiers.map((s) => s.id) };
  const past = new Date(Math.floor(now.getTime() / 1000) * 1000 - 60_000);
  const startsOn = found.accessPolicy?.startsOn && found.accessPolicy.startsOn < past ? found.accessPolicy.startsOn : new Date(past.getTime() - 60_000);
  const updated = acl.identifiers.map((s) => (s.id === id ? { id, accessPolicy: { ...s.accessPolicy, startsOn, expiresOn: past } } : s));
  await writeAcl(container, acl, updated);
  return { done: true, policy: { ...toPolicy(found), expiry: past }, remaining: acl.identifiers.map((s) => s.id) };
}
