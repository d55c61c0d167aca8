import { parseQuery } from '../analyze/sas/query.js';
import { judgeSignature } from '../analyze/sas/signature.js';
import { percentDecodeValue } from '../decode/decoders.js';
import { sha256Hex, TOKEN_FIELDS, type LinkTarget } from './link.js';
import type { LogRecord } from './record.js';

/**
 * Deciding whether a logged request used the leaked link (shared/reference §7.4):
 * 1. Azure Monitor rows carry `SasSignature(<SHA-256 of the signature>)` in
 *    AuthenticationHash: equal hashes decide, either way.
 * 2. A request URL that still holds the real `sig` (classic logs sometimes do) decides too.
 * 3. Otherwise (sig masked, or only a redacted link known) the token's other signed fields
 *    (sv, ss, srt, sr, sp, st, se, si, …) must all be equal — nearly unique per token.
 */
export type MatchMethod = 'sas-hash' | 'sas-hash-raw-bytes' | 'signature' | 'token-fields' | 'any-sas';

export const MATCH_WORDS: Record<MatchMethod, string> = {
  'sas-hash': 'SHA-256 of the signature in AuthenticationHash',
  'sas-hash-raw-bytes': 'SHA-256 of the signature bytes in AuthenticationHash (the undocumented variant)',
  signature: 'the signature itself in the logged request URL',
  'token-fields': 'every signed token field in the logged request URL',
  'any-sas': 'a SAS-authenticated request',
};

const SAS_HASH = /SasSignature\(([0-9a-f]{64})\)/i;

/** `key1(…),SasSignature(<hex>)` → the lower-case hex, or null. Case never matters. */
export function sasHashOf(authHash: string): string | null {
  if (authHash.length < 78) return null; // shorter than "SasSignature(<64 hex>)": no SAS hash
  return SAS_HASH.exec(authHash)?.[1]?.toLowerCase() ?? null;
}

/** Which account key signed the SAS (`key1` / `key2`), from AuthenticationHash. */
export function signingKeyOf(authHash: string): string | null {
  return /^\s*(key[12])\(/i.exec(authHash)?.[1]?.toLowerCase() ?? null;
}

/** The SAS fields of a logged request URL (decoded), or null when it carries none. */
export function sasParamsOfUrl(url: string): Map<string, string> | null {
  const q = url.indexOf('?');
  if (q < 0) return null;
  const query = url.slice(q + 1);
  if (!query.includes('sig=') && !query.includes('sv=') && !query.includes('se=')) return null;
  const hash = query.indexOf('#');
  const params = parseQuery(hash < 0 ? query : query.slice(0, hash)).params;
  return params.has('sig') || params.has('sv') || params.has('se') ? params : null;
}

/**
 * The real signature a logged URL still holds (first `sig`, decoded), or null when there is
 * none or it is masked. Reads just that parameter: most rows are decided without parsing.
 */
export function loggedSignature(url: string): string | null {
  const at = url.search(/[?&]sig=/);
  if (at < 0) return null;
  const from = at + 5;
  let end = url.length;
  for (const stop of ['&', '#']) {
    const i = url.indexOf(stop, from);
    if (i >= 0 && i < end) end = i;
  }
  const sig = percentDecodeValue(url.slice(from, end));
  return judgeSignature(sig) === 'real' ? sig : null;
}

/** Authenticated by a SAS: says so, carries a signature hash, or sends a `sig` (even a failing one). */
export function isSasRequest(r: LogRecord): boolean {
  return r.authType === 'sas' || sasHashOf(r.authHash) !== null || /[?&]sig=/.test(r.url);
}

export class LinkMatcher {
  /** `name=value` of every token field: all must appear in a URL's decoded query for its fields to match. */
  private readonly needles: string[];

  constructor(private readonly target: LinkTarget | null) {
    this.needles = target ? [...target.fields].map(([k, v]) => `${k}=${v}`) : [];
  }

  match(r: LogRecord): MatchMethod | null {
    const t = this.target;
    if (!t) return isSasRequest(r) ? 'any-sas' : null;
    if (t.account && r.account && r.account !== t.account) return null;
    const hash = sasHashOf(r.authHash);
    if (hash && t.sigHash) {
      if (hash === t.sigHash) return 'sas-hash';
      if (hash === t.sigRawHash) return 'sas-hash-raw-bytes';
      return null;
    }
    const sig = loggedSignature(r.url);
    if (sig !== null) {
      if (t.signature !== null) return sig === t.signature ? 'signature' : null;
      if (t.signaturePrefix && !sig.startsWith(t.signaturePrefix)) return null;
    }
    if (!decodedQueryHas(r.url, this.needles)) return null;
    const params = sasParamsOfUrl(r.url);
    return params && sameTokenFields(params, t.fields) ? 'token-fields' : null;
  }
}

/**
 * A cheap necessary condition before parsing a logged query: each token field, decoded,
 * appears in the decoded query. Sound whatever encoding the caller chose, since a value
 * that decodes equal also appears once the whole query is decoded.
 */
function decodedQueryHas(url: string, needles: string[]): boolean {
  const q = url.indexOf('?');
  if (q < 0) return false;
  let query = url.slice(q + 1);
  if (query.includes('%')) {
    try {
      query = decodeURIComponent(query);
    } catch {
      return true; // a broken escape: let the exact comparison decide
    }
  }
  for (const n of needles) if (!query.includes(n)) return false;
  return true;
}

/** Every signed field equal, none missing on either side. */
export function sameTokenFields(params: Map<string, string>, fields: Map<string, string>): boolean {
  if (fields.size < 2) return false;
  for (const name of TOKEN_FIELDS) {
    if (params.get(name) !== fields.get(name)) return false;
  }
  return true;
}

/**
 * One identity per distinct SAS in the logs (for "all SAS requests"): the signature hash
 * when known — the same value whether it came from AuthenticationHash or from a `sig` left
 * in a URL — else the token fields. Never the signature itself.
 */
export function tokenIdentity(r: LogRecord): { id: string; fields: string } {
  const params = sasParamsOfUrl(r.url);
  const fields = params ? describeFields(params) : '';
  const hash = sasHashOf(r.authHash);
  if (hash) return { id: `sha256:${hash}`, fields };
  const sig = loggedSignature(r.url);
  if (sig) return { id: `sha256:${sha256Hex(Buffer.from(sig, 'utf8'))}`, fields };
  return { id: fields ? `fields:${fields}` : 'unidentified', fields };
}

function describeFields(params: Map<string, string>): string {
  return TOKEN_FIELDS.filter((n) => params.has(n))
    .map((n) => `${n}=${params.get(n)}`)
    .join('&');
}
