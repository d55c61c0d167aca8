import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { CLI } from '../testing/cli.js';
import { INCIDENT } from '../testing/tokens.js';

/**
 * The README's installation, done for real: `npm pack`, then the tarball installed into an
 * empty folder and run. Offline: its dependencies come from the npm cache the project's `npm ci`
 * filled (on a fresh CI machine too); a failing install fails the test loudly, never skips it.
 */
const PROJECT = path.resolve(path.dirname(CLI), '..', '..');

function npm(args: string[], cwd: string): { code: number | null; out: string } {
  const r = spawnSync('npm', args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' } });
  return { code: r.status, out: `${r.stdout}\n${r.stderr}` };
}

/**
 * An app depending on the tarball, locked to the project's own runtime dependency versions (the
 * lock entries npm ci installed, with their integrity): npm resolves nothing, so the install
 * needs only the cache — and it installs exactly what the tarball's package.json asks for.
 */
function writeApp(app: string, tarball: string, integrity: string): void {
  const pkg = JSON.parse(readFileSync(path.join(PROJECT, 'package.json'), 'utf8'));
  const lock = JSON.parse(readFileSync(path.join(PROJECT, 'package-lock.json'), 'utf8'));
  const packages: Record<string, unknown> = {
    '': { name: 'app', version: '1.0.0', dependencies: { sasquatch: `file:${tarball}` } },
    'node_modules/sasquatch': { version: pkg.version, resolved: `file:${tarball}`, integrity, license: pkg.license, dependencies: pkg.dependencies, bin: pkg.bin, engines: pkg.engines },
  };
  for (const key of runtimeClosure(lock.packages, pkg.dependencies)) packages[key] = lock.packages[key];
  writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', private: true, dependencies: { sasquatch: `file:${tarball}` } }, null, 2));
  writeFileSync(path.join(app, 'package-lock.json'), JSON.stringify({ name: 'app', version: '1.0.0', lockfileVersion: 3, requires: true, packages }, null, 2));
}

type LockEntry = { dependencies?: Record<string, string>; optionalDependencies?: Record<string, string> };

/**
 * The lock entries the runtime dependencies reach (dependencies and optional ones, resolved
 * the way node does: the nearest node_modules up the tree). npm's dev/devOptional flags are not
 * enough: a package both a dev tool and a runtime one need can be flagged devOptional.
 */
function runtimeClosure(lock: Record<string, LockEntry>, roots: Record<string, string>): string[] {
  const seen = new Set<string>();
  const resolve = (from: string, name: string): string | null => {
    for (let dir = from; ; ) {
      const key = `${dir ? `${dir}/` : ''}node_modules/${name}`;
      if (lock[key]) return key;
      if (!dir) return null;
      const at = dir.lastIndexOf('/node_modules/');
      dir = at < 0 ? '' : dir.slice(0, at);
    }
  };
  const visit = (from: string, deps: Record<string, string> | undefined): void => {
    for (const name of Object.keys(deps ?? {})) {
      const key = resolve(from, name);
      if (!key || seen.has(key)) continue;
      seen.add(key);
      visit(key, lock[key]!.dependencies);
      visit(key, lock[key]!.optionalDependencies);
    }
  };
  visit('', roots);
  return [...seen];
}

describe('the packed tarball installs and runs', () => {
  test('npm pack → npm install into an empty folder (offline) → sasquatch --version and a scan', { timeout: 300_000 }, () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'sasquatch-pack-'));
    try {
      // dist/ is built by `npm test`; --ignore-scripts so packing does not rebuild it under running tests
      const packed = npm(['pack', '--ignore-scripts', '--json', '--pack-destination', tmp], PROJECT);
      assert.equal(packed.code, 0, packed.out);
      const [info] = JSON.parse(packed.out.slice(packed.out.indexOf('['), packed.out.lastIndexOf(']') + 1)) as { filename: string; integrity: string; files: { path: string }[] }[];
      const files = info!.files.map((f) => f.path);
      assert.ok(files.includes('dist/bundle/main.js') && files.includes('README.md'));
      // the keyword pass's WebAssembly ships (without it the pass falls back to JavaScript, slower)
      assert.ok(files.includes('dist/detect/keyword-pass.wasm'), 'dist/detect/keyword-pass.wasm is packed');
      assert.ok(files.includes('dist/detect/keyword-tables.bin'), 'the saved keyword tables are packed');
      assert.deepEqual(files.filter((f) => /\.test\.|^dist\/(?:testing|bench|e2e)\/|^src\//.test(f)), [], 'no tests, test helpers, benchmarks or sources');

      const app = path.join(tmp, 'app');
      mkdirSync(app);
      writeApp(app, `../${info!.filename}`, info!.integrity);
      const installed = npm(['ci', '--offline', '--no-audit', '--no-fund', '--ignore-scripts'], app);
      assert.equal(installed.code, 0, `npm ci --offline of the tarball failed (are its dependencies in the npm cache? the project's npm ci fills it):\n${installed.out}`);
      assert.ok(readdirSync(path.join(app, 'node_modules', '.bin')).includes('sasquatch'));

      const bin = path.join(app, 'node_modules', '.bin', 'sasquatch');
      const version = spawnSync(bin, ['--version'], { encoding: 'utf8' });
      assert.equal(version.status, 0, version.stderr);
      assert.match(version.stdout.trim(), /^\d+\.\d+\.\d+/);
      writeFileSync(path.join(app, 'notes.md'), `${INCIDENT.urlB()}\n`);
      const scan = spawnSync(bin, ['scan', 'notes.md', '--format', 'json', '--now', '2026-11-29T00:00:00Z'], { cwd: app, encoding: 'utf8' });
      assert.equal(scan.status, 1, scan.stderr);
      assert.equal(JSON.parse(scan.stdout).findings[0].severity, 'critical');
      const npx = spawnSync('npx', ['--no-install', 'sasquatch', 'explain', INCIDENT.urlA()], { cwd: app, encoding: 'utf8' });
      assert.equal(npx.status, 0, npx.stderr);
      assert.match(npx.stdout, /Azure account SAS/);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
