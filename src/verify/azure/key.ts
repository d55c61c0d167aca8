import type { RequestEvidence, Verification } from '../../model/verification.js';
import type { ScopedClient } from '../http.js';
import { redactUrl } from '../redact-url.js';
import { classifyAzure } from './classify.js';
import { hostOf } from './sas.js';
import { azureSdk, guardedPipeline, loadAzureSdk, removeRedirects, sdkErrorInfo } from './sdk.js';
import type { AzureTarget } from './target.js';

/**
 * Live check of an account key (or a connection string holding one): one Shared-Key-signed
 * List Containers with maxresults=1 on the account's own blob endpoint (reference §3.1).
 * The SDK signs the request; our guarded client carries it.
 */
export async function verifyAzureKey(target: AzureTarget, client: ScopedClient, now: Date): Promise<Verification> {
  const root = target.endpoints.blob;
  const base: Verification = { status: 'unknown', cause: 'no-host', reason: '', source: 'live', checkedAt: now.toISOString(), host: null, httpStatus: null, errorCode: null, requests: [] };
  if (!root || !target.account || !target.accountKey) {
    return { ...base, source: 'offline', reason: 'not checked: the key has no account name or blob endpoint next to it, and a key is never sent to a guessed host' };
  }
  base.host = hostOf(root);
  await loadAzureSdk();
  const { BlobServiceClient, StorageSharedKeyCredential } = azureSdk();
  const pipeline = guardedPipeline(client, new StorageSharedKeyCredential(target.account, target.accountKey));
  const service = new BlobServiceClient(root, pipeline);
  removeRedirects(pipeline);
  const before = client.guard.log.length;
  const evidence: RequestEvidence = { operation: 'list-containers', method: 'GET', url: redactUrl(`${root}/?comp=list&maxresults=1`), status: null, errorCode: null, detail: null, server: null, clientRequestId: '', error: null };
  try {
    const page = await service.listContainers().byPage({ maxPageSize: 1 }).next();
    const res = (page.value as { _response?: { status: number; headers: { get(n: string): string | undefined } } })._response;
    evidence.status = res?.status ?? 200;
    evidence.server = res?.headers.get('server') ?? null;
  } catch (e) {
    const info = sdkErrorInfo(e);
    evidence.status = info.status;
    evidence.errorCode = info.code;
    const resp = (e as { response?: { headers?: { get(n: string): string | undefined } } }).response;
    evidence.server = resp?.headers?.get('server') ?? null;
    if (info.status === null) evidence.error = info.message;
    else evidence.detail = info.message;
  }
  evidence.clientRequestId = client.guard.log[before]?.clientRequestId ?? '';
  const c = classifyAzure(evidence, null, now);
  const reason = c.status === 'revoked-or-invalid' ? 'key rejected: it was rotated (or the account name does not match)' + (evidence.errorCode ? ` (HTTP ${evidence.status} ${evidence.errorCode})` : '') : c.status === 'live' ? `accepted: HTTP ${evidence.status} on a Shared-Key-signed list containers — this key gives full control of the account` : c.reason;
  const { cause: _offline, ...rest } = base;
  const v: Verification = { ...rest, status: c.status, ...(c.status === 'unknown' ? { cause: c.cause ?? 'error' } : {}), reason, httpStatus: evidence.status, errorCode: evidence.errorCode, requests: [evidence] };
  if (/^Azurite/i.test(evidence.server ?? '')) v.emulator = true;
  if (c.status === 'live') v.permissions = [{ permission: 'all', result: 'confirmed', how: 'an account key authorizes every operation on every service of the account' }];
  return v;
}
