import type { TokenCredential } from '@azure/identity';
import type { BlobServiceClient, Pipeline, StorageSharedKeyCredential } from '@azure/storage-blob';
import { parseAzureUrl } from '../analyze/sas/endpoint.js';
import { originOf, type HttpGuard } from '../verify/http.js';
import { guardedPipeline, loadAzureSdk, removeRedirects } from '../verify/azure/sdk.js';

/**
 * Management calls for mint and revoke (Get/Set Container ACL, Get User Delegation Key)
 * through the Azure SDK, carried by the verifier's guarded client in a management scope:
 * only the account's own blob endpoint, no redirects, private addresses only when allowed,
 * plain http only to those — the same guards, plus PUT/POST because the user asked for them.
 */
export const MANAGEMENT_X_MS_VERSION = '2025-05-05';

export async function managementService(guard: HttpGuard, blobEndpoint: string, credential: StorageSharedKeyCredential | TokenCredential, opts: { readOnly?: boolean } = {}): Promise<BlobServiceClient> {
  const origin = originOf(blobEndpoint);
  if (!origin) throw new Error(`not a URL: ${blobEndpoint}`);
  const { BlobServiceClient } = await loadAzureSdk();
  // --dry-run reads (Get Container ACL) through a read-only scope: a write cannot leave the machine
  const pipeline = guardedPipeline(opts.readOnly ? guard.scope([origin]) : guard.managementScope([origin]), credential);
  const service = new BlobServiceClient(blobEndpoint, pipeline);
  removeRedirects(pipeline);
  pinVersion(pipeline);
  return service;
}

/**
 * The SDK asks for the newest service version (2026-04-06); pin one that Azure and the
 * Azurite emulator both speak. Set before the Sign phase (Shared Key signs x-ms-version).
 */
function pinVersion(pipeline: Pipeline): void {
  const core = (pipeline as unknown as { _corePipeline?: CorePipeline })._corePipeline;
  if (!core || core.getOrderedPolicies().some((p) => p.name === PIN_POLICY)) return;
  core.addPolicy({
    name: PIN_POLICY,
    sendRequest: (req, next) => {
      req.headers.set('x-ms-version', MANAGEMENT_X_MS_VERSION);
      return next(req);
    },
  });
}

const PIN_POLICY = 'sasquatchPinVersion';

interface CorePipeline {
  getOrderedPolicies(): { name: string }[];
  addPolicy(p: { name: string; sendRequest(req: { headers: { set(n: string, v: string): void } }, next: (r: unknown) => Promise<unknown>): Promise<unknown> }): void;
}

/**
 * The account root of a blob URL: `https://acct.blob.core.windows.net`, or
 * `http://127.0.0.1:10000/acct` for a path-style emulator URL.
 */
export function blobRootOf(url: string): { root: string; account: string | null } | null {
  const m = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]+)/i.exec(url);
  const parsed = parseAzureUrl(url);
  if (!m || !parsed) return null;
  const authority = m[2]!.replace(/^[^@]*@/, '');
  const pathStyle = parsed.endpoint.cloud === 'emulator' && !parsed.endpoint.host?.startsWith(`${parsed.account}.`);
  const root = `${m[1]!.toLowerCase()}://${authority}${pathStyle && parsed.account ? `/${parsed.account}` : ''}`;
  return { root, account: parsed.account };
}
