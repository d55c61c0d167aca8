import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CLI, runCli, tempTree } from '../testing/cli.js';
import { writeLeakScenario, LEAKED_URL } from '../testing/log-scenario.js';
import { INCIDENT } from '../testing/tokens.js';

/**
 * Where reports go: `-o` is checked before any work (a missing directory, a directory, a
 * path through a file, no permission), files are written whole or not at all (a temporary
 * file renamed over the target), and a reader that closes stdout early ends the run quietly.
 */
let dir: string;
let cleanup: () => void;

before(() => {
  const files: Record<string, string> = {};
  // enough findings for a JSON report far larger than a pipe's buffer
  for (let i = 0; i < 150; i++) files[`docs/f${i}.md`] = `model ${i}: ${INCIDENT.urlB(`public-models/m${i}.ckpt`)}\n`;
  ({ dir, cleanup } = tempTree(files));
  writeFileSync(path.join(dir, 'a-file'), 'not a directory\n');
});
after(() => cleanup());

const scanArgs = (output: string) => ['scan', path.join(dir, 'docs'), '--no-config', '--format', 'json', '--output', output, '--fail-on', 'never', '-q'];

describe('output paths are checked before the scan', () => {
  const bad: [string, RegExp][] = [
    ['missing-dir/report.json', /cannot write --output .*missing-dir\/report\.json: directory .*missing-dir does not exist/],
    ['docs', /cannot write --output .*docs: it is a directory/],
    ['a-file/report.json', /cannot write --output .*a-file\/report\.json: a part of the path is not a directory/],
  ];
  for (const [rel, message] of bad) {
    it(`scan -o ${rel}: exit 2, one line, before scanning`, () => {
      // the target does not exist either: the output is checked first
      const r = runCli(['scan', path.join(dir, 'no-such-target'), '--no-config', '--output', path.join(dir, rel)]);
      assert.equal(r.code, 2);
      assert.match(r.stderr, message);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.doesNotMatch(r.stderr, /\n\s+at |no-such-target/);
    });
  }

  it('every command that writes a file checks it: report, logs -o / --csv, baseline, init', () => {
    const missing = path.join(dir, 'missing-dir', 'out');
    const json = path.join(dir, 'scan.json');
    assert.equal(runCli(scanArgs(json)).code, 0);
    const logsDir = path.join(dir, 'logs');
    writeLeakScenario(logsDir);
    for (const args of [
      ['report', json, '--output', missing],
      ['logs', '--link', LEAKED_URL, logsDir, '--output', missing],
      ['logs', '--link', LEAKED_URL, logsDir, '--csv', missing],
      ['baseline', 'create', path.join(dir, 'docs'), '--no-config', '--output', missing],
      ['init', '--output', missing],
    ]) {
      const r = runCli(args, { cwd: dir });
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, /^sasquatch: cannot write (--output|--csv|baseline) .*missing-dir\/out: directory .* does not exist\n$/, args.join(' '));
    }
  });

  it('a directory without write permission is refused before the scan (not as root)', { skip: process.getuid?.() === 0 ? 'root may write anywhere' : false }, () => {
    const locked = path.join(dir, 'locked');
    mkdirSync(locked, { recursive: true });
    chmodSync(locked, 0o500);
    try {
      const r = runCli(scanArgs(path.join(locked, 'r.json')));
      assert.equal(r.code, 2);
      assert.match(r.stderr, /permission denied/);
    } finally {
      chmodSync(locked, 0o700);
    }
  });
});

describe('reports are written whole or not at all', () => {
  it('the report replaces the old file by a rename: no truncate-in-place, no temporary file left', () => {
    const out = path.join(dir, 'replace', 'report.json');
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(out, 'old report\n');
    chmodSync(out, 0o640);
    const before = statSync(out);
    const r = runCli(scanArgs(out));
    assert.equal(r.code, 0, r.stderr);
    const after = statSync(out);
    // a reader holding the old file sees it whole; the new one appears complete, at once
    assert.notEqual(after.ino, before.ino, 'written to a new file and renamed over the target');
    assert.equal(after.mode & 0o777, 0o640, 'the mode of the file it replaces is kept');
    assert.equal((JSON.parse(readFileSync(out, 'utf8')) as { findings: unknown[] }).findings.length, 150);
    assert.deepEqual(readdirSync(path.dirname(out)), ['report.json']);
  });

  it('a symbolic link stays a link; its target gets the report', () => {
    const real = path.join(dir, 'linked', 'real.json');
    const link = path.join(dir, 'linked', 'link.json');
    mkdirSync(path.dirname(real), { recursive: true });
    writeFileSync(real, '');
    symlinkSync(real, link);
    assert.equal(runCli(scanArgs(link)).code, 0);
    assert.ok(statSync(link).isFile() && readFileSync(real, 'utf8').startsWith('{'));
    assert.deepEqual(readdirSync(path.dirname(real)).sort(), ['link.json', 'real.json']);
  });

  it('logs --csv: written through a temporary file, none left behind', () => {
    const logsDir = path.join(dir, 'logs2');
    writeLeakScenario(logsDir);
    const csv = path.join(dir, 'csv', 'rows.csv');
    mkdirSync(path.dirname(csv), { recursive: true });
    const r = runCli(['logs', '--link', LEAKED_URL, logsDir, '--csv', csv, '--format', 'json']);
    assert.equal(r.code, 1, r.stderr);
    assert.ok(readFileSync(csv, 'utf8').startsWith('time,source,'));
    assert.deepEqual(readdirSync(path.dirname(csv)), ['rows.csv']);
    assert.ok(!existsSync(`${csv}.tmp`));
  });
});

describe('a reader that closes the pipe early', () => {
  /** Runs the CLI with stdout on a pipe that is closed after its first chunk (`| head -c …`). */
  function closedEarly(args: string[]): Promise<{ code: number | null; stderr: string; got: number }> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      let got = 0;
      child.stdout.once('data', (d: Buffer) => {
        got = d.length;
        child.stdout.destroy();
      });
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stderr, got }));
    });
  }

  it('scan -f json | head -1: no stack trace, and the exit code still says what was found', async () => {
    const target = path.join(dir, 'docs');
    const failing = await closedEarly(['scan', target, '--no-config', '--format', 'json', '-q']);
    assert.ok(failing.got > 0);
    assert.equal(failing.code, 1, failing.stderr);
    assert.equal(failing.stderr, '');
    const passing = await closedEarly(['scan', target, '--no-config', '--format', 'json', '-q', '--fail-on', 'never']);
    assert.equal(passing.code, 0, passing.stderr);
    assert.equal(passing.stderr, '');
  });
});
