import { linkSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { StoreErrorBase } from './errors.js';

/**
 * An embedded store is one process's database (PGlite runs inside the process that opened
 * it; two processes on one directory would each write their own version of it). The store
 * directory holds a lock file naming its owner, created exclusively; a lock whose process is
 * gone (killed) is taken over. This guards one directory on one machine — work across
 * processes and machines goes through a PostgreSQL server and pg-boss instead.
 */
export class EmbeddedLock {
  private released = false;

  private constructor(private readonly file: string) {}

  static async acquire(dir: string, waitMs: number): Promise<EmbeddedLock> {
    const file = path.join(dir, 'sasquatch.lock');
    const deadline = Date.now() + waitMs;
    // while it waits, a process says so: a long-running holder (the console) lets go of the
    // store between its requests when someone waits (see store/shared.ts)
    const marker = path.join(dir, `${WAITING}${process.pid}`);
    try {
      return await EmbeddedLock.wait(file, dir, deadline, marker);
    } finally {
      rmSync(marker, { force: true });
    }
  }

  /** Another live process on this machine waits for the store in this directory. */
  static othersWaiting(dir: string): boolean {
    let names: string[];
    try {
      names = readdirSync(dir).filter((n) => n.startsWith(WAITING));
    } catch {
      return false;
    }
    return names.some((n) => {
      const pid = Number(n.slice(WAITING.length));
      if (pid === process.pid) return false;
      if (alive(pid)) return true;
      rmSync(path.join(dir, n), { force: true });
      return false;
    });
  }

  private static async wait(file: string, dir: string, deadline: number, marker: string): Promise<EmbeddedLock> {
    for (let attempt = 0; ; attempt++) {
      const owner = tryCreate(file);
      if (owner === null) {
        const lock = new EmbeddedLock(file);
        process.once('exit', () => lock.release());
        return lock;
      }
      if (attempt === 0) writeFileSync(marker, os.hostname(), { mode: 0o600 });
      if (owner.pid === -1) continue;
      if (owner.host === os.hostname() && !alive(owner.pid)) {
        rmSync(file, { force: true });
        continue;
      }
      if (Date.now() >= deadline) {
        throw new StoreLockedError(
          `the store in ${dir} is in use by process ${owner.pid}${owner.host !== os.hostname() ? ` on ${owner.host}` : ''} (an embedded store serves one process at a time; share work through a PostgreSQL store: --store postgres://…)`,
        );
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    try {
      const owner = JSON.parse(readFileSync(this.file, 'utf8')) as { pid: number };
      if (owner.pid === process.pid) rmSync(this.file, { force: true });
    } catch {
      // already gone
    }
  }
}

/** null when created (ours), else the current owner. Written whole, then linked into place (atomic). */
function tryCreate(file: string): { pid: number; host: string } | null {
  const tmp = `${file}.${process.pid}.${Date.now()}`;
  writeFileSync(tmp, JSON.stringify({ pid: process.pid, host: os.hostname(), since: new Date().toISOString() }), { mode: 0o600 });
  try {
    linkSync(tmp, file);
    return null;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  } finally {
    rmSync(tmp, { force: true });
  }
  try {
    const owner = JSON.parse(readFileSync(file, 'utf8')) as { pid: number; host: string };
    return { pid: Number(owner.pid), host: String(owner.host) };
  } catch {
    // removed by its owner in the meantime: try again
    return { pid: -1, host: os.hostname() };
  }
}

function alive(pid: number): boolean {
  if (!(pid > 0)) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const WAITING = 'sasquatch.lock.waiting-';

export class StoreLockedError extends StoreErrorBase {}
