import { parentPort, workerData } from 'node:worker_threads';
import { Detector } from '../detect/engine.js';
import { fromSpecs, type RuleSpec } from '../detect/rules/serialize.js';
import { scanBytes, scanFileSync, scanRegion, type BlobResult, type BlobScanOptions, type SplitFile } from './blob-scanner.js';
import type { WorkerTask, WorkerReply } from './pool.js';

/** A scanning thread: reads and scans what it is sent, replies with located matches. */
const data = workerData as { rules: RuleSpec[]; blobOptions: BlobScanOptions };
const detector = new Detector(fromSpecs(data.rules));

parentPort!.on('message', (task: WorkerTask) => {
  parentPort!.postMessage(handle(task));
});

function handle(task: WorkerTask): WorkerReply {
  try {
    switch (task.kind) {
      case 'file':
        return { id: task.id, result: scanFileSync(detector, task.path, task.fsPath, data.blobOptions, 0, false) };
      case 'files': {
        const out: (BlobResult | SplitFile)[] = [];
        for (const f of task.files) out.push(scanFileSync(detector, f.path, f.fsPath, data.blobOptions, task.maxFileSize, true));
        return { id: task.id, result: out };
      }
      case 'region':
        return { id: task.id, result: scanRegion(detector, task.fsPath, task.size, task.start, data.blobOptions) };
      case 'bytes':
        return { id: task.id, result: scanBytes(detector, task.path, Buffer.from(task.bytes.buffer, task.bytes.byteOffset, task.bytes.byteLength), data.blobOptions) };
    }
  } catch (e) {
    return { id: task.id, error: e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e) };
  }
}
