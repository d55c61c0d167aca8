import { looksLikePlaceholder, shannonEntropy } from '../placeholder.js';

/**
 * A SAS `sig` is Base64 of a 32-byte HMAC-SHA256: 43 characters and one `=`, and the last
 * character before `=` carries only 4 data bits. Anything else is a placeholder, a typo or
 * a truncation (shared/reference §0.2).
 */
const SIG_SHAPE = /^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$/;

/**
 * `malformed`: the full length, hand-mangled (URL-safe Base64, `=` dropped); `truncated`: a
 * random-looking Base64 run shorter than a signature — the start of a real one (cut off, or
 * wrapped onto the next line), not a documentation example.
 */
export type SignatureVerdict = 'real' | 'placeholder' | 'malformed' | 'truncated';

export function judgeSignature(decodedSig: string): SignatureVerdict {
  if (SIG_SHAPE.test(decodedSig)) return looksLikePlaceholder(decodedSig) ? 'placeholder' : 'real';
  // url-safe base64 or a missing '=' are hand-mangled real signatures, not examples
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(decodedSig) && !looksLikePlaceholder(decodedSig)) return 'malformed';
  if (/^[A-Za-z0-9+/]{16,42}$/.test(decodedSig) && !looksLikePlaceholder(decodedSig) && shannonEntropy(decodedSig) >= 3.5 && /[0-9]/.test(decodedSig) && /[a-z]/.test(decodedSig) && /[A-Z]/.test(decodedSig)) return 'truncated';
  return 'placeholder';
}
