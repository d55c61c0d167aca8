import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { DEFAULT_POLICY } from '../analyze/policy.js';
import { Detector } from '../detect/engine.js';
import { BUILTIN_RULES } from '../detect/rules/index.js';
import { makeTar, makeTarGz, makeZip } from '../testing/archives.js';
import { INCIDENT } from '../testing/tokens.js';
import { flattenBlobResult, scanBytes, scanFileSync, type BlobResult, type BlobScanOptions } from './blob-scanner.js';
import { lookAlikeFilter } from './match-filter.js';

/** A detector as the CLI builds it: look-alikes dropped where they are found. */
function cliDetector(): Detector {
  const d = new Detector(BUILTIN_RULES);
  d.keep = lookAlikeFilter(BUILTIN_RULES, { now: new Date('2026-01-01T00:00:00Z'), policy: DEFAULT_POLICY });
  return d;
}

const SAS = INCIDENT.urlB();

function sasLines(r: BlobResult): [string, number][] {
  return [...flattenBlobResult(r)].flatMap((b) => b.matches.filter((m) => m.rule === 'azure-sas').map((m) => [b.path, m.line] as [string, number]));
}

function withFile(name: string, content: Buffer, fn: (file: string) => void): void {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sasquatch-fc-'));
  try {
    const file = path.join(dir, name);
    writeFileSync(file, content);
    fn(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('a flood of short keyword hits (130,000 × sig=a) does not overflow the stack: the SAS is found', () => {
  const flood = Buffer.from(`${SAS}\n${'sig=a\n'.repeat(130_000)}`);
  const d = cliDetector();
  assert.deepEqual(sasLines(scanBytes(d, 'flood.txt', flood)), [['flood.txt', 1]]);
  // inside an archive, the archive is not lost
  assert.deepEqual(sasLines(scanBytes(d, 'x.zip', makeZip([{ name: 'flood.txt', data: flood }]))), [['x.zip!flood.txt', 1]]);
  // read from disk in regions, and as one region
  withFile('flood.txt', flood, (file) => {
    for (const chunkSize of [64 << 10, 8 << 20]) {
      const r = scanFileSync(d, 'flood.txt', file, { chunkSize }, 0, false) as BlobResult;
      assert.deepEqual(r.notices, [], `chunk ${chunkSize}`);
      assert.deepEqual(sasLines(r), [['flood.txt', 1]], `chunk ${chunkSize}`);
    }
  });
});

test('a flood of look-alikes around a real SAS: every one judged, the real one kept (memory: see e2e/fail-closed)', () => {
  const d = cliDetector();
  const judged: string[] = [];
  const keep = d.keep!;
  d.keep = (m, p) => {
    judged.push(m.text);
    return keep(m, p);
  };
  const r = scanBytes(d, 'f.txt', Buffer.from(`${'sig=abc AKIA ghp_ xoxb- -----BEGIN\n'.repeat(20_000)}${SAS}\n`));
  assert.ok(judged.length >= 20_000, `${judged.length} judged`);
  assert.deepEqual(sasLines(r), [['f.txt', 20_001]]);
});

test('an error while scanning one archive member costs that member only, with an internal-error notice', () => {
  const d = cliDetector();
  const keep = d.keep!;
  d.keep = (m, p) => {
    if (p.endsWith('b.txt')) throw new RangeError('boom');
    return keep(m, p);
  };
  const zip = makeZip([
    { name: 'a.txt', data: SAS },
    { name: 'b.txt', data: SAS },
    { name: 'c.txt', data: SAS },
  ]);
  const r = scanBytes(d, 'x.zip', zip);
  assert.deepEqual(sasLines(r), [
    ['x.zip!a.txt', 1],
    ['x.zip!c.txt', 1],
  ]);
  const failed = [...flattenBlobResult(r)].flatMap((b) => b.notices).filter((n) => n.skipped === 'internal-error');
  assert.deepEqual(failed.map((n) => n.path), ['x.zip!b.txt']);
  assert.match(failed[0]!.message, /RangeError: boom/);
  // a failing blob never throws out of scanBytes
  const alone = scanBytes(d, 'b.txt', Buffer.from(SAS));
  assert.equal(alone.skipped, 'internal-error');
});

test('a file starting with FF FE or FE FF that holds UTF-8 text: its SAS is found (both readings are scanned)', () => {
  const d = cliDetector();
  for (const bom of [[0xff, 0xfe], [0xfe, 0xff]]) {
    const bytes = Buffer.concat([Buffer.from(bom), Buffer.from(`# config\nurl = ${SAS}\n`)]);
    const r = scanBytes(d, 'fake-bom.txt', bytes);
    assert.deepEqual(sasLines(r), [['fake-bom.txt', 2]], JSON.stringify(bom));
    assert.equal(r.matches[0]!.column, 7);
    assert.match(r.notices[0]!.message, /does not read as it: scanned both/);
  }
});

test('a mixed file (UTF-8 line, UTF-16 run, UTF-8 SAS) still yields the SAS, and real UTF-16 still works', () => {
  const d = cliDetector();
  const other = INCIDENT.urlA();
  for (const lead of [Buffer.from([0xff, 0xfe]), Buffer.alloc(0)]) {
    const mixed = Buffer.concat([lead, Buffer.from('plain utf-8 line\n'), Buffer.from(`utf-16 run ${other}\n`.repeat(40), 'utf16le'), Buffer.from(`\ntail ${SAS}\n`)]);
    const r = scanBytes(d, 'mixed.txt', mixed);
    const secrets = r.matches.map((m) => m.groups['query']?.slice(0, 20));
    assert.ok(r.matches.some((m) => m.text.includes(SAS.split('?')[1]!)), `lead ${lead.length}: ${JSON.stringify(secrets)}`);
  }
  const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`first\r\nsecond ${SAS}\r\n`, 'utf16le')]);
  const r = scanBytes(d, 'w.ps1', utf16);
  assert.deepEqual(r.matches.map((m) => [m.line, m.column, m.encoding]), [[2, 8, 'utf16']]);
});

test('a UTF-16 file larger than a region is decoded as it is read, with exact lines across regions', () => {
  const d = cliDetector();
  const lines: string[] = [];
  for (let i = 0; i < 3000; i++) lines.push(i % 700 === 5 ? `line ${i} é ${SAS}` : `line ${i} ${'x'.repeat(i % 50)}`);
  const content = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(lines.join('\n'), 'utf16le')]);
  const expected = lines.flatMap((l, i) => (l.includes(SAS) ? [[i + 1, l.indexOf('https:') + 1]] : []));
  const opts: Partial<BlobScanOptions> = { chunkSize: 20_000, overlap: 4096 };
  withFile('big16.txt', content, (file) => {
    const r = scanFileSync(d, 'big16.txt', file, opts, 0, true) as BlobResult;
    assert.ok(!('split' in r));
    assert.deepEqual(r.matches.map((m) => [m.line, m.column]), expected);
  });
  assert.deepEqual(scanBytes(d, 'big16.txt', content, opts).matches.map((m) => [m.line, m.column]), expected);
});

test('a tar whose later header is bad still yields its first member', () => {
  const tar = makeTar([
    { name: 'a.env', data: `SAS=${SAS}` },
    { name: 'b.txt', data: 'second' },
  ]);
  const bad = Buffer.from(tar);
  bad.write('xxxxxxx', 512 * 2 + 148);
  const r = scanBytes(cliDetector(), 'bundle.tar', bad);
  assert.deepEqual(sasLines(r), [['bundle.tar!a.env', 1]]);
  assert.ok([...flattenBlobResult(r)].flatMap((b) => b.notices).some((n) => n.skipped === 'archive-cut'));
});

test('a tar or .tar.gz file larger than a region is read from disk a piece at a time: every member, cut ones said', () => {
  const d = cliDetector();
  const members = Array.from({ length: 12 }, (_, i) => ({ name: `part${i}.txt`, data: `${'filler\n'.repeat(8000)}${i === 11 ? `SAS=${SAS}\n` : ''}` }));
  const opts: Partial<BlobScanOptions> = { chunkSize: 64 << 10, overlap: 4096 };
  for (const [name, bytes] of [
    ['big.tar', makeTar(members)],
    ['big.tar.gz', makeTarGz(members)],
  ] as const) {
    withFile(name, bytes, (file) => {
      const r = scanFileSync(d, name, file, opts, 0, true) as BlobResult;
      assert.deepEqual(sasLines(r), [[`${name}!part11.txt`, 8001]], name);
      assert.equal(r.members?.length, 12);
    });
  }
  const tar = makeTar(members);
  withFile('cut.tar', tar.subarray(0, tar.length - 30_000), (file) => {
    const r = scanFileSync(d, 'cut.tar', file, opts, 0, true) as BlobResult;
    assert.equal(r.members?.length, 12);
    assert.ok([...flattenBlobResult(r)].flatMap((b) => b.notices).some((n) => n.path === 'cut.tar!part11.txt' && n.skipped === 'archive-cut'));
  });
});
