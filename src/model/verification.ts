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
 *   token edited, Shared Key disabled, account disabled or, by the service's own answer, gone).
 * - ip-restricted: accepted, but only from the IP range it is pinned to.
 * - unknown: not established either way; `cause` says why (no network, DNS, timeout, refused,
 *   TLS, a guard refused to send, throttling, no live check for this kind, …). Never a pass.
 * Reports written before `unknown` took a cause may hold `unreachable`: read it as unknown.
 */
export type VerificationStatus = 'live' | 'expired' | 'not-yet-valid' | 'revoked-or-invalid' | 'ip-restricted' | 'unknown';

export const VERIFICATION_STATUSES: readonly VerificationStatus[] = ['live', 'expired', 'not-yet-valid', 'revoked-or-invalid', 'ip-restricted', 'unknown'];

/**
 * Why a verdict is `unknown`. The first group means a check was due and could not be made
 * (exit code 3); the second, that no live check applies to this credential by design.
 */
export type UnknownCause =
  // could not check
  | 'offline' // no route to the network (ENETUNREACH, EHOSTUNREACH, ENETDOWN)
  | 'dns' // the host name does not resolve (ENOTFOUND, EAI_AGAIN)
  | 'timeout' // no complete answer within --timeout
  | 'refused' // connection refused (ECONNREFUSED)
  | 'reset' // the connection was closed before an answer (ECONNRESET, socket hang up)
  | 'tls' // TLS handshake or certificate failure
  | 'network' // any other network failure
  | 'guard' // sasquatch's own guards refused to send (private address, other host, plain http)
  | 'budget' // the run's request budget (--max-requests) was spent
  | 'redirect' // a 3xx answer, not followed
  | 'throttled' // 429 or 503
  | 'denied' // refused by network rules or policy in a way that says nothing about the credential
  | 'service-error' // another answer that says nothing about the credential (400, 401, 5xx, …)
  | 'invalid-input' // the link cannot be made into a request (bad host, port, account name)
  | 'error' // an unexpected failure while checking this credential (the others went on)
  // nothing to check by design
  | 'no-host' // no host known for it, and a credential is never sent to a guessed host
  | 'not-replayable' // signed for a method or headers a read-only check cannot send
  | 'placeholder' // a placeholder or documentation example signature
  | 'public-emulator' // the emulator's published key: proves nothing
  | 'unsupported'; // no live check exists for this kind of credential

export const UNKNOWN_CAUSES: readonly UnknownCause[] = [
  'offline', 'dns', 'timeout', 'refused', 'reset', 'tls', 'network', 'guard', 'budget', 'redirect', 'throttled', 'denied', 'service-error', 'invalid-input', 'error',
  'no-host', 'not-replayable', 'placeholder', 'public-emulator', 'unsupported',
];

const BY_DESIGN: ReadonlySet<UnknownCause> = new Set(['no-host', 'not-replayable', 'placeholder', 'public-emulator', 'unsupported']);

/** An unknown verdict where a check was due but could not be made (network, guard, budget, answer). */
export function couldNotCheck(v: Pick<Verification, 'status' | 'cause'> | null | undefined): boolean {
  if (!v || (v.status as string) === 'unreachable') return Boolean(v);
  return v.status === 'unknown' && !BY_DESIGN.has(v.cause ?? 'error');
}

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
  /** Why the verdict is `unknown` (present exactly when it is). */
  cause?: UnknownCause;
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
  /** The walk failed before it could measure anything (the verdict stands; totals are unknown). */
  error?: string;
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
