import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import path from 'node:path';
import { EMULATOR_KEY } from './tokens.js';

/**
 * Starts a real Azurite (blob, queue, table) for a test: loopback only, ephemeral ports,
 * in memory unless a workspace directory is given. Runs azurite.js directly with this Node
 * (an `npx azurite` wrapper would leave the server running when killed).
 */
export interface AzuriteOptions {
  /** `AZURITE_ACCOUNTS` value (`name:key1[:key2];…`); replaces devstoreaccount1. */
  accounts?: string;
  /** On-disk workspace (survives a restart); in memory when absent. */
  location?: string;
  /** More flags, e.g. `['--cert', pem, '--key', key, '--oauth', 'basic']`. */
  args?: string[];
  /** How long to wait for the three "listening" lines (default 30 s). */
  startTimeoutMs?: number;
}

export interface Azurite {
  /** Service endpoints without the account, e.g. `http://127.0.0.1:43125`. */
  blob: string;
  queue: string;
  table: string;
  /** First account and its first key (from `accounts`, else the public emulator account). */
  account: string;
  key: string;
  /** Path-style account URL of a service: `http://127.0.0.1:<port>/<account>`. */
  accountUrl(service: 'blob' | 'queue' | 'table', account?: string): string;
  /** Everything Azurite printed so far (for failure messages). */
  output(): string;
  stop(): Promise<void>;
}

/** The emulator's public, documented default account (not a secret). */
export const DEV_ACCOUNT = 'devstoreaccount1';

const READY = /Azurite (Blob|Queue|Table) service is successfully listening at (https?:\/\/[^\s]+)/g;

export async function startAzurite(opts: AzuriteOptions = {}): Promise<Azurite> {
  const pkgDir = path.dirname(createRequire(import.meta.url).resolve('azurite/package.json'));
  const args = [
    path.join(pkgDir, 'dist/src/azurite.js'),
    ...(opts.location ? ['--location', opts.location] : ['--inMemoryPersistence']),
    '--disableTelemetry',
    '--skipApiVersionCheck',
    ...['blob', 'queue', 'table'].flatMap((s) => [`--${s}Host`, '127.0.0.1', `--${s}Port`, '0']),
    ...(opts.args ?? []),
  ];
  const env = { ...process.env };
  if (opts.accounts) env['AZURITE_ACCOUNTS'] = opts.accounts;
  else delete env['AZURITE_ACCOUNTS'];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env, cwd: opts.location });
  let output = '';
  // keep the tail only: without --silent Azurite prints one access-log line per request
  const keep = (s: string) => (output = (output + s).slice(-65_536));
  child.stdout!.setEncoding('utf8').on('data', keep);
  child.stderr!.setEncoding('utf8').on('data', keep);
  const endpoints = await waitForEndpoints(child, () => output, opts.startTimeoutMs ?? 30_000);
  const [account, key] = firstAccount(opts.accounts);
  const services = { blob: endpoints['Blob']!, queue: endpoints['Queue']!, table: endpoints['Table']! };
  return {
    ...services,
    account,
    key,
    accountUrl: (service, acct = account) => `${services[service]}/${acct}`,
    output: () => output,
    stop: () => stopChild(child),
  };
}

function waitForEndpoints(child: ChildProcess, output: () => string, timeoutMs: number): Promise<Record<string, string>> {
  return new Promise((resolve, reject) => {
    const found: Record<string, string> = {};
    const fail = (why: string) => {
      cleanup();
      child.kill('SIGKILL');
      reject(new Error(`Azurite did not start: ${why}\n${output()}`));
    };
    const onData = () => {
      for (const m of output().matchAll(READY)) found[m[1]!] = m[2]!.replace(/\/+$/, '');
      if (found['Blob'] && found['Queue'] && found['Table']) {
        cleanup();
        resolve(found);
      }
    };
    const onExit = (code: number | null) => fail(`exited with code ${code}`);
    const timer = setTimeout(() => fail(`no endpoints after ${timeoutMs} ms`), timeoutMs);
    const cleanup = () => {
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      child.off('exit', onExit);
    };
    child.stdout!.on('data', onData);
    child.once('exit', onExit);
  });
}

function firstAccount(accounts: string | undefined): [string, string] {
  if (!accounts) return [DEV_ACCOUNT, EMULATOR_KEY];
  const [name = DEV_ACCOUNT, key = ''] = accounts.split(';')[0]!.split(':');
  return [name, key];
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}
