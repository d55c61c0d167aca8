import { Option, type Command } from 'commander';
import { listOrg, parseOrgSpec, PLATFORM_NAMES, SourceError, type OrgSpec } from '../../org/sources/index.js';
import { DEFAULT_FILTER, filterRepos, type RepoFilter } from '../../org/sources/filters.js';
import { RateLimiter } from '../../org/sources/rate-limit.js';
import { planRun } from '../../org/plan.js';
import { startQueue } from '../../org/queue.js';
import { startRuntime } from '../../org/runtime.js';
import { drainFailed, startWorkers } from '../../org/worker.js';
import { renderRunStatus, progressBar } from '../../report/org-status.js';
import { wantColor } from '../../report/style.js';
import type { Db } from '../../store/db.js';
import { pendingScans, recordFailure, runStatus, type RunStatus } from '../../store/scans.js';
import { emit, EXIT, UsageError } from '../output.js';
import { addJobOptions, jobPolicy, runtimeOptions, type JobFlags } from '../org-flags.js';
import { choice, collect, parseCount, parseSize } from '../parse.js';
import { progressLine } from '../progress.js';
import { addStoreOption, withStore } from '../store-flags.js';

/**
 * `sasquatch org scan|status`: every repository of an organisation, incrementally, into a
 * store. Without --enqueue the scan runs here (in-process workers); with it, it only plans,
 * and `sasquatch worker` processes on any number of machines do the work.
 */
interface OrgScanFlags extends JobFlags {
  reposFile?: string;
  apiUrl?: string;
  forks?: boolean;
  archived?: boolean;
  visibility: string[];
  includeRepo: string[];
  excludeRepo: string[];
  maxRepoSize?: number;
  enqueue?: boolean;
  all?: boolean;
  verifyUnchanged?: boolean;
  lsRemoteConcurrency: number;
  format: 'text' | 'json';
}

export function registerOrg(program: Command): void {
  const org = program.command('org').description('scan every repository of an organisation (GitHub, GitLab, Azure DevOps, Hugging Face, or a list) into a store, incrementally');

  addJobOptions(
    org
      .command('scan')
      .description('list the repositories, queue a scan of each one with new commits, and (unless --enqueue) run the scans here')
      .argument('[source]', 'github:ORG | gitlab:GROUP | azure-devops:ORG/PROJECT | hf:ORG')
      .option('--repos-file <file>', 'repositories to scan, one URL or local path a line (instead of a platform)')
      .option('--api-url <url>', 'the platform’s API (GitHub Enterprise: https://HOST/api/v3; self-managed GitLab; Azure DevOps Server; a Hugging Face mirror)')
      .option('--forks', 'also scan forks (left out by default)')
      .option('--no-archived', 'leave archived repositories out')
      .option('--visibility <list>', 'only these visibilities (public, private, internal; comma-separated)', collect, [])
      .option('--include-repo <glob>', 'only repositories whose name matches (repeatable)', collect, [])
      .option('--exclude-repo <glob>', 'leave out repositories whose name matches (repeatable)', collect, [])
      .addOption(new Option('--max-repo-size <size>', 'leave out repositories larger than this (as the platform reports it)').argParser(parseSize))
      .option('--enqueue', 'only plan: queue the jobs for `sasquatch worker` processes (on a shared store)')
      .option('--all', 'queue every repository, changed or not (each still reads only commits not yet scanned)')
      .option('--verify-unchanged', 'ask every remote for its refs, even when the listing says nothing was pushed since the last scan')
      .option('--ls-remote-concurrency <n>', 'remotes asked at once while planning', parseCount, 16)
      .option('-f, --format <format>', 'summary format: text or json', choice(['text', 'json'] as const), 'text'),
  ).action(async (source: string | undefined, flags: OrgScanFlags) => {
    process.exitCode = await orgScan(source, flags);
  });

  addStoreOption(
    org
      .command('status')
      .description('repositories queued, running, done and failed; throughput; findings by severity')
      .option('--run <id>', 'this run (default: the latest)', parseCount)
      .option('-f, --format <format>', 'text or json', choice(['text', 'json'] as const), 'text')
      .option('--watch', 'keep the display up to date until nothing is queued or running (default in a terminal)')
      .option('--no-watch', 'print once and exit')
      .option('--color', 'force colour')
      .option('--no-color', 'disable colour'),
  ).action(async (flags: { store?: string; run?: number; format: 'text' | 'json'; watch?: boolean; color?: boolean }) => {
    await withStore(flags.store, async (db) => {
      await recordDeadLetters(db);
      const watch = flags.format === 'text' && (flags.watch ?? Boolean(process.stdout.isTTY));
      let status = await runStatus(db, flags.run ?? null);
      if (watch) {
        const line = progressLine(process.stderr, false);
        while (status.scans.queued + status.scans.running > 0) {
          line.update(`${progressBar(status, 30)} · ${status.scans.running} running · ${status.scans.failed} failed · ${status.findings.total} open findings`);
          await new Promise((r) => setTimeout(r, 1000));
          await recordDeadLetters(db);
          status = await runStatus(db, flags.run ?? null);
        }
        line.done();
      }
      if (flags.format === 'json') await emit(`${JSON.stringify(status, null, 2)}\n`, undefined);
      else await emit(renderRunStatus(status, { color: wantColor(flags.color, process.stdout), store: db.location }), undefined);
    });
  });
}

async function orgScan(source: string | undefined, flags: OrgScanFlags): Promise<number> {
  if (!source && !flags.reposFile) throw new UsageError('name a source (github:ORG, gitlab:GROUP, azure-devops:ORG/PROJECT, hf:ORG) or --repos-file FILE');
  if (source && flags.reposFile) throw new UsageError('give a source or --repos-file, not both');
  let spec: OrgSpec;
  try {
    spec = flags.reposFile ? { source: 'list', target: flags.reposFile } : parseOrgSpec(source!);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const say = (s: string) => {
    if (!flags.quiet) process.stderr.write(`${s}\n`);
  };
  const rate = new RateLimiter(PLATFORM_NAMES[spec.source], { onWait: (p, ms, why) => say(`${p} rate limit: waiting ${(ms / 1000).toFixed(1)} s (${why})`) });
  let listing;
  const listedAt = new Date();
  try {
    listing = await listOrg(spec, { ...(flags.apiUrl ? { apiUrl: flags.apiUrl } : {}), env: process.env, rate });
  } catch (e) {
    if (e instanceof SourceError) throw new UsageError(e.message);
    throw e;
  }
  for (const n of listing.notices) say(`warning: ${n}`);
  const filter: RepoFilter = {
    ...DEFAULT_FILTER,
    forks: Boolean(flags.forks),
    archived: flags.archived !== false,
    visibility: flags.visibility.flatMap((v) => v.split(',')).map((v) => v.trim().toLowerCase()).filter(Boolean),
    include: flags.includeRepo,
    exclude: flags.excludeRepo,
    maxSizeKb: flags.maxRepoSize ? Math.ceil(flags.maxRepoSize / 1024) : 0,
  };
  const { kept, left } = filterRepos(listing.repos, filter);
  const leftOut = Object.entries(left).map(([why, names]) => `${names.length} ${why}`);
  say(`${PLATFORM_NAMES[spec.source]} ${spec.source === 'list' ? spec.target : spec.target}: ${listing.repos.length} repositories listed, ${kept.length} to scan${leftOut.length ? ` (left out: ${leftOut.join(', ')})` : ''}`);
  if (spec.source !== 'list') say(rate.describe());
  const specText = spec.source === 'list' ? `repos file ${spec.target}` : `${spec.source}:${spec.target}`;

  return withStore(flags.store, async (db) => {
    const errors: string[] = [];
    const onError = (e: Error) => errors.push(e.message);
    const plannedOnly = Boolean(flags.enqueue);
    const boss = plannedOnly ? await startQueue(db, { supervise: false, maintenanceSeconds: flags.maintenanceInterval, onError }) : null;
    const runtime = plannedOnly ? null : await startRuntime(db, runtimeOptions(flags, onError));
    try {
      const progress = progressLine(process.stderr, Boolean(flags.quiet));
      const plan = await planRun(db, (boss ?? runtime!.boss), specText, kept, {
        concurrency: flags.lsRemoteConcurrency,
        policy: jobPolicy(flags),
        env: process.env,
        all: Boolean(flags.all),
        listedAt,
        verifyUnchanged: Boolean(flags.verifyUnchanged),
        onProgress: (n, total) => progress.update(`checking remotes for new commits: ${n}/${total}`),
      });
      progress.done();
      const byListing = plan.unchangedByListing ? ` (${plan.unchangedByListing} by the listing's last-push time, ${plan.unchanged - plan.unchangedByListing} by asking the remote)` : '';
      say(`run ${plan.runId}: ${plan.queued} queued, ${plan.unchanged} unchanged since their last scan${byListing}${plan.pending ? `, ${plan.pending} already queued or running` : ''}`);
      for (const u of plan.unreachable) say(`warning: ${u} (queued: the scan will retry and record the error)`);
      if (plannedOnly) {
        say(`jobs are in the store's queue: run \`sasquatch worker --store …\` on any number of machines, and \`sasquatch org status\` to follow them`);
        const status = await runStatus(db, plan.runId);
        if (flags.format === 'json') await emit(`${JSON.stringify({ plan, status }, null, 2)}\n`, undefined);
        return EXIT.ok;
      }
      const status = await runHere(db, runtime!, flags, plan.runId);
      if (flags.format === 'json') await emit(`${JSON.stringify({ plan, status }, null, 2)}\n`, undefined);
      else await emit(renderRunStatus(status, { color: wantColor(undefined, process.stdout), store: db.location }), undefined);
      return status.scans.failed > 0 ? EXIT.error : EXIT.ok;
    } finally {
      if (runtime) await runtime.close();
      if (boss) await boss.stop({ graceful: false, wait: true, close: false });
    }
  });
}

/** The in-process workers, until every queued scan is done or failed; a progress line on a terminal. */
async function runHere(db: Db, runtime: Awaited<ReturnType<typeof startRuntime>>, flags: OrgScanFlags, runId: number): Promise<RunStatus> {
  const line = progressLine(process.stderr, Boolean(flags.quiet));
  const workers = startWorkers(runtime.ctx, flags.concurrency, {}, 250);
  try {
    let status = await runStatus(db, runId);
    while ((await pendingScans(db, null)) > 0) {
      line.update(`${progressBar(status, 30)} · ${status.scans.running} running · ${status.scans.failed} failed · ${status.findings.total} open findings`);
      await new Promise((r) => setTimeout(r, 300));
      status = await runStatus(db, runId);
    }
  } finally {
    await workers.stop();
    line.done();
  }
  return runStatus(db, runId);
}

/** Failures pg-boss moved to the dead-letter queue (a worker died on the last try) recorded on their scans. */
async function recordDeadLetters(db: Db): Promise<void> {
  const boss = await startQueue(db, { supervise: false, maintenanceSeconds: 60 });
  try {
    await drainFailed(boss, (scanId, error) => recordFailure(db, scanId, error, true));
  } finally {
    await boss.stop({ graceful: false, wait: true, close: false });
  }
}
