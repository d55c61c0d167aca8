import assert from 'node:assert/strict';
import { test } from 'node:test';
import { INCIDENT, sasQuery } from '../../testing/tokens.js';
import { DEFAULT_POLICY } from '../policy.js';
import { readSas } from './grant.js';
import { judgeSas } from './severity.js';

function judge(query: string, url: string, now: string) {
  const r = readSas({ query, url }, new Date(now));
  if ('notSas' in r) throw new Error(r.notSas);
  return judgeSas(r.grant, new Date(now), DEFAULT_POLICY);
}

const BLOB = 'https://acct1.blob.core.windows.net/c/data.csv';

test('token B (account-wide, write+delete, 30 years, http) is critical with its reasons', () => {
  const j = judge(INCIDENT.tokenB(), `${INCIDENT.host}/public-datasets/`, '2026-11-29T00:00:00Z');
  assert.equal(j.severity, 'critical');
  for (const r of [/account-wide \(4 services/, /write\+delete/, /expires in 24 years/, /http allowed/, /rotating the account key/]) {
    assert.ok(j.reasons.some((x) => r.test(x)), `missing reason ${r}`);
  }
});

test('token A is high while live and low once expired', () => {
  assert.equal(judge(INCIDENT.tokenA(), `${INCIDENT.host}/public-models/`, '2020-08-01T00:00:00Z').severity, 'high');
  const later = judge(INCIDENT.tokenA(), `${INCIDENT.host}/public-models/`, '2026-11-29T00:00:00Z');
  assert.equal(later.severity, 'low');
  assert.ok(later.reasons.some((r) => /expired 2021-10-05/.test(r)));
  assert.ok(later.reasons.some((r) => /was valid for 15 months/.test(r)));
});

test('an expired read-only single-blob SAS is low', () => {
  assert.equal(judge(sasQuery({ sv: '2022-11-02', sr: 'b', sp: 'r', se: '2023-01-01' }), BLOB, '2026-01-01').severity, 'low');
});

test('read-only blob: low when short, HTTPS-only and IP-pinned; raised once by any of http, no IP pin, long life', () => {
  const base = { sv: '2022-11-02', sr: 'b', sp: 'r', st: '2026-01-01T00:00:00Z', se: '2026-01-03T00:00:00Z', spr: 'https', sip: '10.0.0.1' };
  assert.equal(judge(sasQuery(base), BLOB, '2026-01-01T01:00:00Z').severity, 'low');
  assert.equal(judge(sasQuery({ ...base, spr: 'https,http' }), BLOB, '2026-01-01T01:00:00Z').severity, 'medium');
  const { sip: _ip, ...noIp } = base;
  assert.equal(judge(sasQuery(noIp), BLOB, '2026-01-01T01:00:00Z').severity, 'medium');
  assert.equal(judge(sasQuery({ ...base, se: '2040-01-01' }), BLOB, '2026-01-01T01:00:00Z').severity, 'medium', 'raised only once');
});

test('write access is a level above read; account scope above container', () => {
  const long = { sv: '2022-11-02', se: '2040-01-01' };
  assert.equal(judge(sasQuery({ ...long, sr: 'b', sp: 'rw' }), BLOB, '2026-01-01').severity, 'high');
  assert.equal(judge(sasQuery({ ...long, sr: 'c', sp: 'rl' }), 'https://acct1.blob.core.windows.net/c', '2026-01-01').severity, 'medium');
  assert.equal(judge(sasQuery({ ...long, ss: 'b', srt: 'sco', sp: 'rl' }), 'https://acct1.blob.core.windows.net/', '2026-01-01').severity, 'high');
  assert.equal(judge(sasQuery({ ...long, ss: 'b', srt: 'sco', sp: 'c' }), 'https://acct1.blob.core.windows.net/', '2026-01-01').severity, 'critical');
});

test('write on model or checkpoint files raises one more level (supply chain)', () => {
  const q = sasQuery({ sv: '2022-11-02', sr: 'b', sp: 'rw', st: '2026-01-01', se: '2026-01-03', spr: 'https', sip: '10.0.0.1' });
  assert.equal(judge(q, BLOB, '2026-01-01T01:00:00Z').severity, 'medium');
  const model = judge(q, 'https://acct1.blob.core.windows.net/models/resnet50.pt', '2026-01-01T01:00:00Z');
  assert.equal(model.severity, 'high');
  assert.ok(model.reasons.some((r) => /supply-chain/.test(r)));
});

test('expiring within 24 hours lowers one level', () => {
  const q = sasQuery({ sv: '2022-11-02', sr: 'b', sp: 'rw', st: '2026-01-01T00:00:00Z', se: '2026-01-01T12:00:00Z', spr: 'https', sip: '10.0.0.1' });
  const j = judge(q, BLOB, '2026-01-01T01:00:00Z');
  assert.equal(j.severity, 'low');
  assert.ok(j.reasons.includes('expires within 24 hours'));
});

test('the emulator account on loopback is info; off loopback it is judged and called odd', () => {
  const q = sasQuery({ sv: '2022-11-02', sr: 'b', sp: 'rw', se: '2040-01-01' });
  assert.equal(judge(q, 'http://127.0.0.1:10000/devstoreaccount1/c/b', '2026-01-01').severity, 'info');
  const odd = judge(q, 'https://devstoreaccount1.blob.core.windows.net/c/b', '2026-01-01');
  assert.equal(odd.severity, 'high');
  assert.ok(odd.reasons.some((r) => /non-loopback/.test(r)));
});

test('stored-policy SAS without visible permissions is judged with a stated reason', () => {
  const j = judge(sasQuery({ sv: '2021-06-08', sr: 'c', si: 'readers', spr: 'https' }), 'https://acct1.blob.core.windows.net/c', '2026-01-01');
  assert.equal(j.severity, 'medium');
  assert.ok(j.reasons.some((r) => /stored policy "readers"/.test(r)));
});

test('a queue SAS with process can consume messages (destructive)', () => {
  const j = judge(sasQuery({ sv: '2022-11-02', sp: 'rp', se: '2040-01-01' }), 'https://acct1.queue.core.windows.net/jobs/messages', '2026-01-01');
  assert.equal(j.severity, 'high');
  assert.ok(j.reasons.some((r) => /consume messages/.test(r)));
});
