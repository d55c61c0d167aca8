import { createHash } from 'node:crypto';
import type PgBoss from 'pg-boss';
import { toSpecs } from '../detect/rules/serialize.js';
import type { Finding } from '../model/finding.js';
import { fingerprintsAt } from '../pipeline/revision.js';
import { runScan, type ScanOptions, type ScanResult } from '../pipeline/scan.js';
import type { Notice } from '../sources/types.js';
import { recordCleanBlobs } from '../store/blobs.js';
import { txExecutor, type Db } from '../store/db.js';
import { markRemoved, presentInRepository, upsertFindings } from '../store/findings.js';
import { getRepository, setScannedTips } from '../store/repositories.js';
import { finishPart, splitScan, startAttempt } from '../store/scans.js';
import type { RepositoryRecord } from '../store/types.js';
import { TOOL } from '../version.js';
import { existingCommits, runGit, type CloneCache, type Tips } from './cache.js';
import type { KnownBlobs } from './known.js';
import { SCAN_QUEUE, sendOptions, type JobPolicy, type ScanJobData, type ScanPart } from './queue.js';
import { gitAuthEnv } from './sources/credentials.js';

/**
 * One job: bring the repository's clone up to date, read the commits no earlier scan read
 * (or this job's part of a huge history) with the history pipeline, notice which stored
 * findings left HEAD, and write it all — findings, occurrences, blobs scanned clean, the new
 * tips — in one transaction that also completes the job. A retried job (a worker killed
 * mid-way) redoes the same reads and its upserts land on the same rows: nothing duplicated,
 * nothing lost.
 */
export interface JobContext {
  db: Db;
  boss: PgBoss;
  cache: CloneCache;
  /** Rules, policy and limits the scans use (targets and history are set per job). */
  scan: ScanOptions;
  /** The process environment: where the platforms' tokens are read from. */
  env: NodeJS.ProcessEnv;
  known: KnownBlobs;
  scanner: number;
  /** A history with more new commits than this is split into parts (jobs). */
  splitCommits: number;
  policy: JobPolicy;
  /** Tests only: wait this long between the scan and its transaction (to kill a worker mid-job). */
  pauseBeforeCommitMs?: number;
}

/** A digest of what decides whether a blob is clean: the rules and the options that shape a scan. */
export function scannerDigest(opts: ScanOptions): string {
  const h = createHash('sha256');
  h.update(TOOL.version);
  h.update(JSON.stringify(toSpecs(opts.rules)));
  h.update(JSON.stringify({ blob: opts.blob ?? null, maxFileSize: opts.maxFileSize, policy: opts.policy, exclude: opts.exclude, include: opts.include ?? [] }));
  return h.digest('hex');
}

export class JobLostError extends Error {}

export interface JobOutcome {
  kind: 'scanned' | 'split' | 'gone';
  findings: number;
  parts?: number;
}

export async function runScanJob(ctx: JobContext, job: PgBoss.Job<ScanJobData>): Promise<JobOutcome> {
  const { scanId, repositoryId, part } = job.data;
  await startAttempt(ctx.db, scanId);
  const repo = await getRepository(ctx.db, repositoryId);
  if (!repo) {
    await complete(ctx, job);
    return { kind: 'gone', findings: 0 };
  }
  const synced = await ctx.cache.sync(repo.url, gitAuthEnv(repo.source, repo.url, ctx.env), repo.defaultBranch);
  const dir = synced.dir;
  let within: string[] = [];
  let exclude: string[];
  if (part) {
    within = part.within;
    exclude = await existingCommits(dir, part.exclude);
  } else {
    exclude = await existingCommits(dir, Object.values(repo.tips));
    const split = await planSplit(dir, synced.tips, exclude, ctx.splitCommits);
    if (split.length > 1) {
      await ctx.db.transaction(async (tx) => {
        await complete(ctx, job, tx);
        await splitScan(tx, scanId, split.length, synced.tips.head, synced.tips.tips);
        for (const p of split) await ctx.boss.send(SCAN_QUEUE, { scanId, repositoryId, part: p } satisfies ScanJobData, { ...sendOptions(ctx.policy), db: txExecutor(tx) });
      });
      return { kind: 'split', findings: 0, parts: split.length };
    }
  }

  // what other workers scanned since this process last looked is not read again
  await ctx.known.refresh(ctx.db);
  let known = 0;
  const clean: string[] = [];
  const result = await runScan({
    ...ctx.scan,
    // severities judge expiry against now: a long-lived worker's "now" moves on
    now: new Date(),
    targets: [dir],
    history: { branches: [], reflog: false, exclude, ...(within.length ? { within } : {}) },
    knownBlobs: {
      has: (id) => {
        const hit = ctx.known.has(id);
        if (hit) known++;
        return hit;
      },
    },
    onCleanBlob: (id) => clean.push(id),
  });
  // an incremental read does not see a secret from before it leave HEAD: look at HEAD's files
  const removed = exclude.length && (!part || part.index === 0) ? await removedFromHead(ctx, repo, dir, exclude, result.findings) : [];
  const notices = result.notices.filter((n) => n.level === 'warning').map((n) => relabel(n, dir, repo.name));
  if (ctx.pauseBeforeCommitMs) await new Promise((r) => setTimeout(r, ctx.pauseBeforeCommitMs));

  await ctx.db.transaction(async (tx) => {
    await complete(ctx, job, tx);
    await upsertFindings(tx, repositoryId, result.findings);
    await markRemoved(tx, repositoryId, removed);
    await recordCleanBlobs(tx, ctx.scanner, clean);
    const done = await finishPart(tx, scanId, statsOf(result, known, notices));
    if (done) {
      const tips: Tips = part ? { head: done.targetHead, tips: done.targetTips ?? {} } : synced.tips;
      await setScannedTips(tx, repositoryId, scanId, tips.head, tips.tips, { value: done.marker, at: done.markerAt });
    }
  });
  ctx.known.add(clean);
  return { kind: 'scanned', findings: result.findings.length };
}

/** Completes the job in the transaction that records its results; a job no longer ours rolls it all back. */
async function complete(ctx: JobContext, job: PgBoss.Job<ScanJobData>, tx?: Parameters<typeof txExecutor>[0]): Promise<void> {
  const r = (await ctx.boss.complete(SCAN_QUEUE, job.id, {}, tx ? { db: txExecutor(tx) } : {})) as unknown as { affected?: number } | undefined;
  if (r && r.affected === 0) throw new JobLostError(`job ${job.id} is no longer active (it expired and was handed to another worker)`);
}

function statsOf(result: ScanResult, known: number, notices: Notice[]) {
  const h = result.stats.history ?? [];
  return {
    commits: h.reduce((n, x) => n + x.commits, 0),
    blobs: h.reduce((n, x) => n + x.blobs, 0),
    bytes: h.reduce((n, x) => n + x.bytes, 0),
    knownBlobs: known,
    findings: result.findings.length,
    notices,
  };
}

function relabel(n: Notice, dir: string, name: string): Notice {
  return { ...n, path: n.path === dir ? name : `${name}/${n.path}`, message: n.message.replaceAll(dir, name) };
}

/**
 * The stored findings this repository's HEAD held that it holds no more, now that HEAD moved:
 * HEAD's files at their paths are scanned (same rules, same fingerprints); a path HEAD no
 * longer has, or whose file no longer holds the secret, is a removal, dated by the newest new
 * commit that touched it.
 */
async function removedFromHead(ctx: JobContext, repo: RepositoryRecord, dir: string, exclude: string[], found: readonly Finding[]): Promise<{ fingerprint: string; commit: string | null; date: string | null }[]> {
  const reported = new Set(found.map((f) => f.fingerprint));
  const present = (await presentInRepository(ctx.db, repo.id)).filter((p) => !reported.has(p.fingerprint));
  if (!present.length) return [];
  const at = await fingerprintsAt(dir, 'HEAD', present.map((p) => p.path), { ...ctx.scan, targets: [dir] });
  const gone = present.filter((p) => at.has(p.path) && !at.get(p.path)!.has(p.fingerprint));
  const out = [];
  for (const g of gone) {
    const r = await runGit(['log', '-1', '--format=%H%x00%aI', 'HEAD', ...exclude.map((e) => `^${e}`), '--', g.path], {}, dir);
    const [commit, date] = r.code === 0 && r.stdout.trim() ? r.stdout.trim().split('\0') : [null, null];
    out.push({ fingerprint: g.fingerprint, commit: commit ?? null, date: date ? new Date(date).toISOString() : null });
  }
  return out;
}

/**
 * Parts for a history with more new commits than `limit`: ranges of HEAD's first-parent line
 * (each part reads the commits reachable from its end and not from the previous end, merged
 * branches included), then one part for what other refs hold beyond HEAD. Every new commit
 * is in exactly one part. One part (no split) for a history under the limit.
 */
export async function planSplit(dir: string, tips: Tips, exclude: string[], limit: number): Promise<ScanPart[]> {
  const not = exclude.map((e) => `^${e}`);
  const all = Object.values(tips.tips);
  if (!tips.head || !limit || !all.length) return [];
  const count = await runGit(['rev-list', '--count', ...all, tips.head, ...not, '--'], {}, dir);
  const total = Number(count.stdout.trim()) || 0;
  if (total <= limit) return [];
  const line = await runGit(['rev-list', '--first-parent', '--reverse', tips.head, ...not, '--'], {}, dir);
  const chain = line.stdout.split('\n').filter(Boolean);
  const k = Math.max(1, Math.min(chain.length, Math.ceil(total / limit)));
  const ends: string[] = [];
  for (let i = 1; i <= k; i++) ends.push(chain[Math.ceil((i * chain.length) / k) - 1]!);
  const parts: ScanPart[] = [];
  let previous: string | null = null;
  for (const end of [...new Set(ends)]) {
    parts.push({ index: parts.length, total: 0, within: [end], exclude: previous ? [previous, ...exclude] : [...exclude] });
    previous = end;
  }
  const others = await runGit(['rev-list', '--count', ...all, `^${tips.head}`, ...not, '--'], {}, dir);
  if ((Number(others.stdout.trim()) || 0) > 0) parts.push({ index: parts.length, total: 0, within: [...new Set(all)], exclude: [tips.head, ...exclude] });
  for (const p of parts) p.total = parts.length;
  return parts;
}
