import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import type { Finding } from '../model/finding.js';
import type { Notice } from '../sources/types.js';
import { makeTar, makeTarGz, makeZip } from '../testing/archives.js';
import { runCli, runCliMeasured } from '../testing/cli.js';
import { TestRepo } from '../testing/git-repo.js';
import { sasQuery } from '../testing/tokens.js';

/**
 * Fail closed, end to end: a directory holding every poison an attacker or a careless user
 * can put in front of the scanner — each file with one good SAS beside the poison — must
 * report every good SAS, list every skip with its reason, exit 1, and stay in bounded memory.
 */
interface Report {
  findings: Finding[];
  notices: Notice[];
  errors: Notice[];
  skipped: Notice[];
  summary: { complete: boolean; errors: Record<string, number> };
}

const ROOT = process.getuid?.() === 0;
const LINUX = process.platform === 'linux';

/** A distinct, valid (until 2051), account-wide SAS URL per name, so each file's finding is its own. */
function sas(name: string): string {
  const account = `poison${Buffer.from(name).toString('hex').slice(0, 12)}`;
  return `https://${account}.blob.core.windows.net/data/${encodeURIComponent(name)}?${sasQuery({ sv: '2022-11-02', ss: 'b', srt: 'sco', sp: 'rwl', se: '2051-01-01T00:00:00Z', spr: 'https' }, name)}`;
}

function tarHeaderClaiming(tar: Buffer, headerAt: number, size: bigint): Buffer {
  const bad = Buffer.from(tar);
  bad.fill(0, headerAt + 124, headerAt + 136);
  bad[headerAt + 124] = 0x80; // GNU base-256
  for (let i = 0; i < 11 && size > 0n; i++, size >>= 8n) bad[headerAt + 135 - i] = Number(size & 0xffn);
  bad.fill(0x20, headerAt + 148, headerAt + 156);
  let sum = 0;
  for (let i = headerAt; i < headerAt + 512; i++) sum += bad[i]!;
  bad.write(`${sum.toString(8).padStart(6, '0')}\0 `, headerAt + 148);
  return bad;
}

/** The poisons: file name (as the report shows it) → bytes. Each holds the good SAS `sas(name)` (or, in an archive, `sas(member path)`). */
function poisons(): { files: Record<string, Buffer>; found: string[] } {
  const files: Record<string, Buffer> = {};
  const found: string[] = [];
  const plain = (name: string, make: (url: string) => Buffer) => {
    files[name] = make(sas(name));
    found.push(name);
  };
  // 1. 130,000 short keyword hits: the stack overflowed
  plain('flood.txt', (u) => Buffer.from(`${u}\n${'sig=a\n'.repeat(130_000)}`));
  // 2. look-alike hits of five rules on every line (12 MB here; 35 MB measured by a script)
  plain('memflood.txt', (u) => Buffer.from(`${'sig=abc AKIA ghp_ xoxb- -----BEGIN\n'.repeat(350_000)}${u}\n`));
  // 3. UTF-8 text behind a UTF-16 byte-order mark, both ways round
  plain('bom-le.txt', (u) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`url=${u}\n`)]));
  plain('bom-be.txt', (u) => Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(`url=${u}\n`)]));
  // 4. a UTF-8 line, a UTF-16 run, a UTF-8 SAS
  plain('mixed.txt', (u) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('utf-8 line\n'), Buffer.from('a UTF-16 run\n'.repeat(300), 'utf16le'), Buffer.from(`\n${u}\n`)]));
  // 5. archives cut short: the first member's SAS must survive
  const big = 'filler line of an archive member\n'.repeat(20_000);
  const member = (archive: string, name: string) => {
    found.push(`${archive}!${name}`);
    return sas(`${archive}!${name}`);
  };
  const tar = makeTar([
    { name: 'first.env', data: `SAS=${member('cut.tar', 'first.env')}` },
    { name: 'big.txt', data: big },
  ]);
  files['cut.tar'] = tar.subarray(0, 512 * 3 + 5000);
  const tgz = makeTarGz([
    { name: 'first.env', data: `SAS=${member('cut.tgz', 'first.env')}` },
    { name: 'big.txt', data: big + Math.random().toString(36).repeat(20_000) },
  ]);
  files['cut.tgz'] = tgz.subarray(0, Math.floor(tgz.length * 0.6));
  const gz = gzipSync(Buffer.from(`SAS=${member('cut.log.gz', 'cut.log')}\n${big}${Math.random().toString(36).repeat(20_000)}`));
  files['cut.log.gz'] = gz.subarray(0, Math.floor(gz.length * 0.6));
  const zip = makeZip([
    { name: 'first.env', data: `SAS=${member('cut.zip', 'first.env')}` },
    { name: 'big.txt', data: big, method: 0 },
  ]);
  files['cut.zip'] = zip.subarray(0, zip.length - 2000);
  // 6. a later tar header claiming 2^33 bytes
  const claim = makeTar([
    { name: 'first.env', data: `SAS=${member('huge.tar', 'first.env')}` },
    { name: 'huge.bin', data: 'not really 8 GiB' },
    { name: 'last.env', data: `SAS=${member('huge.tar', 'last.env')}` },
  ]);
  files['huge.tar'] = tarHeaderClaiming(claim, 1024, 1n << 33n);
  // 7. pathological notebooks: 100,000 cells with an inlined image at the end; nesting deeper than any walker
  plain('cells.ipynb', (u) => {
    const cells: object[] = Array.from({ length: 100_000 }, (_, i) => ({ cell_type: 'markdown', metadata: {}, source: [`note ${i}\n`] }));
    cells.push({ cell_type: 'code', metadata: {}, outputs: [], source: [`url = "${u}"\n`] });
    cells.push({ cell_type: 'markdown', metadata: {}, source: ['![x](data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAAB)'] });
    return Buffer.from(JSON.stringify({ cells, metadata: {}, nbformat: 4 }));
  });
  plain('deep.ipynb', (u) => Buffer.from(`{"cells": [{"source": ["${u}"]}], "metadata": ${'{"a":'.repeat(200_000)}1${'}'.repeat(200_000)}}`));
  // 9. hostile names
  for (const name of ['line\nbreak.txt', '-rf --fail-on never.txt', '::error::x.txt', '%0A%25.txt', 'ünï ćødé.txt', 'a!b.txt', '$(touch pwned).txt', ' lead and trail .txt']) plain(name, (u) => Buffer.from(`${u}\n`));
  // skipped by choice: a binary file
  files['logo.png'] = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0, 1, 2, 3]);
  return { files, found };
}

describe('fail closed: every poison at once', () => {
  test('every good SAS is reported, every skip listed with its reason, exit 1, in bounded memory', (t) => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sasquatch-poison-'));
    const tree = path.join(dir, 'tree');
    try {
      const { files, found } = poisons();
      for (const [name, bytes] of Object.entries(files)) {
        mkdirSync(path.dirname(path.join(tree, name)), { recursive: true });
        writeFileSync(path.join(tree, name), bytes);
      }
      // 8. an unreadable file: chmod 000 (root reads it anyway), and on Linux a file every read of which fails
      const locked = path.join(tree, 'locked.txt');
      writeFileSync(locked, `${sas('locked.txt')}\n`);
      chmodSync(locked, 0);
      if (ROOT) found.push('locked.txt'); // root is not stopped by permissions: the file is scanned
      const targets = [tree, ...(LINUX ? ['/proc/self/mem'] : [])];

      const r = runCliMeasured(['scan', ...targets, '--no-history', '--format', 'json', '--now', '2026-01-01T00:00:00Z']);
      assert.equal(r.code, 1, r.stderr);
      const report = JSON.parse(r.stdout) as Report;
      const shown = (name: string) => `${path.basename(tree)}/${name}`.replace(/^/, targets.length > 1 ? `${path.dirname(tree)}/`.replace(/^\/?/, '') : '');
      const paths = new Set(report.findings.filter((f) => f.rule === 'azure-sas').map((f) => f.location.path));
      const missing = found.filter((name) => ![...paths].some((p) => p === name || p.endsWith(`/${name}`)));
      assert.deepEqual(missing, [], `not found: ${JSON.stringify(missing)}; found: ${JSON.stringify([...paths])}; shown as ${shown('x')}`);

      // every skip, with its reason: errors (could not be scanned) and choices apart
      const errors = report.errors.map((n) => `${n.path.replace(/^.*tree\//, '')} ${n.skipped}`);
      for (const expected of ['cut.tar!big.txt archive-cut', 'cut.tgz archive-cut', 'cut.log.gz archive-cut', 'cut.zip archive-cut', 'huge.tar!huge.bin archive-cut']) {
        assert.ok(errors.includes(expected), `${expected} not in ${JSON.stringify(errors)}`);
      }
      // paths are reported from the directory the targets share (here /), links resolved
      if (LINUX) assert.ok(errors.some((e) => /^\/?proc\/(self|\d+)\/mem unreadable$/.test(e)), JSON.stringify(errors));
      if (!ROOT) assert.ok(errors.includes('locked.txt unreadable'), JSON.stringify(errors));
      assert.ok(report.skipped.some((n) => n.path.endsWith('logo.png') && n.skipped === 'binary'));
      assert.ok(report.notices.some((n) => n.path.endsWith('deep.ipynb') && /not a valid JSON notebook/.test(n.message)));
      assert.equal(report.summary.complete, false);
      // the same skips reach the person at the terminal
      assert.match(r.stderr, /sasquatch: error: .*cut\.tgz: gzip stream cut or damaged/);
      assert.match(r.stderr, /INCOMPLETE: \d+ items could not be scanned/);
      // bounded memory (the kernel's peak for the whole process, worker threads included)
      t.diagnostic(`peak RSS ${r.maxRssMb.toFixed(0)} MB for ${Object.keys(files).length + 1} poison files`);
      assert.ok(r.maxRssMb < 400, `peak RSS ${r.maxRssMb.toFixed(0)} MB`);

      // with --fail-on-skip, what could not be scanned fails the run even with findings
      const strict = runCli(['scan', ...targets, '--no-history', '--format', 'sarif', '--fail-on-skip', '--now', '2026-01-01T00:00:00Z']);
      assert.equal(strict.code, 2, strict.stderr);
      assert.equal(JSON.parse(strict.stdout).runs[0].invocations[0].executionSuccessful, false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the keyword flood on stdin, in history and staged: reported, never an aborted run', () => {
    const flood = `${sas('flood')}\n${'sig=a\n'.repeat(130_000)}`;
    const stdin = runCli(['scan', '-', '--format', 'json'], { input: flood });
    assert.equal(stdin.code, 1, stdin.stderr);
    assert.equal((JSON.parse(stdin.stdout) as Report).findings.length, 1);

    const repo = TestRepo.init('flooded', '2026-01-01T00:00:00Z');
    try {
      repo.write('flood.txt', flood);
      repo.commit('2026-01-01T00:00:00Z', 'flood');
      const history = runCli(['scan', repo.dir, '--format', 'json']);
      assert.equal(history.code, 1, history.stderr);
      const h = JSON.parse(history.stdout) as Report;
      assert.deepEqual(h.findings.map((f) => [f.location.path, f.history?.introduced.commit !== undefined]), [['flood.txt', true]]);

      repo.write('second.txt', flood.replace(sas('flood'), sas('second')));
      repo.git('2026-01-02T00:00:00Z', 'add', '-A');
      const staged = runCli(['scan', '--staged', '--format', 'json'], { cwd: repo.dir });
      assert.equal(staged.code, 1, staged.stderr);
      assert.deepEqual((JSON.parse(staged.stdout) as Report).findings.map((f) => f.location.path), ['second.txt']);
    } finally {
      rmSync(path.dirname(repo.dir), { recursive: true, force: true });
    }
  });

  test('--staged fails on what it could not scan by default; --no-fail-on-skip turns that off', () => {
    const repo = TestRepo.init('cut-archive', '2026-01-01T00:00:00Z');
    try {
      repo.write('README.md', '# x\n');
      repo.commit('2026-01-01T00:00:00Z', 'initial');
      const tgz = makeTarGz([
        { name: 'ok.txt', data: 'nothing here' },
        { name: 'big.txt', data: Math.random().toString(36).repeat(50_000) },
      ]);
      writeFileSync(path.join(repo.dir, 'release.tgz'), tgz.subarray(0, tgz.length >> 1));
      repo.git('2026-01-02T00:00:00Z', 'add', '-A');
      const strict = runCli(['scan', '--staged'], { cwd: repo.dir });
      assert.equal(strict.code, 2, strict.stdout + strict.stderr);
      assert.match(strict.stdout, /error: release\.tgz: gzip stream cut or damaged .*\(staged\)/);
      assert.match(strict.stdout, /error: release\.tgz!big\.txt: archive member cut at the end of the archive/);
      assert.match(strict.stdout, /INCOMPLETE: 2 items could not be scanned \(2 archive-cut\)/);
      const lenient = runCli(['scan', '--staged', '--no-fail-on-skip'], { cwd: repo.dir });
      assert.equal(lenient.code, 0, lenient.stdout + lenient.stderr);
      assert.match(lenient.stdout, /INCOMPLETE/);
    } finally {
      rmSync(path.dirname(repo.dir), { recursive: true, force: true });
    }
  });

  test('a missing target among several is exit 2; what the others hold is still reported, on stderr too', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sasquatch-missing-'));
    try {
      writeFileSync(path.join(dir, 'a.txt'), `${sas('a.txt')}\n`);
      const r = runCli(['scan', dir, path.join(dir, 'nope'), '--no-history', '--format', 'github']);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stdout, /^::error file=.*a\.txt/m);
      assert.match(r.stdout, /^::error title=could not scan .*nope::/m);
      assert.match(r.stderr, /sasquatch: error: .*nope: cannot scan/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a UTF-16 file is decoded as it is read: memory does not follow its size', (t) => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sasquatch-utf16-'));
    try {
      const line = 'Write-Host "configuring the storage account for the nightly export job"\r\n';
      const body = `${line.repeat(300_000)}$url = "${sas('export.ps1')}"\r\n`;
      writeFileSync(path.join(dir, 'export.ps1'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(body, 'utf16le')]));
      const r = runCliMeasured(['scan', dir, '--no-history', '--threads', '1', '--format', 'json', '--max-file-size', '0']);
      assert.equal(r.code, 1, r.stderr);
      assert.deepEqual((JSON.parse(r.stdout) as Report).findings.map((f) => [f.location.line, f.location.encoding]), [[300_001, 'utf16']]);
      // the file is 44 MB: read whole, decoded to a string and back, it took three times that
      t.diagnostic(`peak RSS ${r.maxRssMb.toFixed(0)} MB`);
      assert.ok(r.maxRssMb < 160, `peak RSS ${r.maxRssMb.toFixed(0)} MB for a 44 MB UTF-16 file`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
