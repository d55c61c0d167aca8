import type { Detector } from '../detect/engine.js';
import { toSpecs } from '../detect/rules/serialize.js';
import type { Rule } from '../detect/types.js';
import { scanBytes, type BlobResult, type BlobScanOptions } from './blob-scanner.js';
import { ScanPool, workerCount, type PoolAnalysis } from './pool.js';

/**
 * Scans a stream of in-memory blobs (from git) with back-pressure. Small histories are
 * scanned on the main thread; once more than POOL_AFTER_BLOBS blobs or POOL_AFTER_BYTES
 * bytes have come through, the rest go to worker threads. Blobs wait for a free worker in
 * this queue rather than in git's pipe, so git keeps decompressing while the workers scan:
 * up to READ_AHEAD_BYTES of blob content may be queued or in flight (one larger blob is
 * always let through).
 */
export const POOL_AFTER_BLOBS = 256;
const POOL_AFTER_BYTES = 16 << 20;
const READ_AHEAD_BYTES = 32 << 20;

export type BlobDone = (result: BlobResult, id: string) => void;

export class BlobQueue {
  private pool: ScanPool | null = null;
  private mainThreadOnly = false;
  private seenBlobs = 0;
  private seenBytes = 0;
  private inflightBytes = 0;
  private readonly inflight = new Set<Promise<void>>();
  private readonly waiters: (() => void)[] = [];
  private failure: Error | null = null;
  /** Threads actually used (1 = main thread only). */
  threadsUsed = 1;

  constructor(
    private readonly detector: Detector,
    private readonly rules: readonly Rule[],
    /** 0 = automatic, 1 = main thread only, n = n workers. */
    private readonly threads: number,
    private readonly blobOptions: BlobScanOptions,
    private readonly done: BlobDone,
    private readonly analysis?: PoolAnalysis,
  ) {}

  /** Scans or queues one blob; resolves when the queue can take another. */
  async submit(id: string, path: string, bytes: Uint8Array): Promise<void> {
    if (this.failure) throw this.failure;
    this.seenBlobs++;
    this.seenBytes += bytes.length;
    const pool = this.poolFor();
    if (!pool) {
      this.done(scanBytes(this.detector, path, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), this.blobOptions), id);
      return;
    }
    while (this.inflightBytes > 0 && this.inflightBytes + bytes.length > READ_AHEAD_BYTES) await this.nextSettled();
    const size = bytes.length;
    this.inflightBytes += size;
    const task: Promise<void> = pool
      .run({ kind: 'bytes', path, bytes }, [bytes.buffer as ArrayBuffer])
      .then(
        (r) => this.done(r, id),
        (e: Error) => {
          this.failure ??= e;
        },
      )
      .finally(() => {
        this.inflightBytes -= size;
        this.inflight.delete(task);
        this.waiters.splice(0).forEach((w) => w());
      });
    this.inflight.add(task);
  }

  /** Waits for every queued blob and stops the workers. */
  async finish(): Promise<void> {
    try {
      await Promise.all(this.inflight);
      if (this.failure) throw this.failure;
    } finally {
      await this.pool?.close();
      this.pool = null;
    }
  }

  private nextSettled(): Promise<void> {
    return new Promise((r) => this.waiters.push(r));
  }

  private poolFor(): ScanPool | null {
    if (this.pool) return this.pool;
    if (this.threads === 1 || this.mainThreadOnly) return null;
    if (this.threads === 0 && this.seenBlobs <= POOL_AFTER_BLOBS && this.seenBytes <= POOL_AFTER_BYTES) return null;
    this.threadsUsed = workerCount(this.threads);
    if (this.threadsUsed === 1) {
      this.mainThreadOnly = true;
      return null;
    }
    this.pool = new ScanPool(this.threadsUsed, toSpecs(this.rules), this.blobOptions, this.analysis);
    return this.pool;
  }
}
