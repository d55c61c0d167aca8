import { createHash } from 'node:crypto';

/**
 * Stable across line moves and unrelated edits: rule + secret + path, hashed. The n-th
 * repeat of the same secret in one file gets its ordinal mixed in, so two identical links
 * in one file stay two findings (the first keeps the plain fingerprint).
 */
export function fingerprintOf(rule: string, secret: string, path: string, ordinal = 0): string {
  const h = createHash('sha256').update(rule).update('\0').update(secret).update('\0').update(path);
  if (ordinal > 0) h.update(`\0#${ordinal}`);
  return h.digest('hex').slice(0, 32);
}
