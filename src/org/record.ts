import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ScanResult } from '../pipeline/scan.js';
import { displayUrl, isRepositoryUrl } from '../sources/git/repo.js';
import type { Db } from '../store/db.js';
import { markRemoved, presentInRepository, upsertFindings } from '../store/findings.js';
import { upsertRepositories } from '../store/repositories.js';
import { finishPart, queueScan, startAttempt } from '../store/scans.js';
import type { RepositoryInput } from '../store/types.js';

/**
 * `scan --store`: a scan's result handed to the store (the pipeline does not know of it).
 * The targets are one repository in the store: a directory or URL scanned alone is itself;
 * several targets are recorded as one local scan from the current directory.
 */
export function localRepository(targets: readonly string[]): RepositoryInput {
  const real = targets.filter((t) => t !== '-');
  if (real.length === 1) {
    const t = real[0]!;
    if (isRepositoryUrl(t)) {
      const url = displayUrl(t);
      return { url, source: 'local', name: url.replace(/^[a-z+]+:\/\/(?:[^@/]*@)?/i, '').replace(/\.git$/, '') };
    }
    const abs = path.resolve(t);
    return { url: pathToFileURL(abs).href, source: 'local', name: path.basename(abs) || abs };
  }
  const cwd = process.cwd();
  return { url: pathToFileURL(cwd).href, source: 'local', name: `${path.basename(cwd) || cwd} (${real.length || 'stdin'} targets)` };
}

export interface RecordOutcome {
  repositoryId: number;
  scanId: number;
  recorded: number;
  added: number;
  removed: number;
}

/**
 * Records a scan in one transaction: the repository, a scan row with its counts, every
 * finding (upserts by fingerprint), and — when the scan read everything there is (no
 * history limits) — which of the repository's stored findings it no longer holds.
 */
export async function recordScanResult(db: Db, result: ScanResult, repo: RepositoryInput, opts: { complete: boolean }): Promise<RecordOutcome> {
  return db.transaction(async (tx) => {
    const ids = await upsertRepositories(tx, [repo]);
    const repositoryId = ids.get(repo.url)!;
    const scanId = await queueScan(tx, null, repositoryId);
    await startAttempt(tx, scanId);
    const added = await upsertFindings(tx, repositoryId, result.findings);
    let removed = 0;
    if (opts.complete) {
      const now = new Set(result.findings.map((f) => f.fingerprint));
      const gone = (await presentInRepository(tx, repositoryId)).filter((p) => !now.has(p.fingerprint));
      await markRemoved(
        tx,
        repositoryId,
        gone.map((g) => ({ fingerprint: g.fingerprint, commit: null, date: new Date().toISOString() })),
      );
      removed = gone.length;
    }
    const history = result.stats.history ?? [];
    await finishPart(tx, scanId, {
      commits: history.reduce((n, h) => n + h.commits, 0),
      blobs: result.stats.filesScanned + history.reduce((n, h) => n + h.blobs, 0),
      bytes: result.stats.bytesScanned + history.reduce((n, h) => n + h.bytes, 0),
      knownBlobs: 0,
      findings: result.findings.length,
      notices: result.notices.filter((n) => n.level === 'warning'),
    });
    return { repositoryId, scanId, recorded: result.findings.length, added, removed };
  });
}
