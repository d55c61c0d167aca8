import assert from 'node:assert/strict';
import { test } from 'node:test';
import { INCIDENT, sasQuery } from '../../testing/tokens.js';
import { readSas } from './grant.js';
import { explainSas } from './explain.js';

const NOW = new Date('2026-11-29T00:00:00Z');

function explain(query: string, url?: string): string {
  const r = readSas(url ? { query, url } : { query }, NOW);
  if ('notSas' in r) throw new Error(r.notSas);
  return explainSas(r.grant, NOW);
}

test('token B in plain words: who, what, where, until when, how, how to revoke', () => {
  const text = explain(INCIDENT.tokenB(), `${INCIDENT.host}/public-datasets/`);
  assert.match(text, /^Anyone holding this link can read, write, delete, list/);
  assert.match(text, /every blob, file, queue message and table entity in storage account robustnessws4285631339/);
  assert.match(text, /until 2051-10-06 — 24 years from now — over plain HTTP too, from any IP address\./);
  assert.match(text, /To revoke it: rotate the account key of robustnessws4285631339/);
});

test('an expired container SAS says when it expired and how long it lived', () => {
  const text = explain(sasQuery({ sv: '2022-11-02', sr: 'c', sp: 'rl', st: '2023-01-01', se: '2023-03-01', spr: 'https' }), 'https://acct1.blob.core.windows.net/backups');
  assert.match(text, /can read and list every blob in container backups of storage account acct1/);
  assert.match(text, /expired on 2023-03-01, 3 years ago after being valid for 59 days/);
  assert.match(text, /over HTTPS only/);
});

test('a bare token without a host says the account is unknown', () => {
  const text = explain(sasQuery({ sv: '2022-11-02', ss: 'b', srt: 'co', sp: 'r', se: '2030-01-01' }));
  assert.match(text, /^Anyone holding this token/);
  assert.match(text, /the storage account behind this link \(custom domain or bare token\)/);
});
