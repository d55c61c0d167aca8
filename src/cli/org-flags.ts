import path from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { parseDuration } from '../config/duration.js';
import { DEFAULT_JOB_POLICY, type JobPolicy } from '../org/queue.js';
import type { RuntimeOptions } from '../org/runtime.js';
import type { ScanOptions } from '../pipeline/scan.js';
import { collect, parseCount, parseSize } from './parse.js';
import { resolveConfig, scanOptions } from './scan-options.js';
import { addStoreOption } from './store-flags.js';

/** Options of every command that runs scan jobs (`org scan`, `worker`). */
export interface JobFlags {
  store?: string;
  cache?: string;
  concurrency: number;
  config?: string | false;
  maxFileSize?: number;
  exclude: string[];
  threads: number;
  splitCommits: number;
  jobTimeout: number;
  retries: number;
  retryDelay: number;
  maintenanceInterval: number;
  quiet?: boolean;
}

export const DEFAULT_CACHE_DIR = path.join('.sasquatch', 'cache');

function durationArg(v: string): number {
  const s = /^\d+$/.test(v) ? Number(v) : parseDuration(v);
  if (s === null || !(s >= 1)) throw new InvalidArgumentError('expected a duration such as 90s, 30m or 2h');
  return s;
}

export function addJobOptions(cmd: Command): Command {
  return addStoreOption(cmd)
    .option('--cache <dir>', 'where this machine keeps its bare clones (default .sasquatch/cache or $SASQUATCH_CACHE)')
    .option('--concurrency <n>', 'jobs (repositories) this process scans at once', parseCount, 2)
    .option('-c, --config <file>', 'configuration file (rules, policy, exclusions) for the scans')
    .option('--no-config', 'ignore configuration files')
    .addOption(new Option('--max-file-size <size>', 'skip blobs larger than this (and leave them out of partial clones)').argParser(parseSize).default(undefined, '100MB'))
    .option('--exclude <glob>', 'skip paths matching a glob in every repository (repeatable)', collect, [])
    .option('--threads <n>', 'worker threads per job (0 = share the cores among the jobs)', parseCount, 0)
    .option('--split-commits <n>', 'split a history with more new commits than this into jobs over ranges of it', parseCount, 50_000)
    .addOption(new Option('--job-timeout <duration>', 'a job not finished after this long is taken for dead and retried').argParser(durationArg).default(DEFAULT_JOB_POLICY.timeoutSeconds, '1h'))
    .option('--retries <n>', 'retries of a failed job (with exponential backoff) before it is failed for good', parseCount, DEFAULT_JOB_POLICY.retryLimit)
    .addOption(new Option('--retry-delay <duration>', 'base of the backoff between retries').argParser(durationArg).default(DEFAULT_JOB_POLICY.retryDelaySeconds, '30s'))
    .addOption(new Option('--maintenance-interval <duration>', 'how often dead workers’ jobs are looked for').argParser(durationArg).default(60, '60s'))
    .option('-q, --quiet', 'no progress or status messages on stderr');
}

export function jobPolicy(flags: JobFlags): JobPolicy {
  return { timeoutSeconds: flags.jobTimeout, retryLimit: flags.retries, retryDelaySeconds: flags.retryDelay };
}

/** The scan options every job uses: configuration (rules, policy), size limits, exclusions. */
export function jobScanOptions(flags: JobFlags): ScanOptions {
  const cfg = resolveConfig([], flags.config);
  const opts = scanOptions([], { exclude: flags.exclude, threads: flags.threads, ...(flags.maxFileSize !== undefined ? { maxFileSize: flags.maxFileSize } : {}) }, cfg, { useBaseline: false });
  return { ...opts, history: { branches: [], reflog: false } };
}

export function runtimeOptions(flags: JobFlags, onError: (e: Error) => void): RuntimeOptions {
  return {
    cacheDir: flags.cache ?? process.env['SASQUATCH_CACHE'] ?? DEFAULT_CACHE_DIR,
    scan: jobScanOptions(flags),
    policy: jobPolicy(flags),
    splitCommits: flags.splitCommits,
    maintenanceSeconds: flags.maintenanceInterval,
    concurrency: flags.concurrency,
    onError,
  };
}
