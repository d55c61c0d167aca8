import type { Grant } from './grant.js';
import type { Severity } from './severity.js';
import type { Exposure, Verification } from './verification.js';

export interface Location {
  /** Path relative to the scan root, `/`-separated; `archive.zip!member` inside archives; `<stdin>` for stdin. */
  path: string;
  /** 1-based line in the text a person sees. */
  line: number;
  /** 1-based column, in characters, of the start of the match. */
  column: number;
  endLine?: number;
  endColumn?: number;
  /** Notebook cell (0-based index in `cells`) when the match is inside a Jupyter notebook. */
  cell?: number;
  /** How the secret was written when it was not plain text: html, json, percent, base64, utf16. */
  encoding?: string;
  commit?: string;
  author?: string;
  date?: string;
}

export interface HistoryEvent {
  commit: string;
  author?: string;
  date: string;
}

export interface HistoryInfo {
  introduced: HistoryEvent;
  presentAtHead: boolean;
  removed?: HistoryEvent | null;
  /** Other (commit, path) pairs holding the same secret, collapsed into this finding. */
  occurrences?: { commit: string; path: string; date?: string }[];
  exposure?: {
    from: string;
    until: string;
    days: number;
    stillValidAfterRemoval: boolean;
  } | null;
}

export interface Finding {
  fingerprint: string;
  rule: string;
  /** Rule family for grouping (azure-sas, aws-presigned-url, …). */
  family?: string;
  title: string;
  severity: Severity;
  reasons: string[];
  location: Location;
  /** The secret as it may be shown: redacted unless --show-secrets. */
  secret: string;
  redacted: boolean;
  grant?: Grant | null;
  /**
   * Facts parsed from a credential that carries no storage grant: token type, whether its
   * built-in checksum is valid, key algorithm and format, JWT claims. Never the secret.
   */
  details?: Record<string, unknown>;
  /** One paragraph in plain words: what this lets anyone do. */
  explanation?: string;
  /** What to do about it, in order. */
  remediation?: string[];
  /** Placeholder or documentation example shown only with --include-examples. */
  example?: boolean;
  history?: HistoryInfo;
  /** Opt-in live check (scan --verify, verify): status with the requests it rests on. */
  verification?: Verification;
  /** Opt-in blast radius of a live link (scan --verify --exposure, exposure). */
  exposure?: Exposure;
  suppressed?: { by: string; reason?: string } | null;
}
