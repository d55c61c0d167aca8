import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { failureKind, isSuccess, operationClass } from './classify.js';
import type { LogRecord } from './record.js';
import { RecentSet, Tally } from './tally.js';

function rec(over: Partial<LogRecord>): LogRecord {
  return {
    format: 'classic-1.0', time: Date.UTC(2023, 5, 22), operation: 'GetBlob', statusText: 'SASSuccess', httpStatus: 200, authType: 'sas',
    authHash: '', url: '', objectKey: '', requestId: '', operationCount: 0, callerIp: '', userAgent: '', clientRequestId: '', referrer: '',
    service: 'blob', account: '', requestBytes: 0, responseBytes: 0, sasExpiryStatus: '', ...over,
  };
}

describe('operation classes', () => {
  it('sorts storage operations into read, list, write, delete', () => {
    const cases: [string, string][] = [
      ['GetBlob', 'read'], ['GetBlobProperties', 'read'], ['QueryEntities', 'read'], ['PeekMessages', 'read'], ['CopyBlobSource', 'read'],
      ['ListBlobs', 'list'], ['ListContainers', 'list'], ['QueryTables', 'list'], ['FindBlobsByTags', 'list'],
      ['PutBlob', 'write'], ['PutBlock', 'write'], ['PutBlockList', 'write'], ['SetBlobMetadata', 'write'], ['CopyBlob', 'write'],
      ['CopyBlobDestination', 'write'], ['AppendBlock', 'write'], ['CreateContainer', 'write'], ['SetContainerACL', 'write'],
      ['InsertEntity', 'write'], ['UpdateMessage', 'write'], ['AcquireBlobLease', 'write'], ['RenamePathFile', 'write'],
      ['DeleteBlob', 'delete'], ['DeleteContainer', 'delete'], ['DeleteMessage', 'delete'], ['ClearMessages', 'delete'],
      ['SubmitBatch', 'other'], ['Unknown', 'other'],
    ];
    for (const [op, cls] of cases) assert.equal(operationClass(op), cls, op);
  });

  it('judges success by status code, else by status text', () => {
    assert.ok(isSuccess(rec({ httpStatus: 206 })));
    assert.ok(isSuccess(rec({ httpStatus: 304 })));
    assert.ok(!isSuccess(rec({ httpStatus: 403, statusText: 'SASSuccess' })));
    assert.ok(isSuccess(rec({ httpStatus: null, statusText: 'AnonymousSuccess' })));
    assert.ok(!isSuccess(rec({ httpStatus: null, statusText: 'SASAuthorizationError' })));
  });

  it('says why a request failed, validity first', () => {
    const start = Date.UTC(2021, 9, 5);
    const expiry = Date.UTC(2023, 0, 1);
    const k = (over: Partial<LogRecord>) => failureKind(rec(over), start, expiry);
    assert.equal(k({ time: Date.UTC(2023, 5, 1), httpStatus: 403, statusText: 'AuthenticationFailed' }), 'expired');
    assert.equal(k({ time: Date.UTC(2020, 0, 1), httpStatus: 403, statusText: 'AuthenticationFailed' }), 'not-yet-valid');
    const inside = Date.UTC(2022, 0, 1);
    assert.equal(k({ time: inside, httpStatus: 403, statusText: 'AuthenticationFailed' }), 'signature-rejected');
    assert.equal(k({ time: inside, httpStatus: 403, statusText: 'SASAuthorizationError' }), 'denied');
    assert.equal(k({ time: inside, httpStatus: 403, statusText: 'AuthorizationFailure' }), 'denied');
    assert.equal(k({ time: inside, httpStatus: 403, statusText: 'KeyBasedAuthenticationNotPermitted' }), 'denied');
    assert.equal(k({ time: inside, httpStatus: 403, statusText: 'AuthorizationPermissionMismatch' }), 'out-of-scope');
    assert.equal(k({ time: inside, httpStatus: 404, statusText: 'BlobNotFound' }), 'not-found');
    assert.equal(k({ time: inside, httpStatus: 503, statusText: 'ServerBusy' }), 'throttled-or-server');
    assert.equal(k({ time: inside, httpStatus: 409, statusText: 'BlobAlreadyExists' }), 'other');
  });
});

describe('bounded tallies', () => {
  it('stops adding keys at the ceiling and counts the rest', () => {
    const t = new Tally(2, () => ({ n: 0 }));
    for (const k of ['a', 'b', 'a', 'c', 'd', 'a']) {
      const v = t.get(k);
      if (v) v.n++;
    }
    assert.equal(t.size, 2);
    assert.equal(t.untracked, 2);
    assert.ok(t.truncated);
    assert.deepEqual(t.top(5, (x, y) => y.n - x.n), [['a', { n: 3 }], ['b', { n: 1 }]]);
  });

  it('remembers recent keys across one generation change', () => {
    const r = new RecentSet(2);
    assert.equal(r.seen('a'), false);
    assert.equal(r.seen('b'), false);
    assert.equal(r.seen('c'), false); // a, b move to the previous generation
    assert.equal(r.seen('a'), true);
    assert.equal(r.seen('d'), false);
    assert.equal(r.seen('e'), false); // c, d previous; a, b forgotten
    assert.equal(r.seen('b'), false);
  });
});
