import { findingsForBlob } from '../analyze/findings.js';
import { Detector } from '../detect/engine.js';
import { resolveBlobs, readBlobs } from '../sources/git/cat-file.js';
import { openRepository } from '../sources/git/repo.js';
import { DEFAULT_BLOB_OPTIONS, flattenBlobResult, scanBytes } from './blob-scanner.js';
import { lookAlikeFilter } from './match-filter.js';
import type { ScanOptions } from './scan.js';

/**
 * Which findings one revision holds at some paths: the files at `rev:path` scanned as a
 * scan of the repository would scan them (same rules, same fingerprints). An incremental
 * scan reads only new commits, so it does not see a secret from before them leave HEAD;
 * this answers that question for the few paths known to hold one.
 *
 * Returns the fingerprints per path; a path the revision does not have maps to an empty
 * set; a path whose blob could not be read (too large, missing) is left out — unknown.
 */
export async function fingerprintsAt(repoDir: string, rev: string, paths: readonly string[], opts: ScanOptions): Promise<Map<string, Set<string>>> {
  const out = new Map<string, Set<string>>();
  const usable = [...new Set(paths)].filter((p) => !p.includes('\n'));
  if (!usable.length) return out;
  const repo = await openRepository(repoDir);
  if (!repo) throw new Error(`${repoDir} is not a git repository`);
  const ids = await resolveBlobs(repo, usable.map((p) => `${rev}:${p}`));
  const wanted = new Map<string, string[]>();
  for (const p of usable) {
    const id = ids.get(`${rev}:${p}`) ?? null;
    if (!id) {
      out.set(p, new Set());
      continue;
    }
    if (!wanted.has(id)) wanted.set(id, []);
    wanted.get(id)!.push(p);
  }
  const contents = await readBlobs(repo, [...wanted.keys()], opts.maxFileSize);
  const detector = new Detector(opts.rules);
  detector.keep = lookAlikeFilter(opts.rules, { now: opts.now, policy: opts.policy });
  const ruleMap = new Map(opts.rules.map((r) => [r.id, r]));
  const blobOptions = { ...DEFAULT_BLOB_OPTIONS, ...opts.blob };
  for (const [id, ps] of wanted) {
    const bytes = contents.get(id);
    if (!bytes) continue;
    for (const p of ps) {
      const found = new Set<string>();
      const r = scanBytes(detector, p, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), blobOptions);
      for (const part of flattenBlobResult(r)) for (const f of findingsForBlob(part.path, part.matches, ruleMap, { ...opts, showSecrets: false })) found.add(f.fingerprint);
      out.set(p, found);
    }
  }
  return out;
}
