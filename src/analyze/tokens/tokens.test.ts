import assert from 'node:assert/strict';
import { test } from 'node:test';
import { githubStyle, pypiToken, sampleChars } from '../../detect/rules/samples.js';
import { findIn } from '../../testing/find.js';
import { readPypiMacaroon } from './pypi.js';

test('GitHub: every prefixed type is named; a token failing its checksum is kept at low confidence', () => {
  const types: [string, string][] = [
    ['ghp_', 'classic-pat'],
    ['gho_', 'oauth'],
    ['ghu_', 'app-user'],
    ['ghs_', 'app-installation'],
    ['ghr_', 'refresh'],
  ];
  for (const [prefix, type] of types) {
    const [f] = findIn(`token: ${githubStyle(prefix, type)}`);
    assert.equal(f!.rule, 'github-token');
    assert.equal(f!.details?.['tokenType'], type);
    assert.equal(f!.details?.['checksumValid'], true);
    assert.equal(f!.confidence, 'high');
    assert.equal(f!.secret, `${prefix.slice(0, 4)}…`);
  }
  const real = githubStyle('ghp_', 'x');
  const lookalike = real.slice(0, 10) + (real[10] === 'a' ? 'b' : 'a') + real.slice(11);
  const [edited] = findIn(`token: ${lookalike}`);
  assert.equal(edited?.rule, 'github-token');
  assert.equal(edited?.confidence, 'low');
  assert.equal(edited?.severity, 'medium');
  assert.equal(edited?.details?.['checksumValid'], false);
  // a typed run (`1234567890abcdef…`) is a placeholder, not an edited token
  assert.deepEqual(findIn('token: ghp_1234567890abcdefghijklmnopqrstuvwxyz'), []);
});

test('npm: checksummed tokens and legacy .npmrc UUIDs', () => {
  assert.equal(findIn(`NPM_TOKEN=${githubStyle('npm_', 'n')}`)[0]!.details?.['checksumValid'], true);
  assert.deepEqual(findIn(`NPM_TOKEN=npm_${sampleChars('bad', 36)}`), []);
});

test('PyPI: the macaroon caveats say user-wide or which projects, and an expiry', () => {
  const user = readPypiMacaroon(pypiToken('u', ['{"permissions": "user", "version": 1}']));
  assert.deepEqual([user?.location, user?.scope], ['pypi.org', 'user']);
  const proj = readPypiMacaroon(pypiToken('p', ['[1,["sampleproject"]]', '[0,1900000000,1700000000]'], 'test.pypi.org'));
  assert.deepEqual([proj?.location, proj?.scope, proj?.projects, proj?.expiry?.toISOString()], ['test.pypi.org', 'projects', ['sampleproject'], '2030-03-17T17:46:40.000Z']);
  const [f] = findIn(`password = ${pypiToken('p', ['[1,["sampleproject"]]'])}`);
  assert.equal(f!.rule, 'pypi-token');
  assert.deepEqual(f!.details?.['projects'], ['sampleproject']);
});

test('JWT: claims decoded; expired → low; unsigned → info; the jwt.io sample is an example', () => {
  const b = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const sig = 'c2lnbmF0dXJlLW5vdC1yZWFsLWJ1dC1zaGFwZWQtbGlrZS1vbmU';
  const live = `${b({ alg: 'RS256', typ: 'JWT' })}.${b({ iss: 'https://sts.windows.net/t/', aud: 'https://storage.azure.com', exp: 4100000000 })}.${sig}`;
  const [f] = findIn(`Authorization: Bearer ${live}`);
  assert.deepEqual([f!.rule, f!.severity, f!.details?.['issuer'], f!.details?.['expiry']], ['jwt', 'medium', 'https://sts.windows.net/t/', '2099-12-03T16:53:20Z']);
  const expired = `${b({ alg: 'HS256' })}.${b({ sub: 'u1', exp: 1600000000 })}.${sig}`;
  assert.equal(findIn(expired)[0]!.severity, 'low');
  const unsigned = `${b({ alg: 'none' })}.${b({ sub: 'u1' })}.`;
  assert.equal(findIn(unsigned)[0]!.severity, 'info');
});

test('Slack, Stripe, OpenAI, Anthropic, Hugging Face, SendGrid, Twilio: type and severity', () => {
  const digits = (s: string, n: number) => sampleChars(s, n, '0123456789');
  const cases: [string, string, string][] = [
    [`xoxb-${digits('a', 12)}-${digits('b', 13)}-${sampleChars('c', 24)}`, 'slack-token', 'high'],
    [`sk_live_${sampleChars('s', 24)}`, 'stripe-key', 'high'],
    [`sk_test_${sampleChars('t', 24)}`, 'stripe-key', 'low'],
    [`sk-proj-${sampleChars('o1', 60)}T3BlbkFJ${sampleChars('o2', 60)}`, 'openai-key', 'high'],
    [`sk-ant-api03-${sampleChars('an', 93)}AA`, 'anthropic-key', 'high'],
    [`hf_${sampleChars('hf', 34, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz')}`, 'huggingface-token', 'high'],
    [`SG.${sampleChars('sg1', 22)}.${sampleChars('sg2', 43)}`, 'sendgrid-key', 'high'],
  ];
  for (const [token, rule, severity] of cases) {
    const found = findIn(`KEY="${token}"`);
    assert.deepEqual(found.map((f) => [f.rule, f.severity]), [[rule, severity]], token);
  }
  const twilio = findIn(`twilio:\n  account_sid: AC${sampleChars('tw', 32, '0123456789abcdef')}\n  auth_token: ${sampleChars('tw2', 32, '0123456789abcdef')}\n`);
  assert.deepEqual(twilio.map((f) => [f.rule, f.details?.['sidType']]), [['twilio-key', 'account']]);
});

test('URLs with passwords: kept with scheme/user/host; placeholders and local defaults are not reported', () => {
  const [f] = findIn('MONGO_URI="mongodb+srv://readonly:IZKGY1k8AB7RL@cluster0.rtisk.mongodb.net/prod?retryWrites=true"');
  assert.deepEqual([f!.rule, f!.details?.['scheme'], f!.details?.['user'], f!.details?.['host']], ['basic-auth-url', 'mongodb+srv', 'readonly', 'cluster0.rtisk.mongodb.net']);
  assert.ok(!f!.secret.includes('IZKGY1k8AB7RL'));
  for (const t of ['postgres://${DB_USER}:${DB_PASSWORD}@db:5432/app', 'https://USERNAME:PASSWORD@pypi.example.com/simple/', 'https://user:password@example.com/repo.git', 'redis://:<password>@cache:6379']) {
    assert.deepEqual(findIn(t), [], t);
  }
  const local = findIn('postgresql://postgres:postgres@localhost:5432/test', { includeExamples: true });
  assert.deepEqual(local.map((x) => x.severity), ['info']);
  // a token used as the password is reported by its own rule, once
  const gh = githubStyle('ghp_', 'url');
  assert.deepEqual(findIn(`git clone https://x-access-token:${gh}@github.com/o/r.git`).map((x) => x.rule), ['github-token']);
});

test('generic secrets: literals above the entropy floor; references, identifiers and placeholders are not', () => {
  assert.deepEqual(findIn('DB_PASSWORD=Tq8vN2zLx4Kp9Wm', { path: '.env' }).map((f) => f.rule), ['generic-secret']);
  assert.deepEqual(findIn('spring.datasource.password=Tq8vN2zLx4Kp9Wm', { path: 'application.properties' }).map((f) => f.rule), ['generic-secret']);
  const quiet = [
    ['password = os.environ["DB_PASSWORD"]', 'a.py'],
    ['password = secret_value', 'a.py'],
    ['password: BinaryLike,', 'crypto.d.ts'],
    ['"password": "changeme"', 'a.json'],
    ['"password": "mysecretpassword"', 'a.json'],
    ['PASSWORD_MIN_LENGTH=12', '.env'],
    ['self._passphrase_callback = self._passphrase_helper.callback', 'ssl.py'],
    ['* man/passwd.1.xml:\n  fixed the manual', 'ChangeLog'],
    ['client_secret: ${{ secrets.CLIENT_SECRET }}', 'ci.yml'],
    ['https://example.com/cb?access_token=kjfch2345sdf', 'doc.md'],
  ];
  for (const [text, path] of quiet) assert.deepEqual(findIn(text!, { path }), [], text);
  // a value that is another rule's secret is reported by that rule alone
  assert.deepEqual(findIn(`stripe.api_key = "sk_live_${sampleChars('g', 24)}"`, { path: 'a.py' }).map((f) => f.rule), ['stripe-key']);
});
