import { CatFileBatch } from '../sources/git/cat-file.js';
import type { Repository } from '../sources/git/repo.js';
import type { Detector } from '../detect/engine.js';
import { scanBytes, type BlobResult, type BlobScanOptions } from './blob-scanner.js';

/**
 * History blobs read by the worker itself: each worker keeps its own `git cat-file --batch`
 * and is sent batches of blob ids (with the path each was listed at). git's decompression
 * then runs in as many processes as there are workers, and the bytes go from git's pipe to
 * the scanner on the same thread: nothing is copied to or from the main thread.
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

interface Pending {
  requests: BlobRequest[];
  done: number;
  out: BlobOutcome[];
  resolve: (o: BlobOutcome[]) => void;
  reject: (e: Error) => void;
}

export class WorkerBlobReader {
  private cat: CatFileBatch | null = null;
  private dir = '';
  private readonly pending: Pending[] = [];
  private reading: Promise<void> | null = null;

  constructor(
    private readonly detector: Detector,
    private readonly blobOptions: BlobScanOptions,
  ) {}

  /** Reads and scans the blobs (answers in request order). */
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
    for (const r of requests) await this.cat.request(r.id, r.path);
    return done;
  }

  /** Ends this worker's git process (after the last batch). */
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
      let outcome: BlobOutcome;
      if (o.missing) outcome = { id: req.id, size: 0, missing: true };
      else if (!o.bytes) outcome = { id: req.id, size: o.size, tooLarge: o.type === 'blob' };
      else {
        const r = scanBytes(this.detector, req.path, Buffer.from(o.bytes.buffer, o.bytes.byteOffset, o.bytes.byteLength), this.blobOptions);
        outcome = !r.matches.length && !r.notices.length && !r.skipped && !r.members ? { id: req.id, size: o.size, clean: true } : { id: req.id, size: o.size, result: r };
      }
      p.out.push(outcome);
      p.done++;
      if (p.done === p.requests.length) {
        this.pending.shift();
        p.resolve(p.out);
      }
    }
  }
}
