import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { isLoopbackHost, parseAzureUrl } from '../analyze/sas/endpoint.js';
import { walkTargets } from '../sources/fs-walk.js';
import type { Notice } from '../sources/types.js';
import { redactSig, type LogSource } from './reader.js';

/**
 * Where the logs are: local files and directories (walked in name order, which for `$logs`
 * and `insights-logs-*` layouts is time order), or a container URL with a SAS, listed and
 * downloaded with the Azure SDK one blob at a time.
 */
export async function* logSources(inputs: readonly string[], opts: { prefix?: string }, notice: (n: Notice) => void): AsyncGenerator<LogSource> {
  for (const input of inputs) {
    if (/^https?:\/\//i.test(input)) yield* containerSources(input, opts.prefix, notice);
    else yield* localSources(input, notice);
  }
}

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

/** Splits a container URL; refuses to send a SAS over plain http except to loopback. */
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
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && isLoopbackHost(u.hostname))) {
    throw new Error(`refusing to send a SAS to ${u.host} over ${u.protocol.replace(':', '')}: use https`);
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

async function* containerSources(input: string, prefix: string | undefined, notice: (n: Notice) => void): AsyncGenerator<LogSource> {
  let target: ContainerTarget;
  try {
    target = parseContainerUrl(input);
  } catch (e) {
    notice({ level: 'warning', path: redactSig(input.replace(/\?.*$/, '')), skipped: 'unreadable', message: (e as Error).message });
    return;
  }
  // loaded only when a container is read: the SDK costs start-up time local runs need not pay
  const { ContainerClient } = await import('@azure/storage-blob');
  const client = new ContainerClient(target.containerUrl);
  const listPrefix = prefix ?? target.pathPrefix;
  try {
    for await (const blob of client.listBlobsFlat(listPrefix ? { prefix: listPrefix } : {})) {
      const blobClient = client.getBlobClient(blob.name);
      yield {
        name: `${target.display}/${blob.name}`,
        size: blob.properties.contentLength ?? null,
        open: async () => {
          const res = await blobClient.download(0, undefined, { maxRetryRequests: 5 });
          if (!res.readableStreamBody) throw new Error('no response body');
          return res.readableStreamBody as Readable;
        },
      };
    }
  } catch (e) {
    notice({ level: 'warning', path: target.display, skipped: 'unreadable', message: `cannot list blobs: ${sdkError(e)}` });
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
