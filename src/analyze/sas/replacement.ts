import type { Grant } from '../../model/grant.js';

/**
 * The narrowest link that still serves what a leaked SAS was used for: the same blob
 * container (or the one blob a blob SAS named), read-only — `r`, plus `l` only when the
 * leaked link could list that container. Used by the playbook (to say what to mint) and by
 * `sasquatch mint --from` (to mint it). Lifetime, policy and protocol are not inherited: the
 * replacement is short-lived and HTTPS-only whatever the leaked link was.
 */
export interface Replacement {
  account: string | null;
  container: string | null;
  /** Set when the leaked link was a blob SAS: the replacement is for that one blob. */
  blob: string | null;
  /** Service SAS permission letters in canonical order: `r` or `rl`. */
  permissions: 'r' | 'rl';
  /** The path under the container the leaked URL pointed into (a blob's folder), if any. */
  prefix: string | null;
  /** Why each choice was made, in words. */
  notes: string[];
  /** Set when no read-only replacement can serve the leaked link's use. */
  unsupported?: string;
}

export function replacementFor(g: Grant): Replacement {
  const r = g.resource ?? {};
  const out: Replacement = { account: g.account, container: r.container ?? null, blob: null, permissions: 'r', prefix: null, notes: [] };
  if (g.provider !== 'azure') return { ...out, unsupported: 'only Azure Storage links can be replaced with sasquatch mint' };
  if (g.emulator && g.account === 'devstoreaccount1') return { ...out, unsupported: 'the emulator account devstoreaccount1 has a published key: nothing to replace' };
  if (!g.services.includes('blob')) return { ...out, unsupported: `the leaked link is for ${g.services.join(', ') || 'an unknown service'}; sasquatch mint makes Blob links only` };
  const perms = g.permissions;
  const readable = perms === null || perms.includes('read') || perms.includes('list');
  if (!readable) return { ...out, unsupported: `the leaked link could not read (${(perms ?? []).join(', ') || 'no permissions'}): a read-only replacement would not serve its use` };

  if (g.scope === 'object' && r.container && r.path) {
    out.blob = r.path;
    out.notes.push(`the leaked link was a blob SAS for ${r.container}/${r.path}: the replacement reads that one blob`);
    return out;
  }
  const canList = perms === null ? g.scope === 'container' : perms.includes('list') && (g.kind === 'account-sas' ? (g.resourceTypes ?? []).includes('container') : g.scope === 'container' || g.scope === 'directory');
  if (canList) out.permissions = 'rl';
  if (perms === null) out.notes.push(`its permissions come from stored access policy "${g.storedPolicy}" and are not visible: assumed read${canList ? ' and list' : ''}`);
  if (!out.container) {
    out.notes.push('the leaked URL names no container: say which one it was used for with --container');
    return out;
  }
  out.notes.push(`scoped to container ${out.container} (the leaked link reached ${g.scope === 'account' ? `all of ${g.account ?? 'the account'}` : `${g.scope} ${out.container}`}), read${canList ? ' and list' : ''} only`);
  if (r.path) {
    out.prefix = r.path.includes('/') ? r.path.slice(0, r.path.lastIndexOf('/') + 1) : null;
    out.notes.push(
      `the URL pointed at ${r.container}/${r.path}; a service SAS cannot be limited to ${out.prefix ? `the prefix ${out.prefix}` : 'a prefix'} on a flat namespace, so it covers the container — use --blob ${r.path} if only that blob is needed`,
    );
  }
  return out;
}
