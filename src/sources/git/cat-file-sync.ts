import { execFileSync, type ChildProcess } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnGitOn } from './git.js';
import { batchHeader, PACK_MEMORY, REUSE_MAX } from './cat-file.js';

/**
 * `git cat-file --batch` read with blocking calls, for a worker thread that has nothing else
 * to do while it waits for git. git's stdin and stdout are named pipes: Node's child-process
 * stream hands each read (≤ 64 KB) out as a new Buffer through its stream machinery, and on a
 * history of gigabytes that — and the garbage collection the buffers' external memory drives —
 * cost a third of a worker's time (1.86 GB of redis's blobs on one thread: 8.1 → 5.8 s of CPU).
 * Here every answer is read into one reused buffer.
 *
 * No deadlock: an answer is awaited only after its name was written, and at most
 * MAX_IN_FLIGHT bytes of names are ever unanswered — well under a pipe's 64 KB — so a write
 * never blocks, whatever git is doing. stderr goes to a file, which can never fill up.
 */
export interface SyncObject {
  type: string | null;
  size: number;
  /** The content (a blob within the limit), valid until the next call; null otherwise. */
  bytes: Buffer | null;
  missing: boolean;
}

/** Names written at once, and the most that may wait unanswered (both far below a pipe's 64 KB). */
const PIECE = 8 << 10;
const MAX_IN_FLIGHT = 16 << 10;
const FIRST_BUFFER = 1 << 20;
/** Longer than any header git writes (`<oid> <type> <size>`): a longer line means the stream is not what we think. */
const MAX_HEADER = 4096;

export class SyncCatFile {
  private buf = Buffer.allocUnsafe(FIRST_BUFFER);
  private start = 0;
  private end = 0;
  /** Names not written yet, from `head`. */
  private unsent: string[] = [];
  private head = 0;
  /** Byte lengths of the written, unanswered names, from `lenHead`. */
  private lengths: number[] = [];
  private lenHead = 0;
  private inFlight = 0;
  private closed = false;
  /** Resolves with git's exit code (null when killed or never started). */
  readonly exited: Promise<number | null>;

  private constructor(
    private readonly proc: ChildProcess,
    private readonly input: number,
    private readonly output: number,
    private readonly errors: number,
  ) {
    this.exited = new Promise((resolve) => {
      proc.once('error', () => resolve(null));
      proc.once('exit', (code) => resolve(code));
    });
  }

  /**
   * Starts `git cat-file --batch` in `dir`; null where named pipes cannot be made (Windows, a
   * system without mkfifo): the caller then reads git through Node's streams.
   */
  static open(dir: string): SyncCatFile | null {
    if (process.platform === 'win32') return null;
    let tmp: string;
    try {
      tmp = mkdtempSync(path.join(os.tmpdir(), 'sasquatch-cat-'));
    } catch {
      return null; // no writable temporary directory
    }
    const opened: number[] = [];
    const open = (p: string, flags: number) => {
      const fd = openSync(p, flags);
      opened.push(fd);
      return fd;
    };
    let fds: { holdIn: number; input: number; gitIn: number; holdOut: number; gitOut: number; output: number; errors: number };
    try {
      const [inPath, outPath] = [path.join(tmp, 'in'), path.join(tmp, 'out')];
      execFileSync('mkfifo', ['-m', '600', inPath, outPath], { stdio: 'ignore' });
      // Opening one end of a named pipe blocks until the other end is open, except a
      // non-blocking read end: that one holds each pipe open while the blocking ends are opened.
      const holdIn = open(inPath, constants.O_RDONLY | constants.O_NONBLOCK);
      const input = open(inPath, constants.O_WRONLY);
      const gitIn = open(inPath, constants.O_RDONLY);
      const holdOut = open(outPath, constants.O_RDONLY | constants.O_NONBLOCK);
      const gitOut = open(outPath, constants.O_WRONLY);
      const output = open(outPath, constants.O_RDONLY);
      const errors = open(path.join(tmp, 'err'), constants.O_RDWR | constants.O_CREAT | constants.O_EXCL);
      fds = { holdIn, input, gitIn, holdOut, gitOut, output, errors };
    } catch {
      // no mkfifo, or a file system without named pipes
      closeAll(opened);
      return null;
    } finally {
      // the open descriptors keep the pipes and the error file; their names are not needed
      rmSync(tmp, { recursive: true, force: true });
    }
    try {
      const proc = spawnGitOn(dir, [...PACK_MEMORY, 'cat-file', '--batch'], [fds.gitIn, fds.gitOut, fds.errors]);
      return new SyncCatFile(proc, fds.input, fds.output, fds.errors);
    } catch (e) {
      closeAll([fds.input, fds.output, fds.errors]);
      throw e;
    } finally {
      // only git keeps the other ends: its exit is our end of file, our closing its end of input
      closeAll([fds.holdIn, fds.gitIn, fds.holdOut, fds.gitOut]);
    }
  }

  /** Queues names (object ids); they are written as the unanswered ones leave room. */
  send(names: readonly string[]): void {
    for (const n of names) this.unsent.push(n);
    this.writeSome();
  }

  /** Requests sent and not yet answered (written or waiting to be). */
  get outstanding(): number {
    return this.lengths.length - this.lenHead + this.unsent.length - this.head;
  }

  /**
   * The next answer, blocking until git has written it. Contents of other object types, and
   * blobs larger than `maxBytes` (0 = no limit), are read past without being kept.
   */
  next(maxBytes = 0): SyncObject {
    if (this.outstanding === 0) throw new Error('git cat-file: an answer was awaited with no request made');
    const line = this.line();
    this.answered();
    const header = batchHeader(line);
    if (!header) return { type: null, size: 0, bytes: null, missing: true };
    const { type, size } = header;
    if (!Number.isSafeInteger(size) || size < 0) throw this.failure(`a header git never writes: ${JSON.stringify(line.slice(0, 100))}`);
    const keep = type === 'blob' && (maxBytes <= 0 || size <= maxBytes);
    const bytes = keep ? this.take(size) : (this.skip(size), null);
    return { type, size, bytes, missing: false };
  }

  /** No more requests: git sees the end of its input and exits. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const fd of [this.input, this.output, this.errors]) closeSync(fd);
  }

  kill(): void {
    this.proc.kill();
  }

  private writeSome(): void {
    while (this.head < this.unsent.length && this.inFlight < MAX_IN_FLIGHT) {
      let text = '';
      while (this.head < this.unsent.length && text.length < PIECE) {
        const name = `${this.unsent[this.head++]!}\n`;
        text += name;
        this.lengths.push(Buffer.byteLength(name));
      }
      this.writeAll(Buffer.from(text));
    }
    if (this.head > 4096 && this.head * 2 > this.unsent.length) {
      this.unsent = this.unsent.slice(this.head);
      this.head = 0;
    }
  }

  private writeAll(data: Buffer): void {
    let done = 0;
    try {
      while (done < data.length) done += writeSync(this.input, data, done);
    } catch (e) {
      // EPIPE: git has exited (it could not open the repository, or was killed)
      throw this.failure((e as NodeJS.ErrnoException).code === 'EPIPE' ? 'git cat-file stopped early' : String(e));
    }
    this.inFlight += data.length;
  }

  /** One name answered: its bytes leave the pipe's budget, so more may be written. */
  private answered(): void {
    this.inFlight -= this.lengths[this.lenHead++]!;
    if (this.lenHead > 4096 && this.lenHead * 2 > this.lengths.length) {
      this.lengths = this.lengths.slice(this.lenHead);
      this.lenHead = 0;
    }
    this.writeSome();
  }

  private line(): string {
    for (;;) {
      const nl = this.buf.indexOf(10, this.start);
      if (nl !== -1 && nl < this.end) {
        const text = this.buf.toString('latin1', this.start, nl);
        this.start = nl + 1;
        return text;
      }
      if (this.end - this.start > MAX_HEADER) throw this.failure('a header line longer than git ever writes');
      this.readMore(MAX_HEADER);
    }
  }

  /** `size` content bytes and the LF after them, in the reused buffer (or, past REUSE_MAX, a buffer of their own). */
  private take(size: number): Buffer {
    if (size + 1 > REUSE_MAX) return this.takeOwn(size);
    while (this.end - this.start < size + 1) this.readMore(size + 1);
    const bytes = this.buf.subarray(this.start, this.start + size);
    if (this.buf[this.start + size] !== 10) throw this.failure('an object not followed by a newline');
    this.start += size + 1;
    return bytes;
  }

  private takeOwn(size: number): Buffer {
    const own = Buffer.allocUnsafe(size);
    let have = Math.min(size, this.end - this.start);
    this.buf.copy(own, 0, this.start, this.start + have);
    this.start += have;
    while (have < size) {
      const n = readSync(this.output, own, have, size - have, null);
      if (n === 0) throw this.failure('git cat-file stopped early');
      have += n;
    }
    this.skip(0);
    return own;
  }

  /** Reads past `size` content bytes and the LF after them. */
  private skip(size: number): void {
    let left = size + 1;
    for (;;) {
      const n = Math.min(left, this.end - this.start);
      this.start += n;
      left -= n;
      if (left === 0) break;
      this.readMore(1);
    }
    if (this.buf[this.start - 1] !== 10) throw this.failure('an object not followed by a newline');
  }

  /** Reads what git has written (blocking until something is), with room for `want` bytes from `start`. */
  private readMore(want: number): void {
    if (this.start === this.end) this.start = this.end = 0;
    if (this.start + want > this.buf.length || this.end === this.buf.length) {
      if (want > this.buf.length) {
        let n = this.buf.length;
        while (n < want) n *= 2;
        const grown = Buffer.allocUnsafe(n);
        this.buf.copy(grown, 0, this.start, this.end);
        this.buf = grown;
      } else this.buf.copy(this.buf, 0, this.start, this.end);
      this.end -= this.start;
      this.start = 0;
    }
    const n = readSync(this.output, this.buf, this.end, this.buf.length - this.end, null);
    if (n === 0) throw this.failure('git cat-file stopped early');
    this.end += n;
  }

  /** An error naming what git said on stderr, if anything. */
  private failure(what: string): Error {
    let said = '';
    try {
      const b = Buffer.alloc(4096);
      said = b.toString('utf8', 0, readSync(this.errors, b, 0, b.length, 0)).trim().split('\n')[0] ?? '';
    } catch {
      // the error file is gone: nothing to add
    }
    return new Error(said ? `${what}: ${said}` : what);
  }
}

function closeAll(fds: readonly number[]): void {
  for (const fd of fds) {
    try {
      closeSync(fd);
    } catch {
      // closed already
    }
  }
}
