import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { CLI, runCli, tempTree } from '../testing/cli.js';
import { INCIDENT, sasQuery } from '../testing/tokens.js';

/** For a person at a terminal: output that fits, a progress line only where it helps, short errors. */
const NOW = '2026-11-29T00:00:00Z';

// eslint-disable-next-line no-control-regex
const plain = (s: string) => s.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '');

describe('text fits the terminal', () => {
  test('scan and explain at COLUMNS=80: every line within 80 columns, nothing lost', () => {
    const tree = tempTree({ 'deeply/nested/directory/structure/with/a/rather/long/path/to/the/file/holding/the/link.md': `${INCIDENT.urlB()}\n` });
    try {
      const wide = runCli(['scan', '.', '--now', NOW], { cwd: tree.dir });
      assert.ok(wide.stdout.split('\n').some((l) => l.length > 80), 'a pipe gets whole lines');
      const r = runCli(['scan', '.', '--now', NOW], { cwd: tree.dir, env: { COLUMNS: '80' } });
      const lines = r.stdout.split('\n');
      assert.deepEqual(lines.filter((l) => l.length > 80), []);
      const joined = lines.map((l) => l.trim()).join(' ');
      for (const part of ['account-wide', 'rotating the account key', 'sig=']) assert.ok(joined.includes(part), part);
      assert.ok(lines.some((l) => /^….*link\.md$/.test(l)), 'a long path keeps its file name');

      const e = runCli(['explain', INCIDENT.urlB(), '--now', NOW], { env: { COLUMNS: '60' } });
      assert.deepEqual(e.stdout.split('\n').filter((l) => l.length > 60), []);
      assert.match(e.stdout.split('\n').map((l) => l.trim()).join(' '), /read, write, delete, list/);
    } finally {
      tree.cleanup();
    }
  });
});

/** Runs the CLI under a pseudo-terminal (util-linux `script`), as a person would see it. */
function inTerminal(args: string[], cwd: string): string {
  const cmd = [process.execPath, CLI, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const r = spawnSync('script', ['-qec', cmd, '/dev/null'], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', COLUMNS: '100' } });
  assert.equal(r.error, undefined, 'util-linux script is needed for this test (.ci/run installs it)');
  return r.stdout;
}

describe('progress line for filesystem scans', () => {
  test('on a terminal: files, MB, findings, cleared before the report; none when piped or with -q', () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 300; i++) files[`f${String(i).padStart(3, '0')}.txt`] = i % 100 === 0 ? `https://a${i}acct.blob.core.windows.net/c/b?${sasQuery({ sv: '2022-11-02', sr: 'b', sp: 'r', se: '2030-01-01' }, `p${i}`)}\n` : 'x\n'.repeat(50);
    const tree = tempTree(files);
    try {
      const tty = inTerminal(['scan', '.', '--threads', '1', '--now', NOW], tree.dir);
      assert.match(tty, /\rscanning files: \d+ files? · \d+\.\d MB · \d+ findings?\x1b\[K/);
      assert.match(tty, /\r\x1b\[K/, 'cleared');
      assert.match(plain(tty), /3 findings/);
      const quiet = inTerminal(['scan', '.', '-q', '--now', NOW], tree.dir);
      assert.ok(!/scanning files:/.test(quiet), 'none with -q');
      const piped = runCli(['scan', '.', '--now', NOW], { cwd: tree.dir });
      assert.ok(!/scanning files:/.test(piped.stdout + piped.stderr), 'none when piped');
    } finally {
      tree.cleanup();
    }
  });
});

describe('usage errors and help', () => {
  test('a usage error is the one-line error and where to read more, not the whole help', () => {
    const r = runCli(['scan', '--fromat', 'json']);
    assert.equal(r.code, 2);
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines[0], "error: unknown option '--fromat'");
    assert.equal(lines.at(-1), 'see `sasquatch scan --help`');
    assert.ok(lines.length <= 3 && !/Options:/.test(r.stderr), r.stderr);
    const nested = runCli(['baseline', 'create', '--threads', 'many']);
    assert.equal(nested.code, 2);
    assert.match(nested.stderr, /^error: option '--threads <n>' argument 'many' is invalid\. expected a whole number\nsee `sasquatch baseline create --help`\n$/);
  });

  test('--help shows the defaults', () => {
    const help = runCli(['scan', '--help']).stdout.replace(/\s+/g, ' ');
    for (const d of [
      /--format <format>.*\(default: text\)/,
      /--fail-on <severity>.*\(default: failOn from the configuration, else low\)/,
      /--exit-code <n>.*\(default: 1\)/,
      /--max-file-size <size>.*\(default: 100MB\)/,
      /--threads <n>.*\(default: 0, automatic\)/,
      /--exclude <glob>.*\(default: none\)/,
      /--timeout <duration>.*\(default: 10s\)/,
      /--min-severity <severity>.*\(default: all, with emulator and info findings folded into one line\)/,
      /--now <date>.*\(default: the current time\)/,
    ]) {
      assert.match(help, d);
    }
  });
});
