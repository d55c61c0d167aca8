import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { test } from 'node:test';
import { sampleKeys } from '../../detect/rules/samples.js';
import { findIn } from '../../testing/find.js';
import { parsePrivateKey } from './private-key.js';

test('formats and algorithms: PKCS#8, PKCS#1, SEC1, OpenSSH', () => {
  assert.deepEqual(pick(parsePrivateKey(sampleKeys.rsaPkcs8())), ['pkcs8', 'rsa', false, true, 2048]);
  assert.deepEqual(pick(parsePrivateKey(sampleKeys.rsaPkcs1())), ['pkcs1', 'rsa', false, true, 2048]);
  assert.deepEqual(pick(parsePrivateKey(sampleKeys.ecSec1())), ['sec1', 'ec', false, true, undefined]);
  assert.equal(parsePrivateKey(sampleKeys.ecSec1()).curve, 'prime256v1');
  const ssh = parsePrivateKey(sampleKeys.opensshEd25519());
  assert.deepEqual(pick(ssh), ['openssh', 'ed25519', false, true, undefined]);
  assert.equal(ssh.comment, 'sample@sasquatch');
});

test('encrypted keys: OpenSSH with a cipher, encrypted PKCS#8, legacy Proc-Type PEM', () => {
  const ssh = parsePrivateKey(sampleKeys.opensshEncrypted());
  assert.deepEqual([ssh.encrypted, ssh.cipher, ssh.valid], [true, 'aes256-ctr', true]);
  const { privateKey: pkcs8 } = generateKeyPairSync('ec', { namedCurve: 'P-256', privateKeyEncoding: { type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pw' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
  assert.match(pkcs8, /BEGIN ENCRYPTED PRIVATE KEY/);
  assert.deepEqual([parsePrivateKey(pkcs8).encrypted, parsePrivateKey(pkcs8).valid], [true, true]);
  const { privateKey: legacy } = generateKeyPairSync('rsa', { modulusLength: 1024, privateKeyEncoding: { type: 'pkcs1', format: 'pem', cipher: 'aes-128-cbc', passphrase: 'pw' }, publicKeyEncoding: { type: 'pkcs1', format: 'pem' } });
  assert.match(legacy, /Proc-Type: 4,ENCRYPTED/);
  const info = parsePrivateKey(legacy);
  assert.deepEqual([info.format, info.keyType, info.encrypted, info.cipher], ['pkcs1', 'rsa', true, 'AES-128-CBC']);
  const [f] = findIn(legacy);
  assert.equal(f!.severity, 'medium');
  assert.equal(f!.details?.['encrypted'], true);
});

test('keys stored in JSON strings, YAML blocks and CRLF files are read the same', () => {
  for (const text of [JSON.stringify({ key: sampleKeys.rsaPkcs8() }), `tls:\n  key: |\n    ${sampleKeys.rsaPkcs8().trimEnd().replace(/\n/g, '\n    ')}\n`, sampleKeys.rsaPkcs8('\r\n')]) {
    const found = findIn(text);
    assert.equal(found.length, 1, text.slice(0, 80));
    assert.equal(found[0]!.severity, 'high');
    assert.equal(found[0]!.details?.['bits'], 2048);
    assert.ok(found[0]!.secret.startsWith('-----BEGIN PRIVATE KEY----- …'));
  }
});

test('placeholders are examples; a truncated paste is info, never more', () => {
  assert.deepEqual(findIn('-----BEGIN RSA PRIVATE KEY-----\n...\n-----END RSA PRIVATE KEY-----'), []);
  const truncated = sampleKeys.rsaPkcs8().split('\n');
  const cut = [...truncated.slice(0, 6), truncated.at(-2)!].join('\n');
  const found = findIn(cut);
  assert.deepEqual(found.map((f) => f.severity), ['info']);
  assert.match(found[0]!.reasons[0]!, /truncated|incomplete/);
});

test('public keys are not private keys', () => {
  const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256', publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
  assert.deepEqual(findIn(publicKey), []);
});

function pick(i: ReturnType<typeof parsePrivateKey>) {
  return [i.format, i.keyType, i.encrypted, i.valid, i.bits];
}

test('PuTTY keys: the header says the algorithm and whether a passphrase protects it', () => {
  const b64 = (n: number, seed: number) => Buffer.from(Array.from({ length: n }, (_, i) => (seed * 31 + i * 7) & 0xff)).toString('base64');
  const ppk = (encryption: string) =>
    [
      'PuTTY-User-Key-File-3: ssh-ed25519',
      `Encryption: ${encryption}`,
      'Comment: deploy@build-01',
      'Public-Lines: 2',
      b64(48, 3).slice(0, 64),
      b64(6, 4),
      'Private-Lines: 1',
      b64(48, 5).slice(0, 64),
      `Private-MAC: ${'0a1b2c3d4e5f'.repeat(5)}ab12`,
      '',
    ].join('\n');
  const plain = findIn(ppk('none'), { path: 'deploy.ppk' });
  assert.deepEqual(plain.map((f) => [f.rule, f.severity, f.details?.['format'], f.details?.['keyType']]), [['private-key', 'high', 'putty', 'ed25519']]);
  assert.equal(plain[0]!.location.line, 1);
  const locked = findIn(ppk('aes256-cbc'), { path: 'deploy.ppk' });
  assert.deepEqual(locked.map((f) => [f.severity, f.details?.['encrypted'], f.details?.['cipher']]), [['medium', true, 'aes256-cbc']]);
});

test('DSA and EC keys from a generator parse; a key in a Python string concatenation too', () => {
  const { privateKey: dsa } = generateKeyPairSync('dsa', { modulusLength: 1024, divisorLength: 160, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
  assert.deepEqual(pick(parsePrivateKey(dsa)).slice(0, 4), ['pkcs8', 'dsa', false, true]);
  const concatenated = `KEY = (\n${sampleKeys.ecSec1()
    .trimEnd()
    .split('\n')
    .map((l) => `    "${l}\\n"`)
    .join('\n')}\n)`;
  const found = findIn(concatenated, { path: 'keys.py' });
  assert.deepEqual(found.map((f) => [f.severity, f.details?.['keyType']]), [['high', 'ec']]);
});
