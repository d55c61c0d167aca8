import { closeSync, constants, openSync, readSync } from 'node:fs';
import { Detector } from '../detect/engine.js';
import { addToBatchResult, scanBytes, type BlobScanOptions, type FilesResult } from './blob-scanner.js';

/**
 * Small files read by the walking thread for a worker to scan from memory. On a tree of
 * small files a file's open, read and close cost about what its scan does; when the main
 * thread reads them while it walks (it opens the directories anyway) and the worker only
 * scans, one thread runs (and the JIT compiles and warms up) the scanning code instead of
 * two, and the worker never waits on the disk. What is not read here — a file larger than
 * SMALL_FILE, over --max-file-size, one that does not fit, one that cannot be opened or read
 * — goes to a worker by path, which reads and reports it exactly as before.
 */
export interface ReadBatch {
  /** The files as shown (a worker needs no more: it has their bytes). */
  files: { path: string }[];
  /** End offset of each file's bytes in `bytes` (file i is ends[i−1] … ends[i]). */
  ends: Uint32Array;
  /** The files' bytes, one after the other: a buffer of its own, transferable to a worker. */
  bytes: Uint8Array;
}

/** Files read here so far (the pool test checks that a scan of small files takes this path). */
export const readAhead = { files: 0 };

/** A file is read here only when its whole content fits one read of this size. */
export const SMALL_FILE = 64 << 10;

/** Reads into one reused buffer; each batch then gets a copy of exactly its bytes. */
const SCRATCH = Buffer.allocUnsafe(4 << 20);

/**
 * Reads the small files of a batch: `read` holds them (null when none was), `rest` lists the
 * files left to read by path, in their order.
 */
export function readSmallFiles<F extends { path: string; fsPath: string; size?: number }>(files: readonly F[], maxFileSize: number): { read: ReadBatch | null; rest: F[] } {
  const read: F[] = [];
  const ends: number[] = [];
  const rest: F[] = [];
  let total = 0;
  for (const f of files) {
    const room = Math.min(SMALL_FILE, SCRATCH.length - total);
    // a size the walk measured spares opening a file that is not small
    const got = room > 0 && (f.size ?? -1) < room ? readWhole(f.fsPath, total, room) : -1;
    // a read that fills the room may have left bytes behind: that file is read by path
    if (got < 0 || got >= room || (maxFileSize > 0 && got > maxFileSize)) {
      rest.push(f);
      continue;
    }
    total += got;
    read.push(f);
    ends.push(total);
  }
  readAhead.files += read.length;
  if (!read.length) return { read: null, rest };
  return { read: { files: read, ends: Uint32Array.from(ends), bytes: new Uint8Array(SCRATCH.buffer, SCRATCH.byteOffset, total).slice() }, rest };
}

/** Bytes read from the start of the file into SCRATCH at `at` (at most `room`), or −1 when it cannot be opened or read. */
function readWhole(fsPath: string, at: number, room: number): number {
  let fd: number;
  try {
    fd = openSync(fsPath, constants.O_RDONLY);
  } catch {
    return -1;
  }
  try {
    // a regular file's read comes back short only at its end
    return readSync(fd, SCRATCH, at, room, 0);
  } catch {
    return -1;
  } finally {
    closeSync(fd);
  }
}

/** The files `from` … `to` of a read batch, as the batch their own bytes (for a worker: transferred, not copied). */
export function sliceReadBatch(batch: ReadBatch, from: number, to: number = batch.files.length): ReadBatch {
  const base = from ? batch.ends[from - 1]! : 0;
  const end = batch.ends[to - 1]!;
  const ends = batch.ends.slice(from, to);
  for (let i = 0; i < ends.length; i++) ends[i]! -= base;
  return { files: batch.files.slice(from, to), ends, bytes: batch.bytes.subarray(base, end) };
}

/** Scans the files of a read batch, as scanFileBatch does those it reads itself. */
export function scanReadBatch(detector: Detector, batch: ReadBatch, options: Partial<BlobScanOptions>): FilesResult {
  const out: FilesResult = { results: [], clean: { files: 0, bytes: 0 } };
  const { bytes } = batch;
  let start = 0;
  for (let i = 0; i < batch.files.length; i++) {
    const end = batch.ends[i]!;
    addToBatchResult(out, scanBytes(detector, batch.files[i]!.path, Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start), options));
    start = end;
  }
  return out;
}
