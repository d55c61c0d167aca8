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

/** One step of a remediation playbook: what to do, and the commands that do it. */
export interface PlaybookStep {
  step: 'revoke' | 'replace' | 'investigate' | 'prevent';
  text: string;
  /** Shell commands, exact for this finding; `$LINK` stands for the leaked URL (never written into a report). */
  commands: string[];
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
  /** One paragraph in plain words: what this lets anyone do. */
  explanation?: string;
  /** What to do about it, in order. */
  remediation?: string[];
  /** The same steps with the exact commands to run (revoke → replace → investigate → prevent). */
  playbook?: PlaybookStep[];
  /** Placeholder or documentation example shown only with --include-examples. */
  example?: boolean;
  history?: HistoryInfo;
  /** Opt-in live check (scan --verify, verify): status with the requests it rests on. */
  verification?: Verification;
  /** Opt-in blast radius of a live link (scan --verify --exposure, exposure). */
  exposure?: Exposure;
  suppressed?: { by: string; reason?: string } | null;
}
