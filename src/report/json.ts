import { TOOL } from '../version.js';
import type { Finding } from '../model/finding.js';
import type { ReportInput } from './types.js';
import { summarizeNotices } from './notices.js';
import { couldNotScan } from '../sources/types.js';

/** The JSON report: schema version 1 (DESIGN.md). Fields are a public contract. */
export const SCHEMA_VERSION = 1;

export function jsonReport(input: ReportInput): object {
  const notices = summarizeNotices(input.notices);
  return {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: TOOL.name, version: TOOL.version },
    scan: {
      targets: input.targets,
      ...(input.root ? { root: input.root } : {}),
      now: input.now.toISOString(),
      startedAt: input.stats.startedAt,
      durationMs: input.stats.durationMs,
      ...(input.config ? { config: input.config } : {}),
    },
    summary: {
      findings: input.findings.length,
      bySeverity: input.stats.findingsBySeverity,
      byRule: input.stats.findingsByRule,
      filesScanned: input.stats.filesScanned,
      bytesScanned: input.stats.bytesScanned,
      skipped: input.stats.skipped,
      // what could not be scanned, by reason: when any, the scan is incomplete
      errors: notices.errorCounts,
      complete: notices.errorTotal === 0,
      suppressed: input.stats.suppressed,
      ...(input.stats.filtered ? { filtered: input.stats.filtered, minConfidence: input.stats.minConfidence ?? 'low' } : {}),
      ...(input.stats.history ? { history: input.stats.history } : {}),
      ...(input.stats.verification ? { verification: input.stats.verification } : {}),
    },
    findings: input.findings,
    suppressed: input.suppressed,
    notices: input.notices,
    // the notices again, split: what could not be scanned (errors) and what was skipped by choice or limit
    errors: notices.errors,
    skipped: input.notices.filter((n) => n.skipped && !couldNotScan(n)),
  };
}

export function renderJson(input: ReportInput): string {
  return `${JSON.stringify(jsonReport(input), null, 2)}\n`;
}

/**
 * JSON Lines: one object per line — `{"type":"finding",…}` (the finding, as in the JSON
 * report), `{"type":"suppressed",…}` for accepted ones — and a last `{"type":"summary",…}`
 * line with the report's other fields. `scan -f jsonl` writes the finding lines as it finds them.
 */
export function jsonlLine(f: Finding): string {
  return `${JSON.stringify({ type: f.suppressed ? 'suppressed' : 'finding', ...f })}\n`;
}

export function jsonlSummary(input: ReportInput): string {
  const { findings: _f, suppressed: _s, ...rest } = jsonReport(input) as Record<string, unknown>;
  return `${JSON.stringify({ type: 'summary', ...rest })}\n`;
}

export function renderJsonl(input: ReportInput): string {
  return [...input.findings, ...input.suppressed].map(jsonlLine).join('') + jsonlSummary(input);
}
