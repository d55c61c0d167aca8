import { looksLikePlaceholder } from '../placeholder.js';

/**
 * A SAS `sig` is Base64 of a 32-byte HMAC-SHA256: 43 characters and one `=`, and the last
 * character before `=` carries only 4 data bits. Anything else is a placeholder, a typo or
 * a truncation (shared/reference §0.2).
 */
const SIG_SHAPE = /^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$/;

export type SignatureVerdict = 'real' | 'placeholder' | 'malformed';

export function judgeSignature(decodedSig: string): SignatureVerdict {
  if (SIG_SHAPE.test(decodedSig)) return looksLikePlaceholder(decodedSig) ? 'placeholder' : 'real';
  // url-safe base64 or a missing '=' are hand-mangled real signatures, not examples
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(decodedSig) && !looksLikePlaceholder(decodedSig)) return 'malformed';
  return 'placeholder';
}
