import type { Grant } from '../model/grant.js';
import { day, humanDuration } from '../analyze/time.js';

const SAS_KINDS = new Set(['account-sas', 'service-sas', 'user-delegation-sas', 'legacy-sas']);

/** The two lines under a finding in text output: what it grants, and for how long. */
export function grantLines(g: Grant, now: Date): string[] {
  if (!SAS_KINDS.has(g.kind)) return g.kind.includes('signed') || g.kind.includes('presigned') ? signedLinkLines(g, now) : keyLines(g);
  const who = g.account ? accountText(g) : g.endpoint?.host ? `host ${g.endpoint.host}` : 'unknown account';
  const scope = scopeText(g);
  const perms = g.permissions === null ? `permissions of stored policy "${g.storedPolicy}"` : g.permissions.length ? g.permissions.join(', ') : 'no permissions';
  const services = g.services.length ? ` on ${g.services.join(', ')}` : '';
  const types = g.resourceTypes?.length ? ` (${g.resourceTypes.join(', ')})` : '';
  const lines = [`${g.kind} · ${who} · ${scope} · ${perms}${services}${types}`];
  lines.push(validity(g, now));
  return lines;
}

function scopeText(g: Grant): string {
  const r = g.resource;
  switch (g.scope) {
    case 'account':
      return 'whole account';
    case 'object':
      return `object ${[r?.container ?? r?.share ?? r?.bucket, r?.path ?? r?.object ?? r?.key].filter(Boolean).join('/') || '?'}`;
    case 'container':
      return `container ${r?.container ?? '?'}`;
    case 'queue':
      return `queue ${r?.queue ?? '?'}`;
    case 'table':
      return `table ${r?.table ?? '?'}`;
    case 'share':
      return `share ${r?.share ?? '?'}`;
    default:
      return g.scope;
  }
}

function validity(g: Grant, now: Date): string {
  const parts: string[] = [];
  const span = `${g.start ? day(g.start) : '…'} → ${g.expiry ? day(g.expiry) : g.storedPolicy ? 'policy' : 'no expiry'}`;
  const life = g.lifetimeSeconds !== null ? ` (${humanDuration(g.lifetimeSeconds)})` : '';
  let state = '';
  if (g.expiry) {
    const delta = (new Date(g.expiry).getTime() - now.getTime()) / 1000;
    state = delta > 0 ? `, expires in ${humanDuration(delta)}` : `, EXPIRED ${humanDuration(delta)} ago`;
  }
  parts.push(`valid ${span}${life}${state}`);
  if (g.protocols) parts.push(g.protocols.join(','));
  parts.push(g.ipRange ? `IP ${g.ipRange}` : 'any IP');
  if (g.storedPolicy) parts.push(`policy ${g.storedPolicy}`);
  return parts.join(' · ');
}

/** Presigned (S3) and signed (GCS) URLs: object, signer, validity. */
function signedLinkLines(g: Grant, now: Date): string[] {
  const d = g.details ?? {};
  const r = g.resource ?? {};
  const where = [r.bucket, r.key ?? r.object].filter(Boolean).join('/') || r.host || 'unknown object';
  const signer = d['accessKeyId'] ? `key ${String(d['accessKeyId'])} (${String(d['keyType'])})` : d['signer'] ? `signer ${String(d['signer'])}` : 'unknown signer';
  const region = d['region'] ? ` · ${String(d['region'])}` : '';
  return [`${g.kind} · ${where}${region} · ${signer} · ${String(d['method'] ?? 'method unknown')}`, validity(g, now)];
}

/** Keys: whose, which kind, how to kill it. */
function keyLines(g: Grant): string[] {
  const d = g.details ?? {};
  const facts = Object.entries(d)
    .filter(([, v]) => v !== null && v !== undefined && v !== '' && typeof v !== 'object')
    .slice(0, 5)
    .map(([k, v]) => `${k} ${String(v)}`);
  return [`${g.kind} · ${g.account ? `${g.scope} ${accountText(g)}` : `${g.scope}-wide`}${facts.length ? ` · ${facts.join(', ')}` : ''}`, `revoke: ${g.revocationHint}`];
}

/** The account name, and where it was read when the credential does not name it itself: `acct (inferred from line 3)`. */
export function accountText(g: Grant): string {
  if (!g.account) return '';
  if (g.accountSource !== 'inferred') return g.account;
  return `${g.account} (inferred from ${g.accountLine ? `line ${g.accountLine}` : 'the text nearby'})`;
}

/** One line of the facts a credential without a grant carries (token type, checksum, key algorithm). */
export function detailLine(details: Record<string, unknown>): string | null {
  const facts = Object.entries(details)
    .filter(([, v]) => v !== null && v !== undefined && v !== '' && (typeof v !== 'object' || (Array.isArray(v) && v.length > 0)))
    .map(([k, v]) => `${k} ${Array.isArray(v) ? v.join(',') : String(v)}`);
  return facts.length ? facts.join(' · ') : null;
}
