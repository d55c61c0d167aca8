import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { githubStyle, sampleChars, sampleKeys } from '../detect/rules/samples.js';
import { findIn } from '../testing/find.js';
import { sasQuery } from '../testing/tokens.js';

const SAS = `https://acct1.blob.core.windows.net/c/b.bin?${sasQuery({ sv: '2021-08-06', sr: 'b', sp: 'r', se: '2030-01-01T00:00:00Z', spr: 'https' }, 'conf')}`;
const PASSWORD = 'Vq7Lm2Xz9Kp4Rt8W';

describe('confidence', () => {
  it('high for a checksum that holds or a format read into a grant, medium for a distinctive prefix, low for generic rules', () => {
    const one = (text: string, path = 'config.yml') => findIn(text, { path }).map((f) => [f.rule, f.confidence]);
    assert.deepEqual(one(`token: ${githubStyle('ghp_', 'c1')}`), [['github-token', 'high']]);
    assert.deepEqual(one(`url: ${SAS}`), [['azure-sas', 'high']]);
    assert.deepEqual(one(sampleKeys.rsaPkcs8()), [['private-key', 'high']]);
    assert.deepEqual(one(`KEY="sk_live_${sampleChars('c2', 24)}"`), [['stripe-key', 'medium']]);
    assert.deepEqual(one(`DB_PASSWORD=${PASSWORD}`, '.env'), [['generic-secret', 'low']]);
  });

  it('basic-auth-url: medium for a generated password or a hosted service, low for a typed password elsewhere', () => {
    const conf = (url: string) => findIn(`DATABASE_URL=${url}`, { path: '.env' }).map((f) => f.confidence);
    assert.deepEqual(conf(`postgres://app:${PASSWORD}@db.corp.internal:5432/x`), ['medium']);
    assert.deepEqual(conf('mongodb+srv://kim:kim4711@cluster0.ab12c.mongodb.net/x'), ['medium']);
    assert.deepEqual(conf('ftp://kim:kim4711@files.corp.internal/x'), ['low']);
  });
});

describe('ranked by place: tests, fixtures, documentation, examples, installed packages', () => {
  it('a low-confidence match there is info with the reason; the same elsewhere keeps its severity', () => {
    for (const path of ['tests/config.yml', 'src/__tests__/db.spec.ts', 'docs/setup.md', 'README.md', 'examples/app/.env', 'node_modules/pkg/config.yml', 'app/testdata/x.json']) {
      const [f] = findIn(`password: "${PASSWORD}"`, { path });
      assert.equal(f?.severity, 'info', path);
      assert.match(f!.reasons.at(-1)!, /most often sample data/, path);
    }
    assert.equal(findIn(`password: "${PASSWORD}"`, { path: 'config/prod.yml' })[0]?.severity, 'medium');
  });

  it('a finding of medium or high confidence is not ranked down by its place', () => {
    assert.equal(findIn(`token: ${githubStyle('ghp_', 'p1')}`, { path: 'tests/config.yml' })[0]?.severity, 'high');
    assert.equal(findIn(`url: mongodb+srv://kim:kim4711@cluster0.ab12c.mongodb.net/x`, { path: 'docs/start.md' })[0]?.severity, 'medium');
  });

  it('a scan rooted inside node_modules judges every path as installed third-party code', () => {
    assert.equal(findIn(`password: "${PASSWORD}"`, { path: 'pkg/appveyor.yml' })[0]?.severity, 'medium');
    assert.equal(findIn(`password: "${PASSWORD}"`, { path: 'pkg/appveyor.yml', contextRoot: '/home/me/app/node_modules' })[0]?.severity, 'info');
    assert.equal(findIn(`password: "${PASSWORD}"`, { path: 'pkg/appveyor.yml', contextRoot: '/home/me/app' })[0]?.severity, 'medium');
    // a project that happens to live in a directory called vendor is not third-party code
    assert.equal(findIn(`password: "${PASSWORD}"`, { path: 'config/app.yml', contextRoot: '/srv/vendor/app' })[0]?.severity, 'medium');
  });

  it('private keys kept with the tests are info; elsewhere they stay high', () => {
    const key = sampleKeys.rsaPkcs1();
    assert.equal(findIn(key, { path: 'tests/certs/server-localhost.key' })[0]?.severity, 'info');
    assert.match(findIn(key, { path: 'tests/certs/server-localhost.key' })[0]!.reasons.join(' '), /test servers/);
    assert.equal(findIn(key, { path: 'deploy/id_rsa' })[0]?.severity, 'high');
  });
});

describe('placeholders by shape, for every generic rule', () => {
  it('typed values are examples (shown only with --include-examples), generated ones are findings', () => {
    const typed = ['sessiontoken123', 'Password12!', 'abcdef123456', 'a1b2c3d4e5f6', 'FAKE-key-9f8e7d6c', 'deadbeefcafe1234', 'aaaaBBBB1111'];
    for (const v of typed) {
      assert.deepEqual(findIn(`secret_key = "${v}"`, { path: 'settings.py' }), [], v);
      assert.deepEqual(findIn(`url: postgres://app:${v}@db.corp.internal/x`, { path: 'app.yml' }), [], v);
      const shown = findIn(`url: postgres://app:${v}@db.corp.internal/x`, { path: 'app.yml', includeExamples: true });
      assert.deepEqual(shown.map((f) => [f.severity, f.example]), [['info', true]], v);
      assert.match(shown[0]!.reasons[0]!, /^placeholder: /, v);
    }
    assert.equal(findIn(`secret_key = "${PASSWORD}"`, { path: 'settings.py' }).length, 1);
  });

  it('not secrets at all: paths, selectors, ARNs, PowerShell commands, the shell working directory, login options', () => {
    const quiet: [string, string][] = [
      ['"secretlint": "bin/secretlint.js"', 'package-lock.json'],
      ['--password @/etc/passwd', 'curl.txt'],
      ['db_password: arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-AbCdEf', 'app.yml'],
      ['passwordField: "#login-password"', 'app.json'],
      ['$secpasswd = ConvertTo-SecureString $plain -AsPlainText -Force', 'setup.ps1'],
      ["'PWD' => 'loggedin|twosock',", 'server.txt'],
      ['imap://user:password;AUTH=NTLM@mail.corp.internal/', 'notes.txt'],
      ['http://test:pass;auth=NTLM@proxy.corp.internal', 'notes.txt'],
      ['imaps://user:p4ssw0rd;updated@mail.corp.internal', 'notes.txt'],
    ];
    for (const [text, path] of quiet) assert.deepEqual(findIn(text, { path }), [], text);
  });
});
