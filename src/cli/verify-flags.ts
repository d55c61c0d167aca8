import { InvalidArgumentError, Option, type Command } from 'commander';
import { DEFAULT_EXPOSURE } from '../verify/exposure/walk.js';
import { DEFAULT_HTTP_OPTIONS } from '../verify/http.js';
import { overrideLookup, parseResolve } from '../verify/address.js';
import { Verifier } from '../verify/verify.js';
import { collect, parseCount, parseSize } from './parse.js';

/** Options shared by scan --verify, verify and exposure: network limits and guards. */
export interface NetworkFlags {
  allowPrivateHosts?: boolean;
  timeout: number;
  concurrency: number;
  maxRequests: number;
  resolve: string[];
}

export interface ExposureFlags {
  maxObjects: number;
  maxSeconds: number;
  scanContent?: boolean;
  contentBudget: number;
  contentMaxObject: number;
}

/** `10s`, `500ms`, `2m` or a number of seconds → milliseconds. */
export function parseDuration(value: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m)?$/i.exec(value.trim());
  if (!m) throw new InvalidArgumentError('expected a duration such as 10s, 500ms or 2m');
  const n = parseFloat(m[1]!);
  const unit = (m[2] ?? 's').toLowerCase();
  const ms = unit === 'ms' ? n : unit === 'm' ? n * 60_000 : n * 1000;
  if (ms <= 0) throw new InvalidArgumentError('must be more than zero');
  return Math.round(ms);
}

function positive(value: string): number {
  const n = parseCount(value);
  if (n < 1) throw new InvalidArgumentError('must be at least 1');
  return n;
}

export function addNetworkOptions(cmd: Command): Command {
  return cmd
    .option('--allow-private-hosts', 'allow checks against private, loopback and link-local addresses (emulators, private endpoints); plain http only there')
    .addOption(new Option('--timeout <duration>', 'per-request timeout (10s, 500ms, 2m)').argParser(parseDuration).default(DEFAULT_HTTP_OPTIONS.timeoutMs, '10s'))
    .option('--concurrency <n>', 'requests in flight at once', positive, DEFAULT_HTTP_OPTIONS.concurrency)
    .option('--max-requests <n>', 'requests the whole run may send; further checks report unknown', positive, DEFAULT_HTTP_OPTIONS.maxRequests)
    .addOption(new Option('--resolve <host:address>', 'use this address for a host name, like curl --resolve (repeatable)').argParser(collect).default([], 'none'));
}

export function addExposureOptions(cmd: Command): Command {
  return cmd
    .option('--max-objects <n>', 'stop listing after this many objects (result marked partial)', positive, DEFAULT_EXPOSURE.maxObjects)
    .option('--max-seconds <n>', 'stop walking after this many seconds (result marked partial)', positive, DEFAULT_EXPOSURE.maxSeconds)
    .option('--scan-content', 'download small text objects and run the secret rules on them (needs read; within --content-budget)')
    .addOption(new Option('--content-budget <size>', 'total bytes --scan-content may download').argParser(parseSize).default(10 * 1024 * 1024, '10MB'))
    .addOption(new Option('--content-max-object <size>', 'largest object --scan-content downloads').argParser(parseSize).default(256 * 1024, '256KB'));
}

export function buildVerifier(flags: NetworkFlags, now?: Date): Verifier {
  let resolve: Map<string, string>;
  try {
    resolve = parseResolve(flags.resolve ?? []);
  } catch (e) {
    throw new InvalidArgumentError((e as Error).message);
  }
  return new Verifier({
    allowPrivateHosts: Boolean(flags.allowPrivateHosts),
    timeoutMs: flags.timeout,
    concurrency: flags.concurrency,
    maxRequests: flags.maxRequests,
    lookup: resolve.size ? overrideLookup(resolve) : undefined,
    now,
  });
}

/** A single progress line on stderr when it is a terminal; nothing otherwise. */
export { progressLine } from './progress.js';
