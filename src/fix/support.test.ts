import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { randomAccountKey } from '../testing/azurite.js';
import { tempTree } from '../testing/cli.js';
import { ActionLog, sigSha256 } from './action-log.js';
import * as az from './az.js';
import { ConfirmationRefused, confirmer } from './confirm.js';
import { CredentialError, readCredentials } from './credentials.js';

const K1 = randomAccountKey();
const K2 = randomAccountKey();

describe('credentials from environment variables', () => {
  it('reads a connection string: account, key, blob endpoint', () => {
    const env = { CONN: `DefaultEndpointsProtocol=https;AccountName=leakyacct;AccountKey=${K1};EndpointSuffix=core.windows.net` };
    const c = readCredentials({ connectionStringEnv: 'CONN' }, env);
    assert.equal(c.account, 'leakyacct');
    assert.equal(c.blobEndpoint, 'https://leakyacct.blob.core.windows.net');
    assert.deepEqual(c.keys.map((k) => [k.slot, k.source, k.connectionString]), [[null, '$CONN', true]]);
    const emu = readCredentials({ connectionStringEnv: 'CONN' }, { CONN: `AccountName=leakyacct;AccountKey=${K1};BlobEndpoint=http://127.0.0.1:10000/leakyacct` });
    assert.equal(emu.blobEndpoint, 'http://127.0.0.1:10000/leakyacct');
  });

  it('gives a connection-string key the slot of the same key named by a flag', () => {
    const c = readCredentials({ connectionStringEnv: 'CONN', accountKeyEnv: 'K1', secondaryKeyEnv: 'K2' }, { CONN: `AccountName=leakyacct;AccountKey=${K2}`, K1, K2 });
    assert.deepEqual(c.keys.map((k) => [k.slot, k.source, Boolean(k.connectionString)]), [['key1', '$K1', false], ['key2', '$K2', true]]);
  });

  it('uses AZURE_STORAGE_CONNECTION_STRING only when no flag names a variable', () => {
    const env = { AZURE_STORAGE_CONNECTION_STRING: `AccountName=leakyacct;AccountKey=${K1}`, K2 };
    assert.equal(readCredentials({}, env).keys[0]!.source, '$AZURE_STORAGE_CONNECTION_STRING');
    assert.deepEqual(readCredentials({ accountKeyEnv: 'K2' }, env).keys.map((k) => k.source), ['$K2']);
    assert.equal(readCredentials({}, {}).keys.length, 0);
  });

  it('refuses missing variables, secrets pasted as names, and connection strings without a key', () => {
    assert.throws(() => readCredentials({ accountKeyEnv: 'NOPE' }, {}), /NOPE is not set or empty/);
    assert.throws(() => readCredentials({ accountKeyEnv: K1 }, {}), (e: Error) => e instanceof CredentialError && !e.message.includes(K1) && /--account-key-env takes the name/.test(e.message));
    assert.throws(() => readCredentials({ connectionStringEnv: 'C' }, { C: 'BlobEndpoint=https://a1b.blob.core.windows.net;SharedAccessSignature=sv=x&sig=y' }), /no AccountKey \(a SAS connection string cannot sign/);
    assert.throws(() => readCredentials({ accountKeyEnv: 'K' }, { K: 'not a key!' }), /does not hold a Base64 account key/);
  });
});

describe('confirmation', () => {
  it('--yes answers yes; without a terminal it refuses instead of hanging', async () => {
    assert.equal(await confirmer({ yes: true })('delete it?'), true);
    const pipe = Object.assign(new PassThrough(), { isTTY: false }) as unknown as NodeJS.ReadStream;
    const out = Object.assign(new PassThrough(), { isTTY: false }) as unknown as NodeJS.WriteStream;
    await assert.rejects(confirmer({ yes: false, input: pipe, output: out })('delete stored access policy "p"?'), (e: Error) => e instanceof ConfirmationRefused && /refusing to delete stored access policy "p" without confirmation: there is no terminal/.test(e.message));
  });

  it('asks on a terminal and takes only y or yes', async () => {
    for (const [answer, expected] of [['y\n', true], ['yes\n', true], ['\n', false], ['no\n', false], ['sure\n', false]] as const) {
      const input = Object.assign(new PassThrough(), { isTTY: true }) as unknown as NodeJS.ReadStream & PassThrough;
      const output = Object.assign(new PassThrough(), { isTTY: true }) as unknown as NodeJS.WriteStream & PassThrough;
      const asked = confirmer({ yes: false, input, output })('rotate key1?');
      input.write(answer);
      assert.equal(await asked, expected, JSON.stringify(answer));
      assert.match(String(output.read()), /rotate key1\? \[y\/N\]/);
    }
  });
});

describe('action log', () => {
  it('appends JSON lines, readable only by the user, with no secret in them', () => {
    const tree = tempTree({});
    try {
      const file = path.join(tree.dir, 'a.jsonl');
      const log = new ActionLog('revoke', file, () => new Date('2024-05-01T00:00:00Z'));
      log.record({ action: 'delete-stored-policy', result: 'done', account: 'leakyacct', sigSha256: sigSha256('abc') });
      log.record({ action: 'verify', result: 'done', detail: `GET https://a.blob.core.windows.net/c?sv=1&sig=SECRETSIG AccountKey=${K1}; ${K2}` });
      const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
      assert.equal(lines.length, 2);
      assert.deepEqual(lines[0], { time: '2024-05-01T00:00:00.000Z', command: 'revoke', action: 'delete-stored-policy', result: 'done', account: 'leakyacct', sigSha256: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad' });
      const text = readFileSync(file, 'utf8');
      assert.ok(!text.includes('SECRETSIG') && !text.includes(K1) && !text.includes(K2));
      assert.equal(statSync(file).mode & 0o077, 0, 'not readable by others');
    } finally {
      tree.cleanup();
    }
  });
});

describe('az commands', () => {
  it('are exact for the account and the key', () => {
    const t = { account: 'leakyacct', resourceGroup: null };
    assert.equal(az.resourceGroupLookup(t)!.command, `RG=$(az storage account list --query "[?name=='leakyacct'].resourceGroup | [0]" -o tsv)`);
    assert.equal(az.renewKey(t, 'key1', '').command, 'az storage account keys renew --resource-group "$RG" --account-name leakyacct --key primary');
    assert.equal(az.renewKey(t, 'key2', '').command, 'az storage account keys renew --resource-group "$RG" --account-name leakyacct --key secondary');
    const g = { account: 'leakyacct', resourceGroup: "o'brien rg" };
    assert.equal(az.resourceGroupLookup(g), null);
    assert.equal(az.renewKey(g, 'key1', '').command, `az storage account keys renew --resource-group 'o'\\''brien rg' --account-name leakyacct --key primary`);
    assert.equal(az.disableSharedKey(t).command, 'az storage account update --resource-group "$RG" --name leakyacct --allow-shared-key-access false');
    assert.equal(az.sasExpirationPolicy(t).command, 'az storage account update --resource-group "$RG" --name leakyacct --sas-expiration-period 0.01:00:00 --sas-expiration-action Block');
    assert.equal(az.revokeDelegationKeys(t).command, 'az storage account revoke-delegation-keys --resource-group "$RG" --name leakyacct');
    assert.equal(az.deleteContainerPolicy('leakyacct', 'public-models', 'models-read').command, 'az storage container policy delete --account-name leakyacct --container-name public-models --name models-read');
    assert.deepEqual(az.renderSteps([az.renewKey(t, 'key1', 'rotate key1')]), ['# rotate key1', 'az storage account keys renew --resource-group "$RG" --account-name leakyacct --key primary']);
  });
});
