import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { awkwardSig, classicLine, logAnalyticsCsv, logAnalyticsRow, monitorRecord, sasAuthHash, type FakeRequest } from './storage-logs.js';
import { fakeSig } from './tokens.js';

/**
 * A small incident told by five log files in every supported layout, with known answers:
 * a writable account SAS leaked for `leakyacct`, used to read, list, overwrite and delete
 * between 2023-06-19 and 2023-06-25, plus noise (another token, account-key and OAuth
 * requests, a sasquatch probe, a duplicate line, malformed lines). The e2e tests assert
 * exact summaries on it; the README example runs on it.
 */
export const SCENARIO_ACCOUNT = 'leakyacct';
const HOST = `https://${SCENARIO_ACCOUNT}.blob.core.windows.net`;

/** The leaked token's fields, in the order an SDK writes them. */
const LEAKED_FIELDS: [string, string][] = [
  ['sv', '2020-08-04'], ['ss', 'bfqt'], ['srt', 'sco'], ['sp', 'rwdlacupitfx'],
  ['se', '2051-10-06T07:09:59Z'], ['st', '2021-10-05T23:09:59Z'], ['spr', 'https,http'],
];
const OTHER_FIELDS: [string, string][] = [
  ['sv', '2020-08-04'], ['ss', 'b'], ['srt', 'co'], ['sp', 'rl'], ['se', '2024-01-01T00:00:00Z'], ['st', '2023-01-01T00:00:00Z'], ['spr', 'https'],
];

export const LEAKED_SIG = awkwardSig('scenario-leaked');
const OTHER_SIG = fakeSig('scenario-other');
/** Same fields as the leaked token, another signature: must never count as the leak. */
const LOOKALIKE_SIG = differentStart(fakeSig('scenario-lookalike'), LEAKED_SIG);

function differentStart(sig: string, from: string): string {
  for (let i = 0; sig.slice(0, 4) === from.slice(0, 4); i++) sig = fakeSig(`scenario-lookalike#${i}`);
  return sig;
}

/** `a=b&c=d`, values percent-encoded like SDKs do (`:` as `%3A` when asked). */
function query(fields: [string, string][], sig: string, encodeColon: boolean): string {
  const enc = (v: string) => {
    const e = encodeURIComponent(v).replace(/%2C/g, ',');
    return encodeColon ? e : e.replace(/%3A/g, ':');
  };
  return [...fields.map(([k, v]) => `${k}=${enc(v)}`), `sig=${encodeURIComponent(sig)}`].join('&');
}

export const LEAKED_URL = `${HOST}/models/resnet50.ckpt?${query(LEAKED_FIELDS, LEAKED_SIG, true)}`;
export const OTHER_URL = `${HOST}/models/resnet50.ckpt?${query(OTHER_FIELDS, OTHER_SIG, true)}`;

const MASK = 'XXXXX';
const leakedMasked = (pathAndQuery: string, colon = true) => `${HOST}${pathAndQuery}${pathAndQuery.includes('?') ? '&' : '?'}${query(LEAKED_FIELDS, MASK, colon)}`;
const otherMasked = (p: string) => `${HOST}${p}?${query(OTHER_FIELDS, MASK, true)}`;

const PY = 'python-requests/2.31.0';
const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64)';
const AZCOPY = 'AzCopy/10.20.1 Azure-Storage/0.15 (go1.19.12; linux)';

const base = { account: SCENARIO_ACCOUNT, auth: 'sas', service: 'blob' as const };

export interface ScenarioFiles {
  /** Relative path → content, as written by `writeLeakScenario`. */
  files: Record<string, Buffer>;
}

export function leakScenario(): ScenarioFiles {
  const A1: FakeRequest = { ...base, time: '2023-06-20T18:00:01.1234567Z', operation: 'GetBlob', status: 'SASSuccess', http: 200, url: leakedMasked('/models/resnet50.ckpt'), objectKey: '/leakyacct/models/resnet50.ckpt', requestId: 'a1000000-0000-0000-0000-000000000001', ip: '203.0.113.7:50123', responseBytes: 1_048_576, userAgent: PY };
  const A2: FakeRequest = { ...base, time: '2023-06-20T18:00:02Z', operation: 'ListBlobs', status: 'SASSuccess', http: 200, url: leakedMasked('/models?restype=container&comp=list'), objectKey: '/leakyacct/models', requestId: 'a1000000-0000-0000-0000-000000000002', ip: '203.0.113.7:50124', responseBytes: 2048, userAgent: PY };
  const A3: FakeRequest = { ...base, time: '2023-06-20T18:05:00Z', operation: 'PutBlob', status: 'SASSuccess', http: 201, url: leakedMasked('/models/resnet50.ckpt'), objectKey: '/leakyacct/models/resnet50.ckpt', requestId: 'a1000000-0000-0000-0000-000000000003', ip: '198.51.100.9:443', requestBytes: 4096, userAgent: FIREFOX };
  const A4: FakeRequest = { ...base, time: '2023-06-20T18:06:00Z', operation: 'GetBlob', status: 'SASSuccess', http: 200, url: otherMasked('/models/resnet50.ckpt'), objectKey: '/leakyacct/models/resnet50.ckpt', requestId: 'a1000000-0000-0000-0000-000000000004', ip: '192.0.2.200:1000', responseBytes: 77, userAgent: 'ci-pipeline/1.0' };
  const A5: FakeRequest = { ...base, auth: 'authenticated', time: '2023-06-20T18:07:00Z', operation: 'GetBlob', status: 'Success', http: 200, url: `${HOST}/models/resnet50.ckpt`, objectKey: '/leakyacct/models/resnet50.ckpt', requestId: 'a1000000-0000-0000-0000-000000000005', ip: '10.0.0.4:3000', responseBytes: 99, userAgent: 'owner-app/2.0' };
  const A7: FakeRequest = { ...base, time: '2023-06-20T18:10:00Z', operation: 'GetBlobProperties', status: 'SASSuccess', http: 200, url: leakedMasked('/?restype=account&comp=properties'), objectKey: '/leakyacct', requestId: 'a1000000-0000-0000-0000-000000000007', ip: '192.0.2.99:4000', userAgent: 'sasquatch/0.1.0', clientRequestId: 'sasquatch-6f1c2d3e-0000-4000-8000-000000000001' };
  const classic1 = [
    classicLine(A1),
    classicLine(A2),
    classicLine(A3),
    classicLine(A4),
    classicLine(A5),
    classicLine(A1).replace(/;[^;]*$/, ''), // 6: a field short
    classicLine(A7),
    classicLine(A1), // 8: logged twice (best effort): same request id
    '',
    classicLine(A1).replace(/^1\.0;/, '3.0;'), // 10: a version this tool does not know
  ].join('\n');

  const B1: FakeRequest = { ...base, time: '2023-06-21T09:00:00Z', operation: 'DeleteBlob', status: 'SASSuccess', http: 202, url: `${HOST}/models/old.ckpt?${query(LEAKED_FIELDS, LEAKED_SIG, true)}`, objectKey: '/leakyacct/models/old.ckpt', requestId: 'b1000000-0000-0000-0000-000000000001', ip: '198.51.100.9:444', userAgent: FIREFOX };
  const B2: FakeRequest = { ...base, time: '2023-06-25T10:00:00Z', operation: 'GetBlob', status: 'AuthenticationFailed', http: 403, url: leakedMasked('/models/resnet50.ckpt'), objectKey: '/leakyacct/models/resnet50.ckpt', requestId: 'b1000000-0000-0000-0000-000000000002', ip: '203.0.113.7:50200', responseBytes: 300, userAgent: PY };
  const B4: FakeRequest = { ...base, time: '2023-06-21T09:30:00Z', operation: 'GetBlob', status: 'SASSuccess', http: 200, url: `${HOST}/models/resnet50.ckpt?${query(LEAKED_FIELDS, LOOKALIKE_SIG, true)}`, objectKey: '/leakyacct/models/resnet50.ckpt', requestId: 'b1000000-0000-0000-0000-000000000004', ip: '192.0.2.201:1000', responseBytes: 55, userAgent: 'other/1.0' };
  const classic2 = [
    classicLine(B1, '2.0'),
    classicLine(B2, '2.0'),
    classicLine(B2, '2.0').slice(0, 120), // 3: cut inside the quoted URL
    classicLine(B4, '2.0'),
  ].join('\n') + '\n';

  const hashL = (key = 'key1') => sasAuthHash(LEAKED_SIG, key);
  const C1: FakeRequest = { ...base, auth: 'SAS', time: '2023-06-22T10:00:00.0000000Z', operation: 'GetBlob', status: 'Success', http: 200, url: leakedMasked('/models/vit.ckpt', false), objectKey: '/leakyacct/models/vit.ckpt', requestId: 'c1000000-0000-0000-0000-000000000001', ip: '192.0.2.44:1234', responseBytes: 5_000_000, userAgent: AZCOPY, authHash: hashL() };
  const C2: FakeRequest = { ...base, auth: 'SAS', time: '2023-06-22T10:00:30Z', operation: 'GetBlob', status: 'Success', http: 200, url: otherMasked('/models/vit.ckpt'), objectKey: '/leakyacct/models/vit.ckpt', requestId: 'c1000000-0000-0000-0000-000000000002', ip: '192.0.2.200:1001', responseBytes: 66, userAgent: 'ci-pipeline/1.0', authHash: sasAuthHash(OTHER_SIG, 'key2') };
  const C3: FakeRequest = { ...base, auth: 'SAS', time: '2023-06-22T10:01:00Z', operation: 'ListContainers', status: 'Success', http: 200, url: leakedMasked('/?comp=list', false), objectKey: '/leakyacct', requestId: 'c1000000-0000-0000-0000-000000000003', ip: '192.0.2.44:1235', responseBytes: 512, userAgent: AZCOPY, authHash: hashL() };
  const C5: FakeRequest = { ...base, auth: 'OAuth', time: '2023-06-22T10:03:00Z', operation: 'GetBlob', status: 'Success', http: 200, url: `${HOST}/models/vit.ckpt`, objectKey: '/leakyacct/models/vit.ckpt', requestId: 'c1000000-0000-0000-0000-000000000005', ip: '10.0.0.5:3000', responseBytes: 88, userAgent: 'owner-app/2.0', authHash: 'C7ABA6F0E2D1' };
  const monitor = [
    JSON.stringify(monitorRecord(C1)),
    JSON.stringify(monitorRecord(C2)),
    JSON.stringify(monitorRecord(C3)),
    '{"time": "2023-06-22T10:02:00Z", "operationName": "GetBlob", "statusCode": 20', // 4: cut short
    JSON.stringify(monitorRecord(C5)),
  ].join('\n') + '\n';

  const D1: FakeRequest = { ...base, auth: 'SAS', time: '2023-06-23T08:15:30.250Z', operation: 'GetBlob', status: 'Success', http: 200, url: leakedMasked('/models/resnet50.ckpt', false), objectKey: '/leakyacct/models/resnet50.ckpt', requestId: 'd1000000-0000-0000-0000-000000000001', ip: '192.0.2.44:5555', responseBytes: 1000, userAgent: 'Mozilla/5.0 "quoted", test', referrer: 'https://example.test/a\nb', authHash: hashL().replace(/\(([0-9A-F]+)\)$/, (h) => h.toLowerCase()) };
  const D2: FakeRequest = { ...base, auth: 'SAS', time: '2023-06-23T08:16:00Z', operation: 'SetBlobMetadata', status: 'Success', http: 200, url: leakedMasked('/models/resnet50.ckpt?comp=metadata', false), objectKey: '/leakyacct/models/resnet50.ckpt', requestId: 'd1000000-0000-0000-0000-000000000002', ip: '192.0.2.44:5556', userAgent: AZCOPY, authHash: sasAuthHash(LEAKED_SIG, 'key1', 'bytes') };
  const csvText = logAnalyticsCsv([D1, D2]);
  const csvLines = csvText.split('\r\n');
  // 5: a row with a column missing (after the header, D1 on lines 2–3, D2 on line 4)
  const csv = [...csvLines.slice(0, -1), '"6/23/2023, 9:00:00 AM",leakyacct,westeurope', ''].join('\r\n');

  const E1: FakeRequest = { ...base, auth: 'SAS', time: '2023-06-24T13:00:00Z', operation: 'GetBlob', status: 'AuthorizationFailure', http: 403, url: leakedMasked('/models/resnet50.ckpt', false), objectKey: '/leakyacct/models/resnet50.ckpt', requestId: 'e1000000-0000-0000-0000-000000000001', ip: '203.0.113.7:50300', responseBytes: 250, userAgent: PY, authHash: hashL() };
  const E2: FakeRequest = { ...base, auth: 'SAS', time: '2023-06-19T23:00:00Z', operation: 'GetBlob', status: 'Success', http: 200, url: leakedMasked('/models/resnet50.ckpt', false), objectKey: '/leakyacct/models/resnet50.ckpt', requestId: 'e1000000-0000-0000-0000-000000000002', ip: '203.0.113.7:50301', responseBytes: 10, userAgent: PY, authHash: hashL() };
  const E3: FakeRequest = { ...base, auth: 'Anonymous', time: '2023-06-24T14:00:00Z', operation: 'GetBlob', status: 'AnonymousSuccess', http: 200, url: `${HOST}/public/readme.txt`, objectKey: '/leakyacct/public/readme.txt', requestId: 'e1000000-0000-0000-0000-000000000003', ip: '192.0.2.250:80', responseBytes: 5, userAgent: 'curl/8.0' };
  const json = `${JSON.stringify([E1, E2, E3].map(logAnalyticsRow), null, 2)}\n`;

  return {
    files: {
      '$logs/blob/2023/06/20/1800/000000.log': Buffer.from(classic1),
      '$logs/blob/2023/06/21/0900/000000.log.gz': gzipSync(classic2),
      'insights-logs-storageread/resourceId=/SUBSCRIPTIONS/00000000-0000-0000-0000-000000000000/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.STORAGE/STORAGEACCOUNTS/LEAKYACCT/BLOBSERVICES/DEFAULT/y=2023/m=06/d=22/h=10/m=00/PT1H.json.gz': gzipSync(monitor),
      'exports/StorageBlobLogs.csv': Buffer.from(csv),
      'exports/query.json': Buffer.from(json),
    },
  };
}

/** Writes the scenario under `dir`; returns the relative paths written. */
export function writeLeakScenario(dir: string): string[] {
  const { files } = leakScenario();
  for (const [rel, content] of Object.entries(files)) {
    const full = path.join(dir, rel);
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, content);
  }
  return Object.keys(files);
}
