import type { Grant } from '../../model/grant.js';
import type { PermissionEvidence, RequestEvidence, Verification } from '../../model/verification.js';
import { probe, type Probe } from '../evidence.js';
import type { ScopedClient } from '../http.js';
import { classifyAzure, isAzurite, type Classified } from './classify.js';
import { xmlTexts } from './errors.js';
import { azureUrl, type AzureService, type AzureTarget } from './target.js';

/**
 * Live check of an Azure SAS: one liveness request (the cheapest that proves the token works
 * for its scope), then read-only evidence only for the permissions its `sp` claims — at most
 * three more requests (list, list inside a container, read one blob's properties). Write,
 * delete and the rest are reported as "claimed": proving them would need a write.
 */
export const X_MS_VERSION = '2021-12-02';

export async function verifyAzureSas(target: AzureTarget, grant: Grant, client: ScopedClient, now: Date): Promise<Verification> {
  const requests: RequestEvidence[] = [];
  const service = target.service ?? (grant.services[0] as AzureService | undefined) ?? 'blob';
  const root = target.endpoints[service];
  if (!root || !target.token) return noHost(now);
  const live = await liveness(client, service, root, target, grant);
  requests.push(live.evidence);
  const verdict = classifyAzure(live.evidence, grant, now);
  const v = verification(verdict, live, requests, now, root);
  if (verdict.signatureAccepted && live.response && service === 'blob' && live.evidence.operation === 'get-account-info' && live.response.status < 300) {
    const h = live.response.headers;
    v.account = { sku: h['x-ms-sku-name'] ?? null, kind: h['x-ms-account-kind'] ?? null, hnsEnabled: h['x-ms-is-hns-enabled'] ? h['x-ms-is-hns-enabled'] === 'true' : null };
  }
  if (verdict.status === 'live' || verdict.status === 'ip-restricted') {
    v.permissions = await permissionEvidence(client, service, root, target, grant, requests, verdict.status === 'live');
  }
  return v;
}

function noHost(now: Date): Verification {
  return {
    status: 'unknown',
    cause: 'no-host',
    reason: 'not checked: no host is known for this token (a bare token or a custom domain), and a token is never sent to a guessed host',
    source: 'offline',
    checkedAt: now.toISOString(),
    host: null,
    httpStatus: null,
    errorCode: null,
    requests: [],
  };
}

function verification(c: Classified, p: Probe, requests: RequestEvidence[], now: Date, root: string): Verification {
  const v: Verification = {
    status: c.status,
    ...(c.status === 'unknown' ? { cause: c.cause ?? 'error' } : {}),
    reason: c.reason,
    source: 'live',
    checkedAt: now.toISOString(),
    host: hostOf(root),
    httpStatus: p.evidence.status,
    errorCode: p.evidence.errorCode,
    requests,
  };
  if (isAzurite(p.evidence)) v.emulator = true;
  return v;
}

/** `host[:port]` of an account root; the root was checked to parse before any request. */
export function hostOf(root: string): string | null {
  try {
    return new URL(root).host;
  } catch {
    return null;
  }
}

async function liveness(client: ScopedClient, service: AzureService, root: string, t: AzureTarget, g: Grant): Promise<Probe> {
  const headers = { 'x-ms-version': X_MS_VERSION };
  const q = t.token!;
  const path = t.resourcePath;
  switch (service) {
    case 'blob':
      // Get Account Information: works with any permission on the token's own resource, and the target need not exist.
      return probe(client, 'get-account-info', { method: 'HEAD', url: azureUrl(root, g.kind === 'account-sas' ? [] : path, `restype=account&comp=properties&${q}`), headers });
    case 'queue':
      if (g.kind === 'account-sas' || !path[0]) return probe(client, 'list-queues', { method: 'GET', url: azureUrl(root, [], `comp=list&maxresults=1&${q}`), headers });
      return probe(client, 'get-queue-metadata', { method: 'GET', url: azureUrl(root, [path[0]], `comp=metadata&${q}`), headers });
    case 'table': {
      const th = { ...headers, Accept: 'application/json;odata=nometadata' };
      const table = g.resource?.table ?? null;
      if (g.kind === 'account-sas' || !table) return probe(client, 'query-tables', { method: 'GET', url: azureUrl(root, ['Tables'], `$top=1&${q}`), headers: th });
      return probe(client, 'query-entities', { method: 'GET', url: azureUrl(root, [`${table}()`], `$top=1&${q}`), headers: th });
    }
    case 'file':
      if (g.kind === 'account-sas' || !path[0]) return probe(client, 'list-shares', { method: 'GET', url: azureUrl(root, [], `comp=list&maxresults=1&${q}`), headers });
      if (path.length === 1) return probe(client, 'list-directory', { method: 'GET', url: azureUrl(root, path, `restype=directory&comp=list&maxresults=1&${q}`), headers });
      return probe(client, 'get-file-properties', { method: 'HEAD', url: azureUrl(root, path, q), headers });
  }
}

const READ_ONLY_TESTS = new Set(['list', 'read']);

/** Read-only evidence for `list` and `read`; everything else the token claims is reported as claimed. */
async function permissionEvidence(client: ScopedClient, service: AzureService, root: string, t: AzureTarget, g: Grant, requests: RequestEvidence[], accepted: boolean): Promise<PermissionEvidence[]> {
  const claimed = g.permissions ?? [];
  const out: PermissionEvidence[] = [];
  // bounded: a few pieces of evidence
  if (service === 'blob' && accepted) out.push(...(await blobEvidence(client, root, t, g, requests)));
  for (const p of claimed) {
    if (out.some((e) => e.permission === p)) continue;
    if (READ_ONLY_TESTS.has(p) && service !== 'blob') {
      out.push({ permission: p, result: 'claimed', how: `granted by the signed permissions; liveness on ${service} already needed the signature` });
      continue;
    }
    out.push({ permission: p, result: 'claimed', how: 'granted by the signed permissions and the signature is accepted; not exercised because proving it would need a write' });
  }
  if (g.permissions === null) {
    out.push({ permission: '(stored policy)', result: 'not-tested', how: `other permissions come from stored access policy "${g.storedPolicy}" and cannot be seen without a write` });
  }
  return out;
}

async function blobEvidence(client: ScopedClient, root: string, t: AzureTarget, g: Grant, requests: RequestEvidence[]): Promise<PermissionEvidence[]> {
  // A policy-bound token hides its permissions: try the read-only ones, the answers reveal them.
  const perms = new Set(g.permissions ?? ['list', 'read']);
  const types = new Set(g.resourceTypes ?? []);
  const account = g.kind === 'account-sas';
  const headers = { 'x-ms-version': X_MS_VERSION };
  const q = t.token!;
  const out: PermissionEvidence[] = [];
  let container: string | null = t.resourcePath[0] ?? null;
  let blob: string | null = t.resourcePath.length > 1 ? t.resourcePath.slice(1).join('/') : null;
  const listings: string[] = [];

  if (perms.has('list') && account && types.has('service')) {
    const p = await probe(client, 'list-containers', { method: 'GET', url: azureUrl(root, [], `comp=list&maxresults=1&${q}`), headers });
    requests.push(p.evidence);
    const first = p.response && p.response.status === 200 ? (xmlTexts(p.response.body.toString('utf8'), 'Name')[0] ?? null) : null;
    if (!container) container = first;
    listings.push(`list containers: ${answer(p)}${first ? ` (first: ${first})` : p.response?.status === 200 ? ' (no containers)' : ''}`);
  }
  const canListContainer = perms.has('list') && container && (account ? types.has('container') : g.scope === 'container' || g.scope === 'directory');
  if (canListContainer) {
    const p = await probe(client, 'list-blobs', { method: 'GET', url: azureUrl(root, [container!], `restype=container&comp=list&maxresults=1&${q}`), headers });
    requests.push(p.evidence);
    const first = p.response && p.response.status === 200 ? (blobNames(p.response.body.toString('utf8'))[0] ?? null) : null;
    if (!blob) blob = first;
    listings.push(`list blobs in ${container}: ${answer(p)}${first ? ` (first: ${first})` : p.response?.status === 200 ? ' (empty)' : ''}`);
  }
  if (perms.has('list')) out.push(listings.length ? { permission: 'list', result: resultOf(listings), how: listings.join('; ') } : { permission: 'list', result: 'not-tested', how: 'no container known to list' });

  const canRead = perms.has('read') && container && blob && (account ? types.has('object') : true);
  if (canRead) {
    const p = await probe(client, 'get-blob-properties', { method: 'HEAD', url: azureUrl(root, [container!, ...blob!.split('/')], q), headers });
    requests.push(p.evidence);
    const size = p.response?.headers['content-length'];
    out.push({ permission: 'read', result: okOrDenied(p), how: `get properties of ${container}/${blob}: ${answer(p)}${p.response?.status === 200 && size ? ` (${size} bytes readable)` : ''}` });
  } else if (perms.has('read')) {
    out.push({ permission: 'read', result: 'not-tested', how: blob ? 'object-level access not in srt' : 'no blob known to read (nothing listed, or list not granted)' });
  }
  return out;
}

/** Blob names inside <Blob>…</Blob> only (a listing also has <Name> for other things). */
export function blobNames(xml: string): string[] {
  return [...xml.matchAll(/<Blob>[\s\S]*?<Name>([\s\S]*?)<\/Name>/g)].map((m) => xmlTexts(`<Name>${m[1]}</Name>`, 'Name')[0]!);
}

function answer(p: Probe): string {
  if (p.evidence.status === null) return p.evidence.error ?? 'no response';
  return `HTTP ${p.evidence.status}${p.evidence.errorCode ? ` ${p.evidence.errorCode}` : ''}`;
}

function okOrDenied(p: Probe): PermissionEvidence['result'] {
  const s = p.evidence.status;
  if (s !== null && s >= 200 && s < 300) return 'confirmed';
  if (s === 403 && /Mismatch$/.test(p.evidence.errorCode ?? '')) return 'denied';
  return 'not-tested';
}

function resultOf(listings: string[]): PermissionEvidence['result'] {
  if (listings.some((l) => /: HTTP 2\d\d/.test(l))) return 'confirmed';
  if (listings.some((l) => /: HTTP 403 \w*Mismatch/.test(l))) return 'denied';
  return 'not-tested';
}
