import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { findingsForBlob } from '../analyze/findings.js';
import { DEFAULT_POLICY } from '../analyze/policy.js';
import { Detector } from '../detect/engine.js';
import { BUILTIN_RULES } from '../detect/rules/index.js';
import { alphabets, awsSecret, sampleChars } from '../detect/rules/samples.js';
import type { Finding } from '../model/finding.js';
import { makeTarGz, makeZip } from '../testing/archives.js';
import { INCIDENT, sasQuery } from '../testing/tokens.js';
import { flattenBlobResult, scanBytes, type BlobScanOptions } from './blob-scanner.js';

const detector = new Detector(BUILTIN_RULES);
const ruleMap = new Map(BUILTIN_RULES.map((r) => [r.id, r]));
const NOW = new Date('2026-01-01T00:00:00Z');

function scan(path: string, bytes: Buffer | string, opts: Partial<BlobScanOptions> = {}) {
  const blob = scanBytes(detector, path, Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes, 'utf8'), opts);
  const blobs = [...flattenBlobResult(blob)];
  const findings: Finding[] = blobs.flatMap((b) => findingsForBlob(b.path, b.matches, ruleMap, { now: NOW, policy: DEFAULT_POLICY, showSecrets: false, includeExamples: false }));
  return { blob, findings, notices: blobs.flatMap((b) => b.notices) };
}

const SAS_URL = `https://acct1.blob.core.windows.net/c/data.csv?${sasQuery({ sv: '2022-11-02', sr: 'b', sp: 'r', se: '2030-01-01T00:00:00Z' }, 'extract')}`;
const awsId = `AKIA${sampleChars('nb-id', 16, alphabets.BASE32)}`;

test('a notebook with a 2 MB PNG output and a SAS URL printed by a cell reports exactly the SAS', () => {
  // the image payload carries an AWS-key-shaped run: blanking images is what keeps it out
  const png = randomBytes(1_500_000).toString('base64');
  const payload = `${png.slice(0, 1_000_000)}${awsId}/${awsSecret('nb-secret')}${png.slice(1_000_000)}`;
  const nb = {
    cells: [
      { cell_type: 'markdown', metadata: {}, source: ['# Results\n'] },
      {
        cell_type: 'code',
        execution_count: 1,
        metadata: {},
        source: ['print(url)\n', 'plot()\n'],
        outputs: [
          { name: 'stdout', output_type: 'stream', text: [`${SAS_URL}\n`] },
          { output_type: 'display_data', metadata: {}, data: { 'image/png': payload, 'text/plain': ['<Figure size 640x480>'] } },
        ],
      },
    ],
    metadata: {},
    nbformat: 4,
    nbformat_minor: 5,
  };
  const text = JSON.stringify(nb, null, 1);
  assert.ok(text.length > 2_000_000);
  const { findings } = scan('notebooks/report.ipynb', text);
  assert.equal(findings.length, 1, JSON.stringify(findings.map((f) => f.rule)));
  const f = findings[0]!;
  assert.equal(f.rule, 'azure-sas');
  assert.equal(f.location.cell, 1);
  const lines = text.split('\n');
  assert.equal(lines[f.location.line - 1]!.indexOf('https://'), f.location.column - 1);
  assert.ok(lines[f.location.line - 1]!.includes('"text"') || lines[f.location.line - 2]!.includes('"text"'));
});

test('notebook: sources, stream and text/plain outputs are scanned; data-URI images in HTML are not', () => {
  const img = randomBytes(30_000).toString('base64');
  const nb = {
    cells: [
      { cell_type: 'code', metadata: {}, source: [`token = "${INCIDENT.urlB()}"`], outputs: [] },
      {
        cell_type: 'code',
        metadata: {},
        source: ['show()'],
        outputs: [{ output_type: 'execute_result', data: { 'text/html': [`<img src="data:image/png;base64,${img}${awsId}${awsSecret('html')}${img}"/>`], 'text/plain': [`'${INCIDENT.urlA()}'`] } }],
      },
    ],
    metadata: {},
    nbformat: 4,
    nbformat_minor: 5,
  };
  const { findings } = scan('a.ipynb', JSON.stringify(nb, null, 1));
  assert.deepEqual(findings.map((f) => [f.rule, f.location.cell]), [
    ['azure-sas', 0],
    ['azure-sas', 1],
  ]);
});

test('archives: members are scanned under archive!member paths, nested too, with lines of the member', () => {
  const env = `# settings\nAZURE_STORAGE_SAS_TOKEN="${sasQuery({ sv: '2021-08-06', ss: 'b', srt: 'co', sp: 'rl', se: '2030-01-01' }, 'zip')}"\n`;
  const inner = makeZip([{ name: 'config/.env', data: env }]);
  const outer = makeTarGz([
    { name: 'README.md', data: 'nothing here\n' },
    { name: 'backup/inner.zip', data: inner },
    { name: 'bin/tool', data: Buffer.from([0, 1, 2, 3, 0, 0, 9]) },
  ]);
  const { findings, notices } = scan('exports/bundle.tar.gz', outer);
  assert.deepEqual(findings.map((f) => [f.location.path, f.location.line, f.location.column, f.rule]), [['exports/bundle.tar.gz!backup/inner.zip!config/.env', 2, 26, 'azure-sas']]);
  assert.ok(notices.some((n) => n.path === 'exports/bundle.tar.gz' && n.skipped === 'binary' && /1 binary archive member/.test(n.message)));
});

test('archives: nesting deeper than the limit is reported, not opened', () => {
  let blob = makeZip([{ name: 'deep.env', data: `SAS=${SAS_URL}\n` }]);
  for (let i = 0; i < 3; i++) blob = makeZip([{ name: `level${i}.zip`, data: blob }]);
  const shallow = scan('top.zip', blob, { archives: { maxDepth: 2, maxMemberBytes: 1 << 20, maxTotalBytes: 1 << 24, maxMembers: 100 } });
  assert.equal(shallow.findings.length, 0);
  assert.ok(shallow.notices.some((n) => n.skipped === 'archive-limit' && n.path === 'top.zip!level2.zip!level1.zip' && /nested more than 2 deep/.test(n.message)));
  const deep = scan('top.zip', blob);
  assert.deepEqual(deep.findings.map((f) => f.location.path), ['top.zip!level2.zip!level1.zip!level0.zip!deep.env']);
  const off = scan('top.zip', blob, { archives: null });
  assert.equal(off.findings.length, 0);
  assert.equal(off.blob.skipped, 'binary');
});

test('Base64: a Kubernetes Secret value is decoded and its finding placed on the token', () => {
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  const yaml = [
    'apiVersion: v1',
    'kind: Secret',
    'metadata:',
    '  name: storage',
    'data:',
    `  AZURE_STORAGE_SAS_URL: ${b64(SAS_URL)}`,
    `  DB_PASSWORD: ${b64('postgres')}`,
    '',
  ].join('\r\n');
  const { findings } = scan('k8s/secret.yaml', yaml);
  assert.equal(findings.length, 1);
  const f = findings[0]!;
  assert.equal(f.rule, 'azure-sas');
  assert.equal(f.location.line, 6);
  assert.equal(f.location.column, '  AZURE_STORAGE_SAS_URL: '.length + 1);
  assert.equal(f.location.encoding, 'base64');
  assert.equal(f.grant?.account, 'acct1');
  assert.equal(scan('k8s/secret.yaml', yaml, { base64: false }).findings.length, 0);
});

test('Base64: a .dockerconfigjson holding a registry login, and PowerShell UTF-16 -EncodedCommand', () => {
  const cfg = JSON.stringify({ auths: { 'ghcr.io': { auth: Buffer.from('ci-bot:Zq8Lm2Vx7Tp4Nw').toString('base64') } } });
  const secret = `kind: Secret\ntype: kubernetes.io/dockerconfigjson\ndata:\n  .dockerconfigjson: ${Buffer.from(cfg).toString('base64')}\n`;
  const docker = scan('pull-secret.yaml', secret).findings;
  assert.deepEqual(docker.map((f) => [f.rule, f.location.line, f.details?.['registry'], f.details?.['user']]), [['docker-registry-auth', 4, 'ghcr.io', 'ci-bot']]);
  const ps = `powershell -EncodedCommand ${Buffer.from(`Invoke-WebRequest "${SAS_URL}" -OutFile x.csv`, 'utf16le').toString('base64')}`;
  const found = scan('run.cmd', ps).findings;
  assert.deepEqual(found.map((f) => [f.rule, f.location.line, f.location.encoding]), [['azure-sas', 1, 'base64']]);
});

test('UTF-16 and CRLF files: lines and columns are those of the decoded text', () => {
  const text = `line one\r\nline two\r\n  key: "${SAS_URL}"\r\n`;
  const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
  const be = Buffer.from(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
  be.swap16();
  for (const [name, bytes] of [
    ['crlf.yaml', Buffer.from(text)],
    ['le.yaml', le],
    ['be.yaml', be],
  ] as const) {
    const { findings } = scan(name, bytes);
    assert.equal(findings.length, 1, name);
    assert.equal(findings[0]!.location.line, 3, name);
    assert.equal(findings[0]!.location.column, 9, name);
  }
});
