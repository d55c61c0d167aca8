import type { LogRecord } from './record.js';

/**
 * What a request did, in the words an investigation needs: did it read, enumerate, change
 * or destroy data — and when it failed, why. Operation names are the same in classic and
 * Azure Monitor logs (GetBlob, PutBlob, ListBlobs, DeleteBlob, QueryEntities, …).
 */
export type OperationClass = 'read' | 'list' | 'write' | 'delete' | 'other';
export const OPERATION_CLASSES: readonly OperationClass[] = ['read', 'list', 'write', 'delete', 'other'];

/** Exceptions to the prefix rules below. */
const EXACT: Record<string, OperationClass> = {
  copyblobsource: 'read', // the source side of a copy: data left through the copy
  copyblobdestination: 'write',
  querytables: 'list',
  findblobsbytags: 'list',
  getcontainers: 'list',
  submitbatch: 'other',
  blobbatch: 'other',
};

const RULES: [RegExp, OperationClass][] = [
  [/^(?:delete|purge|clear|remove)/, 'delete'],
  [/^list/, 'list'],
  [/^(?:put|set|create|copy|append|flush|update|insert|merge|upsert|lease|acquire|break|renew|release|change|snapshot|undelete|rename|restore|abort|start|incremental|seal|upload|write|patch|move)/, 'write'],
  [/^(?:get|query|peek|head|read|download|check)/, 'read'],
];

const cache = new Map<string, OperationClass>();

export function operationClass(operation: string): OperationClass {
  let c = cache.get(operation);
  if (c === undefined) {
    const op = operation.toLowerCase();
    c = EXACT[op] ?? RULES.find(([re]) => re.test(op))?.[1] ?? 'other';
    if (cache.size < 10_000) cache.set(operation, c);
  }
  return c;
}

export function isSuccess(r: LogRecord): boolean {
  if (r.httpStatus !== null) return r.httpStatus < 400;
  return /success$/i.test(r.statusText);
}

export type FailureKind = 'expired' | 'not-yet-valid' | 'signature-rejected' | 'denied' | 'out-of-scope' | 'not-found' | 'throttled-or-server' | 'other';
export const FAILURE_KINDS: readonly FailureKind[] = [
  'expired', 'not-yet-valid', 'signature-rejected', 'denied', 'out-of-scope', 'not-found', 'throttled-or-server', 'other',
];

export const FAILURE_WORDS: Record<FailureKind, string> = {
  expired: 'after the link expired',
  'not-yet-valid': 'before the link became valid',
  'signature-rejected': 'signature not accepted (key rotated, token edited or policy removed)',
  denied: 'refused (firewall or network rules, shared key disabled, account disabled)',
  'out-of-scope': 'link accepted but lacks the permission, service, resource type, protocol or IP',
  'not-found': 'resource not found (the link was accepted)',
  'throttled-or-server': 'throttled or server error',
  other: 'other client error (bad request, conflict, precondition)',
};

/** Why a failed request failed; validity is judged from the link's own st/se, never from server text. */
export function failureKind(r: LogRecord, start: number | null, expiry: number | null): FailureKind {
  if (expiry !== null && r.time > expiry) return 'expired';
  if (start !== null && r.time < start) return 'not-yet-valid';
  const s = r.statusText;
  const http = r.httpStatus ?? 0;
  if (/Mismatch/i.test(s)) return 'out-of-scope';
  if (/KeyBasedAuthenticationNotPermitted|AccountIsDisabled/i.test(s)) return 'denied';
  if (/Authentication|NoAuthenticationInformation/i.test(s) || http === 401) return 'signature-rejected';
  if (/Authoriz|Forbidden|PublicAccessNotPermitted/i.test(s) || http === 403) return 'denied';
  if (http === 404 || /NotFound/i.test(s)) return 'not-found';
  if (http >= 500 || http === 429 || /Throttl|Server|Timeout/i.test(s)) return 'throttled-or-server';
  return 'other';
}
