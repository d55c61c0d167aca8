import assert from 'node:assert/strict';
import { test } from 'node:test';
import { INCIDENT } from '../testing/tokens.js';
import { Detector, MAX_WINDOW } from './engine.js';
import { BUILTIN_RULES } from './rules/index.js';

test('windows cut by the size cap still read every credential as written', () => {
  // a window cut at MAX_WINDOW makes the next one start inside an earlier link: each link
  // must still be found as written (plain), not only through a decoded reading of a
  // neighbouring window — which changed its secret and so its fingerprint
  const link = INCIDENT.urlB();
  const copies = Math.ceil((3 * MAX_WINDOW) / (link.length + 1)) + 7;
  const text = Array.from({ length: copies }, () => link).join('\n');
  const found = new Detector(BUILTIN_RULES).scan(text).filter((m) => m.rule === 'azure-sas');
  assert.equal(found.length, copies);
  assert.deepEqual([...new Set(found.map((m) => m.encoding))], ['plain']);
  assert.equal(new Set(found.map((m) => m.text)).size, 1);
});

test('a rule declares as stops only characters none of its matches can hold', () => {
  // each example with each stop put in at several places: wherever a match is found, it
  // holds none of them (a stop inside a match would let the search start too late)
  for (const rule of BUILTIN_RULES.filter((r) => r.stops)) {
    const re = new RegExp(rule.pattern.source, rule.pattern.flags.includes('g') ? rule.pattern.flags : `${rule.pattern.flags}g`);
    for (const example of rule.examples) {
      for (const stop of rule.stops!) {
        for (let i = 1; i < example.length; i += Math.max(1, Math.floor(example.length / 23))) {
          const text = example.slice(0, i) + stop + example.slice(i);
          for (const m of text.matchAll(re)) assert.ok(!m[0].includes(stop), `${rule.id}: ${JSON.stringify(stop)} inside ${m[0].slice(0, 80)}`);
        }
      }
    }
  }
});

/**
 * The lines' matches (rule@start-end:encoding), asserted equal with the anchored search and
 * with every rule run over whole windows (the reference). Lines are set far apart, so no line's
 * window reaches another's.
 */
function sameAsWholeWindows(lines: string[]): string[] {
  const text = Buffer.from(lines.join(`\n${'.'.repeat(5000)}\n`), 'utf8').toString('latin1');
  const found = (d: Detector) => d.scan(text).map((m) => `${m.rule}@${m.start}-${m.end}:${m.encoding}`);
  const anchored = found(new Detector(BUILTIN_RULES));
  assert.deepEqual(anchored, found(new Detector(BUILTIN_RULES, { anchoring: false })));
  return anchored;
}

test('searches that start after a stop, and hits that cannot hold a match, find what whole windows find', () => {
  const sas = INCIDENT.urlB();
  const lines = [
    // links after stops of every kind, and a long run without one before the link
    `see "${sas}" or '${sas}' <${sas}> \`${sas}\``,
    `${'x'.repeat(3000)}${sas}`,
    `${'a=b&'.repeat(400)}${sas.slice(sas.indexOf('?') + 1)}`,
    `{"u": "${sas.replace(/&/g, '\\u0026')}"}`,
    `<a href="${sas.replace(/&/g, '&amp;')}">`,
    // URLs with and without a password, its @ written plainly or encoded
    'https://github.com/org/repo https://example.com/a?b=c#d ftp://host/x',
    'postgres://app:Qm4x7TzKv2pLw9Rs@db-main.internal.example.com:5432/analytics',
    '"url": "postgres://app:Qm4x7TzKv2pLw9Rs\\u0040db-main.internal.example.com:5432/x"',
    'amqp://worker:c8ZqT1vX4mN7bK2p%40rabbitmq.svc.example.net:5672/jobs',
    '<a href="redis://:Hq7Zt2Lm9Pw4Xk&#64;cache.example.io:6379/0">',
    'mongodb://mongo:27017,mongo2:27017/app?replicaSet=rs0 https://user@host/x',
  ];
  const found = sameAsWholeWindows(lines);
  assert.ok(found.filter((k) => k.startsWith('azure-sas@')).length >= 8, found.join('\n'));
  assert.ok(found.filter((k) => k.startsWith('basic-auth-url@')).length >= 4, found.join('\n'));
});

test("a rule's textNeeds (a part every match holds) passes every match of its pattern, written in any case and spacing", () => {
  const rules = BUILTIN_RULES.filter((r) => r.textNeeds);
  assert.ok(rules.length > 0);
  for (const rule of rules) {
    assert.ok(!/[gy]/.test(rule.textNeeds!.flags), `${rule.id}: textNeeds keeps no state between texts`);
    const re = new RegExp(rule.pattern.source, rule.pattern.flags.includes('g') ? rule.pattern.flags : `${rule.pattern.flags}g`);
    const texts = rule.examples.flatMap((e) => [e, e.toUpperCase(), e.toLowerCase(), e.replace(/;/g, '; \t'), e.replace(/;/g, ';\n  '), e.replace(/=/g, ' = ')]);
    let matched = 0;
    for (const text of texts) {
      for (const m of text.matchAll(re)) {
        matched++;
        assert.ok(rule.textNeeds!.test(m[0]), `${rule.id}: ${m[0].slice(0, 100)}`);
      }
    }
    assert.ok(matched >= rule.examples.length, `${rule.id}: the examples match`);
  }
});

test('windows that fail a textNeeds test are not searched, and find what whole windows find, written plainly or encoded', () => {
  const conn = 'Server=tcp:sql-prod-01.database.windows.net,1433;Initial Catalog=orders;User ID=app;Password=Vq8zL2mKp4Tx;Encrypt=True;';
  const lines = [
    `"Sql": "${conn}"`,
    `"Sql": "${conn.replace(/;/g, ';\\n')}"`,
    `sql=${conn.replace(/;/g, '%3B').replace(/ /g, '%20')}`,
    `sql=${conn.replace(/;/g, ';%20')}`,
    `<add connectionString="${conn.replace(/;/g, '&#59;')}" />`,
    `<add connectionString="${conn.replace(/;/g, ';&#10;')}" />`,
    'db.connect(host="pg", user="app", password="Xw9Lm2Qz7Rt4")  # password= without a connection string',
    'jdbc:sqlserver://sql1.corp.net:1433;databaseName=orders;user=app;password=Qx8vLm2Kz9Tp;encrypt=true',
  ];
  const found = sameAsWholeWindows(lines);
  assert.ok(found.filter((k) => k.startsWith('database-connection-string@')).length >= 4, found.join('\n'));
});

test('hits with no key-long run in reach (Rule.hitNeedsRun) open no window, and keys written encoded are still found', async () => {
  const { sampleBase64 } = await import('./rules/samples.js');
  const raw = Buffer.from(sampleBase64('acct:needs-run', 64), 'base64');
  raw[63] = raw[63]! & 0xf0;
  const key = raw.toString('base64');
  const lines = [
    `const credential = new DefaultAzureCredential(); // credentials && keys: none here`,
    `AZURE_STORAGE_KEY=${key}`,
    `{"credential": "${key.replace(/\+/g, '\\u002b').replace(/\//g, '\\/')}"}`,
    `storage_key=${key.replace(/\+/g, '%2B').replace(/\//g, '%2F').replace(/=/g, '%3D')}`,
    `<add key="StorageAccountKey" value="${key.replace(/\+/g, '&#43;').replace(/\//g, '&#x2F;')}"/>`,
    `--account-key "${key.slice(0, 40)}" "${key.slice(40)}"`,
    `{"storage": {"name": "mlfeatures02", "key": "${key}"}}`,
    `{"storage": {"name": "mlfeatures02", "key": "${key.replace(/\//g, '\\/')}"}}`,
  ];
  const got = sameAsWholeWindows(lines);
  assert.ok(got.filter((k) => k.startsWith('azure-storage-account-key@')).length >= 4, got.join('\n'));
  assert.ok(got.filter((k) => k.startsWith('azure-storage-generic-key@')).length >= 2, got.join('\n'));
});
