import type { BlobSASPermissions, BlobSASSignatureValues, ContainerSASPermissions, SasIPRange, StorageSharedKeyCredential } from '@azure/storage-blob';
import type { TokenCredential } from '@azure/identity';
import type { HttpGuard } from '../verify/http.js';
import { azureSdk, loadAzureSdk, sdkErrorInfo } from '../verify/azure/sdk.js';
import { ActionLog, sigSha256 } from './action-log.js';
import type { Confirm } from './confirm.js';
import type { MintSpec } from './mint-plan.js';
import { MAX_NARROW_LIFETIME_SECONDS } from './mint-plan.js';
import { ensurePolicy, listPolicies, type StoredPolicy } from './policy.js';
import { managementService } from './storage.js';

/**
 * Mints what the planner specified, with the Azure SDK: a service SAS (signed with the
 * account key, bound to a stored access policy when asked — created if missing), a user
 * delegation SAS (key from Get User Delegation Key with an Entra ID credential), or — only
 * with --allow-wide — an account SAS. The link is returned to be printed; the action log
 * records it only by the SHA-256 of its signature.
 */
export interface MintContext {
  guard: HttpGuard;
  /** Account root: https://acct.blob.core.windows.net or http://127.0.0.1:10000/acct. */
  blobEndpoint: string;
  sharedKey: StorageSharedKeyCredential | null;
  tokenCredential: TokenCredential | null;
  confirm: Confirm;
  log: ActionLog;
  now: Date;
  allowWide: boolean;
}

export interface Minted {
  url: string;
  /** The query string (no `?`). */
  token: string;
  spec: MintSpec;
  /** The stored access policy the link is bound to, as it is on the container. */
  policy: (StoredPolicy & { created: boolean }) | null;
  userDelegationKey: { signerObjectId: string; signerTenantId: string; keyExpiry: string } | null;
  notes: string[];
}

export class MintError extends Error {}

export async function mintLink(spec: MintSpec, ctx: MintContext): Promise<Minted> {
  const { SASProtocol, generateAccountSASQueryParameters, generateBlobSASQueryParameters, AccountSASPermissions, AccountSASServices, AccountSASResourceTypes } = await loadAzureSdk();
  const notes: string[] = [];
  const target = { account: spec.account, container: spec.container, blob: spec.blob, policy: spec.policy };
  let token: string;
  let policy: Minted['policy'] = null;
  let udk: Minted['userDelegationKey'] = null;
  const common = { version: spec.version, protocol: spec.protocol === 'https' ? SASProtocol.Https : SASProtocol.HttpsAndHttp, ipRange: ipRangeOf(spec.ipRange) };

  if (spec.kind === 'account-sas') {
    const key = requireKey(ctx);
    token = generateAccountSASQueryParameters(
      {
        ...common,
        permissions: AccountSASPermissions.parse(spec.permissions),
        services: AccountSASServices.parse(spec.services ?? 'b').toString(),
        resourceTypes: AccountSASResourceTypes.parse(spec.resourceTypes ?? 'sco').toString(),
        startsOn: spec.start,
        expiresOn: spec.expiry,
      },
      key,
    ).toString();
  } else if (spec.kind === 'user-delegation-sas') {
    if (!ctx.tokenCredential) throw new MintError('a user delegation SAS needs an Entra ID credential (DefaultAzureCredential found none)');
    const service = await managementService(ctx.guard, ctx.blobEndpoint, ctx.tokenCredential);
    let key;
    try {
      key = await service.getUserDelegationKey(spec.start, spec.expiry);
    } catch (e) {
      const info = sdkErrorInfo(e);
      ctx.log.record({ action: 'get-user-delegation-key', result: 'failed', ...target, detail: info.message });
      throw new MintError(`Get User Delegation Key failed: ${info.status ? `HTTP ${info.status} ` : ''}${info.code ?? ''} ${info.message}`.replace(/\s+/g, ' ').trim());
    }
    ctx.log.record({ action: 'get-user-delegation-key', result: 'done', ...target, detail: `key for ${key.signedObjectId} until ${key.signedExpiresOn.toISOString()}` });
    udk = { signerObjectId: key.signedObjectId, signerTenantId: key.signedTenantId, keyExpiry: key.signedExpiresOn.toISOString() };
    token = generateBlobSASQueryParameters({ ...blobValues(spec), ...common, permissions: permissionsOf(spec), startsOn: spec.start, expiresOn: spec.expiry }, key, spec.account).toString();
  } else {
    const key = requireKey(ctx);
    const values: BlobSASSignatureValues = { ...blobValues(spec), ...common };
    if (spec.policy) {
      policy = await boundPolicy(spec, ctx, key, notes);
      values.identifier = spec.policy;
      // A field may be in the policy or in the token, never both (the service refuses the link).
      // A new policy holds only the permissions: the token keeps its own start and expiry, so
      // each link is unique and short-lived even if a policy of that name is created again later.
      if (!policy.permissions) values.permissions = permissionsOf(spec);
      if (!policy.expiry) values.expiresOn = spec.expiry;
      if (!policy.start && !policy.expiry) values.startsOn = spec.start;
    } else {
      Object.assign(values, { permissions: permissionsOf(spec), startsOn: spec.start, expiresOn: spec.expiry });
    }
    token = generateBlobSASQueryParameters(values, key).toString();
  }
  const url = linkUrl(ctx.blobEndpoint, spec, token);
  const sig = decodeURIComponent(/(?:^|&)sig=([^&]+)/.exec(token)?.[1] ?? '');
  ctx.log.record({ action: `mint-${spec.kind}`, result: 'done', ...target, sigSha256: sigSha256(sig), detail: `sp=${policy?.permissions ?? spec.permissions} until ${isoSeconds(policy?.expiry ?? spec.expiry)} ${spec.protocol}` });
  return { url, token, spec, policy, userDelegationKey: udk, notes };
}

async function boundPolicy(spec: MintSpec, ctx: MintContext, key: StorageSharedKeyCredential, notes: string[]): Promise<StoredPolicy & { created: boolean }> {
  const container = (await managementService(ctx.guard, ctx.blobEndpoint, key)).getContainerClient(spec.container!);
  const want: StoredPolicy = { id: spec.policy!, permissions: containerLetters(spec.permissions), start: null, expiry: null };
  const target = { account: spec.account, container: spec.container, policy: spec.policy };
  let result;
  try {
    const existing = (await listPolicies(container)).find((p) => p.id === want.id);
    if (!existing && !(await ctx.confirm(`create stored access policy "${want.id}" (permissions ${want.permissions}) on container ${spec.container} of ${spec.account}?`))) {
      ctx.log.record({ action: 'create-stored-policy', result: 'declined', ...target });
      throw new MintError('not confirmed: no policy created, no link minted');
    }
    result = await ensurePolicy(container, want, { allowWide: ctx.allowWide });
  } catch (e) {
    if (e instanceof MintError) throw e;
    const info = sdkErrorInfo(e);
    ctx.log.record({ action: 'create-stored-policy', result: 'failed', ...target, detail: info.message });
    throw new MintError(`could not read or set the stored access policies of ${spec.container}: ${info.status ? `HTTP ${info.status} ` : ''}${info.code ?? ''} ${info.message}`.replace(/\s+/g, ' ').trim());
  }
  if ('error' in result) {
    ctx.log.record({ action: 'create-stored-policy', result: 'skipped', ...target, detail: result.error });
    throw new MintError(result.error);
  }
  const p = result.policy;
  if (result.created) {
    ctx.log.record({ action: 'create-stored-policy', result: 'done', ...target, detail: `sp=${p.permissions}` });
    notes.push(`created stored access policy "${p.id}" on ${spec.container} with permissions ${p.permissions}; the link carries its own start and expiry (on Azure a new policy can take up to 30 seconds to apply)`);
  } else {
    notes.push(`reused stored access policy "${p.id}" (sp=${p.permissions}${p.expiry ? `, until ${p.expiry.toISOString()}` : ', no expiry: the link carries it'}); deleting it revokes every link bound to it`);
    if (p.expiry && p.expiry.getTime() - ctx.now.getTime() > MAX_NARROW_LIFETIME_SECONDS * 1000 && !ctx.allowWide) {
      throw new MintError(`stored access policy "${p.id}" lasts until ${p.expiry.toISOString()}, over 7 days: links bound to it live that long — choose another --policy name (or --allow-wide)`);
    }
    if (p.expiry && p.expiry.getTime() > spec.expiry.getTime()) notes.push(`the link lives until the policy's expiry ${p.expiry.toISOString()}, not the ${spec.expiry.toISOString()} asked for`);
    if (p.expiry) notes.push('the policy holds the expiry, so the link carries no time of its own: every link minted against this policy for the same resource is the same link');
  }
  return { ...p, created: result.created };
}

function requireKey(ctx: MintContext): StorageSharedKeyCredential {
  if (!ctx.sharedKey) throw new MintError('signing needs the account key: name the environment variable holding it with --connection-string-env or --account-key-env');
  return ctx.sharedKey;
}

function blobValues(spec: MintSpec): BlobSASSignatureValues {
  return { containerName: spec.container!, ...(spec.blob ? { blobName: spec.blob } : {}) };
}

function permissionsOf(spec: MintSpec): BlobSASPermissions | ContainerSASPermissions {
  const sdk = azureSdk();
  return spec.blob ? sdk.BlobSASPermissions.parse(spec.permissions) : sdk.ContainerSASPermissions.parse(spec.permissions);
}

/** Policy permissions in container order (a policy serves container and blob links alike). */
function containerLetters(letters: string): string {
  return azureSdk().ContainerSASPermissions.parse(letters).toString();
}

function ipRangeOf(range: string | null): SasIPRange | undefined {
  if (!range) return undefined;
  const [start, end] = range.split('-');
  return end ? { start: start!, end } : { start: start! };
}

export function linkUrl(root: string, spec: Pick<MintSpec, 'container' | 'blob'>, token: string): string {
  const parts = [spec.container, ...(spec.blob ? spec.blob.split('/') : [])].filter((p): p is string => Boolean(p));
  const path = parts.map((p) => encodeURIComponent(p)).join('/');
  return `${root.replace(/\/+$/, '')}/${path}?${token}`;
}

function isoSeconds(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
