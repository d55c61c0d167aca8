import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { awkwardSig } from '../testing/storage-logs.js';
import { linkFromText } from './link.js';
import { LinkMatcher, sasHashOf, signingKeyOf, tokenIdentity } from './match.js';
import type { LogRecord } from './record.js';

const NOW = { now: new Date('2024-01-01T00:00:00Z'), showSecrets: false };
/** Fixture signature with `+`, `/` and `=`; its hashes computed with `echo -n … | sha256sum` (and `| base64 -d |`). */
const SIG = 't/ggLxluRZPMGnjpxnwUbsVJR+V5+JltFd/99Gakuck=';
const SIG_SHA256 = 'bee8c4f201910b5f80ac7da3ed199ffd51cdb6e1217c43637b81d16cadc77bd8';
const SIG_BYTES_SHA256 = '3c49ede050c1af499096e134737712da095b66807eae8203f83278dcec7e24b6';
const FIELDS = 'sv=2020-08-04&ss=bfqt&srt=sco&sp=rwdlacupitfx&se=2051-10-06T07%3A09%3A59Z&st=2021-10-05T23%3A09%3A59Z&spr=https,http';
const URL = `https://leakyacct.blob.core.windows.net/models/a.ckpt?${FIELDS}&sig=${encodeURIComponent(SIG)}`;

function rec(over: Partial<LogRecord>): LogRecord {
  return {
    format: 'monitor-json', time: Date.UTC(2023, 5, 22), operation: 'GetBlob', statusText: 'Success', httpStatus: 200, authType: 'sas',
    authHash: '', url: '', objectKey: '/leakyacct/models/a.ckpt', requestId: 'r1', operationCount: 0, callerIp: '203.0.113.7',
    userAgent: 'ua', clientRequestId: '', referrer: '', service: 'blob', account: 'leakyacct', requestBytes: 0, responseBytes: 10,
    sasExpiryStatus: '', ...over,
  };
}

const hashField = (hex: string, key = 'key1') => `${key}(9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08),SasSignature(${hex})`;

describe('matching by AuthenticationHash', () => {
  it('uses a fixture signature that needs %2B, %2F and %3D in a URL', () => {
    assert.equal(awkwardSig('match-test'), SIG);
    assert.match(URL, /sig=[^&]*%2B/);
    assert.match(URL, /sig=[^&]*%2F/);
    assert.match(URL, /sig=[^&]*%3D$/);
  });

  it('hashes the percent-decoded signature text (not the encoded form, not form-decoded)', () => {
    const t = linkFromText(URL, NOW);
    assert.equal(t.sigHash, SIG_SHA256);
    assert.equal(t.sigRawHash, SIG_BYTES_SHA256);
    const m = new LinkMatcher(t);
    assert.equal(m.match(rec({ authHash: hashField(SIG_SHA256.toUpperCase()) })), 'sas-hash');
    assert.equal(m.match(rec({ authHash: hashField(SIG_SHA256) })), 'sas-hash');
    assert.equal(m.match(rec({ authHash: hashField(SIG_BYTES_SHA256.toUpperCase()) })), 'sas-hash-raw-bytes');
    // what a tool would compute by hashing the URL form, or by form-decoding '+' into ' '
    for (const wrong of [encodeURIComponent(SIG), SIG.replace(/\+/g, ' ')]) {
      const hex = createHash('sha256').update(wrong).digest('hex');
      assert.notEqual(hex, SIG_SHA256);
      assert.equal(m.match(rec({ authHash: hashField(hex) })), null);
    }
  });

  it('lets a differing hash decide even when the URL fields agree', () => {
    const m = new LinkMatcher(linkFromText(URL, NOW));
    const other = 'A'.repeat(64);
    assert.equal(m.match(rec({ authHash: hashField(other), url: `https://leakyacct.blob.core.windows.net/models/a.ckpt?${FIELDS}&sig=XXXXX` })), null);
  });

  it('reads the signing key and the hash whatever the case', () => {
    assert.equal(signingKeyOf(hashField(SIG_SHA256, 'key2')), 'key2');
    assert.equal(sasHashOf(hashField(SIG_SHA256.toUpperCase()).toLowerCase()), SIG_SHA256);
    assert.equal(sasHashOf('key1(ABCD)'), null);
    assert.equal(sasHashOf(''), null);
  });

  it('never matches another account', () => {
    const m = new LinkMatcher(linkFromText(URL, NOW));
    assert.equal(m.match(rec({ account: 'otheracct', authHash: hashField(SIG_SHA256) })), null);
  });
});

describe('matching by the request URL (classic logs)', () => {
  const classic = (url: string, over: Partial<LogRecord> = {}) => rec({ format: 'classic-1.0', url, ...over });
  const base = 'https://leakyacct.blob.core.windows.net/models/a.ckpt?comp=metadata&';

  it('compares a signature left in the URL, however it was encoded', () => {
    const m = new LinkMatcher(linkFromText(URL, NOW));
    assert.equal(m.match(classic(`${base}${FIELDS}&sig=${encodeURIComponent(SIG)}`)), 'signature');
    assert.equal(m.match(classic(`${base}${FIELDS}&sig=${encodeURIComponent(SIG).replace(/%2F/g, '%2f')}`)), 'signature');
    const lookalike = 'AAAA' + SIG.slice(4);
    assert.equal(m.match(classic(`${base}${FIELDS}&sig=${encodeURIComponent(lookalike)}`)), null);
  });

  it('falls back to every signed field when the signature is masked', () => {
    const m = new LinkMatcher(linkFromText(URL, NOW));
    assert.equal(m.match(classic(`${base}${FIELDS}&sig=XXXXX`)), 'token-fields');
    assert.equal(m.match(classic(`${base}${FIELDS.replace(/%3A/g, ':')}`)), 'token-fields');
    assert.equal(m.match(classic(`${base}${FIELDS.replace('sp=rwdlacupitfx', 'sp=rl')}&sig=XXXXX`)), null);
    assert.equal(m.match(classic(`${base}${FIELDS}&si=policy1&sig=XXXXX`)), null, 'an extra signed field is another token');
    assert.equal(m.match(classic(`${base}${FIELDS.replace('&spr=https,http', '')}&sig=XXXXX`)), null, 'a missing field is another token');
    assert.equal(m.match(classic('https://leakyacct.blob.core.windows.net/models/a.ckpt')), null);
  });

  it('with a redacted link, checks the visible start of a logged signature', () => {
    const redacted = linkFromText(`https://leakyacct.blob.core.windows.net/models/a.ckpt?${FIELDS}&sig=${SIG.slice(0, 4)}…`, NOW);
    assert.equal(redacted.sigHash, null);
    assert.equal(redacted.signaturePrefix, SIG.slice(0, 4));
    assert.match(redacted.notes.join(' '), /cannot be matched/);
    const m = new LinkMatcher(redacted);
    assert.equal(m.match(classic(`${base}${FIELDS}&sig=XXXXX`)), 'token-fields');
    assert.equal(m.match(classic(`${base}${FIELDS}&sig=${encodeURIComponent(SIG)}`)), 'token-fields');
    assert.equal(m.match(classic(`${base}${FIELDS}&sig=${encodeURIComponent('AAAA' + SIG.slice(4))}`)), null);
    assert.equal(m.match(rec({ authHash: hashField(SIG_SHA256), url: `${base}${FIELDS}&sig=XXXXX` })), 'token-fields');
  });
});

describe('every SAS request (no link)', () => {
  it('matches SAS rows only, and names tokens without their signature', () => {
    const m = new LinkMatcher(null);
    assert.equal(m.match(rec({ authHash: hashField(SIG_SHA256) })), 'any-sas');
    assert.equal(m.match(rec({ authType: 'authenticated', format: 'classic-1.0', url: `${URL}` })), 'any-sas');
    assert.equal(m.match(rec({ authType: 'accountkey', authHash: 'key1(ABCD)' })), null);
    assert.equal(tokenIdentity(rec({ authHash: hashField(SIG_SHA256) })).id, `sha256:${SIG_SHA256}`);
    assert.equal(tokenIdentity(rec({ url: URL })).id, `sha256:${SIG_SHA256}`, 'a sig left in a URL gives the same identity as its hash');
    const masked = tokenIdentity(rec({ url: `${URL.replace(/sig=.*$/, 'sig=XXXXX')}` }));
    assert.equal(masked.id, 'fields:sv=2020-08-04&ss=bfqt&srt=sco&sp=rwdlacupitfx&st=2021-10-05T23:09:59Z&se=2051-10-06T07:09:59Z&spr=https,http');
    assert.ok(!JSON.stringify(masked).includes(SIG));
  });
});
