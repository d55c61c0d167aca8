import type { Grant } from '../../model/grant.js';
import type { RequestEvidence, UnknownCause, VerificationStatus } from '../../model/verification.js';
import { SKEW_MS } from '../offline.js';

/**
 * What one storage response says about a credential, for Azure and for the Azurite emulator
 * (shared/reference §2.3, §2.4). Azure reports a bad, edited, expired or revoked signature as
 * 403 AuthenticationFailed; Azurite reports it as 403 AuthorizationFailure (Blob, Table) or
 * AuthenticationFailed (Queue). On Azure, AuthorizationFailure instead means a network rule or
 * policy refused the caller, which says nothing about the token: unknown.
 * Expired / not-yet-valid is derived from the token's own times, never from server text.
 */
export interface Classified {
  status: VerificationStatus;
  /** Why, when the status is unknown. */
  cause?: UnknownCause;
  /** The service accepted the signature (this answer needs a valid one). */
  signatureAccepted: boolean;
  reason: string;
}

const SCOPE_MISMATCH = /^Authorization(Permission|ResourceType|Service|Protocol)Mismatch$/;
const NOT_FOUND = /^(ResourceNotFound|ContainerNotFound|BlobNotFound|QueueNotFound|TableNotFound|ShareNotFound|ParentNotFound|PathNotFound|FilesystemNotFound)$/;

/** Only the service's own answer says an account is gone; a name that does not resolve says nothing. */
const ACCOUNT_GONE = /^(AccountNotFound|StorageAccountNotFound)$/;

export function isAzurite(ev: Pick<RequestEvidence, 'server'>): boolean {
  return /^Azurite/i.test(ev.server ?? '');
}

export function classifyAzure(ev: RequestEvidence, grant: Grant | null, now: Date): Classified {
  if (ev.status === null) return networkFailure(ev);
  const code = ev.errorCode ?? '';
  const s = ev.status;
  if (s >= 200 && s < 300) return { status: 'live', signatureAccepted: true, reason: `accepted: HTTP ${s} on ${ev.operation}` };
  if (s >= 300 && s < 400) {
    return { status: 'unknown', cause: 'redirect', signatureAccepted: false, reason: `HTTP ${s} redirect${ev.redirect ? ` to ${ev.redirect}` : ''} not followed (a credential is only sent to the host it was issued for)` };
  }
  if (ACCOUNT_GONE.test(code)) {
    return { status: 'revoked-or-invalid', signatureAccepted: false, reason: `the service says the storage account does not exist (${s} ${code}): it may have been deleted, and its name can be registered again by anyone` };
  }
  if (s === 403) return forbidden(ev, code, grant, now);
  if (s === 404 && NOT_FOUND.test(code)) {
    return { status: 'live', signatureAccepted: true, reason: `signature accepted, but the resource no longer exists (404 ${code})` };
  }
  if (s === 401) return { status: 'unknown', cause: 'service-error', signatureAccepted: false, reason: `401 ${code || 'Unauthorized'}: no usable credential reached the service` };
  if (s === 409 && code === 'FeatureVersionMismatch') return { status: 'unknown', cause: 'service-error', signatureAccepted: false, reason: '409 FeatureVersionMismatch: its stored policy uses permissions its sv does not know' };
  if (s === 400) return { status: 'unknown', cause: 'service-error', signatureAccepted: false, reason: `400 ${code || 'Bad Request'}: the request or the token's fields are malformed` };
  if (s === 429 || s === 503) return { status: 'unknown', cause: 'throttled', signatureAccepted: false, reason: `${s} ${code || ''}: throttled; try again later`.replace('  ', ' ') };
  return { status: 'unknown', cause: 'service-error', signatureAccepted: false, reason: `unexpected HTTP ${s}${code ? ` ${code}` : ''}` };
}

function forbidden(ev: RequestEvidence, code: string, grant: Grant | null, now: Date): Classified {
  if (code === 'AuthorizationSourceIPMismatch') {
    return { status: 'ip-restricted', signatureAccepted: true, reason: `signature accepted, but only usable from ${grant?.ipRange ?? 'its signed IP range'} (403 AuthorizationSourceIPMismatch)` };
  }
  if (SCOPE_MISMATCH.test(code)) {
    return { status: 'live', signatureAccepted: true, reason: `signature accepted; ${ev.operation} is outside its scope (403 ${code})` };
  }
  if (code === 'KeyBasedAuthenticationNotPermitted') {
    return { status: 'revoked-or-invalid', signatureAccepted: false, reason: 'Shared Key authorization is disabled on the account: every key-signed SAS there is dead (403 KeyBasedAuthenticationNotPermitted)' };
  }
  if (code === 'AccountIsDisabled') return { status: 'revoked-or-invalid', signatureAccepted: false, reason: 'the storage account is disabled (403 AccountIsDisabled)' };
  const emulator = isAzurite(ev);
  const authFailure = code === 'AuthenticationFailed' || (code === 'AuthorizationFailure' && emulator);
  if (authFailure) return rejected(ev, code, grant, now, emulator);
  if (code === 'AuthorizationFailure') {
    return { status: 'unknown', cause: 'denied', signatureAccepted: false, reason: '403 AuthorizationFailure: refused by network rules, disabled public access or a SAS policy; the token itself may still be valid' };
  }
  return { status: 'unknown', cause: 'denied', signatureAccepted: false, reason: `403 ${code || 'Forbidden'}` };
}

function rejected(ev: RequestEvidence, code: string, grant: Grant | null, now: Date, emulator: boolean): Classified {
  const detail = ev.detail ?? '';
  const where = emulator ? ' (Azurite reports every signature failure this way)' : '';
  if (/not valid in the specified time frame/i.test(detail) || windowSaysOutside(grant, now)) {
    const start = grant?.start ? new Date(grant.start) : null;
    const notYet = start !== null && start.getTime() > now.getTime() - SKEW_MS;
    return { status: notYet ? 'not-yet-valid' : 'expired', signatureAccepted: false, reason: `outside its validity window (403 ${code})${where}` };
  }
  if (/not well formed/i.test(detail)) return { status: 'revoked-or-invalid', signatureAccepted: false, reason: `signature fields are malformed (403 ${code}: ${detail})` };
  const why = grant?.storedPolicy
    ? `its stored access policy "${grant.storedPolicy}" was deleted or changed, the account key was rotated, or the token was edited`
    : grant?.kind === 'user-delegation-sas'
      ? 'its user delegation key was revoked, or the token was edited'
      : 'the account key that signed it was rotated, or the token was edited';
  return { status: 'revoked-or-invalid', signatureAccepted: false, reason: `signature rejected (403 ${code}${detail ? `: ${detail}` : ''}): ${why}${where}` };
}

/** True when the token's own times put `now` outside its window (clock-skew tolerant). */
function windowSaysOutside(grant: Grant | null, now: Date): boolean {
  if (!grant) return false;
  const end = grant.keyExpiry && grant.expiry ? Math.min(Date.parse(grant.keyExpiry), Date.parse(grant.expiry)) : Date.parse(grant.expiry ?? grant.keyExpiry ?? '');
  if (Number.isFinite(end) && end <= now.getTime() + SKEW_MS) return true;
  const start = Date.parse(grant.start ?? '');
  return Number.isFinite(start) && start > now.getTime() - SKEW_MS;
}

export function networkFailure(ev: RequestEvidence): Classified {
  const e = ev.error ?? 'no response';
  const cause = causeOfError(e);
  return { status: 'unknown', cause, signatureAccepted: false, reason: `could not check: ${CAUSE_TEXT[cause] ?? 'no answer'} (${e})` };
}

const CAUSE_TEXT: Partial<Record<UnknownCause, string>> = {
  offline: 'no route to the network',
  dns: 'the host name does not resolve',
  timeout: 'no answer in time',
  refused: 'the connection was refused',
  reset: 'the connection was closed before an answer',
  tls: 'the TLS handshake failed',
  network: 'no answer',
  guard: 'not sent',
  budget: 'not sent, the request budget is spent',
  'invalid-input': 'the link cannot be made into a request',
};

/** The cause of a failure with no HTTP answer, from the error text (`CODE: message` or a guard refusal). */
export function causeOfError(text: string): UnknownCause {
  if (/budget of \d+ exhausted|refused by guard \(budget\)/i.test(text)) return 'budget';
  if (/refused by guard \(bad-url\)|invalid url|ERR_INVALID_URL/i.test(text)) return 'invalid-input';
  if (/^refused|refused by guard|ERR_SASQUATCH|resolves to (private|public)/i.test(text)) return 'guard';
  if (/ENOTFOUND|EAI_AGAIN|EAI_NONAME|EAI_FAIL|EAI_NODATA/.test(text)) return 'dns';
  if (/ETIMEDOUT|ESOCKETTIMEDOUT|timed out/i.test(text)) return 'timeout';
  if (/ECONNREFUSED/.test(text)) return 'refused';
  if (/ENETUNREACH|EHOSTUNREACH|ENETDOWN|EHOSTDOWN/.test(text)) return 'offline';
  if (/ECONNRESET|EPIPE|ECONNABORTED|socket hang up/i.test(text)) return 'reset';
  if (/CERT_|_CERT|TLS|SSL|EPROTO|self[- ]signed|certificate/i.test(text)) return 'tls';
  return 'network';
}
