#!/usr/bin/env node
// Writes a small demo repository tree with planted (fake, correctly shaped) credentials:
// the 2023 incident tokens and the other forms a real project holds them in.
// Usage: node scripts/make-demo.mjs <dir>      (npm run demo does this, then scans it)
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { INCIDENT, fakeSig, sasQuery } from '../dist/testing/tokens.js';

const dir = process.argv[2] ?? '.demo';
rmSync(dir, { recursive: true, force: true });
const put = (rel, text) => {
  const full = path.join(dir, rel);
  mkdirSync(path.dirname(full), { recursive: true });
  writeFileSync(full, text);
};

const containerSas = sasQuery({ sv: '2022-11-02', sr: 'c', sp: 'racwdl', st: '2024-03-01T00:00:00Z', se: '2049-03-01T00:00:00Z', spr: 'https,http' }, 'demo-container');
const policySas = sasQuery({ sv: '2021-06-08', sr: 'c', si: 'nightly-readers', spr: 'https' }, 'demo-policy');
const udSas = sasQuery(
  { sv: '2023-08-03', sr: 'b', sp: 'r', st: '2024-07-14T19:01:18Z', se: '2024-07-16T18:01:18Z', skoid: '0965157e-0769-40f5-8821-c867852c22af', sktid: '3c9108b5-c043-4d1c-88ca-14f5ec9b71db', skt: '2024-07-14T19:01:18Z', ske: '2024-07-16T19:01:18Z', sks: 'b', skv: '2023-08-03' },
  'demo-ud',
);
const csSas = sasQuery({ sv: '2020-08-04', ss: 'bq', srt: 'sco', sp: 'rwdlacup', se: '2039-01-01T00:00:00Z', spr: 'https' }, 'demo-cs');

put('README.md', `# Robust ImageNet models

Download the models from our storage account:

    wget "${INCIDENT.urlA()}"

Updated link (2021):

[All models](${INCIDENT.urlB('public-models/')})

To get an access token, set \`AZURE_STORAGE_SAS_TOKEN=?sv=2022-11-02&ss=b&srt=o&sp=r&se=2030-01-01&sig=<your-signature>\` (placeholder, not a secret).
`);

put('train/upload_checkpoints.py', `"""Uploads checkpoints after each epoch."""
import requests

# TODO: move to a secret store
CHECKPOINTS = "https://mltraining7x.blob.core.windows.net/checkpoints?${containerSas}"

def upload(name, data):
    requests.put(f"{CHECKPOINTS.split('?')[0]}/{name}?{CHECKPOINTS.split('?')[1]}", data=data)
`);

put('notebooks/explore.ipynb', JSON.stringify({
  cells: [
    { cell_type: 'markdown', metadata: {}, source: ['# Explore the nightly exports'] },
    { cell_type: 'code', execution_count: 1, metadata: {}, outputs: [{ output_type: 'stream', name: 'stdout', text: ['loaded 1204 rows\n'] }], source: ['import pandas as pd\n', `df = pd.read_csv("https://nightlyexports.blob.core.windows.net/exports/daily.csv?${policySas}")\n`] },
    { cell_type: 'code', execution_count: 2, metadata: {}, outputs: [{ output_type: 'display_data', data: { 'image/png': Buffer.alloc(6000, 3).toString('base64'), 'text/plain': ['<Figure>'] }, metadata: {} }], source: ['df.plot()'] },
  ],
  metadata: { kernelspec: { display_name: 'Python 3', language: 'python', name: 'python3' } },
  nbformat: 4,
  nbformat_minor: 5,
}, null, 1));

put('config/appsettings.json', JSON.stringify({
  Storage: {
    ConnectionString: `BlobEndpoint=https://webassets42.blob.core.windows.net/;QueueEndpoint=https://webassets42.queue.core.windows.net/;SharedAccessSignature=${csSas}`,
    Emulator: `http://127.0.0.1:10000/devstoreaccount1/test?${sasQuery({ sv: '2022-11-02', sr: 'c', sp: 'rl', se: '2030-01-01' }, 'demo-emulator')}`,
  },
}, null, 2));

put('.env', `# local settings
DOWNLOAD_URL="https://featurestore9.blob.core.windows.net/models/tiles/z12/dump.sql.gz?${udSas}"
LOG_LEVEL=info
`);

put('docs/index.html', `<p>Mirror: <a href="${INCIDENT.urlB('public-datasets/').replace(/&/g, '&amp;')}">datasets</a></p>\n`);

console.log(`demo tree written to ${dir} (${fakeSig('x').length}-char fixture signatures; none are real)`);
