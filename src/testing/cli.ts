import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * Runs the built CLI as a user would (a real process), for end-to-end tests; no colour, and no
 * COLUMNS from the terminal the tests run in (text is laid out for it when set).
 * SASQUATCH_TEST_CLI points the tests at another build (to check that a new test fails
 * on the code before the change it guards).
 */
export const CLI = process.env['SASQUATCH_TEST_CLI'] ?? fileURLToPath(new URL('../bundle/main.js', import.meta.url));

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], opts: { cwd?: string; input?: string; env?: NodeJS.ProcessEnv } = {}): CliRun {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: opts.cwd,
    input: opts.input,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', COLUMNS: '', ...opts.env },
    maxBuffer: 256 << 20,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * The same, without blocking the test's event loop: for tests that serve something the CLI
 * calls back into (a local identity endpoint, a fake server) from the test process itself.
 */
export function runCliAsync(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: opts.cwd, env: { ...process.env, NO_COLOR: '1', COLUMNS: '', ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * Runs the CLI and reports its peak resident memory as the kernel counted it for the whole
 * process (worker threads included): a preloaded module writes `process.resourceUsage().maxRSS`
 * when the process exits. For memory bounds in tests — a bound, never a timing.
 */
export function runCliMeasured(args: string[], opts: { cwd?: string; input?: string | Buffer; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): CliRun & { maxRssMb: number } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sasquatch-rss-'));
  try {
    const probe = path.join(dir, 'probe.mjs');
    const out = path.join(dir, 'rss');
    writeFileSync(probe, `import { writeFileSync } from 'node:fs';\nprocess.on('exit', () => writeFileSync(${JSON.stringify(out)}, String(process.resourceUsage().maxRSS)));\n`);
    const r = spawnSync(process.execPath, ['--import', pathToFileURL(probe).href, CLI, ...args], {
      cwd: opts.cwd,
      input: opts.input,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1', ...opts.env },
      maxBuffer: 256 << 20,
      timeout: opts.timeoutMs ?? 300_000,
    });
    let kb = NaN;
    try {
      kb = Number(readFileSync(out, 'utf8'));
    } catch {
      // the process died before exiting normally: no figure
    }
    return { code: r.status, stdout: r.stdout, stderr: r.stderr, maxRssMb: kb / 1024 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A temp directory populated from a map of relative path → content; removed by cleanup(). */
export function tempTree(files: Record<string, string | Buffer>): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sasquatch-test-'));
  for (const [rel, content] of Object.entries(files)) {
    const full = path.join(dir, rel);
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, content);
  }
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * A directory holding a `sasquatch` command that runs this build, for tests of what calls
 * sasquatch from PATH (the pre-commit hook, the GitHub Action's scripts): put `dir` first in PATH.
 */
export function cliOnPath(): { dir: string; path: (base?: string) => string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sasquatch-bin-'));
  writeFileSync(path.join(dir, 'sasquatch'), `#!/bin/sh\nexec '${process.execPath}' '${CLI}' "$@"\n`, { mode: 0o755 });
  return { dir, path: (base = process.env['PATH'] ?? '') => `${dir}${path.delimiter}${base}`, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
