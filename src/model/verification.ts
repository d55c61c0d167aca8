/**
 * The `verification` and `exposure` blocks of a Finding (JSON report schema v1, additive):
 * what an opt-in live check found, with the evidence it rests on. Field names are a contract.
 */

/**
 * - live: the credential was accepted (2xx, or a 403/404 that only the holder of a valid
 *   signature can get: permission/resource-type/service mismatch, resource not found).
 * - expired / not-yet-valid: outside its validity window (judged from its own fields on the
 *   client, never from server text; the server's answer, when asked, is kept as evidence).
 * - revoked-or-invalid: the signature or key was rejected (key rotated, policy deleted,
 *   token edited, Shared Key disabled, account disabled).
 * - ip-restricted: accepted, but only from the IP range it is pinned to.
 * - unreachable: DNS, TCP, TLS or timeout failure (a vanished account name can be re-registered).
 * - unknown: anything else (firewall refusal, redirect, throttling, guard refused the request).
 */
export type VerificationStatus = 'live' | 'expired' | 'not-yet-valid' | 'revoked-or-invalid' | 'ip-restricted' | 'unreachable' | 'unknown';

export const VERIFICATION_STATUSES: readonly VerificationStatus[] = ['live', 'expired', 'not-yet-valid', 'revoked-or-invalid', 'ip-restricted', 'unreachable', 'unknown'];

/** One request sent (or refused by the guards) while checking, as the owner would see it in logs. */
export interface RequestEvidence {
  /** What the request was for: get-account-info, list-containers, list-blobs, get-blob-properties, get-object-range, … */
  operation: string;
  method: string;
  /** The request URL with every signature/key value redacted. */
  url: string;
  /** HTTP status, or null when no response arrived. */
  status: number | null;
  /** `x-ms-error-code` header or the `<Code>` of an XML error body. */
  errorCode: string | null;
  /** `<AuthenticationErrorDetail>` or `<Message>` from the error body (first line). */
  detail: string | null;
  /** The `server` response header (tells Azure from Azurite). */
  server: string | null;
  /** The `x-ms-client-request-id` sent: `sasquatch-<uuid>`, searchable in the owner's logs. */
  clientRequestId: string;
  /** Network or guard failure when there was no response. */
  error: string | null;
  /** `Location` of a redirect that was not followed. */
  redirect?: string | null;
}

/**
 * Per-permission evidence. `confirmed`: a read-only request that needs this permission
 * succeeded. `denied`: the service refused it for lack of this permission. `claimed`: the
 * token grants it (its signed fields say so and the signature is accepted) but proving it
 * would need a write, so it was not tried. `not-tested`: nothing to test it on (e.g. an
 * empty container), or the budget ran out.
 */
export interface PermissionEvidence {
  permission: string;
  result: 'confirmed' | 'denied' | 'claimed' | 'not-tested';
  /** Operation and its answer, or why it was not tried. */
  how: string;
}

export interface Verification {
  status: VerificationStatus;
  /** One sentence a person can act on. */
  reason: string;
  /** offline: decided from the credential's own fields without a request; live: from a response. */
  source: 'offline' | 'live';
  checkedAt: string;
  /** The host the credential was sent to (the one it was issued for), or null if none was contacted. */
  host: string | null;
  /** Status and error code of the request that decided the verdict. */
  httpStatus: number | null;
  errorCode: string | null;
  /** Every request sent for this credential, in order. */
  requests: RequestEvidence[];
  permissions?: PermissionEvidence[];
  /** From Get Account Information, when it answered. */
  account?: { sku: string | null; kind: string | null; hnsEnabled: boolean | null };
  /** The server was the Azurite emulator (its error codes differ from Azure's). */
  emulator?: boolean;
  /** This verdict came from the cache: the same credential was checked for another finding. */
  cached?: boolean;
}

/** A stored object as a listing describes it (content is never downloaded for this). */
export interface ObjectRef {
  /** Container, share, bucket or queue the object sits in. */
  container: string;
  name: string;
  bytes: number;
  lastModified?: string | null;
  contentType?: string | null;
}

export type SensitiveCategory =
  | 'disk-image'
  | 'backup'
  | 'mailbox'
  | 'archive'
  | 'private-key'
  | 'certificate'
  | 'env'
  | 'credentials'
  | 'config'
  | 'chat-export'
  | 'database'
  | 'model-checkpoint';

export interface SensitiveObject extends ObjectRef {
  category: SensitiveCategory;
  /** Why the name or type is sensitive. */
  reason: string;
  /** The link can also overwrite or delete it (from its verified permissions). */
  writable: boolean;
}

export interface ContainerExposure {
  name: string;
  /** Objects counted (all of them unless partial). */
  objects: number;
  bytes: number;
  /** The listing stopped early (limit, time or error). */
  partial: boolean;
  error?: string | null;
}

export interface ServiceListing {
  /** Names enumerated (queues, tables, shares). */
  names: string[];
  partial: boolean;
  error?: string | null;
}

/** A secret found inside a small text object with --scan-content. */
export interface ContentFinding {
  container: string;
  name: string;
  rule: string;
  severity: string;
  line: number;
  /** Redacted unless --show-secrets. */
  secret: string;
}

export interface Exposure {
  /** True when a limit or an error stopped the walk: totals are lower bounds. */
  partial: boolean;
  partialReasons: string[];
  /** What the link let us enumerate: containers, blobs, queues, tables, shares. */
  enumerable: string[];
  totals: { containers: number; objects: number; bytes: number };
  containers: ContainerExposure[];
  /** The largest objects seen, largest first. */
  largest: ObjectRef[];
  /** Objects whose names or types are sensitive, by category (list capped; counts are complete). */
  sensitive: SensitiveObject[];
  sensitiveCounts: Partial<Record<SensitiveCategory, number>>;
  queues?: ServiceListing;
  tables?: ServiceListing;
  shares?: ServiceListing;
  /** With write permission the holder can replace what it can read (model files: supply chain). */
  writable: boolean;
  content?: { objectsScanned: number; bytesDownloaded: number; budgetBytes: number; findings: ContentFinding[] };
  limits: { maxObjects: number; maxSeconds: number };
  requests: number;
  durationMs: number;
}
