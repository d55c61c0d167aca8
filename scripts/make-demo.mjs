#!/usr/bin/env node
// Writes a small demo repository tree with planted (fake, correctly shaped) credentials:
// the 2023 incident tokens and the other forms a real project holds them in.
// Usage: node scripts/make-demo.mjs <dir>      (npm run demo does this, then scans it)
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { INCIDENT, fakeSig, sasQuery } from '../dist/testing/tokens.js';
import { awsSecret, githubStyle, sampleBase64, sampleChars, serviceAccountJson } from '../dist/detect/rules/samples.js';

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

// History first: the 2020 link, committed, then replaced (a git repository, so the scan shows
// when each link was introduced and removed).
const git = (date, ...args) =>
  execFileSync('git', args, {
    cwd: dir,
    env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 'Demo', GIT_AUTHOR_EMAIL: 'demo@example.org', GIT_COMMITTER_NAME: 'Demo', GIT_COMMITTER_EMAIL: 'demo@example.org', GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date },
    stdio: 'ignore',
  });
mkdirSync(dir, { recursive: true });
git('2020-07-20T10:00:00Z', 'init', '-q', '-b', 'main');
put('README.md', `# Robust ImageNet models\n\nDownload: ${INCIDENT.urlA()}\n`);
git('2020-07-20T10:00:00Z', 'add', '-A');
git('2020-07-20T10:00:00Z', 'commit', '-q', '-m', 'Initial code commit');
put('notes/mirror.md', `Mirror (temporary): ${INCIDENT.urlB('public-datasets/')}\n`);

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

// Other cloud credentials a research repository leaks: an S3 presigned URL, a GCS signed URL,
// an AWS key pair, a storage account connection string, a GitHub token, a service-account key.
const hex = (seed, n) => sampleChars(seed, n, '0123456789abcdef');
put('scripts/fetch_results.py', `import boto3, requests

RESULTS = ("https://acme-ml-artifacts.s3.eu-west-1.amazonaws.com/runs/42/results.parquet"
           "?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIA${sampleChars('demo-akid', 16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567')}%2F20260101%2Feu-west-1%2Fs3%2Faws4_request"
           "&X-Amz-Date=20260101T120000Z&X-Amz-Expires=604800&X-Amz-SignedHeaders=host&X-Amz-Signature=${hex('demo-s3', 64)}")

EXPORT = "https://storage.googleapis.com/vision-exports/2026/users.csv?X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Credential=exporter%40vision-prod-123456.iam.gserviceaccount.com%2F20260101%2Fauto%2Fstorage%2Fgoog4_request&X-Goog-Date=20260101T000000Z&X-Goog-Expires=3600&X-Goog-SignedHeaders=host&X-Goog-Signature=${hex('demo-gcs', 512)}"

session = boto3.Session(
    aws_access_key_id="AKIA${sampleChars('demo-pair', 16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567')}",
    aws_secret_access_key="${awsSecret('demo-pair')}",
)
`);
put('deploy/appsettings.Production.json', JSON.stringify({
  ConnectionStrings: { Storage: `DefaultEndpointsProtocol=https;AccountName=prodbackups7;AccountKey=${sampleBase64('demo-account-key', 64)};EndpointSuffix=core.windows.net` },
  GitHub: { Token: githubStyle('ghp_', 'demo') },
}, null, 2));
put('keys/trainer-sa.json', serviceAccountJson('vision-prod-123456', 'trainer'));

git('2021-10-06T09:00:00Z', 'add', '-A');
git('2021-10-06T09:00:00Z', 'commit', '-q', '-m', 'renew the download links, add training and deployment code');
rmSync(path.join(dir, 'notes'), { recursive: true });
git('2022-03-01T09:00:00Z', 'add', '-A');
git('2022-03-01T09:00:00Z', 'commit', '-q', '-m', 'drop the temporary mirror');
console.log(`demo repository written to ${dir} (${fakeSig('x').length}-char fixture signatures; none are real)`);
