import type { ConfigSummary } from '../config/trust.js';
import type { Severity } from '../model/severity.js';
import type { Finding } from '../model/finding.js';
import type { ScanStats } from '../pipeline/scan.js';
import type { Notice } from '../sources/types.js';

/** Everything a report format may render. */
export interface ReportInput {
  findings: Finding[];
  /** Accepted findings (inline comment, baseline, configuration): shown as such, never failing. */
  suppressed: Finding[];
  notices: Notice[];
  stats: ScanStats;
  targets: string[];
  /** Instant the severities and "expires in" phrases were computed for. */
  now: Date;
  /** Which configuration was loaded and what it changes (absent: not known, e.g. a library call). */
  config?: ConfigSummary;
  /** Absolute directory the paths are relative to (the repository root): SARIF's %SRCROOT%. */
  root?: string;
}

export interface RenderOptions {
  color: boolean;
  /** Print every notice, not only warnings. */
  verbose: boolean;
  /** The failure threshold (--fail-on): JUnit marks only findings at or above it as failures. */
  failOn?: Severity | 'never';
  /**
   * Text: list only findings at or above this severity (the rest are counted). Unset: list all,
   * but fold emulator and info findings into one line; 'all' lists every one.
   */
  minSeverity?: Severity | 'all';
  /** Text: the width to lay lines out for (wrapped or elided); unset = no limit. */
  width?: number;
}

export type ReportFormat = 'text' | 'json' | 'jsonl' | 'sarif' | 'github' | 'junit' | 'html';
export const REPORT_FORMATS: readonly ReportFormat[] = ['text', 'json', 'jsonl', 'sarif', 'github', 'junit', 'html'];
