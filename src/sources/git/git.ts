import { spawn, type ChildProcess, type ChildProcessByStdio } from 'node:child_process';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';

/**
 * Running git: every call goes through here so each one gets the same safe environment.
 * sasquatch reads repositories it did not write, so git must not run repository-controlled
 * programs (fsmonitor, textconv, external diff, pagers), must not prompt, must not fetch
 * missing objects of a partial clone behind the user's back, and must not take locks.
 */
export class GitError extends Error {
  constructor(
    message: string,
    readonly args: readonly string[],
    readonly stderr: string,
    readonly code: number | null,
  ) {
    super(message);
  }
}

/** Config overrides put in front of every command (`git -c k=v …`). */
const SAFE_CONFIG = ['core.fsmonitor=false', 'core.untrackedCache=false', 'log.showSignature=false', 'color.ui=false', 'core.quotePath=false'];

export function gitEnv(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base };
  // a hook (pre-commit) runs with GIT_DIR & co. set for its own repository; we always name the
  // repository with -C, so these must not redirect us elsewhere
  for (const k of ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_COMMON_DIR', 'GIT_PREFIX', 'GIT_OBJECT_DIRECTORY', 'GIT_ALTERNATE_OBJECT_DIRECTORIES']) delete env[k];
  // …except the index a pre-commit hook is given (git commit -a / paths use a temporary index)
  if (env['GIT_INDEX_FILE'] && !path.isAbsolute(env['GIT_INDEX_FILE'])) env['GIT_INDEX_FILE'] = path.resolve(env['GIT_INDEX_FILE']);
  env['GIT_TERMINAL_PROMPT'] = '0';
  env['GIT_NO_LAZY_FETCH'] = '1';
  env['GIT_OPTIONAL_LOCKS'] = '0';
  env['GIT_PAGER'] = 'cat';
  env['LC_ALL'] = 'C';
  return env;
}

function fullArgs(cwd: string | null, args: readonly string[]): string[] {
  const out: string[] = [];
  if (cwd) out.push('-C', cwd);
  for (const c of SAFE_CONFIG) out.push('-c', c);
  return [...out, ...args];
}

export type GitProcess = ChildProcessByStdio<Writable, Readable, Readable> & {
  stderrText(): string;
  /** Set when git could not be started at all (not installed, …). */
  spawnError: Error | null;
  /** Exit code once the process is gone and its output flushed; null when it never ran or was killed. */
  done: Promise<number | null>;
};

/**
 * Starts git with its stdin, stdout and stderr on file descriptors the caller opened (named
 * pipes a worker reads with blocking calls: cat-file-sync.ts); the same safe environment.
 */
export function spawnGitOn(cwd: string | null, args: readonly string[], fds: [number, number, number]): ChildProcess {
  return spawn('git', fullArgs(cwd, args), { env: gitEnv(), stdio: fds });
}

/** Starts a git process with piped stdio; stderr is collected (bounded) for error messages. */
export function spawnGit(cwd: string | null, args: readonly string[]): GitProcess {
  const proc = spawn('git', fullArgs(cwd, args), { env: gitEnv(), stdio: ['pipe', 'pipe', 'pipe'] }) as GitProcess;
  let err = '';
  proc.spawnError = null;
  proc.stderr.setEncoding('utf8');
  proc.stderr.on('data', (d: string) => {
    if (err.length < 64 * 1024) err += d;
  });
  proc.stderrText = () => err;
  // a closed pipe (we stopped reading or writing early) must not crash the process
  proc.stdin.on('error', () => undefined);
  // never rejects, so it can be awaited late without an unhandled rejection
  proc.done = new Promise((resolve) => {
    proc.once('error', (e) => {
      proc.spawnError = e;
      err += `cannot run git: ${e.message}`;
      resolve(null);
    });
    proc.once('close', (code) => resolve(code));
  });
  return proc;
}

/** Resolves with the exit code once the process has exited and its output is flushed. */
export function exited(proc: GitProcess): Promise<number | null> {
  return proc.done;
}

/** Runs git to completion and returns stdout; rejects with a GitError on a non-zero exit. */
export async function git(cwd: string | null, args: readonly string[], opts: { input?: string; allowFail?: boolean } = {}): Promise<string> {
  const r = await gitResult(cwd, args, opts.input);
  if (r.code !== 0 && !opts.allowFail) throw new GitError(`git ${args[0]} failed: ${firstLine(r.stderr) || `exit ${r.code}`}`, args, r.stderr, r.code);
  return r.stdout;
}

export async function gitResult(cwd: string | null, args: readonly string[], input?: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const proc = spawnGit(cwd, args);
  const chunks: Buffer[] = [];
  proc.stdout.on('data', (c: Buffer) => chunks.push(c));
  if (input !== undefined) proc.stdin.end(input);
  else proc.stdin.end();
  const code = await exited(proc);
  if (proc.spawnError) throw new GitError(`cannot run git: ${proc.spawnError.message}`, args, '', null);
  return { code, stdout: Buffer.concat(chunks).toString('utf8'), stderr: proc.stderrText() };
}

export function firstLine(s: string): string {
  return (
    s
      .split('\n')
      .map((l) => l.replace(/^(fatal|error): /, '').trim())
      .find(Boolean) ?? ''
  );
}

/** Splits a byte stream on NUL into UTF-8 strings, across chunk boundaries (for `-z` output). */
export async function* nulTokens(stream: AsyncIterable<Buffer>): AsyncGenerator<string> {
  let rest: Buffer | null = null;
  for await (const chunk of stream) {
    const buf: Buffer = rest ? Buffer.concat([rest, chunk]) : chunk;
    let start = 0;
    for (let i = buf.indexOf(0, start); i !== -1; i = buf.indexOf(0, start)) {
      yield buf.toString('utf8', start, i);
      start = i + 1;
    }
    rest = start < buf.length ? Buffer.from(buf.subarray(start)) : null;
  }
  if (rest && rest.length) yield rest.toString('utf8');
}

let versionCache: Promise<[number, number, number]> | null = null;

/** The installed git version as [major, minor, patch]; rejects when git is not installed. */
export function gitVersion(): Promise<[number, number, number]> {
  versionCache ??= git(null, ['version']).then((out) => {
    const m = /(\d+)\.(\d+)(?:\.(\d+))?/.exec(out);
    if (!m) throw new GitError(`cannot read the git version from "${out.trim()}"`, ['version'], '', 0);
    return [+m[1]!, +m[2]!, +(m[3] ?? 0)] as [number, number, number];
  });
  return versionCache;
}

export function versionAtLeast(v: readonly number[], min: readonly number[]): boolean {
  for (let i = 0; i < min.length; i++) {
    if ((v[i] ?? 0) !== min[i]) return (v[i] ?? 0) > min[i]!;
  }
  return true;
}
