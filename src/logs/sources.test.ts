import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseContainerUrl } from './sources.js';

describe('container URLs', () => {
  it('splits account endpoint, container, path prefix and SAS', () => {
    assert.deepEqual(parseContainerUrl('https://acct.blob.core.windows.net/$logs/blob/2023/06/?sv=2020-08-04&sig=abc'), {
      containerUrl: 'https://acct.blob.core.windows.net/$logs?sv=2020-08-04&sig=abc',
      display: 'acct/$logs',
      pathPrefix: 'blob/2023/06/',
    });
    assert.deepEqual(parseContainerUrl('https://acct.blob.core.windows.net/insights-logs-storageread?sv=1&sig=x'), {
      containerUrl: 'https://acct.blob.core.windows.net/insights-logs-storageread?sv=1&sig=x',
      display: 'acct/insights-logs-storageread',
      pathPrefix: '',
    });
  });

  it('keeps the account in the path for the emulator', () => {
    assert.deepEqual(parseContainerUrl('http://127.0.0.1:10000/devstoreaccount1/$logs/blob?sig=x'), {
      containerUrl: 'http://127.0.0.1:10000/devstoreaccount1/$logs?sig=x',
      display: 'devstoreaccount1/$logs',
      pathPrefix: 'blob',
    });
  });

  it('needs a container (where the SAS may go is decided by the guard: see logs-azurite)', () => {
    assert.throws(() => parseContainerUrl('https://acct.blob.core.windows.net/?sig=x'), /names no container/);
  });
});
