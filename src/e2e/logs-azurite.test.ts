import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  BlobServiceClient,
  ContainerSASPermissions,
  generateBlobSASQueryParameters,
  StorageSharedKeyCredential,
} from '@azure/storage-blob';
import { startAzurite, type AzuriteInstance } from '../testing/azurite.js';
import { runCli } from '../testing/cli.js';
import { LEAKED_SIG, LEAKED_URL, leakScenario } from '../testing/log-scenario.js';

/**
 * Reading logs straight from storage: the scenario's classic logs uploaded to `$logs`
 * (one plain, one gzip) and its Azure Monitor JSON (gzip) to `insights-logs-storageread`
 * on a real Azurite, read by the CLI through container URLs with a read+list SAS.
 */
let az: AzuriteInstance;
/** Azurite listens on loopback: reading it needs --allow-private-hosts, like any private address. */
const NET = ['--allow-private-hosts'];
let cred: StorageSharedKeyCredential;

before(async () => {
  az = await startAzurite();
  cred = new StorageSharedKeyCredential(az.accounts[0]!.name, az.accounts[0]!.keys[0]!);
  const svc = new BlobServiceClient(az.accountUrl('blob'), cred);
  for (const [rel, content] of Object.entries(leakScenario().files)) {
    const slash = rel.indexOf('/');
    const container = rel.slice(0, slash);
    if (container === 'exports') continue;
    const c = svc.getContainerClient(container);
    await c.createIfNotExists();
    await c.getBlockBlobClient(rel.slice(slash + 1)).uploadData(content);
  }
});

after(async () => {
  await az?.stop();
});

function containerUrl(container: string, permissions: string, path = ''): string {
  const sas = generateBlobSASQueryParameters(
    { containerName: container, permissions: ContainerSASPermissions.parse(permissions), expiresOn: new Date(Date.now() + 3600_000), version: '2025-11-05' },
    cred,
  ).toString();
  return `${az.accountUrl('blob')}/${container}${path}?${sas}`;
}

function noSecrets(text: string, ...urls: string[]): void {
  assert.ok(!text.includes(LEAKED_SIG) && !text.includes(encodeURIComponent(LEAKED_SIG)), 'leaked signature in output');
  for (const u of urls) {
    const sig = /sig=([^&]+)/.exec(u)![1]!;
    assert.ok(!text.includes(sig) && !text.includes(decodeURIComponent(sig)), 'container SAS signature in output');
  }
}

describe('sasquatch logs on container URLs (Azurite)', () => {
  it('lists and streams $logs and insights-logs-* blobs, plain and gzip', () => {
    const logsUrl = containerUrl('$logs', 'rl');
    const insightsUrl = containerUrl('insights-logs-storageread', 'rl');
    const r = runCli(['logs', ...NET, '--link', LEAKED_URL, logsUrl, insightsUrl, '-f', 'json']);
    assert.equal(r.code, 1, r.stderr);
    noSecrets(r.stdout + r.stderr, logsUrl, insightsUrl);
    const j = JSON.parse(r.stdout);
    assert.deepEqual(
      j.inputs.sources.map((s: { name: string; gzip: boolean; records: number; malformed: number }) => [s.name, s.gzip, s.records, s.malformed]),
      [
        ['devstoreaccount1/$logs/blob/2023/06/20/1800/000000.log', false, 7, 2],
        ['devstoreaccount1/$logs/blob/2023/06/21/0900/000000.log.gz', true, 3, 1],
        [
          'devstoreaccount1/insights-logs-storageread/resourceId=/SUBSCRIPTIONS/00000000-0000-0000-0000-000000000000/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.STORAGE/STORAGEACCOUNTS/LEAKYACCT/BLOBSERVICES/DEFAULT/y=2023/m=06/d=22/h=10/m=00/PT1H.json.gz',
          true,
          4,
          1,
        ],
      ],
    );
    // classic A1 A2 A3 (fields), B1 (signature), B2 (fields); Monitor C1 C3 (hash); A7 is our own probe
    assert.equal(j.use.requests, 7);
    assert.deepEqual(j.use.byMethod, { 'token-fields': 4, signature: 1, 'sas-hash': 2 });
    assert.equal(j.probes.requests, 1);
    assert.equal(j.use.bytesOut, 1_048_576 + 2048 + 5_000_000 + 512);
  });

  it('narrows to a prefix, given with --prefix or as the path after the container', () => {
    const byFlag = runCli(['logs', ...NET, '--link', LEAKED_URL, containerUrl('$logs', 'rl'), '--prefix', 'blob/2023/06/21/', '-f', 'json']);
    assert.equal(byFlag.code, 1, byFlag.stderr);
    const a = JSON.parse(byFlag.stdout);
    assert.deepEqual(a.inputs.sources.map((s: { name: string }) => s.name), ['devstoreaccount1/$logs/blob/2023/06/21/0900/000000.log.gz']);
    assert.equal(a.use.requests, 2);

    const byPath = runCli(['logs', ...NET, '--link', LEAKED_URL, containerUrl('$logs', 'rl', '/blob/2023/06/20/'), '-f', 'json']);
    assert.equal(byPath.code, 1, byPath.stderr);
    const b = JSON.parse(byPath.stdout);
    assert.deepEqual(b.inputs.sources.map((s: { name: string }) => s.name), ['devstoreaccount1/$logs/blob/2023/06/20/1800/000000.log']);
    assert.equal(b.use.requests, 3);
  });

  it('explains a SAS that cannot list the container, without printing it', () => {
    const url = containerUrl('$logs', 'r');
    const r = runCli(['logs', ...NET, '--link', LEAKED_URL, url]);
    assert.equal(r.code, 2);
    noSecrets(r.stdout + r.stderr, url);
    assert.match(r.stderr, /devstoreaccount1\/\$logs: cannot list blobs: 403 \w+.*the SAS needs read and list on this container/);
    assert.match(r.stderr, /no log files were read/);
  });

  it('reads containers through the guard: loopback and private addresses only with --allow-private-hosts, --resolve honoured', () => {
    const url = containerUrl('$logs', 'rl');
    const sig = decodeURIComponent(/sig=([^&]+)/.exec(url)![1]!);
    const before = az.output().length;
    const refused = runCli(['logs', '--link', LEAKED_URL, url]);
    assert.equal(refused.code, 2, refused.stdout);
    assert.match(refused.stderr, /devstoreaccount1\/\$logs: cannot list blobs: .*private or loopback address 127\.0\.0\.1.*--allow-private-hosts/);
    const seen = az.output().slice(before);
    assert.ok(!seen.includes(sig) && !seen.includes(encodeURIComponent(sig)), 'the emulator received nothing');
    const host = 'devstoreaccount1.blob.core.windows.net';
    const prod = url.replace(/^http:\/\/127\.0\.0\.1:(\d+)\/devstoreaccount1\//, `http://${host}:$1/`);
    const resolvedRefused = runCli(['logs', '--link', LEAKED_URL, prod, '--resolve', `${host}:127.0.0.1`]);
    assert.equal(resolvedRefused.code, 2);
    assert.match(resolvedRefused.stderr, /cannot list blobs: refused plain http/);
    const resolved = runCli(['logs', '--link', LEAKED_URL, prod, '--resolve', `${host}:127.0.0.1`, '--allow-private-hosts', '-f', 'json']);
    assert.equal(resolved.code, 1, resolved.stderr);
    assert.equal(JSON.parse(resolved.stdout).inputs.files, 2);
  });
});
