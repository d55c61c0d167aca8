import { spawn } from 'node:child_process';
import { CLI } from './cli.js';

/**
 * `sasquatch serve` as a real process on a free loopback port, for the browser tests and
 * the screenshots: its URL is the one line it prints on stdout.
 */
export interface RunningConsole {
  url: string;
  stderr(): string;
  stop(): Promise<void>;
}

export function startConsole(store: string, opts: { args?: string[]; env?: NodeJS.ProcessEnv } = {}): Promise<RunningConsole> {
  const child = spawn(process.execPath, [CLI, 'serve', '--store', store, '--port', '0', ...(opts.args ?? [])], {
    env: { ...process.env, NO_COLOR: '1', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`the console did not start in 60 s: ${err}`)), 60_000);
    const fail = (e: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(e);
    };
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.once('exit', (code) => fail(new Error(`the console exited (${code}): ${err}`)));
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const line = /^(http:\/\/\S+\/)\n/.exec(out);
      if (!line) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      resolve({
        url: line[1]!,
        stderr: () => err,
        async stop() {
          child.kill('SIGTERM');
          await exited;
        },
      });
    });
  });
}
