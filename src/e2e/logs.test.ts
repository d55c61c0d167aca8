import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli, tempTree } from '../testing/cli.js';
import { LEAKED_SIG, LEAKED_URL, writeLeakScenario } from '../testing/log-scenario.js';
import { INCIDENT } from '../testing/tokens.js';

/**
 * `sasquatch logs` on the generated incident (testing/log-scenario.ts): five files in every
 * layout — Storage Analytics 1.0 (plain) and 2.0 (gzip), Azure Monitor JSON lines (gzip),
 * a Log Analytics CSV and a JSON export — with the answers worked out by hand from the
 * scenario, row by row (A1…E3 in the scenario source).
 */
const WINDOW = '2023-06-20..2023-06-24';
const REVOKED = '2023-06-24T12:00:00Z';
const CLASSIC1 = '$logs/blob/2023/06/20/1800/000000.log';
const CLASSIC2 = '$logs/blob/2023/06/21/0900/000000.log.gz';
const MONITOR =
  'insights-logs-storageread/resourceId=/SUBSCRIPTIONS/00000000-0000-0000-0000-000000000000/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.STORAGE/STORAGEACCOUNTS/LEAKYACCT/BLOBSERVICES/DEFAULT/y=2023/m=06/d=22/h=10/m=00/PT1H.json.gz';
const CSV = 'exports/StorageBlobLogs.csv';
const JSON_EXPORT = 'exports/query.json';

let dir: string;
let cleanup: () => void;
let logs: string;

before(() => {
  ({ dir, cleanup } = tempTree({}));
  logs = path.join(dir, 'logs');
  writeLeakScenario(logs);
});
after(() => cleanup());

/** Runs in the logs directory so sources are named relative to it. */
function run(args: string[], input?: string) {
  return runCli(['logs', ...args], { cwd: logs, input });
}

function noSecret(text: string): void {
  assert.ok(!text.includes(LEAKED_SIG), 'the signature leaked into the output');
  assert.ok(!text.includes(encodeURIComponent(LEAKED_SIG)), 'the encoded signature leaked into the output');
}

describe('sasquatch logs on every log layout', () => {
  it('produces the exact summary of the leaked link’s use (JSON), and streams the matched rows to CSV', () => {
    const csvPath = path.join(dir, 'matched.csv');
    const r = run(['--link', LEAKED_URL, '.', '--window', WINDOW, '--revoked-at', REVOKED, '--format', 'json', '--csv', csvPath]);
    assert.equal(r.code, 1, r.stderr);
    noSecret(r.stdout);
    const j = JSON.parse(r.stdout);

    assert.match(LEAKED_URL, /&sig=[^&]*%2B[^&]*%2F[^&]*%3D$/, 'the leaked signature needs %2B, %2F and %3D');
    assert.equal(j.report, 'logs');
    assert.equal(j.link.mode, 'link');
    assert.equal(j.link.account, 'leakyacct');
    assert.equal(j.link.hashMatching, true);

    assert.deepEqual(
      j.inputs.sources.map((s: { name: string; layout: string; gzip: boolean; lines: number; records: number; malformed: number }) => [s.name, s.layout, s.gzip, s.lines, s.records, s.malformed]),
      [
        [CLASSIC1, 'classic', false, 10, 7, 2],
        [CLASSIC2, 'classic', true, 4, 3, 1],
        [CSV, 'csv', false, 5, 2, 1],
        [JSON_EXPORT, 'json-array', false, 92, 3, 0],
        [MONITOR, 'json-lines', true, 5, 4, 1],
      ],
    );
    assert.equal(j.inputs.records, 19);
    assert.equal(j.inputs.malformed, 5);
    assert.deepEqual(
      j.inputs.malformedSamples.map((m: { source: string; line: number; error: string }) => [m.source, m.line, m.error]),
      [
        [CLASSIC1, 6, 'version 1.0 has 30 fields, this line has 29'],
        [CLASSIC1, 10, 'unsupported log version 3.0 (known: 1.0, 2.0)'],
        [CLASSIC2, 3, 'field 12: quoted field is not closed'],
        [CSV, 5, '3 fields where the header has 28'],
        [MONITOR, 4, "not valid JSON (Expected ',' or '}' after property value in JSON at position 77)"],
      ],
    );

    assert.deepEqual(j.logs, {
      records: 19,
      byFormat: { 'classic-1.0': 7, 'classic-2.0': 3, 'log-analytics': 5, 'monitor-json': 4 },
      sasRequests: 16,
      first: '2023-06-19T23:00:00.000Z',
      last: '2023-06-25T10:00:00.000Z',
      daysWithRecords: 7,
      windowCoverage: { days: 5, daysWithRecords: 5 },
    });

    const u = j.use;
    assert.equal(u.requests, 11);
    assert.equal(u.successes, 9);
    assert.equal(u.failures, 2);
    assert.equal(u.duplicatesDropped, 1);
    // E2 is the export's second element: after `[` and E1's 30 lines (`{`, 28 columns, `}`)
    assert.deepEqual(u.first, { time: '2023-06-19T23:00:00.000Z', operation: 'GetBlob', status: '200 Success', callerIp: '203.0.113.7', userAgent: 'python-requests/2.31.0', object: '/leakyacct/models/resnet50.ckpt', source: JSON_EXPORT, line: 32 });
    assert.deepEqual(u.last, { time: '2023-06-25T10:00:00.000Z', operation: 'GetBlob', status: '403 AuthenticationFailed', callerIp: '203.0.113.7', userAgent: 'python-requests/2.31.0', object: '/leakyacct/models/resnet50.ckpt', source: CLASSIC2, line: 2 });
    // A1 1,048,576 + A2 2,048 + C1 5,000,000 + C3 512 + D1 1,000 + E2 10
    assert.equal(u.bytesOut, 6_052_146);
    assert.equal(u.bytesIn, 4096);
    assert.deepEqual(u.byClass, {
      read: { requests: 6, succeeded: 4, failed: 2 },
      list: { requests: 2, succeeded: 2, failed: 0 },
      write: { requests: 2, succeeded: 2, failed: 0 },
      delete: { requests: 1, succeeded: 1, failed: 0 },
      other: { requests: 0, succeeded: 0, failed: 0 },
    });
    assert.deepEqual(u.byMethod, { 'token-fields': 4, signature: 1, 'sas-hash': 5, 'sas-hash-raw-bytes': 1 });
    assert.deepEqual(u.byService, { blob: 11 });

    assert.equal(j.callers.distinct, 3);
    assert.deepEqual(
      j.callers.top.map((c: Record<string, unknown>) => [c['ip'], c['requests'], c['failures'], c['bytesOut'], c['bytesIn'], c['writes'], c['deletes'], c['first'], c['last']]),
      [
        ['203.0.113.7', 5, 2, 1_050_634, 0, 0, 0, '2023-06-19T23:00:00.000Z', '2023-06-25T10:00:00.000Z'],
        ['192.0.2.44', 4, 0, 5_001_512, 0, 1, 0, '2023-06-22T10:00:00.000Z', '2023-06-23T08:16:00.000Z'],
        ['198.51.100.9', 2, 0, 0, 4096, 1, 1, '2023-06-20T18:05:00.000Z', '2023-06-21T09:00:00.000Z'],
      ],
    );
    assert.deepEqual(
      j.userAgents.top.map((a: { userAgent: string; requests: number }) => [a.userAgent, a.requests]),
      [
        ['python-requests/2.31.0', 5],
        ['AzCopy/10.20.1 Azure-Storage/0.15 (go1.19.12; linux)', 3],
        ['Mozilla/5.0 (X11; Linux x86_64)', 2],
        ['Mozilla/5.0 "quoted", test', 1],
      ],
    );

    const o = j.objects;
    assert.deepEqual([o.read.distinct, o.read.requests, o.read.bytes], [2, 4, 6_049_586]);
    assert.deepEqual(o.read.top.map((x: { object: string; requests: number; bytes: number }) => [x.object, x.requests, x.bytes]), [
      ['/leakyacct/models/vit.ckpt', 1, 5_000_000],
      ['/leakyacct/models/resnet50.ckpt', 3, 1_049_586],
    ]);
    assert.deepEqual([o.listed.distinct, o.listed.requests, o.listed.bytes], [2, 2, 2560]);
    assert.deepEqual(o.changed, {
      distinct: 1,
      distinctIsLowerBound: false,
      requests: 2,
      bytes: 4096,
      top: [{ object: '/leakyacct/models/resnet50.ckpt', requests: 2, first: '2023-06-20T18:05:00.000Z', last: '2023-06-23T08:16:00.000Z', bytes: 4096, operations: ['PutBlob', 'SetBlobMetadata'], callers: ['198.51.100.9', '192.0.2.44'] }],
    });
    assert.deepEqual(o.deleted.top, [{ object: '/leakyacct/models/old.ckpt', requests: 1, first: '2023-06-21T09:00:00.000Z', last: '2023-06-21T09:00:00.000Z', bytes: 0, operations: ['DeleteBlob'], callers: ['198.51.100.9'] }]);

    assert.equal(j.failures.total, 2);
    assert.deepEqual(j.failures.byKind['signature-rejected'], { requests: 1, first: '2023-06-25T10:00:00.000Z', last: '2023-06-25T10:00:00.000Z' });
    assert.deepEqual(j.failures.byKind.denied, { requests: 1, first: '2023-06-24T13:00:00.000Z', last: '2023-06-24T13:00:00.000Z' });
    assert.equal(j.failures.byKind.expired.requests, 0);
    assert.equal(j.failures.firstRejectionWithinValidity, '2023-06-24T13:00:00.000Z');
    assert.deepEqual(j.revocation, { at: '2023-06-24T12:00:00.000Z', successesAfter: 0, failuresAfter: 2, firstSuccessAfter: null });
    assert.deepEqual(j.window, {
      from: '2023-06-20T00:00:00.000Z',
      until: '2023-06-24T23:59:59.999Z',
      source: '--window',
      before: { requests: 1, successes: 1, bytesOut: 10, changes: 0 },
      inside: { requests: 9, successes: 8, bytesOut: 6_052_136, changes: 3 },
      after: { requests: 1, successes: 0, bytesOut: 0, changes: 0 },
    });
    assert.deepEqual(j.days, [
      { day: '2023-06-19', requests: 1 },
      { day: '2023-06-20', requests: 3 },
      { day: '2023-06-21', requests: 1 },
      { day: '2023-06-22', requests: 2 },
      { day: '2023-06-23', requests: 2 },
      { day: '2023-06-24', requests: 1 },
      { day: '2023-06-25', requests: 1 },
    ]);
    assert.deepEqual(j.signingKeys, { key1: 6 });
    assert.deepEqual(j.probes, { requests: 1, first: '2023-06-20T18:10:00.000Z', last: '2023-06-20T18:10:00.000Z', callers: ['192.0.2.99'] });
    assert.equal(j.tokens, null);
    assert.match(j.kql, new RegExp(`AuthenticationHash has "${j.link.signatureSha256}"`));

    const csv = readFileSync(csvPath, 'utf8');
    noSecret(csv);
    const rows = csv.trimEnd().split('\r\n');
    assert.equal(rows[0], 'time,source,line,format,match,sasquatch_probe,window,service,account,operation,class,http_status,status,failure,caller_ip,user_agent,client_request_id,referrer,object,request_bytes,response_bytes,signing_key,request_id,url');
    assert.equal(j.csv.rows, 12);
    assert.equal(rows.filter((l) => /^\d{4}-/.test(l)).length, 12, 'one CSV line per matched row (the referrer with a newline is quoted)');
    assert.ok(rows.some((l) => l.includes(',sasquatch-6f1c2d3e-0000-4000-8000-000000000001,') && l.includes(',yes,')));
    assert.ok(csv.includes('"Mozilla/5.0 ""quoted"", test"'));
    assert.ok(rows.some((l) => l.startsWith('2023-06-21T09:00:00.000Z') && l.includes(',signature,') && /sig=[^,&"]{4}…/.test(l)), 'a logged signature is redacted in the CSV');
  });

  it('says it in words: used, tampering, failures, window, malformed lines', () => {
    const r = run(['--link', LEAKED_URL, '.', '--window', WINDOW, '--revoked-at', REVOKED]);
    assert.equal(r.code, 1, r.stderr);
    noSecret(r.stdout);
    const t = r.stdout;
    assert.match(t, /USED: 11 requests \(9 succeeded\) from 3 addresses, 2023-06-19T23:00:00Z → 2023-06-25T10:00:00Z/);
    assert.match(t, /POSSIBLE TAMPERING: 2 writes and 1 delete succeeded/);
    assert.match(t, /Objects changed — possible tampering[^\n]*\n {2}\/leakyacct\/models\/resnet50\.ckpt {2}PutBlob, SetBlobMetadata ×2, last 2023-06-23T08:16:00Z from 198\.51\.100\.9, 192\.0\.2\.44/);
    assert.match(t, /after revocation \(2023-06-24T12:00:00Z\): 2 failed, 0 succeeded/);
    assert.match(t, /before 1 \(1 ok, 10 B, 0 changes\) · inside 9 \(8 ok, 5\.77 MiB, 3 changes\) · after 1 \(0 ok, 0 B, 0 changes\)/);
    assert.match(t, /signed with {3}key1 \(6 requests\): rotate key1/);
    assert.match(t, /own checks {4}1 sasquatch verification request /);
    assert.match(t, new RegExp(`\\$logs/blob/2023/06/20/1800/000000\\.log:6 {2}version 1\\.0 has 30 fields, this line has 29`));
    assert.match(t, /exports\/StorageBlobLogs\.csv:5 {2}3 fields where the header has 28/);
    assert.match(t, /AuthenticationHash has "[0-9a-f]{64}"/);
  });

  it('reports every SAS request by token when no link is given', () => {
    const r = run(['.', '--format', 'json']);
    assert.equal(r.code, 1, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.equal(j.link, null);
    assert.equal(j.use.requests, 14);
    assert.deepEqual(j.use.byMethod, { 'any-sas': 14 });
    assert.equal(j.tokens.distinct, 5);
    const top = j.tokens.top.map((t: { id: string; requests: number; successes: number; changes: number; fields: string }) => [
      t.id.replace(/^(sha256:|fields:).*/, '$1'),
      t.requests,
      t.successes,
      t.changes,
      t.fields.includes('sp=rwdlacupitfx'),
    ]);
    assert.deepEqual(top.slice(0, 3), [
      ['sha256:', 6, 5, 1, true], // the leaked token by hash: B1 (the delete), C1, C3, D1, E1, E2
      ['fields:', 4, 3, 1, true], // A1, A2, A3 (the put), B2: masked, and three hashes share these fields (lookalike B4, raw-bytes D2)
      ['sha256:', 2, 2, 0, false], // the other token: C2 by hash, A4 folded in by its fields
    ]);
    // B4 (the lookalike's read) and D2 (SetBlobMetadata, known only by the raw-bytes hash), in id order
    assert.deepEqual(top.slice(3).map((x: unknown[]) => x.slice(1)).sort(), [[1, 1, 0, true], [1, 1, 1, true]]);
    assert.equal(j.tokens.top[0].id, `sha256:${JSON.parse(run(['--link', LEAKED_URL, '.', '-f', 'json']).stdout).link.signatureSha256}`);
  });

  it('traces a finding of a redacted scan report by fingerprint, without hash matching', () => {
    writeFileSync(path.join(dir, 'README.md'), `Model weights: ${LEAKED_URL}\n`);
    const scan = runCli(['scan', path.join(dir, 'README.md'), '--format', 'json', '-o', path.join(dir, 'scan.json')]);
    assert.equal(scan.code, 1, scan.stderr);
    const report = JSON.parse(readFileSync(path.join(dir, 'scan.json'), 'utf8'));
    const fp: string = report.findings[0].fingerprint;
    const r = run(['--link', fp, '--report', path.join(dir, 'scan.json'), '.', '--window', WINDOW, '-f', 'json']);
    assert.equal(r.code, 1, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.equal(j.link.mode, 'fingerprint');
    assert.equal(j.link.hashMatching, false);
    assert.equal(j.link.finding.fingerprint, fp);
    assert.match(j.link.notes[0], /cannot be matched/);
    // every row whose URL carries the leaked fields, except B4 (a real signature with another start)
    assert.equal(j.use.requests, 11);
    assert.deepEqual(j.use.byMethod, { 'token-fields': 11 });
    const text = run(['--link', fp, '--report', path.join(dir, 'scan.json'), '.']).stdout;
    assert.match(text, /signature unknown \(redacted\): matching by token fields only/);
    assert.match(text, /note: the link's signature is redacted/);
  });

  it('reads the link from stdin with --link -', () => {
    const r = run(['--link', '-', '.', '-f', 'json'], `${LEAKED_URL}\n`);
    assert.equal(r.code, 1, r.stderr);
    assert.equal(JSON.parse(r.stdout).use.requests, 11);
  });

  it('finds no use of another link, and says how far that conclusion goes', () => {
    const r = run(['--link', INCIDENT.urlA(), '.', '--window', '2020-07-20..2021-10-05']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /NO USE FOUND in these logs/);
    assert.match(r.stdout, /the logs cover only 0 of the 443 days of the exposure window/);
    assert.match(r.stdout, /both the documented hash \(of the signature text\) and the hash of its raw bytes were tried/);
  });

  it('fails clearly on bad input and keeps going past unreadable or foreign files', () => {
    const missing = run(['--link', LEAKED_URL, 'no-such-dir']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /no log files were read/);
    assert.match(run(['--link', 'https://example.com/file?x=1', '.']).stderr, /--link is not an Azure Storage SAS: no sig parameter/);
    assert.match(run(['--link', '3f9a0c1d2e3f4a5b', '.']).stderr, /looks like a finding fingerprint: add --report/);
    assert.match(run(['--report', 'x.json', '.']).stderr, /--report needs --link/);
    assert.match(run(['.', '--window', 'yesterday']).stderr, /FROM\.\.UNTIL/);

    const { dir: mixed, cleanup: done } = tempTree({ 'notes.txt': 'meeting notes\n', 'empty.log': '' });
    try {
      writeLeakScenario(mixed);
      const r = runCli(['logs', '--link', LEAKED_URL, mixed, '-f', 'json']);
      assert.equal(r.code, 1, r.stderr);
      const j = JSON.parse(r.stdout);
      assert.equal(j.use.requests, 11);
      assert.deepEqual(
        j.inputs.notices.map((n: { path: string; message: string }) => [n.path, n.message]),
        [['notes.txt', 'not a storage log (neither Storage Analytics, Azure Monitor JSON nor a Log Analytics CSV export): skipped']],
      );
    } finally {
      done();
    }
  });

  it('is an error, not "no use found", when not one line of the input is a storage log', () => {
    const { dir, cleanup } = tempTree({ 'README.md': '# project\n', 'data.csv': 'a,b\n1,2\n', 'app.log': 'INFO started\nWARN slow request\n' });
    try {
      const r = runCli(['logs', '--link', LEAKED_URL, dir]);
      assert.equal(r.code, 2, r.stdout);
      assert.equal(r.stdout, '', 'no report that could read as a clean result');
      assert.match(r.stderr, /no storage log record in any of the 3 files read: nothing was investigated/);
      assert.match(r.stderr, /README\.md: not a storage log \(neither Storage Analytics/);
      assert.match(r.stderr, /data\.csv: not a storage log/);
      assert.match(r.stderr, /app\.log: not a storage log: none of its 2 non-blank lines parsed as Storage Analytics \(\$logs\) records/);
      assert.match(r.stderr, /expected Storage Analytics \(\$logs\) 1\.0\/2\.0 lines, Azure Monitor resource logs/);
      const one = runCli(['logs', path.join(dir, 'README.md'), '-f', 'json']);
      assert.equal(one.code, 2);
      assert.match(one.stderr, /no storage log record in the file read/);
    } finally {
      cleanup();
    }
  });

  it('keeps a file that is not a log among real logs as a warning, and a few bad lines as counted warnings', () => {
    const { dir, cleanup } = tempTree({ 'extra/app.log': 'INFO started\nWARN slow request\n' });
    try {
      writeLeakScenario(dir);
      const r = runCli(['logs', '--link', LEAKED_URL, dir, '-f', 'json']);
      assert.equal(r.code, 1, r.stderr);
      const j = JSON.parse(r.stdout);
      assert.ok(j.inputs.malformed > 2, 'malformed lines of the real logs are counted');
      assert.ok(
        j.inputs.notices.some((n: { path: string; message: string }) => /app\.log$/.test(n.path) && /not a storage log: none of its 2 non-blank lines/.test(n.message)),
        JSON.stringify(j.inputs.notices),
      );
    } finally {
      cleanup();
    }
  });
});
