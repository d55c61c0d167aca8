import { createHash, timingSafeEqual } from 'node:crypto';
import { parseAzureUrl } from '../analyze/sas/endpoint.js';
import { readSas, type SasReading } from '../analyze/sas/grant.js';
import { recomputeSignature, stringToSign, type SignedLayout, type SigningInput } from './signing.js';

/**
 * Which account key signed a leaked SAS. An account or ad hoc service SAS can only be
 * revoked by rotating the key that signed it, and rotating the wrong one breaks every client
 * of that key while the leaked link keeps working. With the keys at hand (environment, or
 * Azure Resource Manager listKeys) the signature is recomputed with each: the key that
 * reproduces it is the one. Keys are compared, logged and reported only by SHA-256.
 */
export type KeySlot = 'key1' | 'key2';

export interface CandidateKey {
  /** key1 / key2 when known (flags, ARM); null for a key whose slot nobody said (a connection string). */
  slot: KeySlot | null;
  /** Base64 account key. Never printed or logged. */
  key: string;
  /** Where it came from, for messages: "$AZURE_STORAGE_KEY", "ARM listKeys", … */
  source: string;
  /** The key is the AccountKey of a connection string (clients configured with it break when it rotates). */
  connectionString?: boolean;
}

export type KeyVerdict =
  /** One of the candidates reproduces the signature. */
  | 'identified'
  /** Keys were given and none reproduces it: rotated already, another account, or an edited token. */
  | 'no-match'
  /** No keys to try. */
  | 'unknown'
  /** The token's layout is not one sasquatch recomputes (or it is not key-signed). */
  | 'unsupported';

export interface KeyIdentification {
  verdict: KeyVerdict;
  /** The slot of the signing key when known. */
  slot: KeySlot | null;
  /** Where the signing key came from (a flag's variable, ARM). */
  source: string | null;
  /** SHA-256 (hex) of the signing key's Base64 text: lets reports match it without the key. */
  keySha256: string | null;
  layout: SignedLayout | null;
  /** Sources of the keys tried. */
  tried: string[];
  reason: string;
}

/** What recomputing needs from a leaked URL: the token's fields, account and resource path. */
export function signingInputOf(url: string, now = new Date()): { input: SigningInput; reading: SasReading } | { error: string } {
  const q = url.indexOf('?');
  if (q < 0) return { error: 'the link has no query string (no SAS token)' };
  const base = url.slice(0, q);
  const reading = readSas({ query: url.slice(q + 1), url: base }, now);
  if ('notSas' in reading) return { error: `not an Azure Storage SAS: ${reading.notSas}` };
  const parsed = parseAzureUrl(base);
  const account = reading.grant.account;
  if (!account) return { error: 'the storage account is not in the link (custom domain?)' };
  return {
    input: {
      kind: reading.grant.kind,
      account,
      service: reading.grant.services[0] ?? null,
      resourcePath: parsed?.segments ?? [],
      params: reading.query.params,
    },
    reading,
  };
}

export function identifySigningKey(input: SigningInput, signature: string, keys: readonly CandidateKey[]): KeyIdentification {
  const tried = keys.map((k) => k.source);
  const none = (verdict: KeyVerdict, reason: string, layout: SignedLayout | null = null): KeyIdentification => ({ verdict, slot: null, source: null, keySha256: null, layout, tried, reason });
  if (input.kind === 'user-delegation-sas') return none('unsupported', 'a user delegation SAS is signed with a user delegation key from Entra ID, not with an account key: rotating keys does not revoke it');
  const sts = stringToSign(input);
  if ('unsupported' in sts) return none('unsupported', sts.unsupported);
  const layout = sts.layout;
  if (!keys.length) return none('unknown', 'no account key was given to compare with', layout);
  for (const k of keys) {
    const r = recomputeSignature(input, k.key);
    if ('unsupported' in r) return none('unsupported', r.unsupported);
    if (sameSignature(r.signature, signature)) {
      const which = k.slot ?? 'the key';
      return { verdict: 'identified', slot: k.slot, source: k.source, keySha256: keySha256(k.key), layout, tried, reason: `${which} from ${k.source} reproduces its signature (${layout} layout)` };
    }
  }
  return none('no-match', `none of the keys tried (${tried.join(', ')}) reproduces its signature: it was signed with a key already rotated, with another account's key, or the token was edited`, layout);
}

/** Fills in the slot of a slot-less key (a connection string's) when it equals a key whose slot is known. */
export function resolveSlots(keys: readonly CandidateKey[]): CandidateKey[] {
  const known = keys.filter((k) => k.slot);
  const out: CandidateKey[] = [];
  for (const k of keys) {
    const twin = k.slot ? null : known.find((x) => x.key === k.key);
    if (twin) {
      // the same key is already there with its slot; remember it is also a connection string's
      if (k.connectionString) twin.connectionString = true;
      continue;
    }
    if (out.some((x) => x.key === k.key && x.slot === k.slot)) continue;
    out.push(k);
  }
  return out;
}

export function keySha256(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

function sameSignature(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
