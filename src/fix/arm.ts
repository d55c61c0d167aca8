import type { StorageManagementClient } from '@azure/arm-storage';
import type { CandidateKey, KeySlot } from './identify.js';
import { keySha256 } from './identify.js';

/**
 * The management plane (Azure Resource Manager) for `revoke --execute`: find the account's
 * resource group, list its keys (to tell which one signed a leaked link), regenerate one, or
 * revoke every user delegation key. Credentials come from DefaultAzureCredential
 * (environment, workload or managed identity, az login). The client is an interface so tests
 * can inject a fake: there is no ARM emulator to integration-test against.
 */
export interface ArmKey {
  keyName?: string;
  value?: string;
  creationTime?: Date;
}

export interface ArmStorageClient {
  storageAccounts: {
    list(): AsyncIterable<{ name?: string; id?: string }>;
    listKeys(resourceGroup: string, account: string): Promise<{ keys?: readonly ArmKey[] }>;
    regenerateKey(resourceGroup: string, account: string, parameters: { keyName: string }): Promise<{ keys?: readonly ArmKey[] }>;
    revokeUserDelegationKeys(resourceGroup: string, account: string): Promise<void>;
  };
}

export class ArmError extends Error {}

/** Compile-time proof that the real management client fits the interface the fakes implement. */
export function asArmStorageClient(client: StorageManagementClient): ArmStorageClient {
  return client;
}

/** Loaded on demand: the management SDK is large and only `revoke --execute` needs it. */
export async function armClient(subscriptionId: string): Promise<ArmStorageClient> {
  const [{ DefaultAzureCredential }, { StorageManagementClient }] = await Promise.all([import('@azure/identity'), import('@azure/arm-storage')]);
  return asArmStorageClient(new StorageManagementClient(new DefaultAzureCredential(), subscriptionId));
}

/** The resource group from the account's ARM id (`/subscriptions/…/resourceGroups/<rg>/providers/…`). */
export async function findResourceGroup(client: ArmStorageClient, account: string): Promise<string> {
  for await (const a of client.storageAccounts.list()) {
    if (a.name?.toLowerCase() !== account.toLowerCase()) continue;
    const rg = /\/resourceGroups\/([^/]+)\//i.exec(a.id ?? '')?.[1];
    if (rg) return rg;
  }
  throw new ArmError(`storage account ${account} is not in this subscription (or the credential cannot see it)`);
}

/** key1 and key2 as ARM lists them: their slots are authoritative. */
export async function armKeys(client: ArmStorageClient, resourceGroup: string, account: string): Promise<CandidateKey[]> {
  const r = await client.storageAccounts.listKeys(resourceGroup, account);
  return (r.keys ?? [])
    .filter((k): k is ArmKey & { keyName: string; value: string } => Boolean(k.value && k.keyName && /^key[12]$/i.test(k.keyName)))
    .map((k) => ({ slot: k.keyName.toLowerCase() as KeySlot, key: k.value, source: `ARM listKeys (${k.keyName.toLowerCase()}${k.creationTime ? `, created ${k.creationTime.toISOString()}` : ''})` }));
}

/** Regenerates one key; returns the SHA-256 of the old and the new key (never the keys). */
export async function rotateKey(client: ArmStorageClient, resourceGroup: string, account: string, slot: KeySlot): Promise<{ before: string | null; after: string }> {
  const before = (await armKeys(client, resourceGroup, account)).find((k) => k.slot === slot);
  const r = await client.storageAccounts.regenerateKey(resourceGroup, account, { keyName: slot });
  const fresh = (r.keys ?? []).find((k) => k.keyName?.toLowerCase() === slot && k.value);
  if (!fresh?.value) throw new ArmError(`regenerateKey returned no ${slot}`);
  if (before && fresh.value === before.key) throw new ArmError(`${slot} did not change`);
  return { before: before ? keySha256(before.key) : null, after: keySha256(fresh.value) };
}

export async function revokeUserDelegationKeys(client: ArmStorageClient, resourceGroup: string, account: string): Promise<void> {
  await client.storageAccounts.revokeUserDelegationKeys(resourceGroup, account);
}

/** Status and message of an ARM error, without request details. */
export function armErrorMessage(e: unknown): string {
  const err = e as { statusCode?: number; code?: string; message?: string };
  return [err.statusCode ? `HTTP ${err.statusCode}` : null, err.code ?? null, (err.message ?? String(e)).split('\n')[0]].filter(Boolean).join(' ');
}
