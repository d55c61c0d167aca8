/**
 * What an AWS access key id says by itself (shared/reference §4.4): its type from the
 * prefix, and — for ids in the current Base32 format — the 12-digit account it belongs to.
 * The id is not secret, but it outlives any URL it signed and names the account.
 */
export type KeyType = 'long-term' | 'temporary' | 'bearer-token' | 'context-specific' | 'unknown';

export interface KeyIdInfo {
  accessKeyId: string;
  keyType: KeyType;
  /** Prefix meaning in words. */
  prefixMeaning: string;
  /** Decoded account id (undocumented by AWS; reliable for ids issued since 2019). */
  accountIdHint: string | null;
}

const PREFIXES: Record<string, [KeyType, string]> = {
  AKIA: ['long-term', 'long-term IAM user access key'],
  ASIA: ['temporary', 'temporary (STS) access key'],
  ABIA: ['bearer-token', 'STS service bearer token'],
  ACCA: ['context-specific', 'context-specific credential'],
};

export function keyIdInfo(id: string): KeyIdInfo {
  const [keyType, prefixMeaning] = PREFIXES[id.slice(0, 4)] ?? ['unknown', 'unknown key type'];
  return { accessKeyId: id, keyType, prefixMeaning, accountIdHint: accountOf(id) };
}

const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/**
 * Account id from a key id: Base32-decode the 16 characters after the prefix, take the
 * first 6 bytes big-endian, mask 0x7fffffffff80 and shift right by 7. Ids that are not
 * Base32 (older keys) give null.
 */
export function accountOf(id: string): string | null {
  const body = id.slice(4);
  if (!/^[A-Z2-7]{16}$/.test(body)) return null;
  let bits = 0n;
  for (const ch of body) bits = (bits << 5n) | BigInt(B32.indexOf(ch));
  // 80 bits; the first 48 are the 6 bytes that carry the account
  const first6 = bits >> 32n;
  const account = (first6 & 0x7fffffffff80n) >> 7n;
  const text = account.toString().padStart(12, '0');
  return text.length === 12 ? text : null;
}

/** AWS's documentation examples (IAM user guide, SDK docs): public, never a finding above info. */
export function isDocumentationKey(idOrSecret: string): boolean {
  return /EXAMPLE/.test(idOrSecret);
}
