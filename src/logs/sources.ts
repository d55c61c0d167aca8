import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { parseAzureUrl } from '../analyze/sas/endpoint.js';
import { errorInfo } from '../verify/azure/errors.js';
import { X_MS_VERSION } from '../verify/azure/sas.js';
import { azureSdk, guardedPipeline, loadAzureSdk, removeRedirects } from '../verify/azure/sdk.js';
import { HttpGuard, originOf, type HttpOptions, type ScopedClient } from '../verify/http.js';
import { walkTargets } from '../sources/fs-walk.js';
import type { Notice } from '../sources/types.js';
import { redactSig, type LogSource } from './reader.js';

/**
 * Where the logs are: local files and directories (walked in name order, which for `$logs`
 * and `insights-logs-*` layouts is time order), or a container URL with a SAS, listed and
 * downloaded with the Azure SDK one blob at a time.
 */
export interface LogSourceOptions {
  prefix?: string;
  /** The guarded client container URLs are read through (the verifier's guard: hosts, addresses, no redirects). */
  guard?: HttpGuard;
}

export async function* logSources(inputs: readonly string[], opts: LogSourceOptions, notice: (n: Notice) => void): AsyncGenerator<LogSource> {
  for (const input of inputs) {
    if (/^https?:\/\//i.test(input)) yield* containerSources(input, opts.prefix, opts.guard ?? new HttpGuard(LOGS_HTTP), notice);
    else yield* localSources(input, notice);
  }
}

/**
 * Reading a log container is many requests (list pages, then each blob in ranges), and each
 * may take a while: no request budget, a longer timeout. Every other guard holds.
 */
export const LOGS_HTTP: Partial<HttpOptions> = { maxRequests: Number.MAX_SAFE_INTEGER, timeoutMs: 60_000, concurrency: 2 };

async function* localSources(target: string, notice: (n: Notice) => void): AsyncGenerator<LogSource> {
  for await (const item of walkTargets([target], { exclude: [], followSymlinks: false, maxFileSize: 0 }, { notice })) {
    yield {
      name: item.path,
      size: item.size,
      // 64 KiB reads: smaller batches die young, which keeps GC cheap and RSS low
      open: async () => createReadStream(item.fsPath, { highWaterMark: 1 << 16 }),
    };
  }
}

export interface ContainerTarget {
  /** URL the SDK is given: account endpoint + container + the SAS query. */
  containerUrl: string;
  /** `account/container`, safe to print. */
  display: string;
  /** Blob-name prefix taken from the path after the container (`$logs/blob/2023/06/`). */
  pathPrefix: string;
}

/** Splits a container URL. Where the SAS may be sent (https; plain http only to allowed private hosts) is the guard's call. */
export function parseContainerUrl(input: string): ContainerTarget {
  const q = input.indexOf('?');
  const base = q < 0 ? input : input.slice(0, q);
  const query = q < 0 ? '' : input.slice(q + 1);
  let u: URL;
  try {
    u = new URL(base);
  } catch {
    throw new Error(`not a URL: ${redactSig(input)}`);
  }
  const az = parseAzureUrl(base);
  const segments = az?.segments ?? u.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  const [container, ...rest] = segments;
  if (!container) throw new Error(`${u.host}: the URL names no container (expected …/$logs or …/insights-logs-storageread)`);
  const pathStyle = az?.endpoint.cloud === 'emulator' && !u.hostname.endsWith('.localhost') && az.account;
  const accountPath = pathStyle ? `/${az.account}` : '';
  return {
    containerUrl: `${u.protocol}//${u.host}${accountPath}/${container}${query ? `?${query}` : ''}`,
    display: `${az?.account ?? u.host}/${container}`,
    pathPrefix: rest.length ? `${rest.join('/')}${base.endsWith('/') ? '/' : ''}` : '',
  };
}

/** Blobs are read in ranges this large: memory stays bounded whatever the blob's size. */
const RANGE_BYTES = 8 << 20;

async function* containerSources(input: string, prefix: string | undefined, guard: HttpGuard, notice: (n: Notice) => void): AsyncGenerator<LogSource> {
  let target: ContainerTarget;
  try {
    target = parseContainerUrl(input);
  } catch (e) {
    notice({ level: 'warning', path: redactSig(input.replace(/\?.*$/, '')), skipped: 'unreadable', message: (e as Error).message });
    return;
  }
  const origin = originOf(target.containerUrl);
  const client = guard.scope(origin ? [origin] : []);
  // loaded only when a container is read: the SDK costs start-up time local runs need not pay
  await loadAzureSdk();
  const pipeline = guardedPipeline(client);
  const container = new (azureSdk().ContainerClient)(target.containerUrl, pipeline);
  removeRedirects(pipeline);
  const listPrefix = prefix ?? target.pathPrefix;
  try {
    for await (const blob of container.listBlobsFlat(listPrefix ? { prefix: listPrefix } : {})) {
      const url = container.getBlobClient(blob.name).url;
      const size = blob.properties.contentLength ?? null;
      yield { name: `${target.display}/${blob.name}`, size, open: async () => Readable.from(ranges(client, url, size)) };
    }
  } catch (e) {
    notice({ level: 'warning', path: target.display, skipped: 'unreadable', message: `cannot list blobs: ${sdkError(e)}` });
  }
}

/** One blob as a stream of ranged GETs through the guarded client. */
async function* ranges(client: ScopedClient, url: string, size: number | null): AsyncGenerator<Buffer> {
  for (let offset = 0; size === null || offset < size; offset += RANGE_BYTES) {
    const res = await client.request({ method: 'GET', url, headers: { 'x-ms-version': X_MS_VERSION, 'x-ms-range': `bytes=${offset}-${offset + RANGE_BYTES - 1}` }, maxBodyBytes: RANGE_BYTES });
    if (res.status === 416) return;
    if (res.status !== 200 && res.status !== 206) {
      const info = errorInfo(res.headers, res.body);
      throw Object.assign(new Error(`${info.code ?? 'download failed'}${info.detail ? `: ${info.detail}` : ''}`), { statusCode: res.status });
    }
    yield res.body;
    if (res.status === 200 || res.body.length < RANGE_BYTES) return;
  }
}

function sdkError(e: unknown): string {
  const o = (e ?? {}) as { statusCode?: number; code?: string; details?: { errorCode?: string }; message?: string };
  const code = o.details?.errorCode ?? o.code;
  const head = [o.statusCode, code].filter(Boolean).join(' ');
  const msg = redactSig((o.message ?? String(e)).split('\n')[0]!.slice(0, 200));
  const hint = o.statusCode === 403 ? ' (the SAS needs read and list on this container)' : '';
  return `${head ? `${head}: ` : ''}${msg}${hint}`;
}
