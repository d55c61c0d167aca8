import type { RequestEvidence } from '../model/verification.js';
import { errorInfo } from './azure/errors.js';
import { GuardError, type HttpRequest, type HttpResponse, type ScopedClient } from './http.js';
import { redactUrl } from './redact-url.js';

/** One request, its response (if any) and the evidence record describing it. */
export interface Probe {
  evidence: RequestEvidence;
  response: HttpResponse | null;
}

/** Sends a read-only request and records what happened, never throwing. */
export async function probe(client: ScopedClient, operation: string, req: HttpRequest): Promise<Probe> {
  const evidence: RequestEvidence = {
    operation,
    method: req.method,
    url: redactUrl(req.url),
    status: null,
    errorCode: null,
    detail: null,
    server: null,
    clientRequestId: '',
    error: null,
  };
  try {
    const res = await client.request(req);
    evidence.status = res.status;
    evidence.server = res.headers['server'] ?? null;
    evidence.clientRequestId = res.clientRequestId;
    if (res.status >= 300) {
      const info = errorInfo(res.headers, res.body);
      evidence.errorCode = info.code;
      evidence.detail = info.detail;
    }
    if (res.status >= 300 && res.status < 400) evidence.redirect = res.headers['location'] ? redactUrl(res.headers['location']) : null;
    return { evidence, response: res };
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { clientRequestId?: string };
    evidence.clientRequestId = err.clientRequestId ?? '';
    evidence.error = e instanceof GuardError ? `refused by guard (${e.reason}): ${e.message}` : `${err.code ? `${err.code}: ` : ''}${err.message}`;
    return { evidence, response: null };
  }
}
