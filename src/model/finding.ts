import type { Confidence } from './confidence.js';
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
  /**
   * Set when the line and column are in a blob from history rather than the file on disk:
   * the commit that introduced the secret on this path, its author and (author) date.
   */
  commit?: string;
  author?: string;
  date?: string;
  /** In a repository scan: the file on disk holds this secret but no commit at HEAD does. */
  uncommitted?: boolean;
}

export interface HistoryEvent {
  commit: string;
  author?: string;
  /** Author date, ISO-8601 UTC. */
  date: string;
  /** The commit is where a shallow clone's history starts: the secret may be older. */
  atShallowBoundary?: boolean;
}

export interface HistoryInfo {
  /** The earliest commit that wrote this secret to this path (on any selected ref). */
  introduced: HistoryEvent;
  /** HEAD (or the one --branch) still holds it at this path. */
  presentAtHead: boolean;
  /** When it left HEAD's first-parent line; null while present or still at some ref's tip. */
  removed?: HistoryEvent | null;
  /** Other commits that wrote it to this path (re-introductions, edits that kept it), oldest first; capped. */
  occurrences?: { commit: string; path: string; date?: string }[];
  /** How many commits wrote it to this path, `introduced` included. */
  commits?: number;
  /** Selected refs other than HEAD whose tip still holds it here (branches, tags, stash entries). */
  presentInRefs?: string[];
  /** Other paths where the same secret was committed (each is its own finding). */
  otherPaths?: string[];
  /** For links with an expiry: how long it was both in history and valid. */
  exposure?: {
    /** Later of the introduction and the link's start. */
    from: string;
    /** Earlier of the link's expiry and now. */
    until: string;
    days: number;
    /** Valid now (the window is still open). */
    stillValid?: boolean;
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
  /** How sure it is that this is a real credential: high (checksum or strong structure), medium, low (named by context only). */
  confidence: Confidence;
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
