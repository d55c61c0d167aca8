import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { after, test } from 'node:test';
import { BUILTIN_RULES } from '../detect/rules/index.js';
import { alphabets, awsSecret, githubStyle, sampleChars, serviceAccountJson } from '../detect/rules/samples.js';
import type { Finding } from '../model/finding.js';
import { makeTarGz, makeZip } from '../testing/archives.js';
import { runCli, tempTree } from '../testing/cli.js';
import { sasQuery } from '../testing/tokens.js';

/** The real CLI on real files: credentials of every family, archives, notebooks, encodings. */
const cleanups: (() => void)[] = [];
after(() => cleanups.forEach((c) => c()));

function scanJson(files: Record<string, string | Buffer>, ...args: string[]): { findings: Finding[]; notices: { path: string; message: string; skipped?: string }[]; code: number | null } {
  const t = tempTree(files);
  cleanups.push(t.cleanup);
  const r = runCli(['scan', '.', '--format', 'json', '--now', '2026-01-01T00:00:00Z', ...args], { cwd: t.dir });
  assert.ok(r.stdout.trim().startsWith('{'), r.stderr);
  const report = JSON.parse(r.stdout) as { findings: Finding[]; notices: { path: string; message: string; skipped?: string }[] };
  return { ...report, code: r.code };
}

const SAS = `https://mlresults01.blob.core.windows.net/outputs/run-7/metrics.json?${sasQuery({ sv: '2022-11-02', sr: 'b', sp: 'r', se: '2030-01-01T00:00:00Z' }, 'e2e')}`;

test('a notebook with a 2 MB PNG output and a SAS URL in a printed output reports exactly the SAS', () => {
  const png = randomBytes(1_600_000).toString('base64');
  const nb = {
    cells: [
      { cell_type: 'code', execution_count: 1, metadata: {}, source: ['import matplotlib.pyplot as plt\n', 'plt.plot(losses)'], outputs: [{ output_type: 'display_data', metadata: {}, data: { 'image/png': png, 'text/plain': ['<Figure size 640x480 with 1 Axes>'] } }] },
      { cell_type: 'code', execution_count: 2, metadata: {}, source: ['print(results_url)'], outputs: [{ name: 'stdout', output_type: 'stream', text: [`${SAS}\n`] }] },
    ],
    metadata: { kernelspec: { name: 'python3', display_name: 'Python 3' } },
    nbformat: 4,
    nbformat_minor: 5,
  };
  const text = JSON.stringify(nb, null, 1);
  assert.ok(Buffer.byteLength(text) > 2_000_000);
  const { findings } = scanJson({ 'notebooks/train.ipynb': text });
  assert.equal(findings.length, 1, JSON.stringify(findings.map((f) => f.rule)));
  const f = findings[0]!;
  assert.equal(f.rule, 'azure-sas');
  assert.equal(f.location.path, 'notebooks/train.ipynb');
  assert.equal(f.location.cell, 1);
  assert.ok(text.split('\n')[f.location.line - 1]!.includes('https://mlresults01'));
});

test('archives on disk: nested members are reported as a.tar.gz!b.zip!c, limits become notices', () => {
  const env = `# deploy\nAZURE_STORAGE_SAS_URL=${SAS}\n`;
  const inner = makeZip([{ name: 'config/.env', data: env }]);
  const bundle = makeTarGz([{ name: 'inner.zip', data: inner }, { name: 'README.md', data: 'docs\n' }]);
  const wheel = makeZip([{ name: 'pkg/settings.py', data: `GITHUB_TOKEN = "${githubStyle('ghp_', 'wheel')}"\n` }]);
  const files = { 'backups/bundle.tar.gz': bundle, 'dist/pkg-1.0-py3-none-any.whl': wheel };
  const all = scanJson(files);
  assert.deepEqual(
    all.findings.map((f) => [f.location.path, f.location.line, f.rule]),
    [
      ['backups/bundle.tar.gz!inner.zip!config/.env', 2, 'azure-sas'],
      ['dist/pkg-1.0-py3-none-any.whl!pkg/settings.py', 1, 'github-token'],
    ],
  );
  const shallow = scanJson(files, '--archive-depth', '1');
  assert.deepEqual(shallow.findings.map((f) => f.rule), ['github-token']);
  assert.ok(shallow.notices.some((n) => n.path === 'backups/bundle.tar.gz!inner.zip' && n.skipped === 'archive-limit'));
  assert.deepEqual(scanJson(files, '--no-archives').findings, []);
});

test('Base64: a Kubernetes Secret and a docker config; --no-base64 turns the view off', () => {
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  const k = `AKIA${sampleChars('k8s', 16, alphabets.BASE32)}`;
  const yaml = `apiVersion: v1\nkind: Secret\nmetadata:\n  name: aws\ndata:\n  AWS_ACCESS_KEY_ID: ${b64(k)}\n  credentials: ${b64(`[default]\naws_access_key_id = ${k}\naws_secret_access_key = ${awsSecret('k8s')}\n`)}\n`;
  const { findings } = scanJson({ 'deploy/secret.yaml': yaml });
  const pair = findings.find((f) => f.rule === 'aws-access-key' && f.severity === 'high');
  assert.ok(pair, JSON.stringify(findings.map((f) => [f.rule, f.severity, f.location.line])));
  assert.equal(pair.location.line, 6); // the key id in one value, its secret in the next: one pair
  assert.equal(pair.location.encoding, 'base64');
  assert.deepEqual(scanJson({ 'deploy/secret.yaml': yaml }, '--no-base64').findings, []);
});

test('every family on its own line, with the right rule, in one scan', () => {
  const files = {
    '.env': [
      `GITHUB_TOKEN=${githubStyle('ghp_', 'fam')}`,
      `NPM_TOKEN=${githubStyle('npm_', 'fam')}`,
      `SLACK_BOT_TOKEN=xoxb-${sampleChars('s1', 12, '0123456789')}-${sampleChars('s2', 13, '0123456789')}-${sampleChars('s3', 24)}`,
      `HF_TOKEN=hf_${sampleChars('hf', 34, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz')}`,
      `DATABASE_URL=postgres://app:Qm4x7TzKv2pLw9Rs@db-main.internal.example.com:5432/analytics`,
    ].join('\n'),
    'sa.json': serviceAccountJson('proj-e2e-1234', 'runner'),
  };
  const { findings, code } = scanJson(files);
  assert.deepEqual(
    findings.map((f) => [f.location.path, f.location.line, f.rule]),
    [
      ['.env', 1, 'github-token'],
      ['.env', 2, 'npm-token'],
      ['.env', 3, 'slack-token'],
      ['.env', 4, 'huggingface-token'],
      ['.env', 5, 'basic-auth-url'],
      ['sa.json', 5, 'gcp-service-account-key'],
    ],
  );
  assert.equal(code, 1);
  for (const f of findings) assert.ok(f.redacted && f.secret.includes('…'), `${f.rule} not redacted: ${f.secret}`);
});

test('explain: a presigned URL says its expiry, key and bucket; a signed GCS URL its signer', () => {
  const key = `AKIA${sampleChars('explain', 16, alphabets.BASE32)}`;
  const url = `https://b1.s3.eu-west-1.amazonaws.com/k.csv?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=${key}%2F20240301%2Feu-west-1%2Fs3%2Faws4_request&X-Amz-Date=20240301T120000Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&X-Amz-Signature=${sampleChars('x', 64, alphabets.HEX)}`;
  const r = runCli(['explain', url, '--format', 'json', '--now', '2024-03-01T12:30:00Z']);
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout) as { rule: string; grant: { expiry: string; resource: { bucket: string }; details: Record<string, unknown> } };
  assert.equal(j.rule, 'aws-presigned-url-v4');
  assert.equal(j.grant.expiry, '2024-03-01T13:00:00Z');
  assert.equal(j.grant.resource.bucket, 'b1');
  assert.equal(j.grant.details['accessKeyId'], `AKIA…${key.slice(-4)}`, 'a key id is a finding on its own: redacted unless --show-secrets');
  const shown = JSON.parse(runCli(['explain', url, '--format', 'json', '--now', '2024-03-01T12:30:00Z', '--show-secrets']).stdout) as typeof j;
  assert.equal(shown.grant.details['accessKeyId'], key);
  const sa = 'signer@proj-1.iam.gserviceaccount.com';
  const gcs = `https://storage.googleapis.com/b2/o.bin?X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Credential=${encodeURIComponent(sa)}%2F20240301%2Fauto%2Fstorage%2Fgoog4_request&X-Goog-Date=20240301T120000Z&X-Goog-Expires=600&X-Goog-SignedHeaders=host&X-Goog-Signature=${sampleChars('g', 512, alphabets.HEX)}`;
  const text = runCli(['explain', gcs, '--now', '2024-03-01T12:05:00Z']);
  assert.match(text.stdout, /signer\s+signer@proj-1\.iam\.gserviceaccount\.com/);
  assert.match(text.stdout, /expiry\s+2024-03-01T12:10:00Z/);
});

test('rules --format markdown lists every rule with its grant summary and severity', () => {
  const r = runCli(['rules', '--format', 'markdown']);
  assert.equal(r.code, 0);
  for (const rule of BUILTIN_RULES) assert.ok(r.stdout.includes(`\`${rule.id}\``), rule.id);
  assert.match(r.stdout, /\| id \| family \| what it finds \| what the grant says \| default severity \|/);
  // the rule tables of the README and docs/rules.md are this output: regenerate them when a rule changes
  for (const file of ['README.md', 'docs/rules.md']) {
    const doc = readFileSync(fileURLToPath(new URL(`../../${file}`, import.meta.url)), 'utf8');
    const table = /<!-- rules:begin -->\n([\s\S]*?)\n<!-- rules:end -->/.exec(doc)?.[1];
    assert.equal(table, r.stdout.trimEnd(), `${file} is out of date: paste \`sasquatch rules --format markdown\` between its rules markers`);
  }
});
