import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { AccessConfigError, checkAccess, parseTokens } from '../../serve/access.js';
import { DEFAULT_STORE_DIR } from '../../store/db.js';
import { StoreErrorBase } from '../../store/errors.js';
import { refreshStatistics } from '../../store/maintenance.js';
import { openSharedStore, type SharedStore } from '../../store/shared.js';
import { UsageError } from '../output.js';
import { actorName, addStoreOption } from '../store-flags.js';

/**
 * `sasquatch serve`: the triage console over a store, on 127.0.0.1 unless told otherwise.
 * Another host needs SASQUATCH_SERVE_TOKEN or a sign-in proxy (--user-header); the process
 * runs until SIGINT/SIGTERM.
 */
interface ServeFlags {
  store?: string;
  port: number;
  host: string;
  readOnly?: boolean;
  userHeader?: string;
  quiet?: boolean;
}

function port(v: string): number {
  const n = Number(v);
  if (!/^\d+$/.test(v) || n > 65535) throw new InvalidArgumentError('expected a port number (0 picks a free one)');
  return n;
}

function headerName(v: string): string {
  if (!/^[A-Za-z0-9-]{1,64}$/.test(v)) throw new InvalidArgumentError('expected an HTTP header name, e.g. X-Forwarded-User');
  return v.toLowerCase();
}

export function registerServe(program: Command): void {
  addStoreOption(
    program
      .command('serve')
      .description('the triage console: the store\'s findings in a browser, and a JSON API (on 127.0.0.1 by default)')
      .option('--port <n>', 'port to listen on (0: any free one)', port, 8080)
      .option('--host <address>', 'address to listen on; anything but loopback needs SASQUATCH_SERVE_TOKEN or --user-header', '127.0.0.1')
      .option('--read-only', 'show the findings; refuse every change')
      .option('--user-header <name>', 'a trusted reverse proxy names the signed-in person in this header (e.g. X-Forwarded-User); requests without it are refused', headerName)
      .option('-q, --quiet', 'print nothing but errors'),
  ).action(async (flags: ServeFlags) => {
    const say = (s: string) => {
      if (!flags.quiet) process.stderr.write(`${s}\n`);
    };
    let access;
    try {
      access = { host: flags.host, tokens: parseTokens(process.env['SASQUATCH_SERVE_TOKEN']), userHeader: flags.userHeader ?? null, localUser: actorName(undefined) };
      checkAccess(access);
    } catch (e) {
      if (e instanceof AccessConfigError) throw new UsageError(e.message);
      throw e;
    }
    let db: SharedStore;
    try {
      db = await openSharedStore(flags.store ?? process.env['SASQUATCH_STORE'] ?? DEFAULT_STORE_DIR);
    } catch (e) {
      if (e instanceof StoreErrorBase) throw new UsageError(e.message);
      throw e;
    }
    try {
      if (db.kind === 'embedded') {
        say(`preparing the embedded store ${db.location}…`);
        await refreshStatistics(db);
      }
      // the web framework is loaded by this command only, not by every run of the CLI
      const { buildApp } = await import('../../serve/app.js');
      const app = await buildApp(db, { ...access, readOnly: Boolean(flags.readOnly) });
      const address = await app.listen({ host: flags.host, port: flags.port });
      const who = access.userHeader ? `people named by ${flags.userHeader}` : access.tokens.length ? 'holders of SASQUATCH_SERVE_TOKEN' : access.localUser;
      // the one line on stdout: where the console is (scripts and tests read it)
      process.stdout.write(`${address}/\n`);
      say(`sasquatch console on ${address}/ — store ${db.location}${flags.readOnly ? ', read-only' : ''}; decisions recorded as ${who}. Ctrl-C stops it.`);
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      say('stopping…');
      await app.close();
    } finally {
      await db.close();
    }
  });
}
