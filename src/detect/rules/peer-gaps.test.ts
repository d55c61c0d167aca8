import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { findIn } from '../../testing/find.js';
import { githubStyle, join, sampleChars, sampleUuid } from './samples.js';

/**
 * Keys known by the name they are assigned to (legacy Heroku UUIDs, Okta tokens, legacy Vault
 * tokens) are found in every assignment form real code writes, not only `NAME=value` and
 * `name: value`: Go `:=`, typed declarations, Make operators, XML elements, a two-argument
 * setter, backquoted strings. Measured by bench/peer-recall.mjs (issue 14).
 */
const uuid = sampleUuid('assign-heroku');
const okta = `00${sampleChars('assign-okta', 40)}`;
const vault = `${join('s', '.')}${sampleChars('assign-vault', 24)}`;

function rulesIn(text: string): string[] {
  return findIn(text, { path: 'src/config.go' })
    .filter((f) => f.severity !== 'info')
    .map((f) => f.rule);
}

describe('values named by the assignment forms of real code', () => {
  const forms: [string, (name: string, value: string) => string][] = [
    ['Go short declaration', (n, v) => `${n} := "${v}"`],
    ['Go typed declaration', (n, v) => `var ${n} string = "${v}"`],
    ['Go raw string', (n, v) => `${n} := \`${v}\``],
    ['Kotlin typed declaration', (n, v) => `val ${n}: String = "${v}"`],
    ['Makefile simple assignment', (n, v) => `${n.toUpperCase()} ::= "${v}"`],
    ['Makefile conditional assignment', (n, v) => `${n.toUpperCase()} ?= "${v}"`],
    ['PHP concatenation', (n, v) => `$${n} .= "${v}"`],
    ['XML element on its own line', (n, v) => `<${n}>\n    ${v}\n</${n}>`],
    ['two-argument setter', (n, v) => `System.setProperty("${n.toUpperCase()}", "${v}")`],
  ];
  for (const [label, form] of forms) {
    test(`${label}: Heroku, Okta and Vault keys named by it`, () => {
      assert.ok(rulesIn(form('herokuApiKey', uuid)).includes('heroku-api-key'), form('herokuApiKey', uuid));
      assert.ok(rulesIn(form('oktaApiToken', okta)).includes('okta-token'), form('oktaApiToken', okta));
      assert.ok(rulesIn(form('vaultClientToken', vault)).includes('vault-token'), form('vaultClientToken', vault));
    });
  }

  test('a name that is not the key is still not enough', () => {
    assert.deepEqual(rulesIn(`herokuAppId := "${uuid}"`), []);
    assert.deepEqual(rulesIn(`<herokuAppId>${uuid}</herokuAppId>`), []);
    assert.deepEqual(rulesIn(`vault_path := "${vault}"`), []);
    assert.deepEqual(rulesIn(`System.setProperty("HEROKU_APP_ID", "${uuid}")`), []);
  });
});

describe('credential forms the peers\' examples showed missing', () => {
  test('an App Configuration connection string names its store and service', () => {
    const secret = Buffer.from(sampleChars('assign-appconfig', 32)).toString('base64');
    const fs = findIn(`"ConnectionStrings": { "AppConfig": "Endpoint=https://contoso-settings.azconfig.io;Id=Xa1b-l0-s0:${sampleChars('assign-id', 20)};Secret=${secret}" }`, { path: 'appsettings.json' });
    const f = fs.find((x) => x.rule === 'azure-access-key-connection-string');
    assert.ok(f, JSON.stringify(fs.map((x) => x.rule)));
    assert.equal(f.severity, 'high');
    assert.match(f.title, /App Configuration/);
  });

  test('a pre-2023 Sentry auth token (64 hex) is found by its name, at low confidence', () => {
    const hex = sampleChars('assign-sentry', 64, '0123456789abcdef');
    const f = findIn(`SENTRY_AUTH_TOKEN=${hex}`, { path: '.env' }).find((x) => x.rule === 'sentry-token');
    assert.ok(f);
    assert.equal(f.confidence, 'low');
    assert.deepEqual(findIn(`SENTRY_RELEASE=${hex}`, { path: '.env' }).filter((x) => x.rule === 'sentry-token'), []);
  });
});

test('GitHub App refresh tokens (ghr_ + 76, same checksum) are found; the docs example is info', () => {
  const token = githubStyle(join('gh', 'r_'), 'peer-ghr', 76);
  const [f, ...rest] = findIn(`{"access_token": "x", "refresh_token": "${token}", "refresh_token_expires_in": 15811200}`, { path: 'auth.json' }).filter((x) => x.rule === 'github-token');
  assert.equal(rest.length, 0);
  assert.ok(f);
  assert.equal(f.severity, 'high');
  assert.equal(f.details?.['checksumValid'], true);
  // a look-alike of the same length whose checksum fails stays low confidence, as for classic tokens
  const bad = `${token.slice(0, -6)}${token.endsWith('AAAAAA') ? 'BBBBBB' : 'AAAAAA'}`;
  assert.equal(findIn(`refresh_token: ${bad}`).find((x) => x.rule === 'github-token')?.confidence, 'low');
});

test('a Slack file access token in the ?t= of a private file link is found, as a file token', () => {
  const hex = sampleChars('peer-slack-file', 32, '0123456789abcdef');
  const d = (seed: string) => sampleChars(seed, 13, '0123456789');
  const text = `{"url_private": "https:\\/\\/files.slack.com\\/files-pri\\/T04ABCDEF12-F04ABCDEF34\\/report.pdf?t=${join('xo', 'xe-')}${d('a')}-${d('b')}-${d('c')}-${hex}"}`;
  const f = findIn(text, { path: 'export/channel/2024-01-01.json' }).find((x) => x.rule === 'slack-token');
  assert.ok(f);
  assert.equal(f.title, 'Slack file access token');
  assert.equal(f.severity, 'medium');
});

test('unprefixed Cloudflare tokens and global keys under any name that says Cloudflare and token or key', () => {
  const token = sampleChars('peer-cf-token', 40, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-');
  const key = sampleChars('peer-cf-key', 37, '0123456789abcdef');
  for (const text of [`cloudflareToken := "${token}"`, `CLOUDFLARE_DNS_TOKEN: ${token}`, `var cloudflareKey string = "${key}"`, `CloudflareGlobalToken = '${key}'`]) {
    assert.ok(rulesIn(text).includes('cloudflare-token'), text);
  }
  assert.deepEqual(rulesIn(`cloudflare_token_name = "${token}"`).filter((r) => r === 'cloudflare-token'), []);
});
