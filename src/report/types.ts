import type { ConfigSummary } from '../config/trust.js';
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
}

export interface RenderOptions {
  color: boolean;
  /** Print every notice, not only warnings. */
  verbose: boolean;
}

export type ReportFormat = 'text' | 'json' | 'sarif' | 'github' | 'junit' | 'html';
export const REPORT_FORMATS: readonly ReportFormat[] = ['text', 'json', 'sarif', 'github', 'junit', 'html'];
