import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BUILTIN_RULES } from '../detect/rules/index.js';
import { fakeSig } from '../testing/tokens.js';
import { verifyFindings } from './findings.js';
import { credentialsFromText } from './input.js';
import { Verifier } from './verify.js';

/**
 * Whatever goes wrong while checking one credential makes that credential unknown, with the
 * reason, and the others are still checked. Nothing here reaches the network: one link is
 * expired (decided offline), the other fails before its request is built.
 */
const sig = (seed: string) => encodeURIComponent(fakeSig(seed));
const EXPIRED = `https://acct1.blob.core.windows.net/c?sv=2021-12-02&sr=c&sp=rl&se=2020-01-01T00:00:00Z&sig=${sig('expired')}`;
const BROKEN = `https://acct2.blob.core.windows.net/c?sv=2021-12-02&sr=c&sp=rl&se=2099-01-01T00:00:00Z&sig=${sig('broken')}`;

describe('per-credential isolation', () => {
  it('a check that throws is unknown (error) with its reason, secrets redacted, and the others go on', async () => {
    const { findings, material } = credentialsFromText(`${EXPIRED}\n${BROKEN}\n`, BUILTIN_RULES, { showSecrets: false, now: new Date() });
    assert.equal(findings.length, 2);
    const broken = findings.find((f) => f.grant?.account === 'acct2')!;
    // a grant whose expiry cannot even be read: the check throws before any request exists
    broken.grant!.expiry = { valueOf: () => { throw new Error(`unexpected state near sig=${fakeSig('broken')}`); } } as unknown as string;
    const summary = await verifyFindings(findings, material, new Verifier());
    assert.equal(summary.requestsSent, 0);
    const expired = findings.find((f) => f.grant?.account === 'acct1')!;
    assert.equal(expired.verification!.status, 'expired');
    const v = broken.verification!;
    assert.equal(v.status, 'unknown');
    assert.equal(v.cause, 'error');
    assert.match(v.reason, /^could not check: unexpected state near sig=/);
    assert.ok(!v.reason.includes(fakeSig('broken')), 'the signature is redacted');
    assert.deepEqual(summary.unknownByCause, { error: 1 });
    assert.equal(summary.couldNotCheck, 1);
  });
});
