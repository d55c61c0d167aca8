import type { BlobServiceClient, ContainerClient } from '@azure/storage-blob';
import type { Grant } from '../../model/grant.js';
import type { ContainerExposure, ContentFinding, Exposure, ObjectRef, SensitiveObject, ServiceListing, Verification } from '../../model/verification.js';
import { xmlText, xmlTexts } from '../azure/errors.js';
import { azureSdk, guardedPipeline, loadAzureSdk, removeRedirects, sdkErrorInfo } from '../azure/sdk.js';
import { X_MS_VERSION } from '../azure/sas.js';
import { azureUrl, type AzureTarget } from '../azure/target.js';
import type { ScopedClient } from '../http.js';
import { classifyObject } from './sensitive.js';

/**
 * The blast radius of a live Azure link: what it can enumerate (containers, blobs, queues,
 * tables, shares), object counts and bytes per container from listings, the largest objects,
 * and sensitive objects by name and type. Content is never downloaded, except with
 * --scan-content (small text objects, within a byte budget). Bounded by --max-objects and
 * --max-seconds; a walk cut short says so (`partial`, with reasons) and its totals are lower bounds.
 */
export interface ExposureOptions {
  maxObjects: number;
  maxSeconds: number;
  /** How many of the largest objects to keep (default 10). */
  largest?: number;
  /** How many sensitive objects to list (counts stay complete; default 200). */
  sensitiveCap?: number;
  /** Optional content scan of small text objects. */
  content?: ContentScanOptions;
  onProgress?: (p: ExposureProgress) => void;
}

export interface ContentScanOptions {
  budgetBytes: number;
  maxObjectBytes: number;
  /** Runs the secret rules on one object's bytes. */
  detect: (container: string, name: string, bytes: Buffer) => ContentFinding[];
}

export interface ExposureProgress {
  containers: number;
  objects: number;
  bytes: number;
  current: string | null;
}

export const DEFAULT_EXPOSURE = { maxObjects: 10_000, maxSeconds: 60, largest: 10, sensitiveCap: 200 } as const;

const WRITE_LIKE = new Set(['write', 'create', 'add', 'delete', 'update', 'permanent-delete', 'delete-version']);

class Walk {
  readonly started = Date.now();
  readonly exposure: Exposure;
  readonly deadline: number;
  /** Small text-like objects seen while listing, for --scan-content (bounded). */
  readonly contentCandidates: ObjectRef[] = [];
  private requestsAtStart: number;

  constructor(
    readonly opts: ExposureOptions,
    readonly client: ScopedClient,
    writable: boolean,
  ) {
    this.deadline = this.started + opts.maxSeconds * 1000;
    this.requestsAtStart = client.guard.requestsSent;
    this.exposure = {
      partial: false,
      partialReasons: [],
      enumerable: [],
      totals: { containers: 0, objects: 0, bytes: 0 },
      containers: [],
      largest: [],
      sensitive: [],
      sensitiveCounts: {},
      writable,
      limits: { maxObjects: opts.maxObjects, maxSeconds: opts.maxSeconds },
      requests: 0,
      durationMs: 0,
    };
  }

  cut(reason: string): void {
    this.exposure.partial = true;
    if (!this.exposure.partialReasons.includes(reason)) this.exposure.partialReasons.push(reason);
  }

  /** Whether to stop before another request: object cap, time cap, request budget. */
  stopped(): boolean {
    if (this.exposure.totals.objects >= this.opts.maxObjects) {
      this.cut(`stopped at --max-objects ${this.opts.maxObjects}`);
      return true;
    }
    if (Date.now() >= this.deadline) {
      this.cut(`stopped at --max-seconds ${this.opts.maxSeconds}`);
      return true;
    }
    if (this.client.guard.budgetLeft === 0) {
      this.cut('request budget exhausted (--max-requests)');
      return true;
    }
    return false;
  }

  remaining(): number {
    return Math.max(0, this.opts.maxObjects - this.exposure.totals.objects);
  }

  addObject(o: ObjectRef, box: ContainerExposure): void {
    const e = this.exposure;
    box.objects++;
    box.bytes += o.bytes;
    e.totals.objects++;
    e.totals.bytes += o.bytes;
    this.keepLargest(o);
    const c = this.opts.content;
    if (c && o.bytes > 0 && o.bytes <= c.maxObjectBytes && TEXT_LIKE.test(o.name) && this.contentCandidates.length < 5000) this.contentCandidates.push(o);
    const s = classifyObject(o.name);
    if (s) {
      e.sensitiveCounts[s.category] = (e.sensitiveCounts[s.category] ?? 0) + 1;
      if (e.sensitive.length < (this.opts.sensitiveCap ?? DEFAULT_EXPOSURE.sensitiveCap)) {
        const item: SensitiveObject = { ...o, category: s.category, reason: s.reason, writable: e.writable };
        e.sensitive.push(item);
      }
    }
  }

  private keepLargest(o: ObjectRef): void {
    const list = this.exposure.largest;
    const n = this.opts.largest ?? DEFAULT_EXPOSURE.largest;
    if (list.length >= n && list[list.length - 1]!.bytes >= o.bytes) return;
    list.push(o);
    list.sort((a, b) => b.bytes - a.bytes || a.name.localeCompare(b.name));
    if (list.length > n) list.pop();
  }

  progress(current: string | null): void {
    const t = this.exposure.totals;
    this.opts.onProgress?.({ containers: t.containers, objects: t.objects, bytes: t.bytes, current });
  }

  finish(): Exposure {
    this.exposure.requests = this.client.guard.requestsSent - this.requestsAtStart;
    this.exposure.durationMs = Date.now() - this.started;
    return this.exposure;
  }
}

/** What the grant lets the holder enumerate, decided from its signed fields (and the verdict). */
function blobScope(g: Grant | null, target: AzureTarget): { listContainers: boolean; listBlobs: boolean; oneContainer: string | null; oneBlob: string | null } {
  const container = target.resourcePath[0] ?? null;
  const blob = target.resourcePath.length > 1 ? target.resourcePath.slice(1).join('/') : null;
  if (target.accountKey) return { listContainers: true, listBlobs: true, oneContainer: null, oneBlob: null };
  if (!g) return { listContainers: false, listBlobs: false, oneContainer: null, oneBlob: null };
  const perms = new Set(g.permissions ?? ['list', 'read']);
  if (g.kind === 'account-sas') {
    const types = new Set(g.resourceTypes ?? []);
    const blobService = g.services.includes('blob');
    return {
      listContainers: blobService && types.has('service') && perms.has('list'),
      listBlobs: blobService && types.has('container') && perms.has('list'),
      oneContainer: types.has('service') ? null : container,
      oneBlob: null,
    };
  }
  if (g.scope === 'container' || g.scope === 'directory') return { listContainers: false, listBlobs: perms.has('list'), oneContainer: container, oneBlob: null };
  if (g.scope === 'object' && g.services.includes('blob')) return { listContainers: false, listBlobs: false, oneContainer: container, oneBlob: blob };
  return { listContainers: false, listBlobs: false, oneContainer: null, oneBlob: null };
}

export async function azureExposure(target: AzureTarget, grant: Grant | null, verification: Verification | null, client: ScopedClient, opts: ExposureOptions): Promise<Exposure> {
  await loadAzureSdk();
  const writable = Boolean(target.accountKey) || (grant?.permissions ?? []).some((p) => WRITE_LIKE.has(p));
  const walk = new Walk(opts, client, writable);
  if (verification && verification.status !== 'live' && verification.status !== 'ip-restricted') {
    walk.cut(`not walked: the credential is ${verification.status}`);
    return walk.finish();
  }
  const root = target.endpoints.blob;
  const scope = blobScope(grant, target);
  if (root && (scope.listContainers || scope.listBlobs || scope.oneBlob)) await walkBlobs(walk, root, target, scope);
  await walkOtherServices(walk, target, grant);
  if (opts.content && walk.exposure.enumerable.includes('blobs') && root) await scanContent(walk, root, target, opts.content);
  walk.progress(null);
  return walk.finish();
}

function blobClients(root: string, target: AzureTarget, client: ScopedClient) {
  const { BlobServiceClient, StorageSharedKeyCredential } = azureSdk();
  const credential = target.accountKey && target.account ? new StorageSharedKeyCredential(target.account, target.accountKey) : undefined;
  const pipeline = guardedPipeline(client, credential);
  const url = credential || !target.token ? root : `${root}?${target.token}`;
  const service = new BlobServiceClient(url, pipeline);
  removeRedirects(pipeline);
  const container = (name: string): ContainerClient => {
    const c = service.getContainerClient(name);
    removeRedirects(pipeline);
    return c;
  };
  return { service, container };
}

async function walkBlobs(walk: Walk, root: string, target: AzureTarget, scope: ReturnType<typeof blobScope>): Promise<void> {
  const { service, container } = blobClients(root, target, walk.client);
  const e = walk.exposure;
  let names: string[] = [];
  if (scope.listContainers) {
    try {
      names = await listContainerNames(walk, service);
      e.enumerable.push('containers');
    } catch (err) {
      walk.cut(`listing containers failed: ${sdkErrorInfo(err).message}`);
    }
  } else if (scope.oneContainer) {
    names = [scope.oneContainer];
  }
  e.totals.containers = names.length;
  if (scope.oneBlob && scope.oneContainer) {
    await oneBlob(walk, root, target, scope.oneContainer, scope.oneBlob);
    return;
  }
  if (!scope.listBlobs) {
    for (const n of names) e.containers.push({ name: n, objects: 0, bytes: 0, partial: true, error: 'blobs not listable with this token' });
    return;
  }
  for (const name of names) {
    const box: ContainerExposure = { name, objects: 0, bytes: 0, partial: false };
    e.containers.push(box);
    if (walk.stopped()) {
      box.partial = true;
      continue;
    }
    walk.progress(name);
    try {
      await listBlobs(walk, container(name), box);
      if (!e.enumerable.includes('blobs')) e.enumerable.push('blobs');
    } catch (err) {
      box.partial = true;
      box.error = sdkErrorInfo(err).message;
      walk.cut(`listing ${name} failed`);
    }
  }
}

async function listContainerNames(walk: Walk, service: BlobServiceClient): Promise<string[]> {
  const names: string[] = [];
  for await (const page of service.listContainers().byPage({ maxPageSize: 5000 })) {
    for (const c of page.containerItems) names.push(c.name);
    if (!page.continuationToken) break;
    if (walk.stopped()) break;
  }
  return names;
}

async function listBlobs(walk: Walk, container: ContainerClient, box: ContainerExposure): Promise<void> {
  let marker: string | undefined;
  do {
    const size = Math.min(5000, walk.remaining());
    if (size <= 0 || walk.stopped()) {
      box.partial = true;
      return;
    }
    const page = (await container.listBlobsFlat().byPage({ maxPageSize: size, continuationToken: marker }).next()).value;
    for (const b of page.segment.blobItems) {
      walk.addObject(
        {
          container: box.name,
          name: b.name,
          bytes: b.properties.contentLength ?? 0,
          lastModified: b.properties.lastModified?.toISOString() ?? null,
          contentType: b.properties.contentType ?? null,
        },
        box,
      );
    }
    walk.progress(box.name);
    marker = page.continuationToken || undefined;
  } while (marker);
}

async function oneBlob(walk: Walk, root: string, target: AzureTarget, containerName: string, blobName: string): Promise<void> {
  const box: ContainerExposure = { name: containerName, objects: 0, bytes: 0, partial: false };
  walk.exposure.containers.push(box);
  const url = azureUrl(root, [containerName, ...blobName.split('/')], target.token ?? '');
  try {
    const res = await walk.client.request({ method: 'HEAD', url, headers: { 'x-ms-version': X_MS_VERSION } });
    if (res.status !== 200) {
      box.partial = true;
      box.error = `HTTP ${res.status}${res.headers['x-ms-error-code'] ? ` ${res.headers['x-ms-error-code']}` : ''}`;
      walk.cut(`the blob could not be read (${box.error})`);
      return;
    }
    walk.exposure.enumerable.push('blob');
    walk.addObject({ container: containerName, name: blobName, bytes: Number(res.headers['content-length'] ?? 0), lastModified: res.headers['last-modified'] ? new Date(res.headers['last-modified']).toISOString() : null, contentType: res.headers['content-type'] ?? null }, box);
  } catch (err) {
    box.partial = true;
    box.error = (err as Error).message;
    walk.cut('the blob could not be read');
  }
}

/** Queues, tables and shares: names only (their contents are messages, entities and files). */
async function walkOtherServices(walk: Walk, target: AzureTarget, g: Grant | null): Promise<void> {
  const account = g?.kind === 'account-sas';
  const key = Boolean(target.accountKey);
  if (!account && !key) return;
  const perms = new Set(g?.permissions ?? []);
  const types = new Set(g?.resourceTypes ?? []);
  const allows = (svc: string, type: string) => key || (g!.services.includes(svc) && types.has(type) && perms.has('list'));
  const token = target.token ?? '';
  // Queues, tables and shares are listed with raw requests, which carry a SAS but are not Shared-Key signed.
  if (key) return;
  if (target.endpoints.queue && allows('queue', 'service')) {
    walk.exposure.queues = await xmlListing(walk, target.endpoints.queue, token, 'Queue');
    if (!walk.exposure.queues.error) walk.exposure.enumerable.push('queues');
  }
  if (target.endpoints.file && allows('file', 'service')) {
    walk.exposure.shares = await xmlListing(walk, target.endpoints.file, token, 'Share');
    if (!walk.exposure.shares.error) walk.exposure.enumerable.push('shares');
  }
  if (target.endpoints.table && allows('table', 'container')) {
    walk.exposure.tables = await tableListing(walk, target.endpoints.table, token);
    if (!walk.exposure.tables.error) walk.exposure.enumerable.push('tables');
  }
}

/** List Queues / List Shares: `<Queue><Name>…` pages linked by `<NextMarker>`. */
async function xmlListing(walk: Walk, root: string, token: string, element: 'Queue' | 'Share'): Promise<ServiceListing> {
  const out: ServiceListing = { names: [], partial: false };
  let marker = '';
  do {
    if (walk.stopped()) {
      out.partial = true;
      break;
    }
    const query = `comp=list&maxresults=5000${marker ? `&marker=${encodeURIComponent(marker)}` : ''}&${token}`;
    try {
      const res = await walk.client.request({ method: 'GET', url: azureUrl(root, [], query), headers: { 'x-ms-version': X_MS_VERSION }, maxBodyBytes: 16 << 20 });
      if (res.status !== 200) {
        out.error = `HTTP ${res.status}${res.headers['x-ms-error-code'] ? ` ${res.headers['x-ms-error-code']}` : ''}`;
        break;
      }
      const xml = res.body.toString('utf8');
      for (const m of xml.matchAll(new RegExp(`<${element}>([\\s\\S]*?)</${element}>`, 'g'))) out.names.push(xmlTexts(m[1]!, 'Name')[0] ?? '');
      marker = xmlText(xml, 'NextMarker') ?? '';
    } catch (e) {
      out.error = (e as Error).message;
      break;
    }
  } while (marker);
  if (out.error) out.partial = true;
  return out;
}

/** Query Tables: JSON pages linked by the x-ms-continuation-NextTableName header. */
async function tableListing(walk: Walk, root: string, token: string): Promise<ServiceListing> {
  const out: ServiceListing = { names: [], partial: false };
  let next = '';
  do {
    if (walk.stopped()) {
      out.partial = true;
      break;
    }
    const query = `${next ? `NextTableName=${encodeURIComponent(next)}&` : ''}${token}`;
    try {
      const res = await walk.client.request({ method: 'GET', url: azureUrl(root, ['Tables'], query), headers: { 'x-ms-version': X_MS_VERSION, Accept: 'application/json;odata=nometadata' }, maxBodyBytes: 16 << 20 });
      if (res.status !== 200) {
        out.error = `HTTP ${res.status}${res.headers['x-ms-error-code'] ? ` ${res.headers['x-ms-error-code']}` : ''}`;
        break;
      }
      const body = JSON.parse(res.body.toString('utf8')) as { value?: { TableName?: string }[] };
      for (const t of body.value ?? []) if (t.TableName) out.names.push(t.TableName);
      next = res.headers['x-ms-continuation-nexttablename'] ?? '';
    } catch (e) {
      out.error = (e as Error).message;
      break;
    }
  } while (next);
  if (out.error) out.partial = true;
  return out;
}

const TEXT_LIKE = /(?:^|\/)(?:\.env(?:\..+)?|[^/]*\.(?:env|json|ya?ml|txt|ini|cfg|conf|config|xml|properties|toml|tf|tfvars|tfstate|ps1|sh|bash|py|ipynb|md|csv|log|js|ts|cs|java|go|rb|php|sql|htm|html|bat|cmd)|credentials|\.netrc|\.npmrc|\.pypirc|\.git-credentials|kubeconfig|config)$/i;

/** --scan-content: download small text objects (smallest first) within a byte budget and run the secret rules. */
async function scanContent(walk: Walk, root: string, target: AzureTarget, opts: ContentScanOptions): Promise<void> {
  const candidates = walk.contentCandidates.sort((a, b) => a.bytes - b.bytes);
  if (target.accountKey) {
    walk.cut('--scan-content is done with SAS links only (not with account keys)');
    return;
  }
  const content = { objectsScanned: 0, bytesDownloaded: 0, budgetBytes: opts.budgetBytes, findings: [] as ContentFinding[] };
  walk.exposure.content = content;
  for (const o of candidates) {
    if (content.bytesDownloaded + o.bytes > opts.budgetBytes) {
      walk.cut(`--scan-content budget of ${opts.budgetBytes} bytes reached`);
      break;
    }
    if (Date.now() >= walk.deadline || walk.client.guard.budgetLeft === 0) {
      walk.cut('content scan stopped by the time or request limit');
      break;
    }
    try {
      const res = await walk.client.request({ method: 'GET', url: azureUrl(root, [o.container, ...o.name.split('/')], target.token ?? ''), headers: { 'x-ms-version': X_MS_VERSION }, maxBodyBytes: opts.maxObjectBytes });
      if (res.status !== 200) continue;
      content.objectsScanned++;
      content.bytesDownloaded += res.body.length;
      for (const f of opts.detect(o.container, o.name, res.body)) content.findings.push(f);
    } catch {
      // an unreadable object is skipped; the listing already counted it
    }
  }
}
