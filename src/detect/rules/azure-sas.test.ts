import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findIn } from '../../testing/find.js';
import { encodeSig, fakeSig, INCIDENT, sasQuery } from '../../testing/tokens.js';

const HOSTS = [
  'https://acct1.blob.core.windows.net/c/b.bin',
  'https://acct1.dfs.core.windows.net/fs/dir/file',
  'https://acct1.file.core.windows.net/share/f.txt',
  'https://acct1.queue.core.windows.net/q1/messages',
  'https://acct1.table.core.windows.net/Orders()',
  'https://acct1.z21.web.core.windows.net/site',
  'https://acct1.blob.core.chinacloudapi.cn/c/b',
  'https://acct1.blob.core.usgovcloudapi.net/c/b',
  'https://acct1.blob.local.azurestack.external/c/b',
  'http://127.0.0.1:10000/devstoreaccount1/c/b',
  'http://devstoreaccount1.blob.localhost:10000/c/b',
  'https://cdn.contoso-research.com/datasets/imagenet.tar',
];

test('every host family is found, by the shape of the parameters', () => {
  const token = sasQuery({ sv: '2022-11-02', ss: 'bfqt', srt: 'sco', sp: 'rl', se: '2030-01-01T00:00:00Z' }, 'hosts');
  for (const host of HOSTS) {
    const f = findIn(`curl "${host}?${token}" -o out`);
    assert.equal(f.length, 1, host);
    assert.equal(f[0]!.rule, 'azure-sas');
    assert.equal(f[0]!.grant?.kind, 'account-sas', host);
    assert.equal(f[0]!.location.column, 7, host);
  }
});

test('bare tokens with and without a leading ?, in env files, YAML and JSON', () => {
  const token = sasQuery({ sv: '2021-08-06', ss: 'b', srt: 'co', sp: 'rl', se: '2030-01-01' }, 'bare');
  const texts = [
    `AZURE_STORAGE_SAS_TOKEN=?${token}`,
    `AZURE_STORAGE_SAS_TOKEN=${token}`,
    `sas_token: "${token}"`,
    `{"sasToken": "?${token}"}`,
    `export SAS='${token}'`,
  ];
  for (const t of texts) {
    const f = findIn(t);
    assert.equal(f.length, 1, t);
    assert.deepEqual(f[0]!.grant?.permissions, ['read', 'list'], t);
    assert.equal(f[0]!.grant?.account, null);
  }
});

test('connection strings: SharedAccessSignature with endpoints before or after it', () => {
  const token = sasQuery({ sv: '2019-10-10', ss: 'bfq', srt: 'so', sp: 'c', se: '2031-11-12T12:52:47Z' }, 'cs');
  const before = `CONN="BlobEndpoint=https://prodlogs1.blob.core.windows.net/;QueueEndpoint=https://prodlogs1.queue.core.windows.net;SharedAccessSignature=${token}"`;
  const after = `CONN="SharedAccessSignature=${token};BlobEndpoint=https://prodlogs1.blob.core.windows.net/"`;
  for (const t of [before, after]) {
    const f = findIn(t);
    assert.equal(f.length, 1, t);
    assert.equal(f[0]!.grant?.account, 'prodlogs1', t);
    assert.equal(f[0]!.grant?.kind, 'account-sas');
  }
});

test('encodings: &amp;, \\u0026, a SAS URL percent-encoded inside another URL, doubly encoded', () => {
  const url = INCIDENT.urlB();
  const html = `<a href="${url.replace(/&/g, '&amp;')}">models</a>`;
  const json = `{"url": "${url.replace(/&/g, '\\u0026')}"}`;
  const nested = `https://login.example.com/redirect?target=${encodeURIComponent(url)}&x=1`;
  const doubly = `https://a.example.com/r?u=${encodeURIComponent(encodeURIComponent(url))}`;
  for (const [name, text] of [['html', html], ['json', json], ['percent', nested], ['double', doubly]] as const) {
    const f = findIn(text);
    assert.equal(f.length, 1, name);
    const g = f[0]!.grant!;
    assert.equal(g.kind, 'account-sas', name);
    assert.equal(g.account, 'robustnessws4285631339', name);
    assert.equal(g.permissions?.length, 12, name);
    assert.equal(g.expiry, '2051-10-06T07:09:59Z', name);
    assert.notEqual(f[0]!.location.encoding, undefined, name);
  }
});

test('placeholders are not reported, and only as info with --include-examples', () => {
  const placeholders = ['<signature>', '%3Csignature%3E', 'XXXX', 'REDACTED', '...', '${SAS}', '{{sig}}', '***', '<your-sig>'];
  for (const sig of placeholders) {
    const text = `https://acct1.blob.core.windows.net/c/b?sv=2022-11-02&sr=b&sp=r&se=2030-01-01&sig=${sig}`;
    assert.equal(findIn(text).length, 0, sig);
    const ex = findIn(text, { includeExamples: true });
    assert.equal(ex.length, 1, sig);
    assert.equal(ex[0]!.severity, 'info');
    assert.equal(ex[0]!.example, true);
  }
});

test('two identical tokens on different lines are two findings with their own line and column', () => {
  const url = INCIDENT.urlB();
  const text = `# Models\n\nDownload: ${url}\n\nMirror:\n    wget "${url}"\n`;
  const f = findIn(text, { path: 'README.md' });
  assert.equal(f.length, 2);
  assert.deepEqual(f.map((x) => [x.location.line, x.location.column]), [[3, 11], [6, 11]]);
  assert.notEqual(f[0]!.fingerprint, f[1]!.fingerprint);
});

test('columns count characters, not bytes; CRLF lines count once', () => {
  const url = INCIDENT.urlA();
  const f = findIn(`données: "ünïcode" ${url}\r\nline2\r\n${url}`);
  assert.deepEqual(f.map((x) => [x.location.line, x.location.column]), [[1, 20], [3, 1]]);
});

test('the secret is redacted to the first four characters of sig, everywhere it appears', () => {
  const sig = fakeSig('redact');
  const text = `u = "https://acct1.blob.core.windows.net/c/b?sv=2022-11-02&sr=b&sp=r&se=2030-01-01&sig=${encodeSig(sig)}"`;
  const [f] = findIn(text);
  const json = JSON.stringify(f);
  assert.ok(f!.secret.endsWith(`sig=${encodeSig(sig).slice(0, 4)}…`));
  assert.ok(!json.includes(encodeSig(sig)) && !json.includes(sig), 'no part of the report carries the signature');
  const shown = findIn(text, { showSecrets: true });
  assert.ok(shown[0]!.secret.includes(encodeSig(sig)));
});

test('a notebook source cell and a printed output; base64 images are not scanned', () => {
  const url = INCIDENT.urlB();
  const png = Buffer.alloc(300_000, 7).toString('base64');
  const nb = {
    cells: [
      { cell_type: 'markdown', metadata: {}, source: ['# Load'] },
      { cell_type: 'code', metadata: {}, source: [`df = load(\"${url}\")\n`], outputs: [{ output_type: 'display_data', data: { 'image/png': `${png}sig=${png.slice(0, 10)}`, 'text/plain': ['<Figure>'] } }] },
      { cell_type: 'code', metadata: {}, source: ['print(url)'], outputs: [{ output_type: 'stream', name: 'stdout', text: [`${url}\n`] }] },
    ],
    metadata: {},
    nbformat: 4,
    nbformat_minor: 5,
  };
  const text = JSON.stringify(nb, null, 1);
  const f = findIn(text, { path: 'nb.ipynb' });
  assert.equal(f.length, 2);
  assert.deepEqual(f.map((x) => x.location.cell), [1, 2]);
  const lines = text.split('\n');
  for (const x of f) assert.ok(lines[x.location.line - 1]!.includes('robustnessws4285631339'));
});

test('UTF-16 files are decoded; lines are those of the decoded text', () => {
  const url = INCIDENT.urlB();
  const body = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`first\r\nsecond ${url}\r\n`, 'utf16le')]);
  const f = findIn(body, { path: 'notes.txt' });
  assert.equal(f.length, 1);
  assert.deepEqual([f[0]!.location.line, f[0]!.location.column], [2, 8]);
  assert.equal(f[0]!.location.encoding, 'utf16');
});

test('non-storage signatures are not azure-sas findings', () => {
  const sig = encodeSig(fakeSig('sb'));
  const texts = [
    `Endpoint=sb://ns.servicebus.windows.net/;SharedAccessSignature=SharedAccessSignature sr=https%3A%2F%2Fns.servicebus.windows.net%2Fq&sig=${sig}&se=1700000000&skn=Root`,
    `https://prod-12.westeurope.logic.azure.com:443/workflows/abc/triggers/manual/paths/invoke?api-version=2016-10-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=${sig}`,
    `https://example.org/oauth/callback?state=xyz&sig=${sig}`,
  ];
  for (const t of texts) assert.equal(findIn(t).length, 0, t);
});
