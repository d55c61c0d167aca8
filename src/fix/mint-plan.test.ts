import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readSas } from '../analyze/sas/grant.js';
import type { Grant } from '../model/grant.js';
import { INCIDENT, sasQuery } from '../testing/tokens.js';
import { DEFAULT_SAS_VERSION, needFromLeaked, planMint, type MintNeed } from './mint-plan.js';

const NOW = new Date('2024-05-01T12:00:00Z');

function need(over: Partial<MintNeed> = {}): MintNeed {
  return {
    account: 'leakyacct',
    container: 'public-models',
    blob: null,
    permissions: 'r',
    kind: 'service-sas',
    expiresInSeconds: 3600,
    ipRange: null,
    policy: null,
    allowWide: false,
    allowHttp: false,
    version: DEFAULT_SAS_VERSION,
    ...over,
  };
}

function refused(n: MintNeed): string[] {
  const p = planMint(n, NOW);
  assert.ok('refused' in p, 'expected a refusal');
  return p.refused;
}

function spec(n: MintNeed) {
  const p = planMint(n, NOW);
  assert.ok('spec' in p, 'refused' in p ? p.refused.join('; ') : '');
  return p.spec;
}

function grantOf(url: string): Grant {
  const q = url.indexOf('?');
  const r = readSas({ query: url.slice(q + 1), url: url.slice(0, q) }, NOW);
  assert.ok(!('notSas' in r));
  return r.grant;
}

describe('planMint: the narrowest link by default', () => {
  it('is a read-only, HTTPS-only service SAS for one hour, started 5 minutes early with the lifetime asked', () => {
    const s = spec(need());
    assert.equal(s.kind, 'service-sas');
    assert.equal(s.permissions, 'r');
    assert.equal(s.protocol, 'https');
    assert.equal(s.start.toISOString(), '2024-05-01T11:55:00.000Z');
    assert.equal(s.expiry.getTime() - s.start.getTime(), 3600_000);
    assert.ok(s.notes.some((n) => /not bound to a stored access policy: only rotating the account key revokes it/.test(n)));
  });

  it('orders permission letters canonically and says when list is pointless', () => {
    assert.equal(spec(need({ permissions: 'lr' })).permissions, 'rl');
    const blob = spec(need({ blob: 'a/b.bin', permissions: 'rl' }));
    assert.ok(blob.notes.some((n) => /list has no effect on a single blob/.test(n)));
  });

  it('binds to a stored access policy when asked', () => {
    const s = spec(need({ policy: 'models-read' }));
    assert.equal(s.policy, 'models-read');
    assert.ok(s.notes.some((n) => /deleting the policy revokes it without touching the account key/.test(n)));
  });
});

describe('planMint: the --allow-wide guard', () => {
  it('refuses an account SAS', () => {
    assert.ok(refused(need({ kind: 'account-sas', container: null, permissions: 'rl' })).some((r) => /account SAS .* refused without --allow-wide/.test(r)));
    const s = spec(need({ kind: 'account-sas', container: null, permissions: 'rl', allowWide: true }));
    assert.equal(s.container, null);
    assert.equal(s.services, 'b');
    assert.equal(s.resourceTypes, 'sco');
  });

  it('refuses anything beyond read and list, naming the letters', () => {
    for (const letters of ['rw', 'rd', 'racwdl', 'rt', 'rx', 'ri']) {
      const why = refused(need({ permissions: letters }));
      assert.ok(why.some((r) => /go beyond read and list: refused without --allow-wide/.test(r)), letters);
    }
    assert.equal(spec(need({ permissions: 'rw', allowWide: true })).permissions, 'rw');
  });

  it('refuses lifetimes over 7 days (always for a user delegation SAS)', () => {
    assert.ok(refused(need({ expiresInSeconds: 8 * 86400 })).some((r) => /over 7 days: refused without --allow-wide/.test(r)));
    assert.ok(spec(need({ expiresInSeconds: 7 * 86400 })));
    assert.ok(refused(need({ kind: 'user-delegation-sas', expiresInSeconds: 8 * 86400, allowWide: true })).some((r) => /at most 7 days/.test(r)));
  });

  it('refuses malformed needs with a reason each', () => {
    assert.ok(refused(need({ container: null })).some((r) => /say which container/.test(r)));
    assert.ok(refused(need({ container: 'Bad_Name' })).some((r) => /not a valid container name/.test(r)));
    assert.ok(refused(need({ account: 'x' })).some((r) => /not a storage account name/.test(r)));
    assert.ok(refused(need({ permissions: 'rq' })).some((r) => /letters q are not valid/.test(r)));
    assert.ok(refused(need({ ipRange: '10.0.0.9-10.0.0.1' })).some((r) => /not an IPv4 address or range/.test(r)));
    assert.ok(refused(need({ ipRange: '300.1.1.1' })).length);
    assert.ok(spec(need({ ipRange: '203.0.113.0-203.0.113.255' })));
    assert.ok(refused(need({ kind: 'user-delegation-sas', policy: 'p' })).some((r) => /cannot use a stored access policy/.test(r)));
    assert.ok(refused(need({ kind: 'account-sas', container: null, policy: 'p', allowWide: true })).some((r) => /cannot be bound to a stored access policy/.test(r)));
    assert.ok(refused(need({ expiresInSeconds: -5 })).some((r) => /in the future/.test(r)));
    assert.ok(refused(need({ version: '2014-02-14' })).some((r) => /before 2015-04-05/.test(r)));
  });

  it('puts plain http in the link only when asked for an emulator', () => {
    const s = spec(need({ allowHttp: true }));
    assert.equal(s.protocol, 'https,http');
    assert.ok(s.notes.some((n) => /local emulator that only speaks http/.test(n)));
  });
});

describe('needFromLeaked: the narrowest replacement', () => {
  const base = { expiresInSeconds: 3600, ipRange: null, policy: null, allowWide: false, allowHttp: false, version: DEFAULT_SAS_VERSION };

  it('turns the 2023 account SAS into a read+list link on its container', () => {
    const r = needFromLeaked(grantOf(INCIDENT.urlB('public-models/robust_imagenet_models/resnet50_l2_eps3.ckpt')), base);
    assert.ok('need' in r);
    assert.equal(r.need.account, INCIDENT.account);
    assert.equal(r.need.container, 'public-models');
    assert.equal(r.need.blob, null);
    assert.equal(r.need.permissions, 'rl');
    assert.equal(r.need.kind, 'service-sas');
    assert.ok(r.notes.some((n) => /prefix robust_imagenet_models\/ on a flat namespace/.test(n)));
    assert.ok(r.notes.some((n) => /allowed plain http; the replacement does not/.test(n)));
    const s = spec(r.need);
    assert.equal(s.protocol, 'https');
    assert.equal(s.expiry.getTime() - s.start.getTime(), 3600_000, 'not the leaked 30 years');
  });

  it('keeps list out when the leaked link could not list', () => {
    const url = `${INCIDENT.host}/public-models?${sasQuery({ sv: '2021-12-02', ss: 'b', srt: 'o', sp: 'r', se: '2030-01-01T00:00:00Z' })}`;
    const r = needFromLeaked(grantOf(url), base);
    assert.ok('need' in r);
    assert.equal(r.need.permissions, 'r');
  });

  it('replaces a blob SAS with a link to that one blob', () => {
    const url = `${INCIDENT.host}/public-models/a/b.ckpt?${sasQuery({ sv: '2021-12-02', sr: 'b', sp: 'rw', se: '2030-01-01T00:00:00Z' })}`;
    const r = needFromLeaked(grantOf(url), base);
    assert.ok('need' in r);
    assert.deepEqual([r.need.container, r.need.blob, r.need.permissions], ['public-models', 'a/b.ckpt', 'r']);
  });

  it('needs the container when the leaked URL names none, and lets flags override', () => {
    const url = `${INCIDENT.host}/?${sasQuery({ sv: '2021-12-02', ss: 'b', srt: 'sco', sp: 'rl', se: '2030-01-01T00:00:00Z' })}`;
    const r = needFromLeaked(grantOf(url), base);
    assert.ok('need' in r);
    assert.equal(r.need.container, null);
    assert.ok(r.notes.some((n) => /names no container: say which one/.test(n)));
    assert.ok('refused' in planMint(r.need, NOW));
    const given = needFromLeaked(grantOf(url), { ...base, container: 'public-models' });
    assert.ok('need' in given && given.need.container === 'public-models');
  });

  it('refuses what a read-only link cannot replace', () => {
    const writeOnly = `${INCIDENT.host}/drop?${sasQuery({ sv: '2021-12-02', sr: 'c', sp: 'cw', se: '2030-01-01T00:00:00Z' })}`;
    const w = needFromLeaked(grantOf(writeOnly), base);
    assert.ok('error' in w && /could not read/.test(w.error));
    const queue = `https://${INCIDENT.account}.queue.core.windows.net/jobs?${sasQuery({ sv: '2021-12-02', sp: 'r', se: '2030-01-01T00:00:00Z' })}`;
    const q = needFromLeaked(grantOf(queue), base);
    assert.ok('error' in q && /Blob links only/.test(q.error));
  });
});
