import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fakeSig } from '../../testing/tokens.js';
import { Verifier } from '../verify.js';
import { readSas } from '../../analyze/sas/grant.js';
import { azureTarget, azureUrl } from './target.js';

const TOKEN = `sv=2021-12-02&ss=b&srt=sco&sp=rl&se=2099-01-01&sig=${encodeURIComponent(fakeSig('t'))}`;

describe('azureTarget: where a credential may be sent', () => {
  it('a SAS URL: its own host only, https unless private hosts are allowed', () => {
    const t = azureTarget({ url: `http://acct1.blob.core.windows.net/c/dir/b.txt?${TOKEN}` }, { allowPrivateHosts: false })!;
    assert.deepEqual(t.endpoints, { blob: 'https://acct1.blob.core.windows.net' });
    assert.deepEqual(t.resourcePath, ['c', 'dir', 'b.txt']);
    assert.equal(t.token, TOKEN);
    const local = azureTarget({ url: `http://127.0.0.1:10000/acct1/c?${TOKEN}` }, { allowPrivateHosts: true })!;
    assert.deepEqual(local.endpoints, { blob: 'http://127.0.0.1:10000/acct1' });
    assert.deepEqual(local.resourcePath, ['c']);
    assert.equal(local.account, 'acct1');
    assert.equal(azureTarget({ url: `http://127.0.0.1:10000/devstoreaccount1/c?${TOKEN}` }, { allowPrivateHosts: true })!.publicEmulatorAccount, true);
  });

  it('a connection string: the endpoints it lists, or those its name and suffix define', () => {
    const cs = `BlobEndpoint=https://acct1.blob.core.windows.net/;QueueEndpoint=https://acct1.queue.core.windows.net/;SharedAccessSignature=${TOKEN}`;
    const t = azureTarget({ connectionString: cs }, { allowPrivateHosts: false })!;
    assert.deepEqual(t.endpoints, { blob: 'https://acct1.blob.core.windows.net', queue: 'https://acct1.queue.core.windows.net' });
    assert.equal(t.token, TOKEN);
    const key = azureTarget({ connectionString: 'DefaultEndpointsProtocol=https;AccountName=acct1;AccountKey=abc==;EndpointSuffix=core.chinacloudapi.cn' }, { allowPrivateHosts: false })!;
    assert.equal(key.endpoints.blob, 'https://acct1.blob.core.chinacloudapi.cn');
    assert.equal(key.accountKey, 'abc==');
    assert.equal(azureTarget({ connectionString: 'UseDevelopmentStorage=true' }, { allowPrivateHosts: false })!.publicEmulatorAccount, true);
  });

  it('builds request URLs with encoded blob names', () => {
    assert.equal(azureUrl('https://a.blob.core.windows.net', ['c', 'dir/with space#1.txt'], 'comp=x'), 'https://a.blob.core.windows.net/c/dir/with%20space%231.txt?comp=x');
  });

  it('a bare token is never sent anywhere', async () => {
    const r = readSas({ query: TOKEN }, new Date());
    assert.ok(!('notSas' in r));
    const v = await new Verifier().verify({ rule: 'azure-sas', grant: r.grant, material: { token: TOKEN } });
    assert.equal(v.status, 'unknown');
    assert.equal(v.requests.length, 0);
    assert.match(v.reason, /never sent to a guessed host/);
  });
});
