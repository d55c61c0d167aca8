import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CLASSIC_FIELDS_V1, CLASSIC_FIELDS_V2, parseClassicLine, splitClassicLine } from './classic.js';
import { isMalformed, type LogRecord } from './record.js';

/** Microsoft's documented 1.0 example (Storage Analytics log format), anonymous GetBlob. */
const DOC_V1 =
  '1.0;2014-06-19T22:59:23.1967767Z;GetBlob;AnonymousSuccess;200;14;13;anonymous;;storagesample;blob;"https://storagesample.blob.core.windows.net/sample-container/sample-blob.txt";"/storagesample/sample-container/sample-blob.txt";a84aa705-8a85-48c5-b064-b43bd22979c1;0;192.100.0.102:4362;2014-02-14;252;0;265;100;0;;;"0x8D15A2F5D6A1A6F";Monday, 19-Jun-14 22:59:23 GMT;;;;"7/11/2014 12:59:13 AM ab970a57-4a49-45c4-baa9-20b687941e32"';

/** A 2.0 SAS line written by hand: &amp; in the URL, &quot; in the etag, `;` inside the quoted user agent. */
const SAS_V2 =
  '2.0;2023-06-22T18:00:01.1234567Z;PutBlob;SASSuccess;201;7;7;sas;;leakyacct;blob;"https://leakyacct.blob.core.windows.net/models/a.ckpt?sv=2020-08-04&amp;ss=b&amp;srt=sco&amp;sp=rwl&amp;se=2051-10-06T07%3A09%3A59Z&amp;sig=XXXXX";"/leakyacct/models/a.ckpt";0b7d3c4e-001e-0042-4f3a-a1b2c3000000;0;[2001:db8::7]:53371;2020-08-04;654;4096;237;0;4096;"sdE5aNkIJGgVqHzr/NXxkA==";"sdE5aNkIJGgVqHzr/NXxkA==";"&quot;0x8D9CEF88004E296&quot;";Thursday, 22-Jun-23 18:00:01 GMT;;"Mozilla/5.0 (Windows NT 10.0; Win64; x64) &lt;b&gt;";"https://evil.example/?a=1&amp;b=2";"sasquatch-1234";;;;;;;;';

function record(line: string): LogRecord {
  const r = parseClassicLine(line);
  assert.ok(!isMalformed(r), isMalformed(r) ? r.error : '');
  return r as LogRecord;
}

describe('classic Storage Analytics lines', () => {
  it('knows both documented field lists', () => {
    assert.equal(CLASSIC_FIELDS_V1.length, 30);
    assert.equal(CLASSIC_FIELDS_V2.length, 38);
    assert.equal(CLASSIC_FIELDS_V1[11], 'request-url');
    assert.equal(CLASSIC_FIELDS_V2[37], 'authorization-detail');
  });

  it("reads Microsoft's 1.0 example field by field", () => {
    const r = record(DOC_V1);
    assert.equal(r.format, 'classic-1.0');
    assert.equal(r.time, Date.UTC(2014, 5, 19, 22, 59, 23, 196)); // 100 ns ticks truncated to the millisecond
    assert.equal(r.operation, 'GetBlob');
    assert.equal(r.statusText, 'AnonymousSuccess');
    assert.equal(r.httpStatus, 200);
    assert.equal(r.authType, 'anonymous');
    assert.equal(r.account, 'storagesample');
    assert.equal(r.service, 'blob');
    assert.equal(r.url, 'https://storagesample.blob.core.windows.net/sample-container/sample-blob.txt');
    assert.equal(r.objectKey, '/storagesample/sample-container/sample-blob.txt');
    assert.equal(r.requestId, 'a84aa705-8a85-48c5-b064-b43bd22979c1');
    assert.equal(r.operationCount, 0);
    assert.equal(r.callerIp, '192.100.0.102');
    assert.equal(r.requestBytes, 0);
    assert.equal(r.responseBytes, 100);
    assert.equal(r.userAgent, '');
    assert.equal(r.clientRequestId, '7/11/2014 12:59:13 AM ab970a57-4a49-45c4-baa9-20b687941e32');
  });

  it('undoes quoting and HTML encoding in a 2.0 line, with ; inside quotes', () => {
    const fields = splitClassicLine(SAS_V2);
    assert.ok(Array.isArray(fields));
    assert.equal(fields.length, 38);
    assert.equal(fields[24], '"0x8D9CEF88004E296"');
    const r = record(SAS_V2);
    assert.equal(r.format, 'classic-2.0');
    assert.equal(r.url, 'https://leakyacct.blob.core.windows.net/models/a.ckpt?sv=2020-08-04&ss=b&srt=sco&sp=rwl&se=2051-10-06T07%3A09%3A59Z&sig=XXXXX');
    assert.equal(r.userAgent, 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) <b>');
    assert.equal(r.referrer, 'https://evil.example/?a=1&b=2');
    assert.equal(r.clientRequestId, 'sasquatch-1234');
    assert.equal(r.callerIp, '2001:db8::7');
    assert.equal(r.requestBytes, 4096);
    assert.equal(r.authType, 'sas');
    assert.equal(r.httpStatus, 201);
  });

  it('checks the field count against the version of each line', () => {
    const v1With38 = SAS_V2.replace(/^2\.0;/, '1.0;');
    assert.deepEqual(parseClassicLine(v1With38), { error: 'version 1.0 has 30 fields, this line has 38' });
    const v2With30 = DOC_V1.replace(/^1\.0;/, '2.0;');
    assert.deepEqual(parseClassicLine(v2With30), { error: 'version 2.0 has 38 fields, this line has 30' });
    assert.deepEqual(parseClassicLine(DOC_V1.replace(/^1\.0;/, '2.1;')), { error: 'unsupported log version 2.1 (known: 1.0, 2.0)' });
    assert.deepEqual(parseClassicLine('hello;world'), { error: 'not a Storage Analytics log line' });
  });

  it('accepts one trailing separator but not more', () => {
    assert.equal(record(`${DOC_V1};`).clientRequestId, '7/11/2014 12:59:13 AM ab970a57-4a49-45c4-baa9-20b687941e32');
    assert.deepEqual(parseClassicLine(`${DOC_V1};;`), { error: 'version 1.0 has 30 fields, this line has 32' });
  });

  it('reports broken quoting and bad values instead of guessing', () => {
    assert.deepEqual(parseClassicLine(DOC_V1.slice(0, 120)), { error: 'field 12: quoted field is not closed' });
    assert.deepEqual(parseClassicLine(DOC_V1.replace('.txt";"/storage', '.txt"x;"/storage')), { error: 'field 12: text after the closing quote' });
    assert.deepEqual(parseClassicLine(DOC_V1.replace('2014-06-19T22:59:23.1967767Z', 'yesterday')), { error: 'request-start-time "yesterday" is not a time' });
    assert.deepEqual(parseClassicLine(DOC_V1.replace(';200;', ';2x0;')), { error: 'http-status-code "2x0" is not a status code' });
    assert.deepEqual(parseClassicLine(DOC_V1.replace(';265;100;', ';265;lots;')), { error: 'response-packet-size "lots" is not a number' });
  });

  it('decodes numeric entities and leaves unknown ones as written', () => {
    const line = DOC_V1.replace('"/storagesample/sample-container/sample-blob.txt"', '"/storagesample/c/a&#59;b&#x27;c&bogus;d"');
    assert.equal(record(line).objectKey, "/storagesample/c/a;b'c&bogus;d");
  });
});
