import type { IHttpClient, Pipeline } from '@azure/storage-blob';
import { randomUUID } from 'node:crypto';
import { USER_AGENT, type HttpRequest, type ScopedClient } from '../http.js';

type Sdk = typeof import('@azure/storage-blob');
let sdk: Sdk | null = null;

/**
 * Loads the Azure SDK on first use: it takes longer to load (about 0.2 s) than a scan of
 * a small repository, and only verification and the exposure walk need it.
 */
export async function loadAzureSdk(): Promise<Sdk> {
  return (sdk ??= await import('@azure/storage-blob'));
}

/** The SDK, once loadAzureSdk has been awaited. */
export function azureSdk(): Sdk {
  if (!sdk) throw new Error('the Azure SDK is used before loadAzureSdk()');
  return sdk;
}

/**
 * The Azure SDK, made safe for probing: its HTTP goes through our guarded client (read-only
 * methods, the credential's own host only, private addresses refused, timeout, budget,
 * client request id), its retry policy tries once, and its redirect policy is removed so a
 * 3xx surfaces as an error instead of being followed (our client would refuse another host
 * anyway; removing the policy also stops same-host redirect loops).
 */
export function guardedPipeline(client: ScopedClient, credential?: Parameters<Sdk['newPipeline']>[0]): Pipeline {
  const httpClient = {
    async sendRequest(req: SdkRequest) {
      const method = req.method.toUpperCase();
      // A verification client only reads; a management client (mint, revoke) may also PUT/POST.
      if (!client.methods.has(method)) throw new Error(`refused ${method}: verification only reads`);
      const body = bodyOf(req.body);
      const res = await client.request({ method: method as HttpRequest['method'], url: req.url, headers: req.headers.toJson({ preserveCase: true }), maxBodyBytes: 32 << 20, ...(body !== undefined ? { body } : {}) });
      const headers = res.headers;
      return {
        request: req,
        status: res.status,
        headers: { toJson: () => headers, get: (n: string) => headers[n.toLowerCase()] },
        bodyAsText: res.body.toString('utf8'),
      };
    },
  };
  const { newPipeline, AnonymousCredential } = azureSdk();
  const pipeline = newPipeline(credential ?? new AnonymousCredential(), {
    httpClient: httpClient as unknown as IHttpClient,
    retryOptions: { maxTries: 1 },
    userAgentOptions: { userAgentPrefix: USER_AGENT },
  });
  return pipeline;
}

interface SdkRequest {
  url: string;
  method: string;
  headers: { toJson(o?: { preserveCase?: boolean }): Record<string, string> };
  body?: unknown;
}

/** Management calls send small XML bodies; streams (uploads) are never sent through here. */
function bodyOf(body: unknown): string | Buffer | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string' || Buffer.isBuffer(body)) return body;
  if (body instanceof Uint8Array) return Buffer.from(body);
  throw new Error('refused a streamed request body');
}

/**
 * The SDK builds its core pipeline lazily, when a client is constructed from the Pipeline;
 * call this after constructing each client. Returns false if the policy was not found (the
 * guarded client still refuses any other host).
 */
export function removeRedirects(pipeline: Pipeline): boolean {
  const core = (pipeline as unknown as { _corePipeline?: CorePipeline })._corePipeline;
  if (!core) return false;
  core.removePolicy({ name: 'redirectPolicy' });
  if (!core.getOrderedPolicies().some((p) => p.name === REQUEST_ID_POLICY)) {
    // Set our client request id before the Sign phase: Shared Key signs every x-ms-* header,
    // so the guarded client must not change it afterwards (it keeps a sasquatch- id as is).
    core.addPolicy({
      name: REQUEST_ID_POLICY,
      sendRequest: (req, next) => {
        req.headers.set('x-ms-client-request-id', `sasquatch-${randomUUID()}`);
        return next(req);
      },
    });
  }
  return !core.getOrderedPolicies().some((p) => p.name === 'redirectPolicy');
}

const REQUEST_ID_POLICY = 'sasquatchClientRequestId';

interface CorePolicy {
  name: string;
  sendRequest(req: { headers: { set(n: string, v: string): void } }, next: (r: unknown) => Promise<unknown>): Promise<unknown>;
}
interface CorePipeline {
  removePolicy(o: { name: string }): unknown[];
  getOrderedPolicies(): { name: string }[];
  addPolicy(p: CorePolicy, o?: object): void;
}

/** Status, code and message of an SDK error, without its request (which holds the token). */
export function sdkErrorInfo(e: unknown): { status: number | null; code: string | null; message: string } {
  const err = e as { statusCode?: number; code?: string; message?: string; details?: { errorCode?: string } };
  const code = err.details?.errorCode ?? (typeof err.code === 'string' && !/^REQUEST_SEND_ERROR$/.test(err.code) ? err.code : null);
  const message = (err.message ?? String(e)).split('\n')[0]!.replace(/sig=[^&\s"]+/g, 'sig=…');
  return { status: typeof err.statusCode === 'number' ? err.statusCode : null, code, message };
}
