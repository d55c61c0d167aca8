import { randomBytes } from 'node:crypto';
import { accessSync, chmodSync, constants, realpathSync, renameSync, rmSync, statSync, writeFileSync, type Stats } from 'node:fs';
import path from 'node:path';

/** 3: a live check was asked for and could not be made (unknown: offline, DNS, timeout, refused, TLS, …). */
export const EXIT = { ok: 0, findings: 1, error: 2, unknown: 3 } as const;

/** Raised for user errors: printed without a stack trace, exit 2. */
export class UsageError extends Error {}

/**
 * Checks, before any work is done, that a report can be written at `file`: its directory
 * exists and is writable, and it is not itself a directory. A scan that runs for an hour
 * must not end in a stack trace because `-o` named a missing directory.
 */
export function checkOutputPath(file: string | undefined, option = '--output'): void {
  if (!file || file === '-') return;
  const problem = outputProblem(file);
  if (problem) throw new UsageError(`cannot write ${option} ${file}: ${problem}`);
}

function outputProblem(file: string): string | null {
  const target = path.resolve(file);
  const st = statOrNull(target);
  if (st instanceof Error) return reason(st);
  if (st?.isDirectory()) return 'it is a directory';
  if (st) {
    try {
      accessSync(target, constants.W_OK);
    } catch (e) {
      return reason(e);
    }
    if (!st.isFile()) return null; // a device or a pipe (/dev/stdout): written in place
  }
  const dir = path.dirname(st ? realpathSync(target) : target);
  const d = statOrNull(dir);
  if (d instanceof Error) return reason(d, dir);
  if (!d) return `directory ${dir} does not exist`;
  if (!d.isDirectory()) return `${dir} is not a directory`;
  try {
    accessSync(dir, constants.W_OK | constants.X_OK);
  } catch (e) {
    return reason(e, dir);
  }
  return null;
}

function statOrNull(p: string): Stats | null | Error {
  try {
    return statSync(p);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? null : (e as Error);
  }
}

function reason(e: unknown, dir?: string): string {
  const code = (e as NodeJS.ErrnoException).code;
  const where = dir ? `directory ${dir}` : 'the file';
  if (code === 'EACCES' || code === 'EPERM') return `permission denied (${where} is not writable)`;
  if (code === 'ENOTDIR') return 'a part of the path is not a directory';
  if (code === 'EROFS') return 'read-only file system';
  if (code === 'EISDIR') return 'it is a directory';
  return (e as Error).message;
}

/**
 * Writes a file whole or not at all: to a temporary file in the same directory, then renamed
 * over the target, so an interrupted or failed run never leaves a half-written report (and
 * readers never see one). Devices and pipes are written in place; symbolic links are
 * followed, so the link stays and its target is replaced; the target's mode is kept.
 */
export function writeFileAtomic(file: string, data: string | Buffer, option = '--output'): void {
  const target = path.resolve(file);
  const st = statOrNull(target);
  try {
    if (st && !(st instanceof Error) && !st.isFile() && !st.isDirectory()) {
      writeFileSync(target, data);
      return;
    }
    const real = st && !(st instanceof Error) ? realpathSync(target) : target;
    const tmp = path.join(path.dirname(real), `.${path.basename(real)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    try {
      writeFileSync(tmp, data, { flag: 'wx', mode: 0o666 });
      if (st && !(st instanceof Error)) chmodSync(tmp, st.mode & 0o7777);
      renameSync(tmp, real);
    } catch (e) {
      rmSync(tmp, { force: true });
      throw e;
    }
  } catch (e) {
    throw new UsageError(`cannot write ${option} ${file}: ${reason(e)}`);
  }
}

/** Set once the reader of stdout went away (`sasquatch scan -f json | head -1`). */
let stdoutClosed = false;

/**
 * A closed pipe on stdout is the reader saying it has seen enough, not an error: the rest
 * of the output is dropped quietly and the exit code still says what the command found.
 */
export function quietOnClosedStdout(): void {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') stdoutClosed = true;
    else throw e;
  });
}

/** Writes a report to --output (atomically) or stdout. */
export async function emit(text: string, output: string | undefined): Promise<void> {
  if (output && output !== '-') {
    writeFileAtomic(output, text);
    return;
  }
  if (stdoutClosed) return;
  await new Promise<void>((resolve, reject) =>
    process.stdout.write(text, (e) => {
      if (!e) return resolve();
      if ((e as NodeJS.ErrnoException).code === 'EPIPE') {
        stdoutClosed = true;
        return resolve();
      }
      reject(e);
    }),
  );
}
