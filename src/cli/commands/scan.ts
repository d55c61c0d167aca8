import type { Command } from 'commander';
import { DEFAULT_POLICY } from '../../analyze/policy.js';
import { BUILTIN_RULES } from '../../detect/rules/index.js';
import { DEFAULT_ARCHIVE_LIMITS } from '../../extract/archive.js';
import { severityRank, type Severity } from '../../model/severity.js';
import { runScan } from '../../pipeline/scan.js';
import { render } from '../../report/render.js';
import { wantColor } from '../../report/style.js';
import { REPORT_FORMATS, type ReportFormat } from '../../report/types.js';
import { choice, collect, parseCount, parseNow, parseSize, parseThreshold } from '../parse.js';
import { emit, EXIT } from '../output.js';

interface ScanFlags {
  format: ReportFormat;
  output?: string;
  exclude: string[];
  maxFileSize: number;
  followSymlinks?: boolean;
  threads: number;
  failOn: Severity | 'never';
  showSecrets?: boolean;
  includeExamples?: boolean;
  now?: Date;
  color?: boolean;
  verbose?: boolean;
  archives: boolean;
  archiveDepth: number;
  archiveMaxSize: number;
  archiveMaxMembers: number;
  base64: boolean;
}

export function registerScan(program: Command): void {
  program
    .command('scan')
    .description('scan files, directories, globs or stdin (-) for leaked storage links and credentials')
    .argument('[targets...]', 'files, directories, glob patterns, or - for stdin', ['.'])
    .option('-f, --format <format>', `report format: ${REPORT_FORMATS.join(', ')}`, choice(REPORT_FORMATS), 'text')
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option('--exclude <glob>', 'skip paths matching a glob (repeatable; a bare name matches at any depth)', collect, [])
    .option('--max-file-size <size>', 'skip files larger than this (0 = no limit)', parseSize, 100 * 1024 * 1024)
    .option('--follow-symlinks', 'follow symbolic links (loops are detected and skipped)')
    .option('--threads <n>', 'worker threads (0 = automatic, 1 = none)', parseCount, 0)
    .option('--fail-on <severity>', 'exit 1 when a finding is at or above this severity (critical|high|medium|low|info|never)', parseThreshold, 'low')
    .option('--show-secrets', 'print secrets in full (redacted by default in every format)')
    .option('--include-examples', 'also report placeholders and documentation examples (as info)')
    .option('--now <date>', 'judge expiry against this instant instead of the current time', parseNow)
    .option('--color', 'force colour in text output')
    .option('--no-color', 'disable colour in text output')
    .option('-v, --verbose', 'list every file that was not scanned and why')
    .option('--no-archives', 'do not open zip/jar/whl/tar/tar.gz/gz archives')
    .option('--archive-depth <n>', 'how deep archives inside archives are opened', parseCount, DEFAULT_ARCHIVE_LIMITS.maxDepth)
    .option('--archive-max-size <size>', 'most bytes extracted from one archive (members and nested archives together)', parseSize, DEFAULT_ARCHIVE_LIMITS.maxTotalBytes)
    .option('--archive-max-members <n>', 'most members read from one archive (nested ones included)', parseCount, DEFAULT_ARCHIVE_LIMITS.maxMembers)
    .option('--no-base64', 'do not decode Base64 tokens (Kubernetes Secrets, docker configs) to scan what they hold')
    .action(async (targets: string[], flags: ScanFlags) => {
      process.exitCode = await scanCommand(targets, flags);
    });
}

async function scanCommand(targets: string[], flags: ScanFlags): Promise<number> {
  const now = flags.now ?? new Date();
  const result = await runScan({
    targets,
    exclude: flags.exclude,
    maxFileSize: flags.maxFileSize,
    followSymlinks: Boolean(flags.followSymlinks),
    threads: flags.threads,
    showSecrets: Boolean(flags.showSecrets),
    includeExamples: Boolean(flags.includeExamples),
    now,
    policy: DEFAULT_POLICY,
    rules: BUILTIN_RULES,
    blob: {
      archives: flags.archives
        ? { maxDepth: flags.archiveDepth, maxTotalBytes: flags.archiveMaxSize, maxMembers: flags.archiveMaxMembers, maxMemberBytes: Math.min(DEFAULT_ARCHIVE_LIMITS.maxMemberBytes, flags.archiveMaxSize) }
        : null,
      base64: flags.base64,
    },
  });
  const toFile = Boolean(flags.output && flags.output !== '-');
  const color = flags.format === 'text' && !toFile && wantColor(flags.color, process.stdout);
  const text = render(flags.format, { ...result, targets, now }, { color, verbose: Boolean(flags.verbose) });
  await emit(text, flags.output);
  if (toFile && flags.format !== 'text') process.stderr.write(`${result.findings.length} findings written to ${flags.output}\n`);
  if (result.stats.filesScanned === 0 && result.notices.some((n) => n.skipped === 'not-found')) return EXIT.error;
  return failed(result.findings, flags.failOn) ? EXIT.findings : EXIT.ok;
}

function failed(findings: { severity: Severity }[], threshold: Severity | 'never'): boolean {
  if (threshold === 'never') return false;
  return findings.some((f) => severityRank(f.severity) >= severityRank(threshold));
}
