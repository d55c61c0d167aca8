import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { ConfigSummary } from '../../config/trust.js';
import type { Finding } from '../../model/finding.js';
import { countBySeverity } from '../../model/severity.js';
import type { ScanStats } from '../../pipeline/scan.js';
import { render } from '../../report/render.js';
import { wantColor } from '../../report/style.js';
import { REPORT_FORMATS, type ReportFormat, type ReportInput } from '../../report/types.js';
import { reportProblem } from '../../report/validate.js';
import type { Notice } from '../../sources/types.js';
import { choice } from '../parse.js';
import { checkOutputPath, emit, UsageError } from '../output.js';

/** Renders a saved JSON report (`scan --format json`) in another format, e.g. HTML. */
export function registerReport(program: Command): void {
  program
    .command('report')
    .description('render a saved JSON scan report in another format (html, sarif, text, …)')
    .argument('<scan.json>', 'a report written by `sasquatch scan --format json`')
    .option('-f, --format <format>', `output format: ${REPORT_FORMATS.join(', ')}`, choice(REPORT_FORMATS), 'html')
    .option('-o, --output <file>', 'write to a file instead of stdout')
    .action(async (file: string, flags: { format: ReportFormat; output?: string }) => {
      checkOutputPath(flags.output);
      const input = readReport(file);
      const color = flags.format === 'text' && !flags.output && wantColor(undefined, process.stdout);
      await emit(render(flags.format, input, { color, verbose: false }), flags.output);
    });
}

interface SavedReport {
  schemaVersion?: number;
  scan?: { targets?: string[]; root?: string; now?: string; startedAt?: string; durationMs?: number; config?: ConfigSummary };
  summary?: { filesScanned?: number; bytesScanned?: number; skipped?: ScanStats['skipped']; suppressed?: Record<string, number>; byRule?: Record<string, number>; filtered?: ScanStats['filtered']; minConfidence?: ScanStats['minConfidence'] };
  findings?: Finding[];
  suppressed?: Finding[];
  notices?: Notice[];
}

export function readReport(file: string): ReportInput {
  let saved: SavedReport;
  try {
    saved = JSON.parse(readFileSync(file, 'utf8')) as SavedReport;
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
  // checked against the published schema before any renderer reads a field
  const problem = reportProblem(saved);
  if (problem) throw new UsageError(`${file}: ${problem}`);
  const findings = saved.findings ?? [];
  const byRule: Record<string, number> = {};
  for (const f of findings) byRule[f.rule] = (byRule[f.rule] ?? 0) + 1;
  return {
    findings,
    suppressed: saved.suppressed ?? [],
    notices: saved.notices ?? [],
    targets: saved.scan?.targets ?? [],
    ...(saved.scan?.config ? { config: saved.scan.config } : {}),
    ...(typeof saved.scan?.root === 'string' ? { root: saved.scan.root } : {}),
    now: saved.scan?.now ? new Date(saved.scan.now) : new Date(),
    stats: {
      startedAt: saved.scan?.startedAt ?? new Date().toISOString(),
      durationMs: saved.scan?.durationMs ?? 0,
      filesScanned: saved.summary?.filesScanned ?? 0,
      bytesScanned: saved.summary?.bytesScanned ?? 0,
      threads: 1,
      skipped: saved.summary?.skipped ?? {},
      findingsBySeverity: countBySeverity(findings),
      findingsByRule: byRule,
      suppressed: saved.summary?.suppressed ?? {},
      filtered: saved.summary?.filtered,
      minConfidence: saved.summary?.minConfidence,
    },
  };
}
