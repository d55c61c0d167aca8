import { createPrivateKey } from 'node:crypto';

/**
 * Reads a private key as found in text — PEM (PKCS#1, PKCS#8, SEC1, DSA, encrypted PKCS#8,
 * legacy `Proc-Type: 4,ENCRYPTED`), OpenSSH, PuTTY (PPK 2/3), PGP — into what it is: algorithm,
 * size, format, whether it is encrypted, and whether its structure holds together. A body
 * that does not decode to a well-formed key is a placeholder or a truncation, not a secret.
 */
export interface PrivateKeyInfo {
  format: 'pkcs1' | 'pkcs8' | 'sec1' | 'dsa' | 'openssh' | 'putty' | 'pgp' | 'unknown';
  keyType: string;
  encrypted: boolean;
  valid: boolean;
  /** Why the structure does not hold (when !valid). */
  problem?: string;
  bits?: number;
  curve?: string;
  comment?: string;
  cipher?: string;
}

const PLACEHOLDER_BODY = /\.\.\.|…|<[^>]*>|\{\{|\$\{|X{8,}|REDACTED|your[-_ ]?key|insert|paste/i;

/** Undo the escapes and indentation a key picks up when stored in JSON, YAML or code. */
export function normalizeKeyText(text: string): string {
  return text
    .replace(/\\r\\n|\\n|\\r/g, '\n')
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((l) => l.trim().replace(/^["']|["'],?\s*\+?$/g, '').trim())
    .join('\n');
}

export function parsePrivateKey(found: string): PrivateKeyInfo {
  const text = normalizeKeyText(found);
  if (/PuTTY-User-Key-File-/.test(text)) return parsePutty(text);
  const header = /-----BEGIN ([A-Z0-9 ]*?)PRIVATE KEY( BLOCK)?-----/.exec(text);
  if (!header) return invalid('unknown', 'unknown', 'no PEM header');
  const label = header[1]!.trim();
  const end = text.indexOf('-----END', header.index);
  const inner = text.slice(header.index + header[0].length, end < 0 ? undefined : end);
  const lines = inner.split('\n').map((l) => l.trim()).filter(Boolean);
  const headers = lines.filter((l) => /^[A-Za-z-]+:\s/.test(l));
  const body = lines.filter((l) => !/^[A-Za-z-]+:\s/.test(l)).join('');
  const format = formatOf(label);
  const keyType = typeOf(label);
  if (end < 0) return invalid(format, keyType, 'no END line: truncated');
  if (PLACEHOLDER_BODY.test(body) || body.length < 40) return invalid(format, keyType, 'placeholder body');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(body)) return invalid(format, keyType, 'body is not Base64');
  const der = Buffer.from(body, 'base64');
  if (label === 'PGP') return { format: 'pgp', keyType: 'pgp', encrypted: false, valid: der.length > 64 };
  if (label === 'OPENSSH') return parseOpenSsh(der);
  const legacyEncrypted = headers.some((h) => /^Proc-Type:\s*4,ENCRYPTED/i.test(h));
  const dek = headers.find((h) => /^DEK-Info:/i.test(h));
  if (legacyEncrypted) {
    // the body is ciphertext: whole cipher blocks, under a DEK-Info naming the cipher
    const info: PrivateKeyInfo = { format, keyType, encrypted: true, valid: Boolean(dek) && der.length >= 64 && der.length % 8 === 0 };
    if (dek) info.cipher = dek.replace(/^DEK-Info:\s*/i, '').split(',')[0]!;
    if (!info.valid) info.problem = 'encrypted body incomplete: truncated or edited';
    return info;
  }
  if (!derSequenceComplete(der)) return invalid(format, keyType, 'DER structure incomplete: truncated or edited');
  if (label === 'ENCRYPTED') return { format: 'pkcs8', keyType, encrypted: true, valid: true };
  return parseDer(der, format, keyType);
}

function formatOf(label: string): PrivateKeyInfo['format'] {
  switch (label) {
    case 'RSA':
      return 'pkcs1';
    case 'EC':
      return 'sec1';
    case 'DSA':
      return 'dsa';
    case 'OPENSSH':
      return 'openssh';
    case 'PGP':
      return 'pgp';
    case '':
    case 'ENCRYPTED':
      return 'pkcs8';
    default:
      return 'unknown';
  }
}

function typeOf(label: string): string {
  switch (label) {
    case 'RSA':
      return 'rsa';
    case 'EC':
      return 'ec';
    case 'DSA':
      return 'dsa';
    default:
      return 'unknown';
  }
}

function invalid(format: PrivateKeyInfo['format'], keyType: string, problem: string): PrivateKeyInfo {
  return { format, keyType, encrypted: false, valid: false, problem };
}

/** The outer DER SEQUENCE's length matches the bytes (a truncated paste does not). */
function derSequenceComplete(der: Buffer): boolean {
  if (der.length < 4 || der[0] !== 0x30) return false;
  let len = der[1]!;
  let header = 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n < 1 || n > 4 || der.length < 2 + n) return false;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + der[2 + i]!;
    header = 2 + n;
  }
  return header + len === der.length;
}

function parseDer(der: Buffer, format: PrivateKeyInfo['format'], labelType: string): PrivateKeyInfo {
  const type = format === 'pkcs1' ? 'pkcs1' : format === 'sec1' ? 'sec1' : 'pkcs8';
  if (format === 'dsa') return { format, keyType: 'dsa', encrypted: false, valid: true };
  try {
    const key = createPrivateKey({ key: der, format: 'der', type });
    const info: PrivateKeyInfo = { format, keyType: key.asymmetricKeyType ?? labelType, encrypted: false, valid: true };
    const d = key.asymmetricKeyDetails;
    if (d?.modulusLength) info.bits = d.modulusLength;
    if (d?.namedCurve) info.curve = d.namedCurve;
    if (info.keyType === 'rsa-pss') info.keyType = 'rsa';
    return info;
  } catch (e) {
    return invalid(format, labelType, `does not parse as a ${type.toUpperCase()} key (${e instanceof Error ? e.message.split('\n')[0] : 'error'})`);
  }
}

/** openssh-key-v1: magic, cipher, kdf, kdf options, key count, public key, private section. */
function parseOpenSsh(b: Buffer): PrivateKeyInfo {
  const magic = 'openssh-key-v1\0';
  if (b.toString('latin1', 0, magic.length) !== magic) return invalid('openssh', 'unknown', 'not an openssh-key-v1 blob');
  const r = new SshReader(b, magic.length);
  try {
    const cipher = r.string().toString('latin1');
    r.string(); // kdf name
    r.string(); // kdf options
    const count = r.uint32();
    if (count < 1 || count > 16) return invalid('openssh', 'unknown', 'implausible key count');
    const pub = new SshReader(r.string(), 0);
    const algo = pub.string().toString('latin1');
    const info: PrivateKeyInfo = { format: 'openssh', keyType: sshKeyType(algo), encrypted: cipher !== 'none', valid: true };
    if (cipher !== 'none') info.cipher = cipher;
    if (algo === 'ssh-rsa') {
      pub.string(); // e
      const n = pub.string();
      info.bits = (n.length - (n[0] === 0 ? 1 : 0)) * 8;
    } else if (algo.startsWith('ecdsa-sha2-')) info.curve = algo.slice('ecdsa-sha2-'.length);
    const priv = r.string();
    if (cipher === 'none') {
      // the private section starts with the same random 32-bit check value twice
      if (priv.length < 8 || priv.readUInt32BE(0) !== priv.readUInt32BE(4)) return invalid('openssh', info.keyType, 'check values differ: corrupted or edited');
      const pr = new SshReader(priv, 8);
      pr.string(); // key type again
      skipPrivateFields(pr, algo);
      const comment = pr.string().toString('utf8');
      if (comment) info.comment = comment;
    }
    return info;
  } catch {
    return invalid('openssh', 'unknown', 'blob ends early: truncated');
  }
}

function skipPrivateFields(r: SshReader, algo: string): void {
  const counts: Record<string, number> = { 'ssh-rsa': 6, 'ssh-dss': 5, 'ssh-ed25519': 2, 'ssh-ed448': 2 };
  const n = counts[algo] ?? (algo.startsWith('ecdsa-sha2-') ? 3 : algo.startsWith('sk-') ? 4 : 0);
  for (let i = 0; i < n; i++) r.string();
}

function sshKeyType(algo: string): string {
  if (algo === 'ssh-rsa') return 'rsa';
  if (algo === 'ssh-dss') return 'dsa';
  if (algo === 'ssh-ed25519' || algo === 'sk-ssh-ed25519@openssh.com') return 'ed25519';
  if (algo === 'ssh-ed448') return 'ed448';
  if (algo.includes('ecdsa')) return 'ec';
  return algo || 'unknown';
}

class SshReader {
  constructor(
    private readonly b: Buffer,
    private pos: number,
  ) {}
  uint32(): number {
    if (this.pos + 4 > this.b.length) throw new Error('short');
    const v = this.b.readUInt32BE(this.pos);
    this.pos += 4;
    return v;
  }
  string(): Buffer {
    const n = this.uint32();
    if (this.pos + n > this.b.length) throw new Error('short');
    const s = this.b.subarray(this.pos, this.pos + n);
    this.pos += n;
    return s;
  }
}

/** PuTTY .ppk (versions 2 and 3): the header lines say the algorithm and the encryption. */
function parsePutty(text: string): PrivateKeyInfo {
  const algo = /PuTTY-User-Key-File-[23]:\s*(\S+)/.exec(text)?.[1] ?? 'unknown';
  const encryption = /\nEncryption:\s*(\S+)/.exec(text)?.[1] ?? 'unknown';
  const privLines = parseInt(/\nPrivate-Lines:\s*(\d+)/.exec(text)?.[1] ?? '0', 10);
  const mac = /\nPrivate-(?:MAC|Hash):\s*([0-9a-f]+)/i.exec(text)?.[1];
  const comment = /\nComment:\s*([^\n]*)/.exec(text)?.[1];
  const after = text.split(/\nPrivate-Lines:\s*\d+\n/)[1] ?? '';
  const privateBody = after.split('\n').slice(0, privLines).join('');
  const info: PrivateKeyInfo = { format: 'putty', keyType: sshKeyType(algo), encrypted: encryption !== 'none', valid: false };
  if (encryption !== 'none') info.cipher = encryption;
  if (comment) info.comment = comment;
  if (!mac || privLines < 1 || privateBody.length < 8 || PLACEHOLDER_BODY.test(privateBody) || !/^[A-Za-z0-9+/]+=*$/.test(privateBody)) {
    info.problem = 'incomplete PuTTY key (no private lines or MAC)';
    return info;
  }
  info.valid = true;
  return info;
}
