import type { Confidence } from '../model/confidence.js';
import type { Severity } from '../model/severity.js';

/**
 * A detection rule is data: what to look for (keywords for the shared prefilter, a regex
 * for the window around each hit), how bad it is by default, which analyzer turns a match
 * into a grant, and examples that must and must not match (a test runs every one).
 */
export interface Rule {
  /** Stable, kebab-case; never renamed once released (baselines and SARIF depend on it). */
  id: string;
  /** Family for grouping and scoring (azure-sas, aws-presigned-url, private-key…). */
  family: string;
  title: string;
  description: string;
  /** Case-insensitive literals; a window is searched only around their occurrences. */
  keywords: string[];
  /**
   * Keywords must match with their exact case (e.g. `SG.`, which case-insensitively hits
   * every `msg.`). The shared automaton stays case-insensitive; hits are filtered.
   */
  keywordsCaseSensitive?: boolean;
  /**
   * Global regex applied to each window. The named group `secret` (or the whole match)
   * is the credential; other named groups are passed to the analyzer.
   */
  pattern: RegExp;
  /** How far the window reaches around a keyword hit, in bytes. */
  window?: { before: number; after: number };
  /**
   * Text around each match (inside its decoded window) handed to the analyzer, for rules
   * whose meaning depends on neighbours: the account name near a key, the fields of a
   * service-account JSON around its private key. Never reported.
   */
  context?: { before: number; after: number };
  severity: Severity;
  /** How sure a match of this rule is to be a real credential (default: low for generic rules, medium otherwise). */
  confidence?: Confidence;
  /** Analyzer id (see analyze/analyzers.ts); absent for rules judged by severity alone. */
  analyzer?: string;
  /** One line for the rule table: what the grant or finding says. */
  grantSummary: string;
  examples: string[];
  negativeExamples: string[];
  /**
   * Code splits this rule's credentials over string literals (long links, connection
   * strings): each window is also read with the literals joined (decode/decoders.ts).
   */
  splitLiterals?: boolean;
  /**
   * The rule knows a credential only by its surroundings (a `password=` assignment, a URL
   * with a password): it yields to any specific rule that matches the same secret.
   */
  generic?: boolean;
  /**
   * Characters no match of `pattern` can hold (whitespace, quotes, markup: whatever every part
   * of the pattern excludes). A match holds its keyword, so it begins after the last of these
   * before the keyword: the anchored search starts there instead of `window.before` ahead
   * (4 KB for signed links). Declared, and checked against the rule's examples by a test.
   */
  stops?: string;
  /**
   * A character every match holds after its keyword, before any of `stops` or `hitNeeds.stops`
   * (the `@` of `scheme://user:password@host`). A keyword hit without it, and without a `\`,
   * `%` or `&` before the stop that a decoded reading might turn into one, opens no window.
   */
  hitNeeds?: { char: string; stops: string };
  /**
   * Every match holds this many characters of the Base64 alphabet in a row (a key of fixed
   * length). A keyword hit with no such run within the rule's reach opens no window; the
   * characters of an encoded form (`\`, `%`, `&`, `#`, `;`) count as part of a run, since a
   * decoded reading may turn them into key characters. Not with `splitLiterals`.
   */
  hitNeedsRun?: number;
  /**
   * A cheap test (no `g` or `y` flag) that every text holding a match of `pattern` passes: a
   * part every match holds. A window, or a decoded reading of one, that fails it is not
   * searched with `pattern` — for patterns costly to try at every position of a window that
   * their keyword opens often. Checked against the rule's examples by a test.
   */
  textNeeds?: RegExp;
  /** Custom (user-configured) rules are marked so reports can say so. */
  custom?: boolean;
}

/** A regex match in a blob, before any judgement. Offsets are byte offsets into the blob. */
export interface RawMatch {
  rule: string;
  start: number;
  end: number;
  /** The matched text as decoded (latin1 string of the original bytes or their decoding). */
  text: string;
  groups: Record<string, string>;
  /** plain, html, json, percent, …: which decoding exposed it. */
  encoding: string;
  /** Offsets in the blob of the `secret` group, when the rule has one. */
  secretStart?: number;
  secretEnd?: number;
  /** Decoded text just before and after the match, for rules that ask for it (Rule.context). */
  context?: { before: string; after: string };
}

/** A match with its human position. */
export interface LocatedMatch extends RawMatch {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** Notebook cell index, when the blob is a notebook. */
  cell?: number;
  /** The inline allow marker on the match's line or the line before, if any. */
  allowMarker?: string;
}
