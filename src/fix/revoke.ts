import type { StorageSharedKeyCredential } from '@azure/storage-blob';
import type { Finding } from '../model/finding.js';
import type { Grant } from '../model/grant.js';
import type { Verification } from '../model/verification.js';
import { azureSdk, loadAzureSdk, sdkErrorInfo } from '../verify/azure/sdk.js';
import { originOf, type HttpGuard } from '../verify/http.js';
import { ActionLog, sigSha256 } from './action-log.js';
import { armErrorMessage, armKeys, findResourceGroup, revokeUserDelegationKeys, rotateKey, type ArmStorageClient } from './arm.js';
import * as az from './az.js';
import { dependents, type Dependent } from './breakage.js';
import type { Confirm } from './confirm.js';
import type { FixCredentials } from './credentials.js';
import { identifySigningKey, keySha256, resolveSlots, signingInputOf, type CandidateKey, type KeyIdentification, type KeySlot } from './identify.js';
import { deletePolicy, expirePolicy, listPolicies } from './policy.js';
import { managementService } from './storage.js';

/**
 * `sasquatch revoke`: does what can be done for the kind of link, and says exactly what
 * cannot. A stored-policy SAS is killed by deleting (or expiring) its policy; an account or
 * ad hoc service SAS only by rotating the key that signed it (identified by recomputing its
 * signature) — printed as exact az commands, or done through Azure Resource Manager with
 * --execute; a user delegation SAS by revoking the account's user delegation keys. Every
 * action is confirmed, logged and followed by a live check of the link.
 */
export interface RevokeContext {
  /** The leaked URL (with its token). */
  link: string;
  finding: Finding;
  grant: Grant;
  credentials: FixCredentials;
  /**
   * Account root for management calls: the blob endpoint of the key's own connection string,
   * or --endpoint. Never the leaked link's host — a link can name any host, and a
   * Shared-Key-signed request is only ever sent to the account the key belongs to.
   */
  blobEndpoint: string | null;
  guard: HttpGuard;
  expire: boolean;
  execute: boolean;
  /** --key: which key to rotate when it cannot be (or should not be) identified. */
  keyOverride: KeySlot | 'both' | null;
  resourceGroup: string | null;
  /** Azure Resource Manager, when asked for (--execute, --arm): null otherwise. */
  arm: (() => Promise<ArmStorageClient>) | null;
  report: Finding[] | null;
  confirm: Confirm;
  log: ActionLog;
  /** --dry-run: check (read-only) and plan; ask nothing, change nothing. */
  dryRun?: boolean;
  /** A fresh live check of the link (never a cached verdict). */
  verify: () => Promise<Verification>;
  /** How long to keep checking for the link to die after an action (Azure applies policy changes within ~30 s). */
  waitMs: number;
  pollMs: number;
  now: () => Date;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * `unknown`: whether the link still works could not be checked (offline, DNS, timeout, …) —
 * never reported as live or dead on a guess.
 */
export type RevokeOutcome = 'revoked' | 'already-dead' | 'expired' | 'action-required' | 'unknown' | 'declined' | 'failed';

export interface RevokeResult {
  kind: string;
  account: string | null;
  container: string | null;
  policy: string | null;
  /** SHA-256 of the link's signature (find it in Azure Monitor logs as SasSignature(…)). */
  sigSha256: string;
  outcome: RevokeOutcome;
  before: Verification | null;
  after: Verification | null;
  identification: KeyIdentification | null;
  /** The key that has to rotate (or was rotated), when known. */
  rotate: KeySlot | 'both' | null;
  resourceGroup: string | null;
  commands: az.AzStep[];
  dependents: Dependent[] | null;
  /** What sasquatch did not or could not do, and why. */
  cannot: string[];
  notes: string[];
  /** Suggested next steps (replace, investigate). */
  next: string[];
  /** --dry-run: nothing was changed; `planned` says exactly what a run would do. */
  dryRun: boolean;
  planned: string[];
}

const DEAD = new Set(['revoked-or-invalid', 'expired']);

export async function revokeLink(ctx: RevokeContext): Promise<RevokeResult> {
  await loadAzureSdk();
  const g = ctx.grant;
  const sig = decodeURIComponent(/(?:^|[?&])sig=([^&]+)/.exec(ctx.link)?.[1] ?? '');
  const res: RevokeResult = {
    kind: g.kind,
    account: g.account,
    container: g.resource?.container ?? null,
    policy: g.storedPolicy,
    sigSha256: sigSha256(sig),
    outcome: 'action-required',
    before: null,
    after: null,
    identification: null,
    rotate: null,
    resourceGroup: ctx.resourceGroup,
    commands: [],
    dependents: null,
    cannot: [],
    notes: [],
    next: nextSteps(g),
    dryRun: Boolean(ctx.dryRun),
    planned: [],
  };
  if (g.emulator && g.account === 'devstoreaccount1') {
    res.outcome = 'failed';
    res.cannot.push('the emulator account devstoreaccount1 has a published key: there is nothing to revoke');
    return res;
  }
  res.before = await check(ctx, res, 'before');
  if (g.expired || res.before.status === 'expired') {
    res.outcome = 'expired';
    res.notes.push(`it expired${g.expiry ? ` on ${g.expiry}` : ''}: nothing to revoke (the logs of the time it was valid still matter)`);
    return res;
  }
  switch (g.revocation) {
    case 'delete-stored-policy':
      await revokePolicy(ctx, res);
      break;
    case 'revoke-user-delegation-keys':
      await revokeUserDelegation(ctx, res);
      break;
    default:
      await revokeByKey(ctx, res, sig);
  }
  // "still live" only on a check that says so: a check that could not be made is its own outcome
  if (res.outcome === 'action-required' && (res.after ?? res.before)?.status === 'unknown') res.outcome = 'unknown';
  return res;
}

/** --dry-run: what a run would do, said exactly and logged as planned; nothing is sent that changes anything. */
function plan(ctx: RevokeContext, res: RevokeResult, entry: Omit<Parameters<ActionLog['record']>[0], 'result'>, what: string): void {
  res.planned.push(what);
  ctx.log.record({ ...entry, result: 'planned', detail: what });
}

// ---------------------------------------------------------------- stored access policy

async function revokePolicy(ctx: RevokeContext, res: RevokeResult): Promise<void> {
  const g = ctx.grant;
  const policy = g.storedPolicy!;
  const container = g.resource?.container ?? null;
  const service = g.services[0] ?? 'blob';
  res.notes.push(`a service SAS bound to stored access policy "${policy}": deleting the policy revokes it (and every link bound to it) without touching the account key`);
  if (ctx.report) res.dependents = samePolicy(ctx.report, g);
  if (service !== 'blob' || !container) {
    const noun = service === 'file' ? 'share' : service;
    const name = g.resource?.share ?? g.resource?.queue ?? g.resource?.table ?? `<${noun}>`;
    res.commands.push({ comment: `delete stored access policy "${policy}" on ${noun} ${name}`, command: `az storage ${noun} policy delete --account-name ${g.account} --${noun}-name ${name} --name ${policy}` });
    res.cannot.push(`sasquatch manages stored access policies on blob containers only; run the az command above for this ${noun}`);
    return;
  }
  const now = ctx.now();
  const past = new Date(Math.floor(now.getTime() / 1000) * 1000 - 60_000);
  res.commands.push(az.deleteContainerPolicy(g.account!, container, policy), az.expireContainerPolicy(g.account!, container, policy, iso(new Date(past.getTime() - 60_000)), iso(past)));
  const key = sharedKeyFor(ctx, res);
  if (!key) return;
  if (isDead(res.before)) res.notes.push(`the link is already refused (${res.before!.reason}); the policy is removed anyway if it is still there`);
  const action = ctx.expire ? 'expire-stored-policy' : 'delete-stored-policy';
  const what = ctx.expire ? `set the expiry of stored access policy "${policy}" on container ${container} of ${g.account} to the past` : `delete stored access policy "${policy}" from container ${container} of ${g.account}`;
  const target = { account: g.account, container, policy, sigSha256: res.sigSha256 };
  notOnLinkHost(ctx, res);
  if (ctx.dryRun) return planPolicy(ctx, res, key, { action, what, target });
  if (!(await ctx.confirm(`${what}? Every link bound to it stops working`))) {
    ctx.log.record({ action, result: 'declined', ...target });
    res.outcome = 'declined';
    res.cannot.push(`not confirmed: the policy was left as it is`);
    return;
  }
  const client = (await managementService(ctx.guard, ctx.blobEndpoint!, key)).getContainerClient(container);
  try {
    const r = ctx.expire ? await expirePolicy(client, policy, now) : await deletePolicy(client, policy);
    if (!r.done) {
      ctx.log.record({ action, result: 'skipped', ...target, detail: r.reason });
      res.notes.push(`${r.reason}${r.existing.length ? ` (it has: ${r.existing.join(', ')})` : ''}`);
      if (isDead(res.before)) res.outcome = 'already-dead';
      else res.cannot.push('the policy is not there but the link still works: it may be signed for another container, or Azure has not applied an earlier change yet');
      return;
    }
    ctx.log.record({ action, result: 'done', ...target, detail: ctx.expire ? `expiry set to ${r.policy.expiry?.toISOString()}` : `policies left: ${r.remaining.join(', ') || 'none'}` });
    const had = `it granted ${r.policy.permissions ?? 'no permissions'}${ctx.expire ? '' : r.policy.expiry ? ` until ${iso(r.policy.expiry)}` : ', with no expiry of its own'}`;
    res.notes.push(ctx.expire ? `stored access policy "${policy}" (${had}) now expired on ${iso(r.policy.expiry!)}` : `deleted stored access policy "${policy}" (${had}; policies left on ${container}: ${r.remaining.join(', ') || 'none'})`);
  } catch (e) {
    const info = sdkErrorInfo(e);
    ctx.log.record({ action, result: 'failed', ...target, detail: info.message });
    res.outcome = 'failed';
    res.cannot.push(`Set Container ACL failed: ${[info.status ? `HTTP ${info.status}` : null, info.code, info.message].filter(Boolean).join(' ')}`);
    return;
  }
  await settle(ctx, res);
}

/** The policy change a run would make, read (Get Container ACL, a GET) but not written. */
async function planPolicy(ctx: RevokeContext, res: RevokeResult, key: StorageSharedKeyCredential, p: { action: string; what: string; target: { account: string | null; container: string; policy: string; sigSha256: string } }): Promise<void> {
  const container = ctx.grant.resource!.container!;
  const policy = ctx.grant.storedPolicy!;
  const how = `Get Container ACL, then Set Container ACL on ${ctx.blobEndpoint}/${container}?restype=container&comp=acl keeping the other policies and the public access level, signed with the key from ${ctx.credentials.keys[0]!.source}`;
  try {
    const client = (await managementService(ctx.guard, ctx.blobEndpoint!, key, { readOnly: true })).getContainerClient(container);
    const existing = await listPolicies(client);
    const found = existing.find((x) => x.id === policy);
    if (!found) {
      res.notes.push(`container ${container} has no stored access policy "${policy}" (it has: ${existing.map((x) => x.id).join(', ') || 'none'}): a run would change nothing`);
      if (isDead(res.before)) res.outcome = 'already-dead';
      return;
    }
    const grants = `it grants ${found.permissions ?? 'no permissions'}${found.expiry ? ` until ${iso(found.expiry)}` : ', with no expiry of its own'}`;
    plan(ctx, res, { action: p.action, ...p.target }, `${p.what} (${grants}; other policies kept: ${existing.filter((x) => x.id !== policy).map((x) => x.id).join(', ') || 'none'}) — ${how}`);
  } catch (e) {
    const info = sdkErrorInfo(e);
    res.notes.push(`could not read the container's policies (${[info.status ? `HTTP ${info.status}` : null, info.code, info.message].filter(Boolean).join(' ')})`);
    plan(ctx, res, { action: p.action, ...p.target }, `${p.what} — ${how}`);
  }
}

/** Says where management calls go when the leaked link names another host. */
function notOnLinkHost(ctx: RevokeContext, res: RevokeResult): void {
  const link = originOf(ctx.link);
  const managed = ctx.blobEndpoint ? originOf(ctx.blobEndpoint) : null;
  if (link && managed && link !== managed) {
    res.notes.push(`the link names ${link.replace(/^https?:\/\//, '')}, not the account's endpoint ${managed.replace(/^https?:\/\//, '')}: the key is used only with ${managed.replace(/^https?:\/\//, '')}`);
  }
}

/** Other links in the report bound to the same policy: they die with it. */
function samePolicy(findings: readonly Finding[], g: Grant): Dependent[] {
  return findings
    .filter((f) => f.grant?.storedPolicy === g.storedPolicy && f.grant?.account === g.account && f.grant?.resource?.container === g.resource?.container)
    .map((f) => ({ fingerprint: f.fingerprint, rule: f.rule, what: `service SAS (policy ${g.storedPolicy})`, location: `${f.location.path}:${f.location.line}`, use: 'rotating-key' as const, slot: null, how: 'bound to the same stored access policy', leaked: false }));
}

// ---------------------------------------------------------------- account key

async function revokeByKey(ctx: RevokeContext, res: RevokeResult, sig: string): Promise<void> {
  const g = ctx.grant;
  const account = g.account;
  res.notes.push(`an ${g.kind === 'account-sas' ? 'account' : g.kind === 'legacy-sas' ? 'legacy' : 'ad hoc service'} SAS: Azure keeps no record of it, so the only way to revoke it is to rotate the account key that signed it — which also breaks every other SAS and connection string using that key`);
  if (!account) {
    res.cannot.push('the link does not name its storage account, so neither the key nor the commands can be given');
    return;
  }
  const keys = [...ctx.credentials.keys];
  if (ctx.credentials.account && ctx.credentials.account !== account) {
    res.notes.push(`the keys given are for ${ctx.credentials.account}, not ${account}: not used`);
    keys.length = 0;
  }
  let client: ArmStorageClient | null = null;
  if (ctx.arm) {
    try {
      client = await ctx.arm();
      res.resourceGroup ??= await findResourceGroup(client, account);
      const fromArm = await armKeys(client, res.resourceGroup, account);
      checkDeclaredSlots(keys, fromArm, res);
      // bounded: an account's two keys
      keys.splice(0, keys.length, ...resolveSlots([...fromArm, ...keys.filter((k) => !fromArm.some((a) => a.key === k.key))]));
    } catch (e) {
      res.cannot.push(`Azure Resource Manager: ${armErrorMessage(e)}`);
      client = null;
    }
  }
  const parsed = signingInputOf(ctx.link, ctx.now());
  const id = 'error' in parsed ? null : identifySigningKey(parsed.input, sig, keys);
  res.identification = id;
  const t: az.AzTarget = { account, resourceGroup: res.resourceGroup };
  res.rotate = ctx.keyOverride ?? (id?.verdict === 'identified' && id.slot ? id.slot : null);
  if (ctx.keyOverride && id?.verdict === 'identified' && id.slot && id.slot !== ctx.keyOverride && ctx.keyOverride !== 'both') {
    res.notes.push(`--key ${ctx.keyOverride} overrides the identification: the link was signed with ${id.slot}, so rotating ${ctx.keyOverride} will NOT revoke it`);
  }
  // bounded: a few commands
  res.commands.push(...keyCommands(t, res, id));
  const rotates = rotatesPredicate(res.rotate, id, keys);
  if (ctx.report) res.dependents = dependents(ctx.report, account, keys, rotates, sig);
  for (const k of ctx.credentials.keys) {
    if (k.connectionString && rotates?.(k)) res.notes.push(`the connection string in ${k.source} uses the key that is to rotate: it stops working then — switch it to the other key first (az storage account show-connection-string --key …)`);
  }
  if (id?.verdict === 'no-match' && isDead(res.before)) {
    res.outcome = 'already-dead';
    res.rotate = null;
    res.notes.push('none of the current keys signed it and the service refuses it: the signing key was already rotated');
    // nothing to rotate; what stays useful is the prevention
    res.commands = res.commands.filter((c) => !/keys (renew|list)/.test(c.command));
    res.notes = res.notes.filter((n) => !/^to find out which key signed it|^or read it from the storage logs/.test(n));
    return;
  }
  if (!ctx.execute) {
    res.cannot.push(`rotating the key is not done without --execute: run the az commands above${ctx.arm ? '' : ', or re-run with --execute (Azure Resource Manager credentials and --subscription)'}`);
    return;
  }
  await executeRotation(ctx, res, client, t);
}

/** A key declared key1 by a flag but listed as key2 by ARM would rotate the wrong key: say so, trust ARM. */
/** Which candidate keys the rotation replaces; null when that is not known. */
function rotatesPredicate(rotate: KeySlot | 'both' | null, id: KeyIdentification | null, keys: readonly CandidateKey[]): ((k: CandidateKey) => boolean) | null {
  if (rotate === 'both') return () => true;
  const signing = id?.verdict === 'identified' ? id.keySha256 : null;
  const bySlot = rotate ? keys.find((k) => k.slot === rotate) : undefined;
  const sha = bySlot ? keySha256(bySlot.key) : rotate && id?.slot !== rotate ? null : signing;
  if (!rotate && !signing) return null;
  return (k) => (sha !== null && keySha256(k.key) === sha) || (rotate !== null && k.slot === rotate);
}

function checkDeclaredSlots(declared: readonly CandidateKey[], fromArm: readonly CandidateKey[], res: RevokeResult): void {
  for (const k of declared) {
    const twin = fromArm.find((a) => a.key === k.key);
    if (twin && k.slot && twin.slot !== k.slot) res.notes.push(`${k.source} was given as ${k.slot}, but Azure Resource Manager lists it as ${twin.slot}: using ${twin.slot}`);
  }
}

function keyCommands(t: az.AzTarget, res: RevokeResult, id: KeyIdentification | null): az.AzStep[] {
  const steps: az.AzStep[] = [];
  const lookup = az.resourceGroupLookup(t);
  if (lookup) steps.push(lookup);
  const other = (s: KeySlot): KeySlot => (s === 'key1' ? 'key2' : 'key1');
  if (res.rotate === 'both') {
    steps.push(az.renewKey(t, 'key1', 'rotate key1 (clients on key1 must move to key2 first)'), az.renewKey(t, 'key2', 'then rotate key2 (clients move back to the new key1 first)'));
  } else if (res.rotate) {
    steps.push(az.renewKey(t, res.rotate, `rotate ${res.rotate}, the key that signed the link — first move clients that use ${res.rotate} to ${other(res.rotate)} (az storage account keys list / show-connection-string --key ${az.AZ_KEY_NAME[other(res.rotate)]})`));
  } else {
    steps.push(az.listKeys(t));
    steps.push(
      az.renewKey(t, 'key1', `the signing key is not known (${id?.reason ?? 'not identified'}): rotate key1 …`),
      az.renewKey(t, 'key2', '… and key2 if the link still works afterwards (sasquatch verify "$LINK"); move clients between keys as you go'),
    );
  }
  steps.push(az.sasExpirationPolicy(t), az.disableSharedKey(t));
  // bounded: a few notes
  if (!res.rotate) res.notes.push(...howToIdentify(id));
  return steps;
}

function howToIdentify(id: KeyIdentification | null): string[] {
  if (id?.verdict === 'identified') return [];
  return [
    'to find out which key signed it: give both keys through environment variables (--account-key-env KEY1 --secondary-key-env KEY2, e.g. KEY1=$(az storage account keys list -g RG -n ACCOUNT --query "[0].value" -o tsv)), or let sasquatch list them through Azure Resource Manager (--arm --subscription ID)',
    'or read it from the storage logs: Azure Monitor rows for this link carry AuthenticationHash key1(…) or key2(…) — sasquatch logs <logs> --link "$LINK" reports it',
  ];
}

async function executeRotation(ctx: RevokeContext, res: RevokeResult, client: ArmStorageClient | null, t: az.AzTarget): Promise<void> {
  if (!client || !res.resourceGroup) {
    res.outcome = 'failed';
    res.cannot.push('--execute needs Azure Resource Manager: credentials DefaultAzureCredential can use (environment, managed identity or az login) and --subscription (or AZURE_SUBSCRIPTION_ID)');
    return;
  }
  if (!res.rotate) {
    res.outcome = 'failed';
    res.cannot.push('will not rotate a key blindly: the signing key is not identified — pass --key key1, key2 or both');
    return;
  }
  const slots: KeySlot[] = res.rotate === 'both' ? ['key1', 'key2'] : [res.rotate];
  const breaking = res.dependents?.filter((d) => d.use === 'rotating-key' && !d.leaked).length ?? null;
  if (ctx.dryRun) {
    for (const slot of slots) {
      const arm = `POST …/resourceGroups/${res.resourceGroup}/providers/Microsoft.Storage/storageAccounts/${t.account}/regenerateKey {"keyName":"${slot}"}`;
      plan(ctx, res, { action: 'regenerate-key', account: t.account, key: slot, sigSha256: res.sigSha256 }, `regenerate ${slot} of storage account ${t.account} (resource group ${res.resourceGroup}) through Azure Resource Manager: ${arm}${breaking ? ` — ${breaking} other credential${breaking === 1 ? '' : 's'} in the report stop working` : ''}`);
    }
    res.cannot = res.cannot.filter((c) => !c.startsWith('rotating the key is not done'));
    return;
  }
  for (const slot of slots) {
    const target = { account: t.account, key: slot, sigSha256: res.sigSha256 };
    const q = `regenerate ${slot} of storage account ${t.account} (resource group ${res.resourceGroup})? Every client using ${slot}${breaking ? ` — ${breaking} found in the report —` : ''} stops working`;
    if (!(await ctx.confirm(q))) {
      ctx.log.record({ action: 'regenerate-key', result: 'declined', ...target });
      res.outcome = 'declined';
      res.cannot.push(`not confirmed: ${slot} was not rotated`);
      return;
    }
    try {
      const r = await rotateKey(client, res.resourceGroup, t.account, slot);
      ctx.log.record({ action: 'regenerate-key', result: 'done', ...target, detail: `old key sha256 ${r.before ?? '?'} → new key sha256 ${r.after}` });
      res.notes.push(`regenerated ${slot} of ${t.account} through Azure Resource Manager`);
    } catch (e) {
      ctx.log.record({ action: 'regenerate-key', result: 'failed', ...target, detail: armErrorMessage(e) });
      res.outcome = 'failed';
      res.cannot.push(`regenerating ${slot} failed: ${armErrorMessage(e)}`);
      return;
    }
  }
  res.cannot = res.cannot.filter((c) => !c.startsWith('rotating the key is not done'));
  await settle(ctx, res);
}

// ---------------------------------------------------------------- user delegation

async function revokeUserDelegation(ctx: RevokeContext, res: RevokeResult): Promise<void> {
  const g = ctx.grant;
  const account = g.account;
  const ud = g.userDelegation;
  res.notes.push(
    `a user delegation SAS, signed with a key that Entra identity ${ud?.signerObjectId ?? '?'} (tenant ${ud?.signerTenantId ?? '?'}) obtained; rotating account keys does not touch it`,
    `it dies on its own when its key expires${g.keyExpiry ? ` (${g.keyExpiry})` : ''}; before that, revoking the account's user delegation keys kills it — and every other user delegation SAS on ${account ?? 'the account'} — or removing the signer's role does (both are cached by the service for a while)`,
  );
  if (!account) {
    res.cannot.push('the link does not name its storage account');
    return;
  }
  const t: az.AzTarget = { account, resourceGroup: res.resourceGroup };
  const lookup = az.resourceGroupLookup(t);
  if (lookup) res.commands.push(lookup);
  res.commands.push(az.revokeDelegationKeys(t));
  if (ud?.signerObjectId) res.commands.push(az.signerRoles(t, ud.signerObjectId));
  if (!ctx.execute) {
    res.cannot.push(`revoking user delegation keys is not done without --execute: run the az command above${ctx.arm ? '' : ', or re-run with --execute (Azure Resource Manager credentials and --subscription)'}`);
    return;
  }
  if (!ctx.arm) {
    res.outcome = 'failed';
    res.cannot.push('--execute needs Azure Resource Manager credentials and --subscription (or AZURE_SUBSCRIPTION_ID)');
    return;
  }
  const target = { account, sigSha256: res.sigSha256 };
  try {
    const client = await ctx.arm();
    res.resourceGroup ??= await findResourceGroup(client, account);
    if (ctx.dryRun) {
      const arm = `POST …/resourceGroups/${res.resourceGroup}/providers/Microsoft.Storage/storageAccounts/${account}/revokeUserDelegationKeys`;
      plan(ctx, res, { action: 'revoke-user-delegation-keys', ...target }, `revoke every user delegation key of ${account} (resource group ${res.resourceGroup}) through Azure Resource Manager: ${arm} — every user delegation SAS on the account stops working`);
      res.cannot = res.cannot.filter((c) => !c.startsWith('revoking user delegation keys is not done'));
      return;
    }
    if (!(await ctx.confirm(`revoke every user delegation key of ${account} (resource group ${res.resourceGroup})? Every user delegation SAS on the account stops working`))) {
      ctx.log.record({ action: 'revoke-user-delegation-keys', result: 'declined', ...target });
      res.outcome = 'declined';
      res.cannot.push('not confirmed: user delegation keys were not revoked');
      return;
    }
    await revokeUserDelegationKeys(client, res.resourceGroup, account);
    ctx.log.record({ action: 'revoke-user-delegation-keys', result: 'done', ...target });
    res.notes.push(`revoked the user delegation keys of ${account} through Azure Resource Manager`);
  } catch (e) {
    ctx.log.record({ action: 'revoke-user-delegation-keys', result: 'failed', ...target, detail: armErrorMessage(e) });
    res.outcome = 'failed';
    res.cannot.push(`revoking user delegation keys failed: ${armErrorMessage(e)}`);
    return;
  }
  res.cannot = res.cannot.filter((c) => !c.startsWith('revoking user delegation keys is not done'));
  await settle(ctx, res);
}

// ---------------------------------------------------------------- shared

function sharedKeyFor(ctx: RevokeContext, res: RevokeResult): StorageSharedKeyCredential | null {
  const g = ctx.grant;
  const key = ctx.credentials.keys[0];
  if (!key) {
    res.cannot.push('deleting a stored access policy needs the account key (Set Container ACL): name the environment variable holding it with --connection-string-env or --account-key-env, or run the az command above');
    return null;
  }
  if (ctx.credentials.account && ctx.credentials.account !== g.account) {
    res.cannot.push(`the credentials given are for account ${ctx.credentials.account}, but the link is for ${g.account}`);
    return null;
  }
  if (!ctx.blobEndpoint) {
    res.cannot.push(
      "the account's blob endpoint is not known: give a connection string that names it (--connection-string-env) or --endpoint https://<account>.blob.core.windows.net — a key is never sent to the host a leaked link names",
    );
    return null;
  }
  return new (azureSdk().StorageSharedKeyCredential)(g.account!, key.key);
}

async function check(ctx: RevokeContext, res: RevokeResult, when: 'before' | 'after'): Promise<Verification> {
  const v = await ctx.verify();
  ctx.log.record({ action: 'verify', result: 'done', account: ctx.grant.account, container: res.container, policy: res.policy, sigSha256: res.sigSha256, status: v.status, detail: `${when}: ${v.reason}` });
  return v;
}

/** After an action: check until the link is refused, or the wait is over. */
async function settle(ctx: RevokeContext, res: RevokeResult): Promise<void> {
  const sleep = ctx.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const deadline = Date.now() + ctx.waitMs;
  for (;;) {
    res.after = await check(ctx, res, 'after');
    if (isDead(res.after) || refusedSinceAction(res.before, res.after)) {
      res.outcome = 'revoked';
      return;
    }
    if (res.after.status !== 'live' && res.after.status !== 'ip-restricted') break;
    if (Date.now() + ctx.pollMs > deadline) break;
    await sleep(ctx.pollMs);
  }
  res.outcome = 'action-required';
  res.cannot.push(
    res.after.status === 'live'
      ? `the link still works ${Math.round(ctx.waitMs / 1000)} s after the change (Azure can take ~30 s for policies, longer for cached user delegation keys): check again with sasquatch verify "$LINK"`
      : `could not confirm that the link is dead: ${res.after.reason}`,
  );
}

/**
 * Accepted before the action, refused with 403 after it: the action killed it, even when the
 * classifier, seeing a start time within its clock-skew tolerance, calls it not yet valid.
 */
function refusedSinceAction(before: Verification | null, after: Verification): boolean {
  return before?.status === 'live' && after.source === 'live' && after.httpStatus === 403 && after.status === 'not-yet-valid';
}

function isDead(v: Verification | null): boolean {
  return v !== null && DEAD.has(v.status);
}

function nextSteps(g: Grant): string[] {
  const window = g.start ? ` --window ${g.start.slice(0, 10)}..` : '';
  return [
    `replace it: sasquatch mint --from "$LINK" --policy NAME (a read-only link on the same container, 1 hour, revocable by deleting the policy)`,
    `investigate: sasquatch logs <log files or $logs URL> --link "$LINK"${window} (who used it, from where, what they read, wrote or deleted)`,
  ];
}

function iso(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
