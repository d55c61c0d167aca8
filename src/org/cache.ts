import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { displayUrl } from '../sources/git/repo.js';
import { gitEnv, gitVersion, versionAtLeast } from '../sources/git/git.js';

/**
 * Each worker machine keeps the repositories it scans as bare clones in a cache directory,
 * updated with `git fetch` (heads and tags, pruned), so a rescan downloads only new objects.
 *
 * Partial clones: with git 2.45 or newer the clones leave out blobs larger than the scan's
 * size limit (--filter=blob:limit), which would not be scanned anyway; git then can be told
 * never to fetch a missing blob behind our back (GIT_NO_LAZY_FETCH). Older git cannot, and
 * the history scanner refuses partial clones there, so the clones are full.
 */
export interface Tips {
  /** HEAD's commit (the default branch), or null for an empty repository. */
  head: string | null;
  /** refs/heads/* and refs/tags/* → object id (a tag object for annotated tags, as ls-remote shows). */
  tips: Record<string, string>;
}

export class GitRemoteError extends Error {}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** git with the scanner's safe environment plus what this remote needs (its token, as config from the environment). */
export function runGit(args: string[], extraEnv: NodeJS.ProcessEnv = {}, cwd?: string, input?: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const env = { ...gitEnv(), ...extraEnv, GIT_TERMINAL_PROMPT: '0', GIT_ASKPASS: '', SSH_ASKPASS: '' };
    const p = spawn('git', [...(cwd ? ['-C', cwd] : []), '-c', 'core.fsmonitor=false', '-c', 'credential.interactive=false', ...args], { env, stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    if (input !== undefined) {
      p.stdin!.on('error', () => undefined);
      p.stdin!.end(input);
    }
    const out: Buffer[] = [];
    let err = '';
    p.stdout!.on('data', (d: Buffer) => out.push(d));
    p.stderr!.on('data', (d: Buffer) => {
      if (err.length < 16_384) err += d.toString('utf8');
    });
    p.once('error', reject);
    p.once('close', (code) => resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: err }));
  });
}

function failure(what: string, url: string, r: Run): GitRemoteError {
  const line = r.stderr
    .split('\n')
    .map((l) => l.replace(/^(fatal|error|remote): /, '').trim())
    .filter(Boolean)
    .join('; ')
    .replaceAll(url, displayUrl(url));
  return new GitRemoteError(`${what} ${displayUrl(url)}: ${line || `git exited ${r.code}`}`);
}

/** What a remote's heads and tags point at now, without fetching anything (one round trip). */
export async function lsRemote(url: string, env: NodeJS.ProcessEnv = {}): Promise<Tips> {
  const r = await runGit(['ls-remote', '--symref', '--', url, 'HEAD', 'refs/heads/*', 'refs/tags/*'], env);
  if (r.code !== 0) throw failure('cannot list the refs of', url, r);
  return parseRefs(r.stdout);
}

export function parseRefs(text: string): Tips {
  const tips: Record<string, string> = {};
  let head: string | null = null;
  let headRef: string | null = null;
  for (const line of text.split('\n')) {
    const sym = /^ref: (\S+)\tHEAD$/.exec(line);
    if (sym) {
      headRef = sym[1]!;
      continue;
    }
    const m = /^([0-9a-f]{40,64})\t(\S+)$/.exec(line);
    if (!m) continue;
    const [, id, ref] = m;
    if (ref === 'HEAD') head = id!;
    else if (/^refs\/(heads|tags)\//.test(ref!) && !ref!.endsWith('^{}')) tips[ref!] = id!;
  }
  if (!head && headRef && tips[headRef]) head = tips[headRef]!;
  return { head, tips };
}

/** Two sets of tips are the same refs at the same objects. */
export function sameTips(a: Record<string, string>, b: Record<string, string>): boolean {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => a[k] === b[k]);
}

export class CloneCache {
  /** Per clone, the operation in progress in this process (a fetch and a scan must not overlap a fetch). */
  private readonly busy = new Map<string, Promise<unknown>>();

  constructor(
    readonly root: string,
    /** The scan's --max-file-size (bytes; 0 = none): the partial clone's blob limit. */
    private readonly maxFileSize: number,
  ) {}

  /** `<root>/<host>/<name>-<hash>.git`: readable, and unique per URL. */
  dirFor(url: string): string {
    const hash = createHash('sha256').update(url).digest('hex').slice(0, 12);
    const clean = url.replace(/^[a-z+]+:\/\/(?:[^@/]*@)?/i, '').replace(/^[^@/]+@([^:]+):/, '$1/');
    const parts = clean.split('/').filter(Boolean);
    const host = /^file:/i.test(url) ? 'local' : (parts[0] ?? 'local').replace(/[^A-Za-z0-9._-]/g, '_') || 'local';
    const name = (parts.slice(-1)[0] ?? 'repo').replace(/\.git$/, '').replace(/[^A-Za-z0-9._-]/g, '_') || 'repo';
    return path.join(this.root, host, `${name}-${hash}.git`);
  }

  /** Clones the repository into the cache, or fetches what is new; returns its directory and tips. */
  async sync(url: string, env: NodeJS.ProcessEnv = {}, defaultBranch?: string | null): Promise<{ dir: string; cloned: boolean; tips: Tips }> {
    const dir = this.dirFor(url);
    return this.exclusive(dir, async () => {
      let cloned = false;
      if (existsSync(path.join(dir, 'HEAD'))) await this.fetch(dir, url, env);
      else {
        await this.clone(dir, url, env);
        cloned = true;
      }
      // HEAD follows the default branch the platform names (a clone took the one of its day)
      if (defaultBranch && readHead(dir) !== `refs/heads/${defaultBranch}`) await runGit(['symbolic-ref', 'HEAD', `refs/heads/${defaultBranch}`], {}, dir);
      return { dir, cloned, tips: await readTips(dir) };
    });
  }

  private async exclusive<T>(dir: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.busy.get(dir) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    this.busy.set(dir, next.catch(() => undefined));
    return next;
  }

  private async cloneArgs(): Promise<string[]> {
    const partial = this.maxFileSize > 0 && versionAtLeast(await gitVersion(), [2, 45, 0]);
    return partial ? [`--filter=blob:limit=${this.maxFileSize}`] : [];
  }

  private async clone(dir: string, url: string, env: NodeJS.ProcessEnv): Promise<void> {
    mkdirSync(path.dirname(dir), { recursive: true });
    // cloned beside the final place and renamed into it: a clone killed half-way leaves nothing
    // that looks like a repository, and two processes cloning at once both end with one clone
    const tmp = mkdtempSync(`${dir}.tmp-`);
    try {
      // a bare clone has every head and tag, but no fetch refspec to keep them in step: add it
      const r = await runGit(['clone', '--bare', '--quiet', '--config', 'gc.auto=0', ...(await this.cloneArgs()), '--', url, tmp], env);
      if (r.code !== 0) throw failure('cannot clone', url, r);
      appendFileSync(path.join(tmp, 'config'), '[remote "origin"]\n\tfetch = +refs/heads/*:refs/heads/*\n\tfetch = +refs/tags/*:refs/tags/*\n');
      try {
        renameSync(tmp, dir);
      } catch (e) {
        if (!existsSync(path.join(dir, 'HEAD'))) throw e;
      }
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }

  private async fetch(dir: string, url: string, env: NodeJS.ProcessEnv): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const r = await runGit(['fetch', '--quiet', '--prune', 'origin'], env, dir);
      if (r.code === 0) return;
      // another process on this machine fetching the same clone holds git's ref locks: wait a moment
      if (attempt < 5 && /\.lock'?: File exists|cannot lock ref|Unable to create .*\.lock/i.test(r.stderr)) {
        await new Promise((res) => setTimeout(res, 200 * (attempt + 1)));
        continue;
      }
      throw failure('cannot fetch', url, r);
    }
  }
}

/** HEAD and the heads and tags of a clone, in the form ls-remote gives them (one git call). */
export async function readTips(dir: string): Promise<Tips> {
  const r = await runGit(['show-ref', '--head', '--heads', '--tags'], {}, dir);
  // exit 1: no refs at all (an empty repository)
  if (r.code !== 0 && r.code !== 1) throw new GitRemoteError(`cannot read the refs of ${dir}: ${r.stderr.trim()}`);
  const parsed = parseRefs(r.stdout.replace(/^([0-9a-f]+) /gm, '$1\t'));
  return { head: parsed.head, tips: parsed.tips };
}

/** The ref HEAD names, read from the file as git writes it. */
function readHead(dir: string): string | null {
  try {
    const m = /^ref: (\S+)/.exec(readFileSync(path.join(dir, 'HEAD'), 'utf8'));
    return m ? m[1]! : null;
  } catch {
    return null;
  }
}

/** Which of these object ids this clone has as commits (earlier tips a force-push may have dropped). */
export async function existingCommits(dir: string, ids: readonly string[]): Promise<string[]> {
  const unique = [...new Set(ids)].filter((id) => /^[0-9a-f]{40,64}$/.test(id));
  if (!unique.length) return [];
  const r = await runGit(['cat-file', '--batch-check=%(objecttype)'], {}, dir, unique.map((id) => `${id}^{commit}\n`).join(''));
  const answers = r.stdout.split('\n');
  return unique.filter((_, i) => answers[i] === 'commit');
}

/** Removes a clone (after it was found broken). */
export function dropClone(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
