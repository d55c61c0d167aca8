import assert from 'node:assert/strict';
import { test } from 'node:test';
import { adoLegacyPat, caskKey, entraSecret, identifiableKey, sampleBase64 } from '../../detect/rules/samples.js';
import { findIn } from '../../testing/find.js';
import { adoLegacyChecksum, checkCask, checkIdentifiable, entraChecksum } from './identifiable.js';
import { EMULATOR_KEY } from './storage-keys.js';

const key = (seed: string) => {
  const raw = Buffer.from(sampleBase64(`az:${seed}`, 64), 'base64');
  raw[63] = raw[63]! & 0xf0;
  return raw.toString('base64');
};

test('connection string: account, endpoint suffix, services from endpoints; critical', () => {
  const cs = `DefaultEndpointsProtocol=https;AccountName=teambackupaqfhv;AccountKey=${key('a')};BlobEndpoint=https://teambackupaqfhv.blob.core.usgovcloudapi.net/;QueueEndpoint=https://teambackupaqfhv.queue.core.usgovcloudapi.net/`;
  const [f, ...rest] = findIn(`conn_str = "${cs}"`);
  assert.equal(rest.length, 0);
  assert.equal(f!.rule, 'azure-storage-connection-string');
  assert.equal(f!.severity, 'critical');
  assert.equal(f!.grant?.kind, 'azure-connection-string');
  assert.equal(f!.grant?.account, 'teambackupaqfhv');
  assert.deepEqual(f!.grant?.services, ['blob', 'queue']);
  assert.equal(f!.grant?.details?.['endpointSuffix'], 'core.usgovcloudapi.net');
  assert.equal(f!.grant?.revocation, 'rotate-account-key');
  assert.ok(!f!.secret.includes(key('a')));
});

test('bare account key: account name from the CLI flag next to it', () => {
  const [f] = findIn(`az storage blob upload-batch --account-name teambackup67 --account-key "${key('b')}" --destination backups`);
  assert.equal(f!.rule, 'azure-storage-account-key');
  assert.equal(f!.grant?.account, 'teambackup67');
  assert.equal(f!.severity, 'critical');
});

test('the emulator key and UseDevelopmentStorage=true are info, never higher', () => {
  const texts = [
    `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${EMULATOR_KEY};BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;`,
    `--connection-string "UseDevelopmentStorage=true"`,
    `az storage container list --account-name devstoreaccount1 --account-key ${EMULATOR_KEY}`,
    `AZURE_STORAGE_KEY=${EMULATOR_KEY}`,
  ];
  for (const t of texts) {
    const found = findIn(t, { includeExamples: true });
    assert.ok(found.length >= 1, t);
    for (const f of found) {
      assert.equal(f.severity, 'info', `${t}: ${f.rule} ${f.severity}`);
      assert.match(f.reasons[0]!, /emulator/);
    }
  }
});

test('placeholders and test vectors are not account keys', () => {
  assert.deepEqual(findIn('DefaultEndpointsProtocol=https;AccountName=myaccount;AccountKey=<account-key>;EndpointSuffix=core.windows.net'), []);
  assert.deepEqual(findIn(`{"name": "example-2", "key": "${key('vector')}", "mac": "x"}`), []);
});

test('identifiable keys: storage +ASt verified by checksum even without a label; other services by signature', () => {
  const storage = identifiableKey('+ASt', '44656661756c7430', 'id1');
  assert.deepEqual(checkIdentifiable(storage), { kind: checkIdentifiable(storage)!.kind, checksumValid: true });
  const [f] = findIn(`blob_key = "${storage}"`);
  assert.equal(f!.rule, 'azure-storage-account-key');
  assert.equal(f!.grant?.details?.['identifiable'], true);
  assert.equal(f!.grant?.details?.['checksumValid'], true);
  const broken = storage.slice(0, 10) + (storage[10] === 'A' ? 'B' : 'A') + storage.slice(11);
  assert.equal(checkIdentifiable(broken)!.checksumValid, false);
  assert.deepEqual(findIn(`x = "${broken}"`), []);
  const acr = findIn(`ACR_PASSWORD=${identifiableKey('+ACR', '41435244666c7430', 'acr')}`);
  assert.deepEqual(acr.map((x) => [x.rule, x.title]), [['azure-identifiable-key', 'Azure Container Registry key']]);
});

test('CASK keys: 84 characters, JQQJ99, provider signature, checksum', () => {
  const ai = caskKey('ACOG', 'ai');
  assert.equal(ai.length, 84);
  assert.deepEqual(checkCask(ai), { provider: 'ACOG', service: 'Azure AI services (Cognitive Services / Azure OpenAI) key', checksumValid: true, created: '2025-03' });
  assert.equal(findIn(`AZURE_OPENAI_API_KEY=${ai}`)[0]!.rule, 'azure-identifiable-key');
  const ado = findIn(`pat = "${caskKey('AZDO', 'ado')}"  # dev.azure.com/contoso`);
  assert.deepEqual(ado.map((f) => [f.rule, f.details?.['organization']]), [['azure-devops-pat', 'contoso']]);
});

test('Entra client secrets: 8Q~ checksum verified, a look-alike dropped', () => {
  const s = entraSecret('e1');
  assert.equal(entraChecksum(s), true);
  const [f] = findIn(`AZURE_CLIENT_ID=0c753056-78f4-4244-807c-ecb12c9782db\nAZURE_CLIENT_SECRET=${s}`);
  assert.equal(f!.rule, 'azure-entra-client-secret');
  assert.equal(f!.details?.['clientId'], '0c753056-78f4-4244-807c-ecb12c9782db');
  const fake = s.slice(0, -3) + (s.endsWith('aaa') ? 'bbb' : 'aaa');
  assert.equal(entraChecksum(fake), false);
  assert.deepEqual(findIn(`AZURE_CLIENT_SECRET=${fake}`).filter((x) => x.rule === 'azure-entra-client-secret'), []);
});

test('legacy Azure DevOps PAT: CRC-32 checksum decides', () => {
  const pat = adoLegacyPat('p1');
  assert.equal(adoLegacyChecksum(pat), true);
  assert.equal(adoLegacyChecksum(pat.slice(0, 20) + (pat[20] === 'a' ? 'b' : 'a') + pat.slice(21)), false);
  assert.deepEqual(findIn(`AZURE_DEVOPS_EXT_PAT=${pat}`).map((f) => f.rule), ['azure-devops-pat']);
});
