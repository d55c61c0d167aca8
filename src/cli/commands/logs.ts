import type { Command } from 'commander';
import { InvalidArgumentError, Option } from 'commander';
import { investigate, type LogsResult } from '../../logs/investigate.js';
import { attachFindingFromReport, isFingerprint, linkFromReport, linkFromText, parseWindow, type LinkTarget, type TimeWindow } from '../../logs/link.js';
import { renderLogsJson } from '../../logs/report-json.js';
import { EXPECTED_LOGS } from '../../logs/reader.js';
import { LOGS_HTTP } from '../../logs/sources.js';
import { overrideLookup, parseResolve } from '../../verify/address.js';
import { HttpGuard } from '../../verify/http.js';
import { bytes, clean, num, renderLogsText } from '../../logs/report-text.js';
import { wantColor } from '../../report/style.js';
import { readStream } from '../../sources/stdin.js';
import { choice, collect, parseCount, parseNow } from '../parse.js';
import { checkOutputPath, emit, EXIT, UsageError } from '../output.js';

interface LogsFlags {
  link?: string;
  report?: string;
  window?: TimeWindow;
  revokedAt?: Date;
  prefix?: string;
  format: 'text' | 'json';
  output?: string;
  csv?: string;
  top: number;
  maxDistinct: number;
  showSecrets?: boolean;
  verbose?: boolean;
  color?: boolean;
  allowPrivateHosts?: boolean;
  resolve: string[];
}

export function registerLogs(program: Command): void {
  program
    .command('logs')
    .description('investigate storage logs: who used a leaked link, when, from where, and what they read, changed or deleted')
    .argument('<logs...>', 'log files or directories (.gz read directly), or a $logs / insights-logs-* container URL with a SAS')
    .option('--link <link>', 'the leaked URL, SAS token or connection string, a finding fingerprint (with --report), or - to read it from stdin; omit to report every SAS request')
    .option('--report <scan.json>', 'a sasquatch JSON scan report: the finding gives the token fields and the exposure window')
    .option('--window <from..until>', 'exposure window, e.g. 2021-10-05..2023-06-24 (either side may be empty)', windowOption)
    .option('--revoked-at <date>', 'when the link was revoked: counts what still happened after it', parseNow)
    .option('--prefix <prefix>', 'only blobs whose names start with this (container URLs), e.g. blob/2023/06/')
    .option('-f, --format <format>', 'text or json', choice(['text', 'json'] as const), 'text')
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option('--csv <file>', 'also write every matched log row to this CSV file (streamed)')
    .option('--top <n>', 'entries in each top list', parseCount, 10)
    .option('--max-distinct <n>', 'distinct addresses, user agents and objects tracked per list (bounds memory)', parseCount, 100_000)
    .option('--show-secrets', 'print the link and logged signatures in full')
    .option('-v, --verbose', 'print every malformed line (file:line: reason) to stderr as it is met')
    .option('--allow-private-hosts', 'container URLs: allow private, loopback and link-local addresses (emulators, private endpoints); plain http only there')
    .addOption(new Option('--resolve <host:address>', 'container URLs: use this address for a host name, like curl --resolve (repeatable)').argParser(collect).default([], 'none'))
    .option('--color', 'force colour')
    .option('--no-color', 'disable colour')
    .addHelpText(
      'after',
      `
Exit status: 0 no use found, 1 the link (or any SAS, without --link) was used, 2 error —
including inputs where not one line parsed as a storage log record (each file is named with
what was expected; malformed lines among good ones are counted warnings, not errors).
Matching: Azure Monitor rows by the SHA-256 of the signature in AuthenticationHash; classic
$logs rows by the signature or, when it is masked, by all the token's other signed fields.
Requests with a client request id starting "sasquatch-" are sasquatch's own checks and are
reported apart.`,
    )
    .action(async (inputs: string[], flags: LogsFlags) => {
      process.exitCode = await logsCommand(inputs, flags);
    });
}

function windowOption(value: string): TimeWindow {
  try {
    return parseWindow(value);
  } catch (e) {
    throw new InvalidArgumentError((e as Error).message);
  }
}

async function logsCommand(inputs: string[], flags: LogsFlags): Promise<number> {
  checkOutputPath(flags.output);
  checkOutputPath(flags.csv, '--csv');
  const target = await resolveLink(flags);
  const window = flags.window ?? target?.exposure ?? null;
  const progress = process.stderr.isTTY ? progressLine() : undefined;
  let result: LogsResult;
  try {
    result = await investigate({
      inputs,
      target,
      window,
      revokedAt: flags.revokedAt ? flags.revokedAt.getTime() : null,
      top: Math.max(1, flags.top),
      maxDistinct: Math.max(1, flags.maxDistinct),
      prefix: flags.prefix,
      guard: logsGuard(flags),
      csvPath: flags.csv,
      showSecrets: Boolean(flags.showSecrets),
      onMalformed: flags.verbose ? (m) => process.stderr.write(`${clean(m.source)}:${m.line}: ${clean(m.error)}\n`) : undefined,
      onProgress: progress?.update,
    });
  } finally {
    progress?.done();
  }
  if (result.inputs.files === 0) {
    for (const n of result.inputs.notices) process.stderr.write(`sasquatch: ${clean(n.path)}: ${clean(n.message)}\n`);
    process.stderr.write('sasquatch: no log files were read\n');
    return EXIT.error;
  }
  if (result.inputs.records === 0) return noRecords(result);
  const toFile = Boolean(flags.output && flags.output !== '-');
  const text =
    flags.format === 'json' ? renderLogsJson(result) : renderLogsText(result, { color: !toFile && wantColor(flags.color, process.stdout) });
  await emit(text, flags.output);
  if (toFile) process.stderr.write(`report written to ${flags.output}\n`);
  return result.summary.use.requests > 0 ? EXIT.findings : EXIT.ok;
}

/** Container URLs go through the verifier's guard: the link's own host, no redirects, no private address unless allowed. */
function logsGuard(flags: LogsFlags): HttpGuard {
  let resolve: Map<string, string>;
  try {
    resolve = parseResolve(flags.resolve ?? []);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  return new HttpGuard({ ...LOGS_HTTP, allowPrivateHosts: Boolean(flags.allowPrivateHosts), ...(resolve.size ? { lookup: overrideLookup(resolve) } : {}) });
}

/**
 * Not one line of any input parsed as a log record: that is not "no use found", it is not a
 * storage log (or the wrong files). An error that names each file and what was expected;
 * a few malformed lines among good ones stay counted warnings in the report.
 */
function noRecords(result: LogsResult): number {
  const { sources } = result.inputs;
  process.stderr.write(`sasquatch: no storage log record in ${sources.length === 1 ? 'the file read' : `any of the ${sources.length} files read`}: nothing was investigated\n`);
  for (const s of sources.slice(0, 50)) {
    const why = s.warnings[0] ?? (s.bytes === 0 ? 'empty' : s.malformed ? `${s.malformed} malformed lines, no record` : 'only blank lines');
    process.stderr.write(`  ${clean(s.name)}: ${clean(why)}\n`);
  }
  if (sources.length > 50) process.stderr.write(`  … and ${sources.length - 50} more\n`);
  for (const n of result.inputs.notices.filter((x) => !sources.some((s) => s.name === x.path))) process.stderr.write(`sasquatch: ${clean(n.path)}: ${clean(n.message)}\n`);
  process.stderr.write(`sasquatch: expected ${EXPECTED_LOGS}\n`);
  return EXIT.error;
}

async function resolveLink(flags: LogsFlags): Promise<LinkTarget | null> {
  const opts = { now: new Date(), showSecrets: Boolean(flags.showSecrets) };
  if (flags.link === undefined) {
    if (flags.report) throw new UsageError('--report needs --link <fingerprint> to say which finding to trace');
    return null;
  }
  // `--link -` keeps the secret out of the process list and the shell history
  const link = flags.link === '-' ? (await readStream(process.stdin)).toString('utf8').trim() : flags.link.trim();
  if (!link) throw new UsageError('--link is empty');
  try {
    if (isFingerprint(link)) {
      if (!flags.report) throw new UsageError(`${link} looks like a finding fingerprint: add --report <scan.json> (the JSON report it came from), or pass the link itself`);
      return await linkFromReport(link, flags.report, opts);
    }
    const target = linkFromText(link, opts);
    if (flags.report && !(await attachFindingFromReport(target, flags.report))) {
      process.stderr.write(`sasquatch: warning: no finding in ${flags.report} holds this link; no exposure window from it\n`);
    }
    return target;
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError((e as Error).message);
  }
}

/** A one-line running count on stderr while a large log set is read (terminal only). */
function progressLine(): { update: (p: { sources: number; bytes: number; records: number; matched: number }) => void; done: () => void } {
  let shown = false;
  return {
    update: (p) => {
      shown = true;
      process.stderr.write(`\r${num(p.sources)} files, ${bytes(p.bytes)}, ${num(p.records)} records, ${num(p.matched)} matched   `);
    },
    done: () => {
      if (shown) process.stderr.write('\r\x1b[K');
    },
  };
}
