import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { classicLine, monitorRecord, type FakeRequest } from '../testing/storage-logs.js';
import { newSourceStats, readLogSource, type ReadEvent } from './reader.js';

const REQ: FakeRequest = {
  time: '2023-06-22T10:00:00Z', operation: 'GetBlob', status: 'SASSuccess', http: 200, auth: 'sas', account: 'acct',
  url: 'https://acct.blob.core.windows.net/c/b?sv=2020-08-04&sig=XXXXX', objectKey: '/acct/c/b', requestId: 'r1', ip: '192.0.2.1:1',
};

async function read(name: string, bytes: Buffer) {
  const stats = newSourceStats(name);
  const events: ReadEvent[] = [];
  for await (const batch of readLogSource({ name, size: bytes.length, open: async () => Readable.from([bytes]) }, stats)) events.push(...batch);
  return { stats, events };
}

describe('reading one log source', () => {
  it('recognises the layout from the content, gzip from the bytes, a BOM and CRLF included', async () => {
    const text = `\uFEFF${classicLine(REQ)}\r\n\r\n${classicLine(REQ, '2.0')}\r\n`;
    const { stats, events } = await read('named-anything.txt', gzipSync(text));
    assert.equal(stats.layout, 'classic');
    assert.equal(stats.gzip, true);
    assert.deepEqual(events.map((e) => [e.kind, e.line]), [['record', 1], ['record', 3]]);
    assert.equal(stats.lines, 3);
    assert.equal(stats.bytes, gzipSync(text).length);
  });

  it('keeps what came before a damaged gzip stream and says where it stopped', async () => {
    const lines = Array.from({ length: 2000 }, (_, i) => JSON.stringify(monitorRecord({ ...REQ, requestId: `r${i}` }))).join('\n');
    const gz = gzipSync(lines);
    const { stats, events } = await read('PT1H.json', gz.subarray(0, Math.floor(gz.length / 2)));
    assert.equal(stats.layout, 'json-lines');
    assert.ok(events.length > 100 && events.length < 2000, `${events.length} records before the cut`);
    assert.ok(events.every((e) => e.kind === 'record'));
    assert.equal(stats.warnings.length, 1);
    assert.match(stats.warnings[0]!, /^stopped after line \d+: /);
  });

  it('skips what is not a storage log, reads an empty file as nothing', async () => {
    const notes = await read('notes.txt', Buffer.from('meeting notes\nmore\n'));
    assert.deepEqual(notes.events, []);
    assert.match(notes.stats.warnings[0]!, /not a storage log/);
    const empty = await read('000000.log', Buffer.alloc(0));
    assert.deepEqual([empty.events, empty.stats.warnings, empty.stats.layout], [[], [], null]);
  });

  it('takes a damaged first line of a .log blob as classic, and reports it', async () => {
    const { stats, events } = await read('blob/2023/06/22/1000/000000.log', Buffer.from(`garbage\n${classicLine(REQ)}\n`));
    assert.equal(stats.layout, 'classic');
    assert.deepEqual(events.map((e) => (e.kind === 'malformed' ? [e.line, e.error] : [e.line])), [[1, 'not a Storage Analytics log line'], [2]]);
  });
});
