import { createHash, createPrivateKey } from 'node:crypto';
import { crc32, encodeInAlphabet, marvin32 } from '../../analyze/checksum.js';

/**
 * Deterministic, generated sample credentials for rule examples: the exact shape of real
 * ones (length, alphabet, embedded checksum) derived from a seed, never real. Prefixes are
 * assembled at run time so this source file itself holds no token a push-protection
 * scanner would stop.
 */
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const HEX = '0123456789abcdef';

/** Characters from an alphabet, derived from a seed. */
export function sampleChars(seed: string, length: number, alphabet: string = BASE62): string {
  let out = '';
  for (let round = 0; out.length < length; round++) {
    const digest = createHash('sha256').update(`sasquatch-sample:${seed}:${round}`).digest();
    for (const b of digest) {
      if (out.length === length) break;
      out += alphabet[b % alphabet.length];
    }
  }
  return out;
}

export const alphabets = { BASE62, BASE32, BASE64, HEX } as const;

/** A token in GitHub's format (prefix + 30 random + CRC-32 in Base62). */
export function githubStyle(prefix: string, seed: string, length = 36): string {
  const random = sampleChars(seed, length - 6);
  return prefix + random + encodeInAlphabet(crc32(Buffer.from(random, 'latin1')), BASE62, 6);
}

/** Joins parts; lets sources spell a token prefix in two pieces. */
export function join(...parts: string[]): string {
  return parts.join('');
}

/** A random-looking Base64 string of a byte length (with its padding). */
export function sampleBase64(seed: string, bytes: number): string {
  const out = Buffer.alloc(bytes);
  for (let i = 0, round = 0; i < bytes; round++) {
    const d = createHash('sha256').update(`sasquatch-sample-b64:${seed}:${round}`).digest();
    d.copy(out, i, 0, Math.min(d.length, bytes - i));
    i += d.length;
  }
  return out.toString('base64');
}

/** A 40-character AWS-style secret access key. */
export function awsSecret(seed: string): string {
  // 30 random bytes are 40 Base64 characters without padding
  return sampleBase64(seed, 30);
}

/*
 * Private keys generated for this project's rule examples and tests (openssl genpkey,
 * ssh-keygen). They protect nothing. Bodies only; armour is added at run time.
 */
const RSA_PKCS8_BODY =
  'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQCkoeO8jRie4cevQc5UK5aWBrAx84I7sjttZyk4Udk6eUhA6+FlYnbIVkIgwgymW5brUY3OfQmj1U7HtuJyG6KpF4jtktZvTfW7ErBm1qV1wARqkXVStLv05umlrZhT+R9mWwXq4Cn6/RwjIPsz2pzKzQwyVRJ85gv9IoOU8pcj/b37LTgeyLTOnsuhU0TQ2PC/2qBrfUHWvr2ty/WdJz0k28Vg69bzQVCPyf23UgrQm/UrsrVgd+eUaRKQU/oGbkggraOXXncRceRc44q+52O4XpA5z8W3SAPSsGH6PjvaBGRm6dpUJ6xItk8tI1E/7Zl6nYO+Uh+k3rhauhlCBQgTAgMBAAECggEATxfdvwC0cuR62EaPt11nj7Uv4hegmkhzB4j3wzCDYfXRkisg0uH+uhnC1FUV2biH5Y79R1ZIEtdQbV9+JB8FwyHk7WpNrhSwuUrtx8JYpJz3IjG2wWDGKg7j8m5XkARQIw8Y5TIDySrf4TqfpNZi3IWtVeMMKkglO1xhBeaUWTvxvfAQAR4L11np4QTNobLQrXYlioKcjPqLEExgeFC4W/5wiOh4OZJk01CwrbG1ZIx+BgA9YB1dug4H9vdk2FA7Uaso/60LC7h3EW+Q43b4h40Ul0FqO5mPEH+uTCZYXMlo6UgZnQ9/BDd43CIUpLVevwWAo+1+oTirC9wvJ2+lnQKBgQDSr9QFm/4NM5Caj23S/eYSA/lTdtNIihBUYRbOHX9B0EFRSbGP2sEFxGgBzGEcJkNnWkJ8Q+MoMnS3RjNUGRhYQRYHzIQS7ALoQA7a+Nj9N0TzwSZvxameTtqXAQUeiyseoaAElY22hYbBR62S5H09W835JOte2PiI3AJWYM3h7QKBgQDICltnv9tmeKTlmujkDXZAXIIRx21rdEb0ox8Ze9l1uoxLKGddlspqsZRrQ9GsScMOyrVDGOygMqfugjK7gBMJS4Den837XhJ0bYf/wFVXTstaEKD3GUlDLrmJQyq19yPua7Mtb+ticbMgBVlgllRj+LEcYCbemRA9UjEsV6lR/wKBgQCyqUXbh9/VJBAQ8WYJUSODzXjlrVMYJXQZiceD/AGJNufc3ehD/BZJJLeqJr2G2G+6OhE9PXhpAvh03oPyYeGCHZdn/6dUQG1qs7+lMvcXK4I+TmGg0Pa4d1foS4Yi05M6Q4blvEjTKcIPLxBjC32kxbASAZvS7506uY8F3stYNQKBgBeiWaBNY5+cu2bBQajICmOaSmfNVxkt+MAokaESJ+Qn8TFkCapeCXZHmtB9h8VCRcB2pKnTxQk8Uuj0CwhqHlWnzQcAfHapa6bD1iCaWbrh/VabxljLbQN5/sO/4sjy9RTTNq00nuvXoSE0YJXvzPKuzEYc+hqsnOWR02t4w/GDAoGAOYP9E4SFVuuDA2uTzAGMsF0duBKLjXIvXzUyz+1Es6zX699t7D/NqlN3EAYot9ltLGenvgV3sFPp3VXSGBcVin9lPdi19YDxU/NLGHDgregj3VMZ/P3ki3nIDim6yiImk1NOcqTvFVHXYC7fq4DLrR21EC5tMHcdDlPfphVOrJI=';
const EC_PKCS8_BODY =
  'MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgJi78+daPh6pmSIJL/aTt6cSzq/rlo15tJZ8TBXCQtuahRANCAASz1ixSTIlVY8iaBAl3WYHCWhcaN5DbfsAt6VeHSc+AUkdfafqVp2xJOmHxye5yD3qbDTnZvlQ84NYhbwJaMhSR';
const OPENSSH_ED25519_BODY =
  'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZWQyNTUxOQAAACCVTsya7+BIuzuKnDyL8y+/lo+GZTzoWIpk3qDPyrNftwAAAJg2XNyYNlzcmAAAAAtzc2gtZWQyNTUxOQAAACCVTsya7+BIuzuKnDyL8y+/lo+GZTzoWIpk3qDPyrNftwAAAEByaRSIY6ayz5ReVj2aZLJt/X+sQ7x6uA9RsMxtc5fvupVOzJrv4Ei7O4qcPIvzL7+Wj4ZlPOhYimTeoM/Ks1+3AAAAEHNhbXBsZUBzYXNxdWF0Y2gBAgMEBQ==';
const OPENSSH_ED25519_ENCRYPTED_BODY =
  'b3BlbnNzaC1rZXktdjEAAAAACmFlczI1Ni1jdHIAAAAGYmNyeXB0AAAAGAAAABCcIdWOJ7Mw7vehrqTeBdxuAAAAEAAAAAEAAAAzAAAAC3NzaC1lZDI1NTE5AAAAIBF2KLbV2K4D+dQ+Ykp0HtDSeC0cVqYG82Vpw0lredsSAAAAkJi0tLc/IzkSgr7//L13NNUfqrfTfjD7CwVRXx8NwDj9znZlBXVGKbPQVzICpNHY70ZezJGSzf6LySwvpJBbrOW1r+6bdvHz5k5FHPtGgmfPVQiJqRhc4xssAOPOoM/LPZALYuDiuSbchwtqGdo8ig5IfhzCFJ6m0Z520EQNdMI2dnWphEMz2II9N7zXlSSoYQ==';

function armour(label: string, body: string, eol = '\n', width = 64): string {
  const lines = body.match(new RegExp(`.{1,${width}}`, 'g')) ?? [];
  return [`-----BEGIN ${label}-----`, ...lines, `-----END ${label}-----`].join(eol) + eol;
}

const PK = join('PRIVATE', ' KEY');

/** Sample private keys in the formats the private-key rule knows. */
export const sampleKeys = {
  rsaPkcs8: (eol = '\n') => armour(PK, RSA_PKCS8_BODY, eol),
  ecPkcs8: (eol = '\n') => armour(PK, EC_PKCS8_BODY, eol),
  /** The same RSA key in PKCS#1 (`BEGIN RSA PRIVATE KEY`). */
  rsaPkcs1: (eol = '\n') => reencode(RSA_PKCS8_BODY, 'pkcs1', eol),
  /** The same EC key in SEC1 (`BEGIN EC PRIVATE KEY`). */
  ecSec1: (eol = '\n') => reencode(EC_PKCS8_BODY, 'sec1', eol),
  opensshEd25519: (eol = '\n') => armour(`OPENSSH ${PK}`, OPENSSH_ED25519_BODY, eol, 70),
  opensshEncrypted: (eol = '\n') => armour(`OPENSSH ${PK}`, OPENSSH_ED25519_ENCRYPTED_BODY, eol, 70),
};

function reencode(pkcs8Body: string, type: 'pkcs1' | 'sec1', eol: string): string {
  const key = createPrivateKey({ key: Buffer.from(pkcs8Body, 'base64'), format: 'der', type: 'pkcs8' });
  const pem = key.export({ format: 'pem', type }) as string;
  return pem.replace(/\n/g, eol);
}

/** A service-account JSON key file as `gcloud iam service-accounts keys create` writes it. */
export function serviceAccountJson(project = 'data-platform-123456', name = 'trainer'): string {
  const email = `${name}@${project}.iam.gserviceaccount.com`;
  return JSON.stringify(
    {
      type: 'service_account',
      project_id: project,
      private_key_id: sampleChars(`sa-key-id:${project}`, 40, HEX),
      private_key: sampleKeys.rsaPkcs8(),
      client_email: email,
      client_id: sampleChars(`sa-client:${project}`, 21, '0123456789'),
      auth_uri: 'https://accounts.google.com/o/oauth2/auth',
      token_uri: 'https://oauth2.googleapis.com/token',
      auth_provider_x509_cert_url: 'https://www.googleapis.com/oauth2/v1/certs',
      client_x509_cert_url: `https://www.googleapis.com/robot/v1/metadata/x509/${encodeURIComponent(email)}`,
      universe_domain: 'googleapis.com',
    },
    null,
    2,
  );
}

/** An identifiable Azure key (64 bytes): random, the 4-character signature, then its Marvin32 checksum. */
export function identifiableKey(signature: string, seedHex: string, seed: string): string {
  const bytes = Buffer.alloc(64);
  Buffer.from(sampleBase64(`ident:${seed}`, 57), 'base64').copy(bytes, 0);
  Buffer.from(signature.replace(/-/g, '+').replace(/_/g, '/'), 'base64').copy(bytes, 57);
  bytes.writeUInt32LE(marvin32(bytes.subarray(0, 60), seedHex), 60);
  return bytes.toString('base64');
}

/** A common annotated security key (CASK, 84 characters) for a provider signature. */
export function caskKey(provider: string, seed: string): string {
  for (let attempt = 0; ; attempt++) {
    const head = `${sampleChars(`cask:${seed}:${attempt}`, 52)}JQQJ99BC${sampleChars(`cask-p:${seed}`, 12)}AAAA${provider}`;
    const bytes = Buffer.from(head, 'base64');
    const sum = marvin32(bytes, '44656661756c7430');
    const tail = Buffer.from([sum & 0xff, (sum >>> 8) & 0xff, (sum >>> 16) & 0xff]).toString('base64');
    if (/^[A-Za-z0-9]{4}$/.test(tail)) return head + tail;
  }
}

/** An Entra ID client secret in the current `8Q~` format, with its checksum. */
export function entraSecret(seed: string): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ1234567890.-_~';
  const body = `${sampleChars(`entra:${seed}`, 3)}8Q~${sampleChars(`entra-b:${seed}`, 31, alphabet)}`;
  return body + encodeInAlphabet(marvin32(Buffer.from(body, 'latin1'), '4161645077643030'), alphabet, 6).slice(0, 3);
}

/** A legacy Azure DevOps PAT: 52 Base32 characters carrying a CRC-32 in bytes 2, 7, 8 and 22. */
export function adoLegacyPat(seed: string): string {
  const b = Buffer.from(sampleBase64(`ado:${seed}`, 32), 'base64');
  const token = Buffer.concat([b.subarray(0, 2), b.subarray(3, 7), b.subarray(9, 22), b.subarray(23, 32)]);
  const stored = (crc32(token) ^ 0xe0b9692d) >>> 0;
  b[22] = stored & 0xff;
  b[8] = (stored >>> 8) & 0xff;
  b[7] = (stored >>> 16) & 0xff;
  b[2] = (stored >>> 24) & 0xff;
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of b) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += 'abcdefghijklmnopqrstuvwxyz234567'[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += 'abcdefghijklmnopqrstuvwxyz234567'[(value << (5 - bits)) & 31];
  return out;
}

/**
 * A PyPI API token: `pypi-` + Base64url of a macaroon (v2 binary format) whose location is
 * the index and whose caveats carry the scope as JSON.
 */
export function pypiToken(seed: string, caveats: string[], location = 'pypi.org'): string {
  const field = (type: number, data: Buffer) => Buffer.concat([Buffer.from([type, data.length]), data]);
  const parts: Buffer[] = [Buffer.from([2]), field(1, Buffer.from(location)), field(2, Buffer.from(JSON.stringify({ nonce: sampleChars(`pypi:${seed}`, 32, HEX), version: 1 }))), Buffer.from([0])];
  for (const c of caveats) parts.push(field(2, Buffer.from(c)), Buffer.from([0]));
  parts.push(Buffer.from([0]), field(6, Buffer.from(sampleBase64(`pypi-sig:${seed}`, 32), 'base64')));
  return join('py', 'pi-') + Buffer.concat(parts).toString('base64url');
}

/** A random (version 4) UUID derived from a seed. */
export function sampleUuid(seed: string): string {
  const h = sampleChars(seed, 32, HEX);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20)}`;
}
