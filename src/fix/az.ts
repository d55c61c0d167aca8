import type { KeySlot } from './identify.js';

/**
 * Exact `az` CLI commands for one account. The resource group is given (--resource-group, or
 * found through Azure Resource Manager) or looked up by the first command into $RG. Names
 * that cannot need quoting (accounts, containers, policy ids) are written as they are; the
 * resource group is single-quoted. az reads data-plane keys from AZURE_STORAGE_KEY or
 * AZURE_STORAGE_CONNECTION_STRING, so no key is ever written into a command.
 */
export interface AzTarget {
  account: string;
  resourceGroup: string | null;
}

export interface AzStep {
  /** What the command does and why, printed as a `#` comment above it. */
  comment: string;
  command: string;
}

/** `--key primary` regenerates key1, `--key secondary` key2 (az's names for them). */
export const AZ_KEY_NAME: Record<KeySlot, 'primary' | 'secondary'> = { key1: 'primary', key2: 'secondary' };

function rg(t: AzTarget): string {
  return t.resourceGroup ? `'${t.resourceGroup.replace(/'/g, `'\\''`)}'` : '"$RG"';
}

/** The lookup that sets $RG, when the resource group is not known. */
export function resourceGroupLookup(t: AzTarget): AzStep | null {
  if (t.resourceGroup) return null;
  return { comment: `find the resource group of ${t.account}`, command: `RG=$(az storage account list --query "[?name=='${t.account}'].resourceGroup | [0]" -o tsv)` };
}

export function listKeys(t: AzTarget): AzStep {
  return { comment: 'when each key was last rotated (creation time) — not the key values', command: `az storage account keys list --resource-group ${rg(t)} --account-name ${t.account} --query "[].{key:keyName, created:creationTime}" -o table` };
}

export function renewKey(t: AzTarget, slot: KeySlot, why: string): AzStep {
  return { comment: why, command: `az storage account keys renew --resource-group ${rg(t)} --account-name ${t.account} --key ${AZ_KEY_NAME[slot]}` };
}

export function disableSharedKey(t: AzTarget): AzStep {
  return {
    comment: 'optional, strongest: refuse every key-signed SAS and Shared Key request at once (only Entra ID and user delegation SAS keep working)',
    command: `az storage account update --resource-group ${rg(t)} --name ${t.account} --allow-shared-key-access false`,
  };
}

export function sasExpirationPolicy(t: AzTarget, period = '0.01:00:00'): AzStep {
  return {
    comment: `block key-signed SAS valid for longer than ${period} (DD.HH:MM:SS) from now on`,
    command: `az storage account update --resource-group ${rg(t)} --name ${t.account} --sas-expiration-period ${period} --sas-expiration-action Block`,
  };
}

export function revokeDelegationKeys(t: AzTarget): AzStep {
  return {
    comment: `revoke every user delegation key of ${t.account}: every user delegation SAS on the account stops working`,
    command: `az storage account revoke-delegation-keys --resource-group ${rg(t)} --name ${t.account}`,
  };
}

export function signerRoles(t: AzTarget, objectId: string): AzStep {
  return { comment: `or remove the signer's data role instead: its role assignments on ${t.account}`, command: `az role assignment list --assignee ${objectId} --all --query "[?contains(scope, '/storageAccounts/${t.account}')]" -o table` };
}

export function deleteContainerPolicy(account: string, container: string, policy: string): AzStep {
  return { comment: `delete stored access policy "${policy}": every link bound to it stops working (Azure: within about 30 seconds)`, command: `az storage container policy delete --account-name ${account} --container-name ${container} --name ${policy}` };
}

export function expireContainerPolicy(account: string, container: string, policy: string, start: string, expiry: string): AzStep {
  return {
    comment: `or keep the policy for the record and move its expiry into the past`,
    command: `az storage container policy update --account-name ${account} --container-name ${container} --name ${policy} --start ${start} --expiry ${expiry}`,
  };
}

/** The steps as a shell script: each command under its comment. */
export function renderSteps(steps: readonly AzStep[]): string[] {
  return steps.flatMap((s) => [`# ${s.comment}`, s.command]);
}
