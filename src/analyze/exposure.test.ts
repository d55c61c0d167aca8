import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Finding, HistoryInfo } from '../model/finding.js';
import type { Grant } from '../model/grant.js';
import { applyHistory, judgeExposure } from './exposure.js';
import { judgeRemovedButValid } from './sas/severity.js';

const NOW = new Date('2024-01-01T00:00:00Z');

function grant(start: string | null, expiry: string | null): Grant {
  return {
    provider: 'azure',
    kind: 'service-sas',
    account: 'acct',
    services: ['blob'],
    resource: null,
    scope: 'container',
    permissions: ['read'],
    start,
    expiry,
    lifetimeSeconds: null,
    expired: null,
    protocols: ['https'],
    ipRange: null,
    storedPolicy: null,
    revocation: 'rotate-account-key',
    revocationHint: '',
    notes: [],
  };
}

function history(introduced: string, removed: string | null, extra: Partial<HistoryInfo> = {}): HistoryInfo {
  return { introduced: { commit: 'c1', date: introduced }, presentAtHead: removed === null, removed: removed ? { commit: 'c2', date: removed } : null, ...extra };
}

describe('exposure window', () => {
  it('removed but still valid: said plainly, and the window is still open', () => {
    const j = judgeExposure(grant('2021-10-05T23:09:59Z', '2051-10-06T07:09:59Z'), history('2021-10-06T09:00:00Z', '2023-07-07T12:00:00Z'), NOW);
    assert.equal(j.stillValidAfterRemoval, true);
    assert.ok(j.reasons.includes('removed 2023-07-07, still valid until 2051-10-06: removing it from the repository did not revoke it'));
    assert.deepEqual(j.exposure, { from: '2021-10-06T09:00:00Z', until: '2024-01-01T00:00:00Z', days: 816.6, stillValid: true, stillValidAfterRemoval: true });
  });

  it('runs from the later of introduction and start to the earlier of expiry and now', () => {
    const j = judgeExposure(grant('2020-06-10T07:06:23Z', '2021-10-05T15:06:23Z'), history('2020-07-20T10:00:00Z', '2021-10-06T09:00:00Z'), NOW);
    assert.equal(j.exposure?.from, '2020-07-20T10:00:00Z');
    assert.equal(j.exposure?.until, '2021-10-05T15:06:23Z');
    assert.equal(j.stillValidAfterRemoval, false, 'it expired before it was removed');
    assert.ok(j.reasons.some((r) => r.startsWith('exposed in history while valid: 14 months (2020-07-20 → 2021-10-05)')), j.reasons.join('\n'));

    const late = judgeExposure(grant('2022-06-01T00:00:00Z', '2030-01-01T00:00:00Z'), history('2022-01-01T00:00:00Z', null), NOW);
    assert.equal(late.exposure?.from, '2022-06-01T00:00:00Z', 'not valid before its start');
  });

  it('removed, then expired later: valid after removal for those who had cloned, but not any more', () => {
    const j = judgeExposure(grant(null, '2023-01-01T00:00:00Z'), history('2022-01-01T00:00:00Z', '2022-07-01T00:00:00Z'), NOW);
    assert.equal(j.stillValidAfterRemoval, false);
    assert.ok(j.reasons.some((r) => r.startsWith('removed 2022-07-01, but stayed valid until 2023-01-01 (6 months after removal)')), j.reasons.join('\n'));
  });

  it('already expired when committed: an empty window', () => {
    const j = judgeExposure(grant(null, '2020-01-01T00:00:00Z'), history('2022-01-01T00:00:00Z', '2022-02-01T00:00:00Z'), NOW);
    assert.equal(j.exposure?.days, 0);
    assert.ok(j.reasons.includes('already expired when committed (expired 2020-01-01, committed 2022-01-01)'));
    assert.equal(j.stillValidAfterRemoval, false);
  });

  it('no expiry (a key, a stored policy): no window, but the removal revoked nothing', () => {
    const j = judgeExposure(null, history('2022-01-01T00:00:00Z', '2022-02-01T00:00:00Z'), NOW);
    assert.equal(j.exposure, null);
    assert.deepEqual(j.reasons, ['removed 2022-02-01: removing it from the repository does not revoke it']);
  });

  it('not on HEAD but at the tip of other refs: says which', () => {
    const j = judgeExposure(null, history('2022-01-01T00:00:00Z', null, { presentAtHead: false, presentInRefs: ['refs/heads/leak'] }), NOW);
    assert.deepEqual(j.reasons, ['not on HEAD, but still at the tip of refs/heads/leak']);
  });
});

describe('severity rule 7: removed but still valid', () => {
  it('raises one level, up to critical, never a placeholder', () => {
    assert.equal(judgeRemovedButValid('medium', true), 'high');
    assert.equal(judgeRemovedButValid('critical', true), 'critical');
    assert.equal(judgeRemovedButValid('info', true), 'info');
    assert.equal(judgeRemovedButValid('medium', false), 'medium');
  });

  it('applyHistory attaches the block, the reasons and the raise', () => {
    const f: Finding = {
      fingerprint: 'x',
      rule: 'azure-sas',
      title: 't',
      severity: 'medium',
      confidence: 'high',
      reasons: ['container-wide'],
      location: { path: 'a', line: 1, column: 1 },
      secret: 's',
      redacted: true,
      grant: grant(null, '2035-01-01T00:00:00Z'),
    };
    applyHistory(f, history('2022-03-01T00:00:00Z', '2022-03-02T00:00:00Z'), NOW);
    assert.equal(f.severity, 'high');
    assert.equal(f.history?.exposure?.stillValidAfterRemoval, true);
    assert.deepEqual(f.reasons.slice(-1), ['raised to high: removed but still valid']);
    assert.equal(f.reasons[0], 'container-wide');
  });
});

describe('expired before it was committed', () => {
  const finding = (extra: Partial<Finding>): Finding => ({
    fingerprint: 'x',
    rule: 'jwt',
    title: 't',
    severity: 'low',
    confidence: 'medium',
    reasons: ['expired'],
    location: { path: 'README.md', line: 1, column: 1 },
    secret: 's',
    redacted: true,
    grant: null,
    ...extra,
  });

  it('a link or token nobody reading the repository could have used is info, with the reason', () => {
    const sas = finding({ rule: 'azure-sas', grant: grant(null, '2021-12-31T00:00:00Z') });
    applyHistory(sas, history('2022-01-01T00:00:00Z', null), NOW);
    assert.equal(sas.severity, 'info');
    assert.match(sas.reasons.at(-1)!, /expired before it was committed \(was low\)/);
    // a JWT carries its expiry in its details, not in a grant
    const jwt = finding({ details: { expiry: '2024-12-19T07:09:00Z' } });
    applyHistory(jwt, history('2024-12-19T08:08:59Z', '2024-12-20T00:00:00Z'), new Date('2026-01-01T00:00:00Z'));
    assert.equal(jwt.severity, 'info');
  });

  it('one that was valid when committed keeps its severity', () => {
    const jwt = finding({ details: { expiry: '2024-12-19T09:00:00Z' } });
    applyHistory(jwt, history('2024-12-19T08:08:59Z', '2024-12-20T00:00:00Z'), new Date('2026-01-01T00:00:00Z'));
    assert.equal(jwt.severity, 'low');
  });
});
