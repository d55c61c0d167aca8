import { createWriteStream } from 'node:fs';
import { Option, type Command } from 'commander';
import type { SasquatchConfig } from '../../config/load.js';
import type { Rule } from '../../detect/types.js';
import path from 'node:path';
import { CONFIG_CHANGE_RULE, configChangeFindings, isConfigFile } from '../../config/review.js';
import { configNotices, configSummary } from '../../config/trust.js';
import { configFileChanges, type ChangeRange } from '../../sources/git/config-changes.js';
import { openRepository } from '../../sources/git/repo.js';
import type { Finding } from '../../model/finding.js';
import { CONFIDENCES, type Confidence } from '../../model/confidence.js';
import { countBySeverity, severityRank, type Severity } from '../../model/severity.js';
import { runScan, type ScanResult } from '../../pipeline/scan.js';
import { jsonlLine, jsonlSummary } from '../../report/json.js';
import { render } from '../../report/render.js';
import { wantColor } from '../../report/style.js';
import { formatBytes } from '../../report/verification.js';
import { REPORT_FORMATS, type ReportFormat } from '../../report/types.js';
import { incomplete, incompleteText, noticeText, summarizeNotices } from '../../report/notices.js';
import { couldNotScan } from '../../sources/types.js';
import { SelectionError } from '../../sources/git/selection.js';
import { verifyFindings } from '../../verify/findings.js';
import { localRepository, recordScanResult } from '../../org/record.js';
import { withStore } from '../store-flags.js';
import { addHistoryOptions, historyOptions, type HistoryFlags } from '../history-flags.js';
import { choice, parseExitCode, parseMinSeverity, parseThreshold } from '../parse.js';
import { checkOutputPath, emit, EXIT, UsageError } from '../output.js';
import { describeFileProgress, describeProgress, progressLine } from '../progress.js';
import { addCommonScanOptions } from '../scan-flags.js';
import { failThreshold, resolveConfig, scanOptions, scanRoot, type CommonScanFlags } from '../scan-options.js';
import { terminalWidth } from '../terminal.js';
import { addExposureOptions, addNetworkOptions, buildVerifier, type ExposureFlags, type NetworkFlags } from '../verify-flags.js';

interface ScanFlags extends CommonScanFlags, HistoryFlags, NetworkFlags, ExposureFlags {
  store?: string;
  format?: ReportFormat;
  reportFormat?: ReportFormat;
  json?: boolean;
  configChangesSince?: string;
  minConfidence?: Confidence;
  all?: boolean;
  output?: string;
  reportPath?: string;
  failOn?: Severity | 'never';
  exitCode: number;
  minSeverity?: Severity | 'all';
  color?: boolean;
  verbose?: boolean;
  verify?: boolean;
  onlyVerified?: boolean;
  exposure?: boolean;
  /** Exit 2 when anything could not be scanned; undefined = the default (on with --staged). */
  failOnSkip?: boolean;
  showSecrets?: boolean;
  redact?: boolean;
  git?: boolean;
}

export function registerScan(program: Command): void {
  const cmd = program
    .command('scan')
    .description('scan files, directories, globs, git repositories (their whole history) or stdin (-) for leaked storage links and credentials')
    .argument('[targets...]', 'files, directories, glob patterns, repository URLs (https://…, file://…), or - for stdin', ['.'])
    .addOption(new Option('-f, --format <format>', `report format: ${REPORT_FORMATS.join(', ')}`).argParser(choice(REPORT_FORMATS)).default(undefined, 'text'))
    .addOption(new Option('--report-format <format>', 'same as --format (gitleaks spelling)').argParser(choice(REPORT_FORMATS)))
    .option('--json', 'same as --format json')
    .option('-o, --output <file>', 'write the report to a file instead of stdout (never scanned by this run)')
    .option('--report-path <file>', 'same as --output (gitleaks spelling)')
    .addOption(new Option('--fail-on <severity>', 'exit with --exit-code when a finding is at or above this severity (critical|high|medium|low|info|never)').argParser(parseThreshold).default(undefined, 'failOn from the configuration, else low'))
    .addOption(new Option('--exit-code <n>', 'the exit code when findings fail the scan (0-255; errors are always 2)').argParser(parseExitCode).default(EXIT.findings))
    .addOption(new Option('--min-severity <severity>', 'text output: list only findings at or above this severity (the rest are counted in the summary; all lists everything)').argParser(parseMinSeverity).default(undefined, 'all, with emulator and info findings folded into one line'))
    .option('--color', 'force colour in text output')
    .option('--no-color', 'disable colour in text output')
    .option('-v, --verbose', 'list every file that was not scanned and why')
    .option('--fail-on-skip', 'exit 2 when anything could not be scanned (unreadable, decode error, archive cut, internal error); default with --staged')
    .option('--no-fail-on-skip', 'do not exit 2 for what could not be scanned (it is still reported)')
    .option('--show-secrets', 'print secrets in full (redacted by default in every format)')
    .addOption(new Option('--redact', 'redact secrets in every format (the default)').conflicts('showSecrets'))
    .option('--no-git', 'same as --no-history (gitleaks/trufflehog spelling): scan the files on disk only')
    .addOption(new Option('--min-confidence <level>', 'list only findings at least this sure to be real credentials: high (checksum or strong structure), medium, low (known by its surroundings); the others are counted').choices([...CONFIDENCES]).default(undefined, 'low, or minConfidence from the configuration'))
    .option('--all', 'list everything: low-confidence info findings (generic matches in tests, docs, examples), placeholders and examples, whatever the minimum confidence')
    .option('--verify', 'check each credential live, read-only, against the host it was issued for (opt-in network use)')
    .option('--only-verified', 'report only credentials verified live (implies --verify)')
    .option('--exposure', 'with --verify: also measure what each live link exposes (implies --verify)')
    .option('--store <dir|url>', 'also record the findings in a store (a directory: embedded; postgres://…: a shared server) for `findings list|show|triage`')
    .option('--config-changes-since <rev>', "report changes to sasquatch's own configuration and baseline since <rev> as findings to review (rule sasquatch-config-change; --staged does this for the staged changes)")
    .addHelpText(
      'after',
      `
Exit status: 0 nothing at or above --fail-on, 1 findings at or above --fail-on, 2 usage or
runtime error, a missing target, or (with --fail-on-skip) something could not be scanned, 3 (with --verify) no finding reached --fail-on but some live check could not
be made (offline, DNS, timeout, refused, TLS, a guard refused, budget spent): unknown is not
a pass. 1 wins over 3; --fail-on never always exits 0.`,
    );
  addCommonScanOptions(cmd, 'scan');
  addHistoryOptions(cmd);
  addExposureOptions(addNetworkOptions(cmd)).action(async (targets: string[], flags: ScanFlags) => {
    process.exitCode = await scanCommand(targets, flags);
  });
}

/** The peers' spellings folded into ours; two different answers to one question are a usage error. */
function resolveAliases(flags: ScanFlags): { format: ReportFormat; output?: string } {
  const formats = [flags.format, flags.reportFormat, flags.json ? ('json' as const) : undefined].filter((f): f is ReportFormat => f !== undefined);
  if (new Set(formats).size > 1) throw new UsageError(`conflicting formats: ${[...new Set(formats)].join(' and ')} (--format, --report-format and --json name the same thing)`);
  if (flags.output && flags.reportPath && flags.output !== flags.reportPath) throw new UsageError('conflicting outputs: --output and --report-path name the same thing');
  if (flags.git === false) {
    if (flags.history === true) throw new UsageError('--no-git and --history contradict each other');
    flags.history = false;
  }
  if (flags.onlyVerified) flags.verify = true;
  return { format: formats[0] ?? 'text', output: flags.output ?? flags.reportPath };
}

async function scanCommand(targets: string[], flags: ScanFlags): Promise<number> {
  if (flags.store !== undefined && flags.showSecrets) throw new UsageError('--show-secrets cannot be combined with --store: the store never holds a secret');
  const { format, output } = resolveAliases(flags);
  checkOutputPath(output);
  const history = historyOptions(flags);
  const root = await scanRoot(targets);
  const cfg = resolveConfig(targets, flags.config, root, { quiet: flags.quiet });
  const opts = { ...scanOptions(targets, { ...flags, includeExamples: flags.includeExamples || flags.all }, cfg, { useBaseline: true, root }), ...listingOptions(flags, cfg) };
  opts.showSecrets = Boolean(flags.showSecrets);
  const toFile = Boolean(output && output !== '-');
  if (toFile) opts.skipFiles = [output!];
  // JSON Lines: each finding is written as soon as it is final (not when verification must run first)
  const stream = format === 'jsonl' && !flags.verify && !flags.exposure ? lineWriter(toFile ? output! : null) : null;
  const progress = progressLine(process.stderr, Boolean(flags.quiet));
  const result = await runScan({
    ...opts,
    history,
    staged: Boolean(flags.staged),
    onProgress: (p) => progress.update(() => describeProgress(p)),
    onFileProgress: (p) => progress.update(() => describeFileProgress(p)),
    ...(stream ? { onFinding: (f: Finding) => stream.write(jsonlLine(f)) } : {}),
  })
    .catch((e: unknown) => {
      if (e instanceof SelectionError) throw new UsageError(e.message);
      throw e;
    })
    .finally(() => progress.done());
  if (flags.staged || flags.configChangesSince) await addConfigChanges(result, targets, flags.staged ? { staged: true } : { since: flags.configChangesSince! }, cfg);
  const unchecked = flags.verify || flags.exposure ? await verifyScan(result, flags, opts.rules) : 0;
  if (flags.onlyVerified) keepOnlyVerified(result, flags);
  if (flags.store !== undefined) await storeScan(result, targets, flags);
  noteGitleaksIgnore(opts.suppressions?.gitleaks, flags);
  const threshold = failThreshold(flags.failOn, cfg);
  const config = configSummary(cfg);
  // bounded: one notice per configuration setting
  result.notices.push(...configNotices(config));
  const input = { ...result, targets, now: opts.now, root: result.root, config };
  const rules = [...opts.rules, CONFIG_CHANGE_RULE];
  if (stream) {
    await stream.end(jsonlSummary(input));
  } else {
    const color = format === 'text' && !toFile && wantColor(flags.color, process.stdout);
    const width = format === 'text' && !toFile ? terminalWidth(process.stdout) : undefined;
    const text = render(format, input, { color, verbose: Boolean(flags.verbose), failOn: threshold, minSeverity: flags.minSeverity, width }, rules);
    await emit(text, output);
  }
  // a report for a program or a file does not reach the person at the terminal: what was
  // not scanned goes to stderr too, in every format
  if (toFile || format !== 'text') writeNotices(result, process.stderr);
  if (toFile && format !== 'text' && !flags.quiet) process.stderr.write(`${result.findings.length} findings written to ${output}\n`);
  return exitCode(result, threshold, flags.failOnSkip ?? Boolean(flags.staged), unchecked, flags.exitCode);
}

/** Lines to stdout or a file, in order, with back-pressure ignored (one line per finding is small). */
function lineWriter(file: string | null): { write(s: string): void; end(last: string): Promise<void> } {
  const out = file ? createWriteStream(file) : process.stdout;
  return {
    write: (s) => void out.write(s),
    end: (last) =>
      new Promise((resolve, reject) => {
        out.once('error', reject);
        if (file) (out as ReturnType<typeof createWriteStream>).end(last, () => resolve());
        else out.write(last, (e) => (e ? reject(e) : resolve()));
      }),
  };
}

/**
 * 2 for a missing target (always) and, with --fail-on-skip, for anything that could not be
 * scanned — before 1 for findings: an incomplete scan must not pass as a verdict on the
 * whole; then 1 (or --exit-code) for findings at or above the threshold; then 3 when some live check could
 * not be made (unknown is not a pass; --fail-on never always passes), else 0.
 */
export function exitCode(result: Pick<ScanResult, 'notices' | 'findings'>, threshold: Severity | 'never', failOnSkip: boolean, unchecked = 0, findingsCode: number = EXIT.findings): number {
  if (result.notices.some((n) => n.skipped === 'not-found')) return EXIT.error;
  if (failOnSkip && incomplete(result.notices)) return EXIT.error;
  if (failed(result.findings, threshold)) return findingsCode;
  return unchecked > 0 && threshold !== 'never' ? EXIT.unknown : EXIT.ok;
}

function writeNotices(result: ScanResult, out: NodeJS.WritableStream): void {
  const lines: string[] = [];
  for (const n of result.notices) if (n.level === 'warning' || couldNotScan(n)) lines.push(`sasquatch: ${noticeText(n)}`);
  const summary = summarizeNotices(result.notices);
  if (summary.errorTotal) lines.push(`sasquatch: ${incompleteText(summary)}`);
  if (lines.length) out.write(`${lines.join('\n')}\n`);
}

/**
 * Changes to the configuration and baseline themselves (pre-commit hook, pull requests) are
 * findings to review: added after suppression, so neither the changed configuration nor the
 * changed baseline can accept them.
 */
async function addConfigChanges(result: ScanResult, targets: string[], range: ChangeRange, cfg: SasquatchConfig): Promise<void> {
  for (const target of targets.filter((t) => t !== '-')) {
    const repo = await openRepository(target).catch(() => null);
    if (!repo?.hasWorkTree) continue;
    // bounded: one segment per directory level
    const top = path.resolve(repo.dir, ...repo.prefix.split('/').filter(Boolean).map(() => '..'));
    const baselines = cfg.baseline ? [path.relative(top, cfg.baseline).split(path.sep).join('/')] : [];
    let changes;
    try {
      changes = await configFileChanges(repo, range, (p) => isConfigFile(p, baselines));
    } catch (e) {
      throw new UsageError(e instanceof Error ? e.message : String(e));
    }
    for (const f of configChangeFindings(changes, top)) {
      result.findings.push(f);
      result.stats.findingsByRule[f.rule] = (result.stats.findingsByRule[f.rule] ?? 0) + 1;
    }
  }
  result.stats.findingsBySeverity = countBySeverity(result.findings);
}

/**
 * Opt-in: live checks (and blast radius) for every finding, then severities recounted.
 * Returns how many findings could not be checked (said in the summary and as a notice).
 */
async function verifyScan(result: ScanResult, flags: ScanFlags, rules: readonly Rule[]): Promise<number> {
  const verifier = buildVerifier(flags);
  const progress = progressLine(process.stderr, Boolean(flags.quiet));
  const exposure = flags.exposure
    ? {
        maxObjects: flags.maxObjects,
        maxSeconds: flags.maxSeconds,
        onProgress: (p: { current: string | null; objects: number; bytes: number }) => progress.update(`exposure: listing ${p.current ?? ''} (${p.objects} objects, ${formatBytes(p.bytes)})`),
        scanContent: flags.scanContent ? { budgetBytes: flags.contentBudget, maxObjectBytes: flags.contentMaxObject, rules, showSecrets: Boolean(flags.showSecrets) } : undefined,
      }
    : undefined;
  const summary = await verifyFindings(result.findings, result.material, verifier, { exposure, onProgress: (done, total) => progress.update(`verifying ${done}/${total}`) });
  progress.done();
  result.stats.findingsBySeverity = countBySeverity(result.findings);
  const { verified, byStatus, unknownByCause, couldNotCheck, requestsSent } = summary;
  result.stats.verification = { verified, byStatus, unknownByCause, couldNotCheck, requestsSent };
  const causes = Object.entries(unknownByCause).map(([k, n]) => `${n} ${k}`).join(', ');
  const statuses = Object.entries(byStatus).map(([k, n]) => (k === 'unknown' ? `${n} unknown (${causes})` : `${n} ${k}`)).join(', ') || 'nothing to verify';
  if (couldNotCheck > 0) {
    result.notices.push({
      level: 'warning',
      path: '(verify)',
      message: `${couldNotCheck} finding${couldNotCheck === 1 ? '' : 's'} could not be verified (${causes}): the verdict is unknown, not a pass, and the severity is the offline judgement`,
    });
  }
  if (!flags.quiet) process.stderr.write(`verified ${summary.verified} findings (${summary.distinctCredentials} distinct credentials) with ${requestsSent} read-only requests: ${statuses}\n`);
  return couldNotCheck;
}

/** Live (or valid but refused from here by an IP rule) credentials only; the rest are counted, not lost. */
function keepOnlyVerified(result: ScanResult, flags: ScanFlags): void {
  const live = result.findings.filter((f) => f.verification?.status === 'live' || f.verification?.status === 'ip-restricted');
  const dropped = result.findings.length - live.length;
  result.findings = live;
  result.stats.findingsBySeverity = countBySeverity(live);
  result.stats.findingsByRule = {};
  for (const f of live) result.stats.findingsByRule[f.rule] = (result.stats.findingsByRule[f.rule] ?? 0) + 1;
  if (dropped) {
    result.notices.push({ level: 'info', path: '--only-verified', message: `${dropped} finding${dropped === 1 ? '' : 's'} not verified live left out of the report` });
    if (!flags.quiet) process.stderr.write(`--only-verified: ${dropped} finding${dropped === 1 ? '' : 's'} not verified live left out\n`);
  }
}

function noteGitleaksIgnore(g: { file: string; entries: readonly unknown[]; used: ReadonlySet<unknown> } | undefined, flags: ScanFlags): void {
  if (!g || flags.quiet) return;
  process.stderr.write(`${g.file}: ${g.used.size} of ${g.entries.length} entr${g.entries.length === 1 ? 'y' : 'ies'} matched a finding (same path and line${g.entries.length ? ', and commit when given' : ''})\n`);
}

/** `--store`: the result recorded (findings upserted by fingerprint; triage untouched). */
async function storeScan(result: ScanResult, targets: string[], flags: ScanFlags): Promise<void> {
  const complete = !flags.staged && !(flags.branch ?? []).length && !flags.since && !flags.sinceCommit;
  await withStore(flags.store, async (db) => {
    const r = await recordScanResult(db, result, localRepository(targets), { complete });
    if (!flags.quiet) {
      const removed = r.removed ? `, ${r.removed} no longer present` : '';
      process.stderr.write(`store ${db.location}: ${r.recorded} finding${r.recorded === 1 ? '' : 's'} recorded (${r.added} new${removed})\n`);
    }
  });
}

/**
 * What is listed: everything with --all; else findings at or above the minimum confidence,
 * and info findings of low confidence only when failing on info (what fails is always shown).
 */
function listingOptions(flags: ScanFlags, cfg: SasquatchConfig): { minConfidence: Confidence; listLowConfidenceInfo: boolean } {
  if (flags.all) return { minConfidence: 'low', listLowConfidenceInfo: true };
  return { minConfidence: flags.minConfidence ?? cfg.minConfidence ?? 'low', listLowConfidenceInfo: failThreshold(flags.failOn, cfg) === 'info' };
}

export function failed(findings: { severity: Severity }[], threshold: Severity | 'never'): boolean {
  if (threshold === 'never') return false;
  return findings.some((f) => severityRank(f.severity) >= severityRank(threshold));
}
