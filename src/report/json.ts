import { TOOL } from '../version.js';
import type { ReportInput } from './types.js';

/** The JSON report: schema version 1 (DESIGN.md). Fields are a public contract. */
export const SCHEMA_VERSION = 1;

export function jsonReport(input: ReportInput): object {
  return {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: TOOL.name, version: TOOL.version },
    scan: {
      targets: input.targets,
      now: input.now.toISOString(),
      startedAt: input.stats.startedAt,
      durationMs: input.stats.durationMs,
    },
    summary: {
      findings: input.findings.length,
      bySeverity: input.stats.findingsBySeverity,
      byRule: input.stats.findingsByRule,
      filesScanned: input.stats.filesScanned,
      bytesScanned: input.stats.bytesScanned,
      skipped: input.stats.skipped,
      suppressed: input.stats.suppressed,
      ...(input.stats.filtered ? { filtered: input.stats.filtered, minConfidence: input.stats.minConfidence ?? 'low' } : {}),
      ...(input.stats.history ? { history: input.stats.history } : {}),
    },
    findings: input.findings,
    suppressed: input.suppressed,
    notices: input.notices,
  };
}

export function renderJson(input: ReportInput): string {
  return `${JSON.stringify(jsonReport(input), null, 2)}\n`;
}
