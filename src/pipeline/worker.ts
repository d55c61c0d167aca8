import { parentPort, workerData } from 'node:worker_threads';
import { Detector } from '../detect/engine.js';
import { fromSpecs, type RuleSpec } from '../detect/rules/serialize.js';
import { scanBytes, scanFile, type BlobScanOptions } from './blob-scanner.js';
import type { WorkerTask, WorkerReply } from './pool.js';

/** A scanning thread: reads and scans the blobs it is sent, replies with located matches. */
const data = workerData as { rules: RuleSpec[]; blobOptions: BlobScanOptions };
const detector = new Detector(fromSpecs(data.rules));

parentPort!.on('message', (task: WorkerTask) => {
  void handle(task).then((reply) => parentPort!.postMessage(reply));
});

async function handle(task: WorkerTask): Promise<WorkerReply> {
  try {
    const result =
      task.kind === 'file'
        ? await scanFile(detector, task.path, task.fsPath, data.blobOptions)
        : scanBytes(detector, task.path, Buffer.from(task.bytes.buffer, task.bytes.byteOffset, task.bytes.byteLength), data.blobOptions);
    return { id: task.id, result };
  } catch (e) {
    return { id: task.id, error: e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e) };
  }
}
