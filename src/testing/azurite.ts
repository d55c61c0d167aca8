import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * Starts a real Azurite storage emulator for tests (shared/reference §9.2): loopback only,
 * ephemeral ports read back from its stdout, in-memory unless a --location is given.
 * Runs `dist/src/azurite.js` directly so stop() kills the server itself, not a wrapper.
 */
export type AzuriteService = 'blob' | 'queue' | 'table';

export interface AzuriteAccount {
  name: string;
  /** Base64 keys; the first is key1. */
  keys: string[];
}

export interface AzuriteOptions {
  /** Services whose ports the caller needs (all three always start; default all). */
  services?: AzuriteService[];
  /** Custom accounts (AZURITE_ACCOUNTS); the default emulator account is then disabled. */
  accounts?: AzuriteAccount[];
  /** On-disk workspace instead of memory (needed when a test restarts the server). */
  location?: string;
  /** Accept newer x-ms-version headers from current SDKs (default true). */
  skipApiVersionCheck?: boolean;
  /** Extra command-line flags. */
  extraArgs?: string[];
  /** Give up if the server has not printed its ports by then (default 30 s). */
  startTimeoutMs?: number;
}

export interface AzuriteInstance {
  /** Base URLs such as http://127.0.0.1:43517 (no account path). */
  endpoints: Partial<Record<AzuriteService, string>>;
  ports: Partial<Record<AzuriteService, number>>;
  accounts: AzuriteAccount[];
  /** Path-style URL of an account on a service: http://127.0.0.1:<port>/<account>. */
  accountUrl(service: AzuriteService, account?: string): string;
  /** Everything Azurite printed so far (access log lines hold full URLs: treat as secret). */
  output(): string;
  pid: number;
  stop(): Promise<void>;
}

export const EMULATOR_ACCOUNT: AzuriteAccount = {
  name: 'devstoreaccount1',
  keys: ['Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='],
};

/** A realistic account key: 64 random bytes in Base64 (88 characters). */
export function randomAccountKey(): string {
  return randomBytes(64).toString('base64');
}

const READY = /Azurite (Blob|Queue|Table) service is successfully listening at (https?):\/\/[^\s:]+:(\d+)/g;

export function azuriteScript(): string {
  const pkgDir = path.dirname(createRequire(import.meta.url).resolve('azurite/package.json'));
  return path.join(pkgDir, 'dist/src/azurite.js');
}

export async function startAzurite(opts: AzuriteOptions = {}): Promise<AzuriteInstance> {
  const services = opts.services ?? ['blob', 'queue', 'table'];
  const args = [azuriteScript(), '--disableTelemetry'];
  // bounded: two arguments
  args.push(...(opts.location ? ['--location', opts.location] : ['--inMemoryPersistence']));
  if (opts.skipApiVersionCheck !== false) args.push('--skipApiVersionCheck');
  // azurite.js starts all three services: give every one a loopback ephemeral port, never a default one.
  for (const s of ['blob', 'queue', 'table']) args.push(`--${s}Host`, '127.0.0.1', `--${s}Port`, '0');
  // bounded: a test's extra arguments
  args.push(...(opts.extraArgs ?? []));
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (opts.accounts?.length) env['AZURITE_ACCOUNTS'] = opts.accounts.map((a) => [a.name, ...a.keys].join(':')).join(';');
  else delete env['AZURITE_ACCOUNTS'];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env, cwd: opts.location });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString('utf8')));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString('utf8')));
  const ports = await waitForPorts(child, () => out, services, opts.startTimeoutMs ?? 30_000);
  // https when started with --cert (every service then speaks TLS only)
  const scheme = /--cert/.test((opts.extraArgs ?? []).join(' ')) ? 'https' : 'http';
  const endpoints: Partial<Record<AzuriteService, string>> = {};
  for (const [s, port] of Object.entries(ports)) endpoints[s as AzuriteService] = `${scheme}://127.0.0.1:${port}`;
  const accounts = opts.accounts?.length ? opts.accounts : [EMULATOR_ACCOUNT];
  return {
    endpoints,
    ports,
    accounts,
    pid: child.pid!,
    output: () => out,
    accountUrl(service, account = accounts[0]!.name) {
      const base = endpoints[service];
      if (!base) throw new Error(`Azurite ${service} service was not started`);
      return `${base}/${account}`;
    },
    stop: () => stopChild(child),
  };
}

async function waitForPorts(child: ChildProcess, output: () => string, services: AzuriteService[], timeoutMs: number) {
  const wanted = new Set(services);
  const found: Partial<Record<AzuriteService, number>> = {};
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const m of output().matchAll(READY)) found[m[1]!.toLowerCase() as AzuriteService] = Number(m[3]);
    if ([...wanted].every((s) => found[s] !== undefined)) return found;
    if (child.exitCode !== null) throw new Error(`Azurite exited with code ${child.exitCode}:\n${output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  await stopChild(child);
  throw new Error(`Azurite did not report its ports within ${timeoutMs} ms:\n${output()}`);
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}
