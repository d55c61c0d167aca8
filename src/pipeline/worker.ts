import { parentPort, workerData } from 'node:worker_threads';
import { Detector } from '../detect/engine.js';
import { fromSpecs, type RuleSpec } from '../detect/rules/serialize.js';
import { failedBlob, scanBytes, scanFileSync, scanRegion, type BlobScanOptions } from './blob-scanner.js';
import { lookAlikeFilter } from './match-filter.js';
import { WorkerBlobReader } from './worker-blobs.js';
import type { FilesResult, PoolAnalysis, WorkerTask, WorkerReply } from './pool.js';

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
      case 'files': {
        // most files hold nothing: they are counted, not sent back one object each
        const out: FilesResult = { results: [], clean: { files: 0, bytes: 0 } };
        for (const f of task.files) {
          let r: ReturnType<typeof scanFileSync>;
          try {
            r = scanFileSync(detector, f.path, f.fsPath, data.blobOptions, task.maxFileSize, true);
          } catch (e) {
            // one file's failure is that file's warning, not its batch's
            r = failedBlob(f.path, 0, e);
          }
          if (!('split' in r) && !r.matches.length && !r.notices.length && !r.skipped && !r.members) {
            out.clean.files++;
            out.clean.bytes += r.bytes;
          } else out.results.push(r);
        }
        return { id: task.id, result: out };
      }
      case 'region':
        return { id: task.id, result: scanRegion(detector, task.path, task.fsPath, task.size, task.start, data.blobOptions) };
      case 'bytes':
        return { id: task.id, result: scanBytes(detector, task.path, Buffer.from(task.bytes.buffer, task.bytes.byteOffset, task.bytes.byteLength), data.blobOptions) };
    }
  } catch (e) {
    return { id: task.id, error: e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e) };
  }
}
