import { exited, spawnGit, type GitProcess } from './git.js';
import type { Repository } from './repo.js';

/**
 * One long-lived `git cat-file --batch`: names go in on stdin, objects come out on stdout in
 * the same order. Writing and reading run concurrently; the caller awaits `request` (which
 * waits for the pipe to drain) so neither side grows without bound.
 */
export interface CatObject {
  /** The name that was asked for (an object id, or `rev:path`). */
  name: string;
  /** What the caller attached to the request (a path, for blobs from history). */
  tag: string;
  oid: string | null;
  type: string | null;
  size: number;
  /** The content, when it was a blob within the size limit; null otherwise. */
  bytes: Uint8Array | null;
  missing: boolean;
}

/**
 * git maps pack files into memory whole (up to 8 GB by default), and every page it touches
 * stays resident: reading a large history made git the largest process of the scan (the size
 * of the repository's pack, 500 MB and more). Windows of 64 MB, 256 MB at most, bound it;
 * the delta base cache keeps git's default.
 */
export const PACK_MEMORY = ['-c', 'core.packedGitWindowSize=64m', '-c', 'core.packedGitLimit=256m'];

/** Largest content written into the reused buffer; a larger blob gets a buffer of its own. */
export const REUSE_MAX = 8 << 20;

/** A batch answer's header, `<oid> <type> <size>`; null for `<name> missing` or `<name> ambiguous`. */
export function batchHeader(line: string): { oid: string; type: string; size: number } | null {
  const parts = line.split(' ');
  const last = parts[parts.length - 1];
  if (parts.length < 3 || last === 'missing' || last === 'ambiguous') return null;
  return { oid: parts[0]!, type: parts[1]!, size: Number(parts[2]) };
}

export class CatFileBatch {
  private readonly proc: GitProcess;
  private readonly names: string[] = [];
  private readonly tags: string[] = [];
  private head = 0;
  private ended = false;

  /**
   * `check` mode (`--batch-check`) returns ids, types and sizes only. `buffered` lets git hold
   * its output until its buffer fills or stdin ends (fastest when every name is written before
   * the answers are awaited); a reader that waits for answers while stdin stays open needs
   * each answer flushed, so passes false.
   */
  constructor(repo: Repository, private readonly check = false, buffered = true) {
    this.proc = spawnGit(repo.dir, [...PACK_MEMORY, 'cat-file', check ? '--batch-check' : '--batch', ...(buffered ? ['--buffer'] : [])]);
  }

  /** Queues a name (with a tag handed back with its answer); resolves when the pipe can take more. */
  async request(name: string, tag = ''): Promise<void> {
    this.names.push(name);
    this.tags.push(tag);
    if (!this.proc.stdin.write(`${name}\n`) && this.proc.exitCode === null && !this.proc.spawnError) {
      // the pipe is full: wait until git has read some, or is gone
      await new Promise<void>((resolve) => {
        const done = () => {
          this.proc.stdin.off('drain', done);
          this.proc.off('close', done);
          resolve();
        };
        this.proc.stdin.once('drain', done);
        this.proc.once('close', done);
      });
    }
  }

  /** No more requests: git flushes and exits after the last object. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.proc.stdin.end();
  }

  kill(): void {
    this.proc.kill();
  }

  /**
   * The answers, in request order. Blob contents larger than `maxBytes` (0 = no limit), and
   * contents of other object types, are skipped without being held in memory.
   * `reuse`: contents up to REUSE_MAX bytes are written into one buffer, overwritten by the
   * next answer — for a caller that is done with each blob before it asks for the next (a
   * history scan reads gigabytes: a fresh buffer per blob was most of its garbage and memory).
   */
  async *objects(maxBytes = 0, reuse = false): AsyncGenerator<CatObject> {
    let header: Buffer[] = [];
    let cur: CatObject | null = null;
    let want = 0; // content bytes still to come for cur
    let filled = 0;
    let trailer = false; // the LF after the content
    for await (const chunk of this.proc.stdout as AsyncIterable<Buffer>) {
      let i = 0;
      while (i < chunk.length) {
        if (cur === null) {
          const nl = chunk.indexOf(10, i);
          if (nl === -1) {
            header.push(chunk.subarray(i));
            break;
          }
          // a header is nearly always whole in one chunk: no copy then
          if (header.length) header.push(chunk.subarray(i, nl));
          const line = header.length ? Buffer.concat(header).toString('utf8') : chunk.toString('utf8', i, nl);
          header = [];
          i = nl + 1;
          cur = this.parseHeader(line, maxBytes, reuse);
          if (this.check || cur.missing) {
            yield cur;
            cur = null;
            continue;
          }
          want = cur.size;
          filled = 0;
          trailer = true;
        }
        if (want > 0) {
          const take = Math.min(want, chunk.length - i);
          if (cur.bytes) cur.bytes.set(chunk.subarray(i, i + take), filled);
          filled += take;
          want -= take;
          i += take;
          if (want > 0) break;
        }
        if (trailer && i < chunk.length) {
          i++; // LF
          trailer = false;
          const done: CatObject = cur;
          cur = null;
          yield done;
        }
      }
    }
    const code = await exited(this.proc);
    if (cur !== null || (code !== 0 && code !== null && !this.proc.killed)) {
      throw new Error(`git cat-file stopped early (exit ${code}): ${this.proc.stderrText().trim().split('\n')[0] ?? ''}`);
    }
  }

  private parseHeader(line: string, maxBytes: number, reuse: boolean): CatObject {
    const name = this.names[this.head] ?? '';
    const tag = this.tags[this.head] ?? '';
    this.head++;
    if (this.head > 4096 && this.head * 2 > this.names.length) {
      this.names.splice(0, this.head);
      this.tags.splice(0, this.head);
      this.head = 0;
    }
    const header = batchHeader(line);
    if (!header) return { name, tag, oid: null, type: null, size: 0, bytes: null, missing: true };
    const { oid, type, size } = header;
    const keep = !this.check && type === 'blob' && (maxBytes <= 0 || size <= maxBytes);
    return { name, tag, oid, type, size, bytes: keep ? (reuse && size <= REUSE_MAX ? this.shared(size) : new Uint8Array(size)) : null, missing: false };
  }

  private sharedBuffer: Uint8Array | null = null;

  /** `size` bytes of the reused buffer (grown by doubling up to REUSE_MAX). */
  private shared(size: number): Uint8Array {
    if (!this.sharedBuffer || this.sharedBuffer.length < size) {
      let n = Math.max(64 << 10, this.sharedBuffer?.length ?? 0);
      while (n < size) n *= 2;
      this.sharedBuffer = new Uint8Array(Math.min(n, REUSE_MAX));
    }
    return this.sharedBuffer.subarray(0, size);
  }
}

/**
 * Looks up many names at once with `--batch-check` (`HEAD:path`, `refs/tags/v1:path`) and
 * returns name → blob id (null when the path does not exist there or is not a blob).
 */
export async function resolveBlobs(repo: Repository, names: readonly string[]): Promise<Map<string, string | null>> {
  const out = new Map<string, string | null>();
  if (!names.length) return out;
  const batch = new CatFileBatch(repo, true);
  await feed(batch, names, async () => {
    for await (const o of batch.objects()) out.set(o.name, !o.missing && o.type === 'blob' ? o.oid : null);
  });
  return out;
}

/** Reads the given blobs (small sets: a staged change, a blob provenance needs) into memory. */
export async function readBlobs(repo: Repository, ids: readonly string[], maxBytes = 0): Promise<Map<string, Uint8Array | null>> {
  const out = new Map<string, Uint8Array | null>();
  if (!ids.length) return out;
  const batch = new CatFileBatch(repo);
  await feed(batch, ids, async () => {
    for await (const o of batch.objects(maxBytes)) out.set(o.name, o.bytes);
  });
  return out;
}

/** Writes the names while `read` consumes the answers; a read failure is rethrown, never left unhandled. */
async function feed(batch: CatFileBatch, names: readonly string[], read: () => Promise<void>): Promise<void> {
  const reading = read().then(
    () => null,
    (e: unknown) => e,
  );
  try {
    for (const n of names) await batch.request(n);
  } finally {
    batch.end();
  }
  const failure = await reading;
  if (failure) throw failure;
}
