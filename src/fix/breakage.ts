import { readFileSync } from 'node:fs';
import { fingerprintOf } from '../analyze/fingerprint.js';
import { parseConnectionString } from '../analyze/sas/connection-string.js';
import { parseAzureUrl } from '../analyze/sas/endpoint.js';
import { parseQuery } from '../analyze/sas/query.js';
import type { Finding } from '../model/finding.js';
import type { CandidateKey, KeySlot } from './identify.js';
import { keySha256 } from './identify.js';
import { recomputeSignature } from './signing.js';

/**
 * What else breaks when an account key rotates: the credentials a sasquatch JSON report found
 * for the same account — connection strings and keys that *are* that key, and SAS links
 * *signed* with it (they die with it). Nothing secret is needed from the report:
 * - a report with --show-secrets holds the secrets, compared by SHA-256;
 * - a redacted report is matched by fingerprint, which is SHA-256 over rule, secret and path
 *   (analyze/fingerprint.ts): the candidate key (or the signature it gives a SAS whose other
 *   fields the redacted token still shows) reproduces the finding's fingerprint or not.
 * Keys are never printed: only which slot, and how the match was made.
 */
export type KeyUse = 'rotating-key' | 'other-key' | 'unknown';

export interface Dependent {
  fingerprint: string;
  rule: string;
  /** connection string, account key, account SAS, service SAS, … */
  what: string;
  location: string;
  use: KeyUse;
  /** key1 / key2 when the matching key's slot is known. */
  slot: KeySlot | null;
  /** How the key was matched, or why it could not be. */
  how: string;
  /** This is the leaked link itself. */
  leaked: boolean;
  /** A user delegation SAS: untouched by key rotation. */
  unaffected?: boolean;
}

interface ReportShape {
  schemaVersion?: number;
  findings?: Finding[];
  suppressed?: Finding[];
}

export class ReportError extends Error {}

export function readReport(path: string): Finding[] {
  let data: ReportShape;
  try {
    data = JSON.parse(readFileSync(path, 'utf8')) as ReportShape;
  } catch (e) {
    throw new ReportError(`cannot read ${path} as a sasquatch JSON report: ${(e as Error).message}`);
  }
  if (!data || !Array.isArray(data.findings)) throw new ReportError(`${path} is not a sasquatch JSON report (no findings array; write one with scan --format json)`);
  if (data.schemaVersion !== undefined && data.schemaVersion !== 1) throw new ReportError(`${path} has report schema version ${data.schemaVersion}; this sasquatch reads version 1`);
  return [...data.findings, ...(Array.isArray(data.suppressed) ? data.suppressed : [])];
}

const KEY_RULES = /connection-string|account-key|storage-key/;
/** Repeats of one secret in one file get an ordinal in their fingerprint; try this many. */
const MAX_ORDINAL = 20;

/**
 * @param keys candidate keys (the rotating one among them when known)
 * @param rotating the slot or key being rotated; null when unknown (then uses are reported by slot only)
 * @param leakedSig the leaked link's decoded signature, to mark it in the list
 */
export function dependents(findings: readonly Finding[], account: string, keys: readonly CandidateKey[], rotates: ((k: CandidateKey) => boolean) | null, leakedSig: string | null): Dependent[] {
  const out: Dependent[] = [];
  const acct = account.toLowerCase();
  for (const f of findings) {
    const g = f.grant;
    if (!g || g.provider !== 'azure' || (g.account ?? '').toLowerCase() !== acct) continue;
    const base = { fingerprint: f.fingerprint, rule: f.rule, location: `${f.location.path}:${f.location.line}` };
    if (KEY_RULES.test(f.rule) || KEY_RULES.test(g.kind)) {
      const m = matchKey(f, keys);
      out.push({ ...base, what: g.kind.includes('connection') ? 'connection string' : 'account key', ...judge(m, rotates), how: m ? m.how : howUnknown(keys, 'key'), leaked: false });
      continue;
    }
    if (f.rule !== 'azure-sas' && !/-sas$/.test(g.kind)) continue;
    const what = g.kind.replace(/-sas$/, ' SAS').replace('-', ' ');
    if (g.kind === 'user-delegation-sas') {
      out.push({ ...base, what, use: 'other-key', slot: null, how: 'signed with a user delegation key: key rotation does not affect it', leaked: false, unaffected: true });
      continue;
    }
    const m = matchSas(f, keys);
    const leaked = leakedSig !== null && isLeaked(f, leakedSig);
    out.push({ ...base, what: `${what}${g.storedPolicy ? ` (policy ${g.storedPolicy})` : ''}`, ...judge(m, rotates), how: m ? m.how : howUnknown(keys, 'signature'), leaked });
  }
  return out;
}

interface KeyMatch {
  key: CandidateKey;
  how: string;
}

function judge(m: KeyMatch | null, rotates: ((k: CandidateKey) => boolean) | null): { use: KeyUse; slot: KeySlot | null } {
  if (!m) return { use: 'unknown', slot: null };
  if (!rotates) return { use: 'unknown', slot: m.key.slot };
  return { use: rotates(m.key) ? 'rotating-key' : 'other-key', slot: m.key.slot };
}

function howUnknown(keys: readonly CandidateKey[], what: string): string {
  return keys.length ? `same account; its ${what} matches none of the keys given (signed with an older key, or another account's)` : 'same account; which key it uses is unknown (give the keys to tell)';
}

function matchKey(f: Finding, keys: readonly CandidateKey[]): KeyMatch | null {
  if (!f.redacted) {
    const key = keyIn(f.secret);
    const hit = key ? keys.find((k) => keySha256(k.key) === keySha256(key)) : undefined;
    return hit ? { key: hit, how: `holds ${label(hit)} (SHA-256 of the key)` } : null;
  }
  for (const k of keys) {
    if (fingerprintMatches(f, k.key)) return { key: k, how: `holds ${label(k)} (matched by fingerprint)` };
  }
  return null;
}

function matchSas(f: Finding, keys: readonly CandidateKey[]): KeyMatch | null {
  const g = f.grant!;
  const token = f.secret.replace(/^[^?]*\?/, '');
  const params = parseQuery(token).params;
  const url = g.resource?.url ?? null;
  const segments = url ? (parseAzureUrl(url)?.segments ?? []) : [];
  if (!g.account) return null;
  for (const k of keys) {
    const r = recomputeSignature({ kind: g.kind, account: g.account, service: g.services[0] ?? null, resourcePath: segments, params }, k.key);
    if ('unsupported' in r) return null;
    const hit = f.redacted ? fingerprintMatches(f, r.signature) : params.get('sig') === r.signature;
    if (hit) return { key: k, how: `signed with ${label(k)} (signature recomputed)` };
  }
  return null;
}

function fingerprintMatches(f: Finding, secret: string): boolean {
  for (let i = 0; i < MAX_ORDINAL; i++) if (fingerprintOf(f.rule, secret, f.location.path, i) === f.fingerprint) return true;
  return false;
}

function isLeaked(f: Finding, leakedSig: string): boolean {
  if (!f.redacted) return parseQuery(f.secret.replace(/^[^?]*\?/, '')).params.get('sig') === leakedSig;
  return fingerprintMatches(f, leakedSig);
}

function keyIn(secret: string): string | null {
  const cs = parseConnectionString(secret).pairs.get('AccountKey');
  if (cs) return cs;
  return /^[A-Za-z0-9+/]{20,}={0,2}$/.test(secret.trim()) ? secret.trim() : null;
}

function label(k: CandidateKey): string {
  return k.slot ? `${k.slot} (${k.source})` : `the key in ${k.source}`;
}
