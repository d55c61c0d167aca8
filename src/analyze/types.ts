import type { PlaybookStep } from '../model/finding.js';
import type { Grant } from '../model/grant.js';
import type { Confidence } from '../model/confidence.js';
import type { Severity } from '../model/severity.js';
import type { LinkPolicy } from './policy.js';

export interface AnalysisContext {
  now: Date;
  policy: LinkPolicy;
  /** Path of the blob being analyzed (some rules read code and configuration differently). */
  path?: string;
}

/** What an analyzer makes of one match. */
export interface Analysis {
  /** Rule id to report under (an analyzer may refine it, e.g. to a more specific rule). */
  rule: string;
  title?: string;
  severity: Severity;
  /** Set when the analyzer knows better than the rule's default (a checksum that verifies or fails). */
  confidence?: Confidence;
  reasons: string[];
  grant: Grant | null;
  explanation?: string;
  remediation?: string[];
  playbook?: PlaybookStep[];
  /** The unique secret part, for fingerprints and the verification cache (never printed). */
  secretValue: string;
  /** The credential as found (the whole token/link) and its redacted form. */
  shown: { raw: string; redacted: string };
  /** A placeholder or documentation example: reported only with --include-examples, as info. */
  example: boolean;
  /** Extra details a verifier needs (URL, connection string); never serialised into reports. */
  material?: Record<string, string>;
  /**
   * What the analyzer parsed from a credential that has no grant (token type, checksum
   * validity, key algorithm, JWT claims…). Never the secret itself.
   */
  details?: Record<string, unknown>;
}

/** What an analyzer sees of a match: the text, the rule's named groups, and its context. */
export interface MatchInput {
  text: string;
  groups: Record<string, string>;
  /** Decoded text around the match, when the rule asks for it (Rule.context). */
  context?: { before: string; after: string };
  /** How the match was written (plain, json, base64…). */
  encoding?: string;
  /** 1-based line of the match, once located (absent while look-alikes are filtered). */
  line?: number;
}

/** An analyzer returns null when the match is not what the rule is after (a look-alike). */
export type Analyzer = (match: MatchInput, ctx: AnalysisContext) => Analysis | null;
