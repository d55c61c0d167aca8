import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/**
 * A real PostgreSQL server for the shared-store tests: Debian's `postgresql` binaries
 * (initdb, pg_ctl; .ci/run installs them), a cluster in a temporary directory, listening on
 * a free loopback port only, stopped and removed when the test ends. As root (CI may run
 * as root; initdb refuses to), the cluster belongs to the `postgres` user (made by Debian's
 * package) or `nobody`, and its programs run as that user through runuser.
 *
 * Tests that need it and cannot have it skip with the reason — unless
 * SASQUATCH_REQUIRE_POSTGRES=1 (set by .ci/run), where they fail instead.
 */
export interface PgServer {
  /** A connection URL for a database on this server. */
  url(database?: string): string;
  /** Creates an empty database and returns its URL. */
  createDatabase(): Promise<string>;
  stop(): void;
}

export const REQUIRE_POSTGRES = process.env['SASQUATCH_REQUIRE_POSTGRES'] === '1';

/** Where initdb and pg_ctl are: on PATH, else the newest /usr/lib/postgresql/<v>/bin. */
export function postgresBinDir(): string | null {
  for (const dir of (process.env['PATH'] ?? '').split(path.delimiter)) {
    if (dir && existsSync(path.join(dir, 'initdb')) && existsSync(path.join(dir, 'pg_ctl'))) return dir;
  }
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((v) => /^\d+$/.test(v))
    .sort((a, b) => Number(b) - Number(a));
  for (const v of versions) {
    const dir = path.join(root, v, 'bin');
    if (existsSync(path.join(dir, 'initdb')) && existsSync(path.join(dir, 'pg_ctl'))) return dir;
  }
  return null;
}

/** Why a server cannot be started here, or null when it can. */
export function postgresUnavailable(): string | null {
  if (!postgresBinDir()) return 'PostgreSQL is not installed (apt-get install postgresql; .ci/run does)';
  if (process.getuid?.() === 0 && !serverUser()) return 'running as root with neither a postgres nor a nobody user to run the server as';
  return null;
}

/** The skip reason for node:test, or false (run) — never a skip when the server is required. */
export function skipWithoutPostgres(): string | false {
  const why = postgresUnavailable();
  if (!why || REQUIRE_POSTGRES) return false;
  return why;
}

interface ServerUser {
  name: string;
  uid: number;
  gid: number;
}

function serverUser(): ServerUser | null {
  for (const name of ['postgres', 'nobody']) {
    try {
      const uid = Number(execFileSync('id', ['-u', name], { encoding: 'utf8' }).trim());
      const gid = Number(execFileSync('id', ['-g', name], { encoding: 'utf8' }).trim());
      if (Number.isInteger(uid) && uid > 0) return { name, uid, gid };
    } catch {
      // no such user
    }
  }
  return null;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

export async function startPostgres(): Promise<PgServer> {
  const bin = postgresBinDir();
  if (!bin) throw new Error(postgresUnavailable()!);
  const root = process.getuid?.() === 0;
  const user = root ? serverUser() : null;
  if (root && !user) throw new Error(postgresUnavailable()!);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sasquatch-pg-'));
  if (user) chownSync(dir, user.uid, user.gid);
  const data = path.join(dir, 'data');
  const run = (cmd: string, args: string[]) => {
    const full = user ? ['runuser', ['-u', user.name, '--', path.join(bin, cmd), ...args]] as const : [path.join(bin, cmd), args] as const;
    const r = spawnSync(full[0], full[1], { encoding: 'utf8', cwd: dir, env: { ...process.env, LC_ALL: 'C' } });
    if (r.status !== 0) throw new Error(`${cmd} failed (${r.status}): ${r.stderr || r.stdout || r.error?.message}`);
  };
  let port = 0;
  try {
    run('initdb', ['-D', data, '-U', 'sasquatch', '--auth=trust', '--encoding=UTF8', '--no-locale', '--no-sync']);
    for (let attempt = 0; ; attempt++) {
      port = await freePort();
      try {
        const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
        run('pg_ctl', ['-D', data, '-l', path.join(dir, 'server.log'), '-o', opts, '-w', '-t', '60', 'start']);
        break;
      } catch (e) {
        if (attempt >= 2) throw e;
      }
    }
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    process.off('exit', stop);
    try {
      run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
    } catch {
      // already gone
    }
    rmSync(dir, { recursive: true, force: true });
  };
  process.on('exit', stop);
  const url = (database = 'postgres') => `postgres://sasquatch@127.0.0.1:${port}/${database}`;
  let n = 0;
  return {
    url,
    async createDatabase() {
      const pg = (await import('pg')).default;
      const name = `t${process.pid}_${++n}_${Date.now() % 100000}`;
      const client = new pg.Client({ connectionString: url() });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      return url(name);
    },
    stop,
  };
}
