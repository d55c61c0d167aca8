import { parentPort, workerData } from 'node:worker_threads';
import { Detector } from '../detect/engine.js';
import { fromSpecs, type RuleSpec } from '../detect/rules/serialize.js';
import { scanBytes, scanFileBatch, scanFileSync, scanRegion, type BlobScanOptions } from './blob-scanner.js';
import { lookAlikeFilter } from './match-filter.js';
import { WorkerBlobReader } from './worker-blobs.js';
import type { PoolAnalysis, WorkerTask, WorkerReply } from './pool.js';

/** A scanning thread: reads and scans what it is sent, replies with located matches. */
const data = workerData as { rules: RuleSpec[]; blobOptions: BlobScanOptions; analysis?: PoolAnalysis };
const rules = fromSpecs(data.rules);
const detector = new Detector(rules);
if (data.analysis) detector.keep = lookAlikeFilter(rules, { now: new Date(data.analysis.now), policy: data.analysis.policy });

const blobs = new WorkerBlobReader(detector, data.blobOptions);

parentPort!.on('message', (task: WorkerTask) => {
  if (task.kind === 'blobs' || task.kind === 'blobs-end') {
    // git's answers arrive asynchronously; other tasks run to completion at once
    void handleBlobs(task).then((reply) => parentPort!.postMessage(reply));
    return;
  }
  parentPort!.postMessage(handle(task));
});
// loaded and set up: the pool stops scanning batches on its own thread (scan.ts, scanFiles)
parentPort!.postMessage({ ready: true } satisfies WorkerReply);

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
        return { id: task.id, result: scanFileSync(detector, task.path, task.fsPath, data.blobOptions, 0, false) };
      case 'files':
        return { id: task.id, result: scanFileBatch(detector, task.files, data.blobOptions, task.maxFileSize) };
      case 'region':
        return { id: task.id, result: scanRegion(detector, task.path, task.fsPath, task.size, task.start, data.blobOptions) };
      case 'bytes':
        return { id: task.id, result: scanBytes(detector, task.path, Buffer.from(task.bytes.buffer, task.bytes.byteOffset, task.bytes.byteLength), data.blobOptions) };
    }
  } catch (e) {
    return { id: task.id, error: e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e) };
  }
}
