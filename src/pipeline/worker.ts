import { parentPort } from 'node:worker_threads';
import { Detector } from '../detect/engine.js';
import { fromSpecs } from '../detect/rules/serialize.js';
import { scanBytes, scanFileBatch, scanFileSync, scanRegion, type BlobScanOptions } from './blob-scanner.js';
import { lookAlikeFilter } from './match-filter.js';
import { scanReadBatch } from './read-batch.js';
import { blobReader, type BlobReader } from './worker-blobs.js';
import { splitNames, unpackFiles, type WorkerInit, type WorkerTask, type WorkerReply } from './pool.js';

/**
 * A scanning thread: reads and scans what it is sent, replies with located matches. It loads
 * its code first and learns what to scan with from its first message (the pool's WorkerInit),
 * so it can be started before the scan has read its configuration (pool.ts, prestartWorkers).
 */
let detector: Detector;
let blobOptions: BlobScanOptions;
let blobs: BlobReader;

parentPort!.on('message', (task: WorkerTask | WorkerInit) => {
  if (task.kind === 'init') {
    setUp(task);
    return;
  }
  if (task.kind === 'blobs' || task.kind === 'blobs-end') {
    // git's answers arrive asynchronously; other tasks run to completion at once
    void handleBlobs(task).then((reply) => parentPort!.postMessage(reply));
    return;
  }
  parentPort!.postMessage(handle(task));
});

function setUp(init: WorkerInit): void {
  const rules = fromSpecs(init.rules);
  detector = new Detector(rules);
  if (init.analysis) detector.keep = lookAlikeFilter(rules, { now: new Date(init.analysis.now), policy: init.analysis.policy });
  blobOptions = init.blobOptions;
  blobs = blobReader(detector, blobOptions);
}

async function handleBlobs(task: Extract<WorkerTask, { kind: 'blobs' | 'blobs-end' }>): Promise<WorkerReply> {
  try {
    if (task.kind === 'blobs-end') {
      await blobs.close();
      return { id: task.id, result: null };
    }
    return { id: task.id, result: await blobs.read(task.repoDir, task.maxBytes, task.blobs) };
  } catch (e) {
    return { id: task.id, error: e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e) };
  }
}

function handle(task: Exclude<WorkerTask, { kind: 'blobs' | 'blobs-end' }>): WorkerReply {
  try {
    switch (task.kind) {
      case 'file':
        return { id: task.id, result: scanFileSync(detector, task.path, task.fsPath, blobOptions, 0, false) };
      case 'files':
        return { id: task.id, result: scanFileBatch(detector, unpackFiles(task.files), blobOptions, task.maxFileSize) };
      case 'read':
        return { id: task.id, result: scanReadBatch(detector, { files: splitNames(task.paths, task.ends.length).map((path) => ({ path })), ends: task.ends, bytes: task.bytes }, blobOptions) };
      case 'region':
        return { id: task.id, result: scanRegion(detector, task.path, task.fsPath, task.size, task.start, blobOptions) };
      case 'bytes':
        return { id: task.id, result: scanBytes(detector, task.path, Buffer.from(task.bytes.buffer, task.bytes.byteOffset, task.bytes.byteLength), blobOptions) };
    }
  } catch (e) {
    return { id: task.id, error: e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e) };
  }
}
