import type { Confidence } from '../model/confidence.js';
import type { Finding } from '../model/finding.js';
import type { Severity } from '../model/severity.js';

/** A finding's triage state: only people change it (`findings triage`); rescans never do. */
export const TRIAGE_STATUSES = ['open', 'false-positive', 'accepted-risk', 'revoked', 'fixed'] as const;
export type TriageStatus = (typeof TRIAGE_STATUSES)[number];

export function isTriageStatus(s: unknown): s is TriageStatus {
  return typeof s === 'string' && (TRIAGE_STATUSES as readonly string[]).includes(s);
}

/** A repository as a listing (or a local scan) describes it. */
export interface RepositoryInput {
  /** Clone URL without credentials; the repository's identity in the store. */
  url: string;
  /** github | gitlab | azure-devops | hf | list | local */
  source: string;
  /** Organisation, group or project it was listed under. */
  owner?: string;
  /** Display name (`org/repo`). */
  name: string;
  defaultBranch?: string | null;
  visibility?: string | null;
  archived?: boolean;
  fork?: boolean;
  sizeKb?: number | null;
}

export type ScanState = 'queued' | 'running' | 'done' | 'failed';

export interface RepositoryRecord extends Required<Omit<RepositoryInput, 'owner'>> {
  id: number;
  owner: string;
  /** HEAD and every ref tip at the last completed scan (the next scan starts after them). */
  head: string | null;
  tips: Record<string, string>;
  /** The listing's "last pushed" when the last completed scan was queued, and when that listing was made. */
  scannedMarker: string | null;
  scannedMarkerAt: Date | null;
  lastScanId: number | null;
  lastScannedAt: Date | null;
  discoveredAt: Date;
  listedAt: Date;
  /** State of its latest scan (none before the first). */
  scanState: ScanState | null;
  scanError: string | null;
}

/** Where a finding lives in one repository. */
export interface FindingPlace {
  repositoryId: number;
  repository: string;
  url: string;
  path: string;
  line: number | null;
  column: number | null;
  introducedCommit: string | null;
  introducedAt: Date | null;
  presentAtHead: boolean;
  removedCommit: string | null;
  removedAt: Date | null;
}

export interface StoredFinding {
  fingerprint: string;
  /** The finding as the last scan reported it (redacted: the store never holds a secret). */
  finding: Finding;
  status: TriageStatus;
  statusNote: string | null;
  statusBy: string | null;
  statusAt: Date | null;
  firstSeen: Date;
  lastSeen: Date;
  /** Some repository's HEAD still holds it. */
  presentAtHead: boolean;
  /** Not known to be expired or revoked. */
  stillValid: boolean;
  places: FindingPlace[];
}

export interface Occurrence {
  repository: string;
  commit: string;
  path: string;
  line: number | null;
  date: Date | null;
}

export interface TriageEvent {
  status: TriageStatus;
  previous: TriageStatus;
  note: string | null;
  actor: string;
  at: Date;
}

export interface FindingDetail extends StoredFinding {
  occurrences: Occurrence[];
  triage: TriageEvent[];
}

export interface FindingFilter {
  /** Only these severities. */
  severities?: Severity[];
  /** At least this severity. */
  minSeverity?: Severity;
  rules?: string[];
  /** Repository name or URL; `*` matches any run of characters. */
  repository?: string;
  /** Only these statuses (default: every status). */
  statuses?: TriageStatus[];
  /** Not known to be expired or revoked (links past their expiry, verified-dead credentials). */
  stillValid?: boolean;
  /** Still held by some repository's HEAD (true) or only in history (false). */
  presentAtHead?: boolean;
  /** Only these fingerprints. */
  fingerprints?: string[];
  /** Only these confidences. */
  confidences?: Confidence[];
  /** Only links that expire before this instant (links without an expiry never match). */
  expiresBefore?: Date;
  /**
   * Free text, any case: a part of the fingerprint, rule, title, provider, kind, account,
   * resource or path.
   */
  text?: string;
  /** The instant "still valid" is judged at (default: now). */
  now?: Date;
}

export const FINDING_SORTS = ['severity', 'last-seen', 'first-seen', 'rule', 'expiry', 'confidence', 'status'] as const;
export type FindingSort = (typeof FINDING_SORTS)[number];

export interface Page {
  limit: number;
  offset: number;
}

export interface FindingPage {
  items: StoredFinding[];
  /** Findings matching the filter, all pages together. */
  total: number;
}
