import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { recordFromObject } from './monitor.js';
import { isMalformed, parseLogTime, stripPort, type LogRecord } from './record.js';

/** Shaped like Microsoft's documented StorageWrite resource-log record, with a SAS identity. */
const RESOURCE_LOG = {
  time: '2019-02-28T19:10:21.2123117Z',
  resourceId: '/subscriptions/1/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/mystorageaccount/blobServices/default',
  category: 'StorageWrite',
  operationName: 'PutBlob',
  operationVersion: '2017-04-17',
  schemaVersion: '1.0',
  statusCode: 201,
  statusText: 'Success',
  durationMs: 5,
  callerIpAddress: '192.168.0.1:11111',
  correlationId: 'ad881411-201e-004e-1c99-cfd67d000000',
  identity: { type: 'SAS', tokenHash: 'key1(0123),SasSignature(ABCD)' },
  location: 'uswestcentral',
  properties: {
    accountName: 'mystorageaccount',
    userAgentHeader: 'WA-Storage/6.2.0 (.NET CLR 4.0.30319.42000; Win32NT 6.2.9200.0)',
    referrerHeader: 'blob.core.windows.net',
    clientRequestId: '',
    etag: '',
    serverLatencyMs: 63,
    serviceType: 'blob',
    operationCount: 0,
    requestHeaderSize: 2658,
    requestBodySize: 1024,
    responseHeaderSize: 295,
    responseBodySize: 0,
    objectKey: '/mystorageaccount/cont1/blobname',
  },
  uri: 'http://mystorageaccount.blob.core.windows.net/cont1/blobname?timeout=10',
  protocol: 'HTTPS',
  resourceType: 'Microsoft.Storage/storageAccounts/blobServices',
};

function record(v: unknown): LogRecord {
  const r = recordFromObject(v);
  assert.ok(!isMalformed(r), isMalformed(r) ? r.error : '');
  return r as LogRecord;
}

describe('Azure Monitor resource logs', () => {
  it('reads the archived resource-log record', () => {
    const r = record(RESOURCE_LOG);
    assert.equal(r.format, 'monitor-json');
    assert.equal(r.time, Date.UTC(2019, 1, 28, 19, 10, 21, 212));
    assert.equal(r.operation, 'PutBlob');
    assert.equal(r.httpStatus, 201);
    assert.equal(r.authType, 'sas');
    assert.equal(r.authHash, 'key1(0123),SasSignature(ABCD)');
    assert.equal(r.callerIp, '192.168.0.1');
    assert.equal(r.account, 'mystorageaccount');
    assert.equal(r.service, 'blob');
    assert.equal(r.objectKey, '/mystorageaccount/cont1/blobname');
    assert.equal(r.requestBytes, 1024);
    assert.equal(r.url, RESOURCE_LOG.uri);
    assert.equal(r.requestId, RESOURCE_LOG.correlationId);
  });

  it('takes account and service from the resource id when properties lack them', () => {
    const { accountName: _a, serviceType: _s, ...props } = RESOURCE_LOG.properties;
    const r = record({ ...RESOURCE_LOG, resourceId: RESOURCE_LOG.resourceId.replace('blobServices', 'queueServices'), properties: props });
    assert.equal(r.account, 'mystorageaccount');
    assert.equal(r.service, 'queue');
  });

  it('reads Log Analytics rows with string values, service from the table name', () => {
    const r = record({
      TimeGenerated: '2023-06-22T10:00:00.5Z',
      AccountName: 'LeakyAcct',
      OperationName: 'GetMessages',
      StatusCode: '200',
      StatusText: 'Success',
      AuthenticationType: 'SAS',
      AuthenticationHash: 'key2(AA),SasSignature(BB)',
      Uri: 'https://leakyacct.queue.core.windows.net/q1/messages?sv=2020-08-04&sig=XXXXX',
      CallerIpAddress: '203.0.113.9:443',
      CorrelationId: 'c-1',
      OperationCount: '0',
      RequestBodySize: '',
      ResponseBodySize: '1234',
      UserAgentHeader: 'azsdk-js-storagequeue/12.30.0',
      ClientRequestId: 'sasquatch-x',
      ObjectKey: '/leakyacct/q1',
      Type: 'StorageQueueLogs',
    });
    assert.equal(r.format, 'log-analytics');
    assert.equal(r.time, Date.UTC(2023, 5, 22, 10, 0, 0, 500));
    assert.equal(r.account, 'leakyacct');
    assert.equal(r.service, 'queue');
    assert.equal(r.httpStatus, 200);
    assert.equal(r.requestBytes, 0);
    assert.equal(r.responseBytes, 1234);
    assert.equal(r.clientRequestId, 'sasquatch-x');
  });

  it('says what is wrong with a record it cannot use', () => {
    assert.deepEqual(recordFromObject([1, 2]), { error: 'not a JSON object' });
    assert.deepEqual(recordFromObject({ foo: 1 }), { error: 'neither time nor TimeGenerated: not a storage log record' });
    assert.deepEqual(recordFromObject({ ...RESOURCE_LOG, time: 'soon' }), { error: 'time "soon" is not a time' });
    assert.deepEqual(recordFromObject({ ...RESOURCE_LOG, operationName: '' }), { error: 'no operation name' });
    assert.deepEqual(recordFromObject({ ...RESOURCE_LOG, statusCode: 'OK' }), { error: 'status code "OK" is not a number' });
    assert.deepEqual(recordFromObject({ ...RESOURCE_LOG, properties: { ...RESOURCE_LOG.properties, responseBodySize: 'big' } }), {
      error: 'operation count or body size is not a number',
    });
  });
});

describe('log times and addresses', () => {
  it('parses ISO with any fraction, zone-less as UTC, and the portal CSV form', () => {
    assert.equal(parseLogTime('2023-06-22T18:00:01.1234567Z'), Date.UTC(2023, 5, 22, 18, 0, 1, 123));
    assert.equal(parseLogTime('2023-06-22 18:00:01'), Date.UTC(2023, 5, 22, 18, 0, 1));
    assert.equal(parseLogTime('2023-06-22T20:00:01+02:00'), Date.UTC(2023, 5, 22, 18, 0, 1));
    assert.equal(parseLogTime('6/22/2023, 6:00:01.123 PM'), Date.UTC(2023, 5, 22, 18, 0, 1, 123));
    assert.equal(parseLogTime('6/22/2023, 12:00:00 AM'), Date.UTC(2023, 5, 22, 0, 0, 0));
    assert.equal(parseLogTime('6/22/2023, 12:30:00 PM'), Date.UTC(2023, 5, 22, 12, 30, 0));
    assert.ok(Number.isNaN(parseLogTime('2/31/2023, 1:00:00 AM')));
    assert.ok(Number.isNaN(parseLogTime('6/22/2023, 13:00:00 PM')));
    assert.ok(Number.isNaN(parseLogTime('Thursday')));
  });

  it('drops ports from IPv4 and bracketed IPv6, keeps bare IPv6', () => {
    assert.equal(stripPort('192.0.2.4:5123'), '192.0.2.4');
    assert.equal(stripPort('[2001:db8::1]:443'), '2001:db8::1');
    assert.equal(stripPort('2001:db8::1'), '2001:db8::1');
    assert.equal(stripPort('192.0.2.4'), '192.0.2.4');
  });
});
