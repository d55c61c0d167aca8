import { createHash } from 'node:crypto';
import { credential, example } from '../credential.js';
import { describeContext, pathContext } from '../path-context.js';
import type { Analysis, AnalysisContext, MatchInput } from '../types.js';
import { normalizeKeyText, parsePrivateKey, type PrivateKeyInfo } from './private-key.js';

/**
 * Private keys. Severity:
 * - unencrypted and well-formed → high (whoever has it is the key's owner: SSH logins,
 *   TLS servers, signing);
 * - encrypted (passphrase-protected) and well-formed → medium (needs the passphrase, but
 *   can be attacked offline at leisure);
 * - placeholder bodies → info (example); truncated or corrupted bodies → info;
 * - kept in tests or test fixtures (`tests/certs/server.key`) → info with the reason: keys
 *   made for test servers are published with the code on purpose.
 */
export function analyzePrivateKey(match: MatchInput, ctx: AnalysisContext): Analysis | null {
  const info = parsePrivateKey(match.text);
  const fingerprintSource = normalizeKeyText(match.text).replace(/\s+/g, '');
  const secret = createHash('sha256').update(fingerprintSource).digest('hex');
  const details = detailsOf(info);
  const shown = headerLine(match.text);
  if (!info.valid) {
    if (info.problem === 'placeholder body') return example('private-key', secret, 'placeholder key body: a documentation example', { raw: match.text, redacted: shown, details });
    return {
      ...credential({
        rule: 'private-key',
        title: titleOf(info),
        severity: 'info',
        reasons: [`not a usable key: ${info.problem ?? 'malformed'}`],
        secret,
        raw: match.text,
        redacted: shown,
        details,
      }),
      material: undefined,
    };
  }
  const reasons = info.encrypted
    ? [`${describe(info)}, encrypted with a passphrase${info.cipher ? ` (${info.cipher})` : ''}: usable by whoever also learns or cracks the passphrase (offline, at leisure)`]
    : [`${describe(info)}, not encrypted: whoever has it can act as its owner (SSH logins, TLS, signing)`];
  const place = ctx.path ? pathContext(ctx.path) : null;
  const forTests = place === 'test' || place === 'fixture';
  if (forTests) reasons.push(`kept with the ${describeContext(place)}: a key made for test servers and clients and published with the code on purpose; it matters only if something outside the tests trusts it`);
  return credential({
    rule: 'private-key',
    title: titleOf(info),
    severity: forTests ? 'info' : info.encrypted ? 'medium' : 'high',
    reasons,
    secret,
    raw: match.text,
    redacted: shown,
    details,
    explanation: `A ${describe(info)}${info.encrypted ? ' protected by a passphrase' : ''}. Anyone with the file can use it wherever its public key is trusted (authorized_keys, TLS certificates, code signing, cloud service accounts).`,
    remediation: [
      'Revoke: remove its public key wherever it is trusted (authorized_keys, deploy keys, certificates: revoke and reissue).',
      'Replace: generate a new key pair and keep the private key out of the repository (a secret store, an agent).',
      'Purge: the key stays in the repository history until rewritten; treat it as public from now on.',
    ],
    material: { privateKey: match.text },
  });
}

function describe(info: PrivateKeyInfo): string {
  const size = info.bits ? ` ${info.bits}-bit` : info.curve ? ` ${info.curve}` : '';
  return `${size.trim() ? `${size.trim()} ` : ''}${info.keyType.toUpperCase()} private key (${info.format})`;
}

function titleOf(info: PrivateKeyInfo): string {
  const fmt = { pkcs1: 'PKCS#1', pkcs8: 'PKCS#8', sec1: 'SEC1', dsa: 'DSA', openssh: 'OpenSSH', putty: 'PuTTY', pgp: 'PGP', unknown: 'PEM' }[info.format];
  return `${info.encrypted ? 'Encrypted ' : ''}${fmt} private key${info.keyType !== 'unknown' && info.keyType !== 'pgp' ? ` (${info.keyType.toUpperCase()})` : ''}`;
}

function detailsOf(info: PrivateKeyInfo): Record<string, unknown> {
  const d: Record<string, unknown> = { keyType: info.keyType, format: info.format, encrypted: info.encrypted, wellFormed: info.valid };
  if (info.bits) d['bits'] = info.bits;
  if (info.curve) d['curve'] = info.curve;
  if (info.cipher) d['cipher'] = info.cipher;
  if (info.comment) d['comment'] = info.comment;
  if (info.problem) d['problem'] = info.problem;
  return d;
}

/** What is shown of a key by default: its armour line, never the body. */
function headerLine(text: string): string {
  const m = /-----BEGIN [A-Z0-9 ]*-----|PuTTY-User-Key-File-[23]:\s*\S+/.exec(text);
  return m ? `${m[0]} …` : '…';
}
