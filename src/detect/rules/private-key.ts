import type { Rule } from '../types.js';
import { join, sampleKeys } from './samples.js';

/**
 * Private keys in every armour repositories and backups hold them in: PEM (PKCS#1, PKCS#8,
 * SEC1, DSA, encrypted PKCS#8, legacy encrypted), OpenSSH, PuTTY .ppk and PGP secret key
 * blocks — in files, YAML blocks, JSON strings (`\n` escapes) and code. The analyzer
 * decodes the body, so placeholders and truncated pastes are told from real keys.
 */
const BEGIN = String.raw`-----BEGIN[ A-Z0-9]{0,20} PRIVATE KEY(?: BLOCK)?-----`;
const END = String.raw`-----END[ A-Z0-9]{0,20} PRIVATE KEY(?: BLOCK)?-----`;
const PUTTY = String.raw`PuTTY-User-Key-File-[23]:[ \t]*[\w@.-]+(?:\r?\n|\\r?\\n)(?:[^\r\n]*(?:\r?\n|\\r?\\n)){2,60}?[^\r\n]*?Private-(?:MAC|Hash):[ \t]*[0-9a-fA-F]{20,}`;
const PK = join('PRIVATE', ' KEY');

export const privateKeyRule: Rule = {
  id: 'private-key',
  family: 'private-key',
  title: 'Private key',
  description: 'A private key (PEM, OpenSSH, PuTTY or PGP): whoever holds it can act as its owner wherever its public key is trusted.',
  keywords: ['private key-----', 'private key block-----', 'putty-user-key-file-'],
  pattern: new RegExp(String.raw`${BEGIN}[\s\S]{0,16000}?${END}|${PUTTY}`, 'g'),
  window: { before: 64, after: 17000 },
  severity: 'high',
  confidence: 'high',
  analyzer: 'private-key',
  grantSummary: 'key algorithm and size, format (pkcs1, pkcs8, sec1, openssh, putty, pgp), encrypted or not; placeholder and truncated bodies are info',
  examples: [
    sampleKeys.rsaPkcs8(),
    sampleKeys.rsaPkcs1(),
    sampleKeys.ecSec1(),
    sampleKeys.opensshEd25519(),
    sampleKeys.opensshEncrypted(),
    `private_key: |\n  ${sampleKeys.ecPkcs8().trimEnd().replace(/\n/g, '\n  ')}\n`,
    `{"key": ${JSON.stringify(sampleKeys.rsaPkcs8())}}`,
    sampleKeys.rsaPkcs8('\r\n'),
  ],
  negativeExamples: [
    `-----BEGIN ${PK}-----\n...\n-----END ${PK}-----`,
    `-----BEGIN RSA ${PK}-----\nMIIEpAIBAAKCAQEA<your key here>\n-----END RSA ${PK}-----`,
    '-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEePl9/TeCCeh2iNiTwovEkC5uLMmQ\n-----END PUBLIC KEY-----',
    'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG2f+4YZV2lju1iWD+ElqJchhu/LqYlgZIufPIi68kHE ops@bastion',
  ],
};
