import { CatFileBatch, type CatObject } from '../sources/git/cat-file.js';
import { SyncCatFile, type SyncObject } from '../sources/git/cat-file-sync.js';
import type { Repository } from '../sources/git/repo.js';
import type { Detector } from '../detect/engine.js';
import { scanBytes, type BlobResult, type BlobScanOptions } from './blob-scanner.js';

/**
 * History blobs read by the worker itself: each worker keeps its own `git cat-file --batch`
 * and is sent batches of blob ids (with the path each was listed at). git's decompression
 * then runs in as many processes as there are workers, and the bytes go from git's pipe to
 * the scanner on the same thread: nothing is copied to or from the main thread.
 *
 * git is read with blocking calls into one reused buffer (cat-file-sync.ts), a batch per turn
 * of the event loop: between batches the worker takes its next messages, whose names go to
 * git at once, so git decompresses the next batch while this one is scanned. Where named
 * pipes cannot be made, git is read through Node's streams instead (StreamBlobReader).
 */
export interface BlobRequest {
  id: string;
  path: string;
}

/** What a worker says about one blob it was asked for. */
export interface BlobOutcome {
  id: string;
  size: number;
  missing?: boolean;
  /** Over the size limit: not read. */
  tooLarge?: boolean;
  /** The scan, when it found something or has a notice (else the blob is counted clean). */
  result?: BlobResult;
  /** Scanned with nothing to report. */
  clean?: boolean;
}

export interface BlobReader {
  /** Reads and scans the blobs (answers in request order). */
  read(repoDir: string, maxBytes: number, requests: BlobRequest[]): Promise<BlobOutcome[]>;
  /** Ends this worker's git process (after the last batch). */
  close(): Promise<void>;
}

/** The reader for this platform: blocking reads through named pipes where they can be made. */
export function blobReader(detector: Detector, blobOptions: BlobScanOptions, pipes = SyncCatFile.open): BlobReader {
  return new PipeBlobReader(detector, blobOptions, pipes);
}

/** A blob git did not hand over: missing, or over the size limit (only a blob counts as too large). */
function unread(req: BlobRequest, o: CatObject | SyncObject): BlobOutcome {
  return o.missing ? { id: req.id, size: 0, missing: true } : { id: req.id, size: o.size, tooLarge: o.type === 'blob' };
}

/** Scans one blob's bytes (kept by no one after this call returns). */
function scanned(detector: Detector, blobOptions: BlobScanOptions, req: BlobRequest, size: number, bytes: Buffer): BlobOutcome {
  const r = scanBytes(detector, req.path, bytes, blobOptions);
  return !r.matches.length && !r.notices.length && !r.skipped && !r.members ? { id: req.id, size, clean: true } : { id: req.id, size, result: r };
}

interface Batch {
  requests: BlobRequest[];
  maxBytes: number;
  resolve: (o: BlobOutcome[]) => void;
  reject: (e: Error) => void;
}

class PipeBlobReader implements BlobReader {
  private git: SyncCatFile | null = null;
  private fallback: StreamBlobReader | null = null;
  private dir = '';
  private readonly batches: Batch[] = [];
  private turn: Promise<void> | null = null;

  constructor(
    private readonly detector: Detector,
    private readonly blobOptions: BlobScanOptions,
    private readonly pipes: (dir: string) => SyncCatFile | null,
  ) {}

  async read(repoDir: string, maxBytes: number, requests: BlobRequest[]): Promise<BlobOutcome[]> {
    if (!requests.length) return [];
    if ((this.git || this.fallback) && this.dir !== repoDir) await this.close();
    if (!this.git && !this.fallback) {
      this.dir = repoDir;
      this.git = this.pipes(repoDir);
      if (!this.git) this.fallback = new StreamBlobReader(this.detector, this.blobOptions);
    }
    if (this.fallback) return this.fallback.read(repoDir, maxBytes, requests);
    const git = this.git!;
    const done = new Promise<BlobOutcome[]>((resolve, reject) => this.batches.push({ requests, maxBytes, resolve, reject }));
    try {
      // the names go to git now: it works on them while the batches before are scanned
      git.send(requests.map((r) => r.id));
    } catch (e) {
      this.fail(git, e);
      return done;
    }
    this.turn ??= this.nextTurn();
    return done;
  }

  async close(): Promise<void> {
    while (this.turn) await this.turn;
    const fallback = this.fallback;
    const git = this.git;
    this.fallback = null;
    this.git = null;
    if (fallback) await fallback.close();
    if (git) {
      git.close();
      await git.exited;
    }
  }

  /** Scans the first waiting batch after letting the event loop deliver messages; then the next, in a later turn. */
  private async nextTurn(): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    const batch = this.batches.shift();
    if (batch && this.git) this.scanBatch(this.git, batch);
    this.turn = this.batches.length ? this.nextTurn() : null;
  }

  private scanBatch(git: SyncCatFile, batch: Batch): void {
    const out: BlobOutcome[] = [];
    try {
      for (const req of batch.requests) {
        const o = git.next(batch.maxBytes);
        out.push(o.missing || !o.bytes ? unread(req, o) : scanned(this.detector, this.blobOptions, req, o.size, o.bytes));
      }
    } catch (e) {
      this.batches.unshift(batch);
      this.fail(git, e);
      return;
    }
    batch.resolve(out);
  }

  /** git's answers can no longer be matched to requests: every batch waiting fails, and a next one starts a new git. */
  private fail(git: SyncCatFile, e: unknown): void {
    const err = e instanceof Error ? e : new Error(String(e));
    git.kill();
    git.close();
    if (this.git === git) this.git = null;
    for (const b of this.batches.splice(0)) b.reject(err);
  }
}

interface Pending {
  requests: BlobRequest[];
  done: number;
  out: BlobOutcome[];
  resolve: (o: BlobOutcome[]) => void;
  reject: (e: Error) => void;
}

/** git read through Node's streams (where named pipes cannot be made). */
class StreamBlobReader implements BlobReader {
  private cat: CatFileBatch | null = null;
  private dir = '';
  private readonly pending: Pending[] = [];
  private reading: Promise<void> | null = null;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly detector: Detector,
    private readonly blobOptions: BlobScanOptions,
  ) {}

  async read(repoDir: string, maxBytes: number, requests: BlobRequest[]): Promise<BlobOutcome[]> {
    if (!requests.length) return [];
    if (this.cat && this.dir !== repoDir) await this.close();
    if (!this.cat) {
      this.dir = repoDir;
      // unbuffered: a batch's last answers must come out while stdin stays open for the next batch
      this.cat = new CatFileBatch({ dir: repoDir } as Repository, false, false);
      const cat = this.cat;
      this.reading = this.readLoop(cat, maxBytes).catch((e: unknown) => {
        const err = e instanceof Error ? e : new Error(String(e));
        for (const p of this.pending.splice(0)) p.reject(err);
      });
    }
    const done = new Promise<BlobOutcome[]>((resolve, reject) => this.pending.push({ requests, done: 0, out: [], resolve, reject }));
    // a batch's names are written after the batch before's, even when a write waits for the pipe
    const cat = this.cat;
    const write = this.writing.then(async () => {
      for (const r of requests) await cat.request(r.id, r.path);
    });
    this.writing = write.catch(() => undefined);
    await write;
    return done;
  }

  async close(): Promise<void> {
    const cat = this.cat;
    if (!cat) return;
    this.cat = null;
    cat.end();
    await this.reading;
    this.reading = null;
  }

  private async readLoop(cat: CatFileBatch, maxBytes: number): Promise<void> {
    // each blob is scanned before the next is read (scanBytes keeps none of its bytes): one buffer serves them all
    for await (const o of cat.objects(maxBytes, true)) {
      const p = this.pending[0];
      if (!p) throw new Error('git cat-file answered a request that was not made');
      const req = p.requests[p.done]!;
      const outcome = o.missing || !o.bytes ? unread(req, o) : scanned(this.detector, this.blobOptions, req, o.size, Buffer.from(o.bytes.buffer, o.bytes.byteOffset, o.bytes.byteLength));
      p.out.push(outcome);
      p.done++;
      if (p.done === p.requests.length) {
        this.pending.shift();
        p.resolve(p.out);
      }
    }
  }
}
