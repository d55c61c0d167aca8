import type { Grant } from '../../model/grant.js';
import { severityAt, severityRank, type Severity } from '../../model/severity.js';
import type { LinkPolicy } from '../policy.js';
import { humanDuration, SECONDS } from '../time.js';
import { isWriteLike, powerOf, type Power } from './permissions.js';

/**
 * Severity of a SAS, from stated rules (README "Severity"):
 *
 * 1. The emulator account on a loopback host is `info` (its key is public).
 * 2. An expired link is `low`: it can no longer be used, but was usable while exposed.
 * 3. Otherwise a base level from scope × power:
 *      account:              write/delete → high,   read → medium
 *      container/share/…:    write/delete → medium, read → low
 *      single blob/file:     write/delete → medium, read → low
 *    (permissions hidden in a stored policy count as read, with a reason.)
 * 4. Raised one level, once, when any of: HTTP allowed, no IP restriction, lifetime over the
 *    policy maximum, more than a year of validity left.
 * 5. Raised one more level when it can write model or checkpoint files (supply-chain risk).
 * 6. Lowered one level when it expires within 24 hours.
 * Results are clamped to low…critical.
 * 7. History (any link with an expiry, applied once provenance is known): raised one level,
 *    up to critical, when it was removed from the repository while still valid — removal
 *    revoked nothing, and every clone made before it keeps a working link. Placeholders and
 *    the emulator (`info`) are never raised.
 */
export interface Judgement {
  severity: Severity;
  reasons: string[];
}

const MODEL_FILE = /\.(?:pt|pth|ckpt|pkl|pickle|safetensors|bin|onnx|h5|hdf5|keras|joblib|gguf|ggml|tflite|pb|mar|npz|msgpack)$/i;
const MODEL_NAME = /(?:^|[-_/])(?:models?|checkpoints?|weights)(?:$|[-_/])/i;

export function judgeSas(g: Grant, now: Date, policy: LinkPolicy): Judgement {
  const reasons: string[] = [];
  if (g.emulator) {
    const why =
      g.accountSource === 'inferred'
        ? `a bare token next to the storage emulator's endpoint (Azurite, devstoreaccount1${g.accountLine ? `, line ${g.accountLine}` : ''}): an emulator token, its key is public`
        : g.account === 'devstoreaccount1'
          ? 'well-known emulator account (devstoreaccount1): its key is public'
          : 'storage emulator on a loopback host: not reachable from other machines';
    return { severity: 'info', reasons: [why] };
  }
  reasons.push(scopeReason(g));
  const power: Power = g.permissions === null ? 'none' : powerOf(g.permissions, consumesMessages(g));
  reasons.push(powerReason(g, power));
  if (g.account === 'devstoreaccount1') reasons.push('emulator account name on a non-loopback host (copied from test config?)');

  const expiry = effectiveExpiry(g);
  if (expiry && expiry.getTime() <= now.getTime()) {
    reasons.push(`expired ${expiry.toISOString().slice(0, 10)} (${humanDuration((now.getTime() - expiry.getTime()) / 1000)} ago)`);
    if (g.lifetimeSeconds !== null) reasons.push(`was valid for ${humanDuration(g.lifetimeSeconds)}: check access logs for that window`);
    return { severity: 'low', reasons };
  }

  let level = baseLevel(g.scope, power);
  const raisers = raiseReasons(g, expiry, now, policy);
  if (raisers.length) level++;
  const modelWrite = writesModelFiles(g, power);
  if (modelWrite) {
    level++;
    raisers.push('can overwrite model/checkpoint files: a supply-chain risk');
  }
  // bounded: one reason per raiser
  reasons.push(...raisers);
  if (expiry && expiry.getTime() - now.getTime() <= SECONDS.day * 1000) {
    level--;
    reasons.push('expires within 24 hours');
  }
  if (g.ipRange) reasons.push(`IP-restricted to ${g.ipRange}`);
  if (g.notYetValid && g.start) reasons.push(`not valid before ${g.start.slice(0, 10)}`);
  reasons.push(revocationReason(g));
  if (g.invalidPermissions?.length) reasons.push(`invalid permission letters: ${g.invalidPermissions.map((i) => i.letter).join('')}`);
  return { severity: severityAt(Math.max(severityRank('low'), Math.min(level, severityRank('critical')))), reasons };
}

export function effectiveExpiry(g: Grant): Date | null {
  const se = g.expiry ? new Date(g.expiry) : null;
  const ske = g.keyExpiry ? new Date(g.keyExpiry) : null;
  if (se && ske) return se < ske ? se : ske;
  return se ?? ske;
}

function baseLevel(scope: string, power: Power): number {
  const writes = power === 'write' || power === 'destructive';
  if (scope === 'account') return severityRank(writes ? 'high' : 'medium');
  return severityRank(writes ? 'medium' : 'low');
}

function raiseReasons(g: Grant, expiry: Date | null, now: Date, policy: LinkPolicy): string[] {
  const out: string[] = [];
  const remaining = expiry ? (expiry.getTime() - now.getTime()) / 1000 : null;
  if (remaining === null && !g.storedPolicy) out.push('no expiry');
  if (remaining !== null && remaining > SECONDS.year) out.push(`expires in ${humanDuration(remaining)}`);
  const lifetime = g.lifetimeSeconds ?? remaining;
  if (lifetime !== null && lifetime > policy.maxLifetimeSeconds) {
    out.push(`lifetime ${humanDuration(lifetime)} exceeds the ${humanDuration(policy.maxLifetimeSeconds)} policy maximum`);
  }
  if (g.protocols?.includes('http')) out.push('http allowed');
  if (!g.ipRange) out.push('no IP restriction');
  if (g.permissions === null) out.push(`permissions and expiry set by stored policy "${g.storedPolicy}" (not visible offline)`);
  return out;
}

function writesModelFiles(g: Grant, power: Power): boolean {
  if (!g.permissions || (power !== 'write' && power !== 'destructive')) return false;
  if (!g.permissions.some((p) => isWriteLike(p) && p !== 'delete' && p !== 'delete-version' && p !== 'permanent-delete' && p !== 'tag')) return false;
  const r = g.resource;
  const path = [r?.container, r?.path].filter(Boolean).join('/');
  if (g.scope === 'object') return MODEL_FILE.test(path);
  return MODEL_FILE.test(path) || MODEL_NAME.test(path);
}

/** `process` dequeues (deletes) queue messages; it means nothing without the Queue service. */
function consumesMessages(g: Grant): boolean {
  return Boolean(g.permissions?.includes('process')) && g.services.includes('queue');
}

function scopeReason(g: Grant): string {
  const svc = g.services.length > 1 ? ` (${g.services.length} services: ${g.services.join(', ')})` : '';
  switch (g.scope) {
    case 'account':
      return `account-wide${svc}`;
    case 'object':
      return 'single object';
    default:
      return `${g.scope}-wide`;
  }
}

function powerReason(g: Grant, power: Power): string {
  if (g.permissions === null) return 'permissions from a stored policy';
  const p = new Set(g.permissions);
  const parts: string[] = [];
  if (p.has('read')) parts.push('read');
  if (p.has('list')) parts.push('list');
  if (p.has('write') || p.has('create') || p.has('add') || p.has('update')) parts.push('write');
  if (p.has('delete')) parts.push('delete');
  if (p.has('delete-version') || p.has('permanent-delete')) parts.push('delete versions');
  if (consumesMessages(g)) parts.push('consume messages');
  if (p.has('permissions') || p.has('ownership')) parts.push('change ACLs');
  if (power === 'none' || !parts.length) return 'no permissions';
  return parts.length <= 2 && !parts.some((x) => x !== 'read' && x !== 'list') ? `${parts.join('+')} only` : parts.join('+');
}

function revocationReason(g: Grant): string {
  switch (g.revocation) {
    case 'delete-stored-policy':
      return `revocable by deleting stored policy "${g.storedPolicy}"`;
    case 'revoke-user-delegation-keys':
      return 'revocable by revoking user delegation keys';
    default:
      return 'revocable only by rotating the account key';
  }
}

/** Rule 7: a link removed from the repository but still valid. */
export function judgeRemovedButValid(severity: Severity, stillValidAfterRemoval: boolean): Severity {
  if (!stillValidAfterRemoval || severity === 'info') return severity;
  return severityAt(Math.min(severityRank(severity) + 1, severityRank('critical')));
}
