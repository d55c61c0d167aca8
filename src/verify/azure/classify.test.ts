import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readSas } from '../../analyze/sas/grant.js';
import type { RequestEvidence } from '../../model/verification.js';
import { fakeSig } from '../../testing/tokens.js';
import { classifyAzure } from './classify.js';
import { errorInfo } from './errors.js';

const NOW = new Date('2030-06-01T00:00:00Z');
const AZURE = 'Windows-Azure-Blob/1.0 Microsoft-HTTPAPI/2.0';
const AZURITE = 'Azurite-Blob/3.35.0';

function grant(extra = '') {
  const q = `sv=2021-12-02&ss=b&srt=sco&sp=rl&st=2030-01-01T00:00:00Z&se=2031-01-01T00:00:00Z${extra}&sig=${encodeURIComponent(fakeSig('c'))}`;
  const r = readSas({ query: q, url: 'https://acct1.blob.core.windows.net/' }, NOW);
  assert.ok(!('notSas' in r));
  return r.grant;
}

function ev(status: number | null, errorCode: string | null, server = AZURE, detail: string | null = null, error: string | null = null): RequestEvidence {
  return { operation: 'get-account-info', method: 'HEAD', url: 'https://acct1.blob.core.windows.net/', status, errorCode, detail, server, clientRequestId: 'sasquatch-x', error };
}

describe('classifyAzure: both error-code sets', () => {
  it('2xx and scope mismatches are live (the signature was accepted)', () => {
    assert.equal(classifyAzure(ev(200, null), grant(), NOW).status, 'live');
    for (const code of ['AuthorizationPermissionMismatch', 'AuthorizationResourceTypeMismatch', 'AuthorizationServiceMismatch', 'AuthorizationProtocolMismatch']) {
      const c = classifyAzure(ev(403, code), grant(), NOW);
      assert.equal(c.status, 'live', code);
      assert.equal(c.signatureAccepted, true);
    }
    assert.equal(classifyAzure(ev(404, 'ContainerNotFound'), grant(), NOW).status, 'live');
  });

  it('Azure: AuthenticationFailed is a rejected signature; AuthorizationFailure says nothing about the token', () => {
    const rejected = classifyAzure(ev(403, 'AuthenticationFailed', AZURE, 'Signature did not match. String to sign used was …'), grant(), NOW);
    assert.equal(rejected.status, 'revoked-or-invalid');
    assert.match(rejected.reason, /rotated/);
    assert.equal(classifyAzure(ev(403, 'AuthorizationFailure', AZURE), grant(), NOW).status, 'unknown');
    const malformed = classifyAzure(ev(403, 'AuthenticationFailed', AZURE, 'Signature fields not well formed.'), grant(), NOW);
    assert.equal(malformed.status, 'revoked-or-invalid');
    assert.match(malformed.reason, /malformed/);
  });

  it('Azurite: AuthorizationFailure (Blob, Table) and AuthenticationFailed (Queue) are rejected signatures', () => {
    const c = classifyAzure(ev(403, 'AuthorizationFailure', AZURITE), grant(), NOW);
    assert.equal(c.status, 'revoked-or-invalid');
    assert.match(c.reason, /Azurite/);
    assert.equal(classifyAzure(ev(403, 'AuthenticationFailed', 'Azurite-Queue/3.35.0'), grant(), NOW).status, 'revoked-or-invalid');
  });

  it('expired / not yet valid come from the token times, also when the server only says AuthenticationFailed', () => {
    const timeFrame = 'Signature not valid in the specified time frame: Start [..] - Expiry [..] - Current [..]';
    assert.equal(classifyAzure(ev(403, 'AuthenticationFailed', AZURE, timeFrame), grant(), new Date('2031-02-01T00:00:00Z')).status, 'expired');
    assert.equal(classifyAzure(ev(403, 'AuthenticationFailed', AZURE, timeFrame), grant(), new Date('2029-12-31T23:58:00Z')).status, 'not-yet-valid');
    assert.equal(classifyAzure(ev(403, 'AuthorizationFailure', AZURITE), grant(), new Date('2031-02-01T00:00:00Z')).status, 'expired');
  });

  it('names the stored policy when a policy-bound token is rejected', () => {
    const q = `sv=2021-12-02&sr=c&si=readers&sig=${encodeURIComponent(fakeSig('p'))}`;
    const r = readSas({ query: q, url: 'https://acct1.blob.core.windows.net/models' }, NOW);
    assert.ok(!('notSas' in r));
    assert.match(classifyAzure(ev(403, 'AuthenticationFailed'), r.grant, NOW).reason, /stored access policy "readers"/);
  });

  it('IP pins, disabled Shared Key, redirects, network failures', () => {
    assert.equal(classifyAzure(ev(403, 'AuthorizationSourceIPMismatch'), grant('&sip=10.0.0.1'), NOW).status, 'ip-restricted');
    assert.equal(classifyAzure(ev(403, 'KeyBasedAuthenticationNotPermitted'), grant(), NOW).status, 'revoked-or-invalid');
    assert.equal(classifyAzure(ev(403, 'AccountIsDisabled'), grant(), NOW).status, 'revoked-or-invalid');
    assert.equal(classifyAzure(ev(302, null), grant(), NOW).status, 'unknown');
    assert.equal(classifyAzure(ev(503, 'ServerBusy'), grant(), NOW).status, 'unknown');
  });

  it('could not check is unknown, with its cause; a name that does not resolve says nothing about the account', () => {
    const dns = classifyAzure(ev(null, null, '', null, 'ENOTFOUND: getaddrinfo ENOTFOUND gone.blob.core.windows.net'), grant(), NOW);
    assert.equal(dns.status, 'unknown');
    assert.equal(dns.cause, 'dns');
    assert.doesNotMatch(dns.reason, /deleted|registered again/);
    const causes: [string, string][] = [
      ['ETIMEDOUT: timed out after 10000 ms', 'timeout'],
      ['ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:1', 'refused'],
      ['ECONNRESET: socket hang up', 'reset'],
      ['ENETUNREACH: connect ENETUNREACH 20.60.0.1:443', 'offline'],
      ['CERT_HAS_EXPIRED: certificate has expired', 'tls'],
      ['ERR_TLS_CERT_ALTNAME_INVALID: Hostname/IP does not match certificate', 'tls'],
      ['refused by guard (other-host): refused to send a credential to x', 'guard'],
      ['ERR_SASQUATCH_PRIVATE_ADDRESS: a resolves to private or loopback address 10.0.0.1; refused', 'guard'],
      ['refused by guard (budget): request budget of 500 exhausted (--max-requests)', 'budget'],
      ['EWHATEVER: something else', 'network'],
    ];
    for (const [error, cause] of causes) {
      const c = classifyAzure(ev(null, null, '', null, error), grant(), NOW);
      assert.equal(c.status, 'unknown', error);
      assert.equal(c.cause, cause, error);
    }
    assert.equal(classifyAzure(ev(302, null), grant(), NOW).cause, 'redirect');
    assert.equal(classifyAzure(ev(503, 'ServerBusy'), grant(), NOW).cause, 'throttled');
    assert.equal(classifyAzure(ev(403, 'AuthorizationFailure', AZURE), grant(), NOW).cause, 'denied');
  });

  it("an account is called gone only on the service's own answer", () => {
    const gone = classifyAzure(ev(404, 'AccountNotFound'), grant(), NOW);
    assert.equal(gone.status, 'revoked-or-invalid');
    assert.match(gone.reason, /service says the storage account does not exist.*may have been deleted/);
  });

  it('reads codes from x-ms-error-code, XML bodies and Table JSON', () => {
    assert.deepEqual(errorInfo({ 'x-ms-error-code': 'AuthorizationFailure' }, ''), { code: 'AuthorizationFailure', detail: null });
    const xml = '<?xml version="1.0"?><Error><Code>AuthenticationFailed</Code><Message>Server failed to authenticate the request.\nRequestId:x</Message><AuthenticationErrorDetail>Signature did not match.</AuthenticationErrorDetail></Error>';
    assert.deepEqual(errorInfo({}, xml), { code: 'AuthenticationFailed', detail: 'Signature did not match.' });
    assert.deepEqual(errorInfo({}, '{"odata.error":{"code":"AuthorizationFailure","message":{"lang":"en-US","value":"This request is not authorized."}}}'), { code: 'AuthorizationFailure', detail: 'This request is not authorized.' });
  });
});
