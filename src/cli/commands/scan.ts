import { Option, type Command } from 'commander';
import type { SasquatchConfig } from '../../config/load.js';
import type { Rule } from '../../detect/types.js';
import { CONFIDENCES, type Confidence } from '../../model/confidence.js';
import { countBySeverity, severityRank, type Severity } from '../../model/severity.js';
import { runScan, type ScanResult } from '../../pipeline/scan.js';
import { render } from '../../report/render.js';
import { wantColor } from '../../report/style.js';
import { formatBytes } from '../../report/verification.js';
import { REPORT_FORMATS, type ReportFormat } from '../../report/types.js';
import { SelectionError } from '../../sources/git/selection.js';
import { verifyFindings } from '../../verify/findings.js';
import { addHistoryOptions, historyOptions, type HistoryFlags } from '../history-flags.js';
import { choice, parseThreshold } from '../parse.js';
import { emit, EXIT, UsageError } from '../output.js';
import { describeProgress, progressLine } from '../progress.js';
import { addCommonScanOptions } from '../scan-flags.js';
import { failThreshold, resolveConfig, scanOptions, type CommonScanFlags } from '../scan-options.js';
import { addExposureOptions, addNetworkOptions, buildVerifier, type ExposureFlags, type NetworkFlags } from '../verify-flags.js';

interface ScanFlags extends CommonScanFlags, HistoryFlags, NetworkFlags, ExposureFlags {
  minConfidence?: Confidence;
  all?: boolean;
  format: ReportFormat;
  output?: string;
  failOn?: Severity | 'never';
  color?: boolean;
  verbose?: boolean;
  verify?: boolean;
  exposure?: boolean;
}

export function registerScan(program: Command): void {
  const cmd = program
    .command('scan')
    .description('scan files, directories, globs, git repositories (their whole history) or stdin (-) for leaked storage links and credentials')
    .argument('[targets...]', 'files, directories, glob patterns, repository URLs (https://…, file://…), or - for stdin', ['.'])
    .option('-f, --format <format>', `report format: ${REPORT_FORMATS.join(', ')}`, choice(REPORT_FORMATS), 'text')
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .addOption(new Option('--fail-on <severity>', 'exit 1 when a finding is at or above this severity (critical|high|medium|low|info|never)').argParser(parseThreshold).default(undefined, 'low, or failOn from the configuration'))
    .option('--color', 'force colour in text output')
    .option('--no-color', 'disable colour in text output')
    .option('-v, --verbose', 'list every file that was not scanned and why')
    .addOption(new Option('--min-confidence <level>', 'list only findings at least this sure to be real credentials: high (checksum or strong structure), medium, low (known by its surroundings); the others are counted').choices([...CONFIDENCES]).default(undefined, 'low, or minConfidence from the configuration'))
    .option('--all', 'list everything: low-confidence info findings (generic matches in tests, docs, examples), placeholders and examples, whatever the minimum confidence')
    .option('--verify', 'check each credential live, read-only, against the host it was issued for (opt-in network use)')
    .option('--exposure', 'with --verify: also measure what each live link exposes (implies --verify)');
  addCommonScanOptions(cmd);
  addHistoryOptions(cmd);
  addExposureOptions(addNetworkOptions(cmd)).action(async (targets: string[], flags: ScanFlags) => {
    process.exitCode = await scanCommand(targets, flags);
  });
}

async function scanCommand(targets: string[], flags: ScanFlags): Promise<number> {
  const cfg = resolveConfig(targets, flags.config);
  const opts = { ...scanOptions(targets, { ...flags, includeExamples: flags.includeExamples || flags.all }, cfg, { useBaseline: true }), ...listingOptions(flags, cfg) };
  const progress = progressLine(process.stderr, Boolean(flags.quiet));
  const result = await runScan({ ...opts, history: historyOptions(flags), staged: Boolean(flags.staged), onProgress: (p) => progress.update(describeProgress(p)) })
    .catch((e: unknown) => {
      if (e instanceof SelectionError) throw new UsageError(e.message);
      throw e;
    })
    .finally(() => progress.done());
  if (flags.verify || flags.exposure) await verifyScan(result, flags, opts.rules);
  const toFile = Boolean(flags.output && flags.output !== '-');
  const color = flags.format === 'text' && !toFile && wantColor(flags.color, process.stdout);
  const text = render(flags.format, { ...result, targets, now: opts.now }, { color, verbose: Boolean(flags.verbose) }, opts.rules);
  await emit(text, flags.output);
  if (toFile && flags.format !== 'text' && !flags.quiet) process.stderr.write(`${result.findings.length} findings written to ${flags.output}\n`);
  if (result.stats.filesScanned === 0 && result.notices.some((n) => n.skipped === 'not-found')) return EXIT.error;
  return failed(result.findings, failThreshold(flags.failOn, cfg)) ? EXIT.findings : EXIT.ok;
}

/** Opt-in: live checks (and blast radius) for every finding, then severities recounted. */
async function verifyScan(result: ScanResult, flags: ScanFlags, rules: readonly Rule[]): Promise<void> {
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
  const statuses = Object.entries(summary.byStatus).map(([k, n]) => `${n} ${k}`).join(', ') || 'nothing to verify';
  if (!flags.quiet) process.stderr.write(`verified ${summary.verified} findings (${summary.distinctCredentials} distinct credentials) with ${summary.requestsSent} read-only requests: ${statuses}\n`);
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
