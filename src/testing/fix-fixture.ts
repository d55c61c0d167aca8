import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  AccountSASPermissions,
  AccountSASResourceTypes,
  AccountSASServices,
  BlobServiceClient,
  ContainerSASPermissions,
  generateAccountSASQueryParameters,
  generateBlobSASQueryParameters,
  StorageSharedKeyCredential,
} from '@azure/storage-blob';
import { randomAccountKey, startAzurite, type AzuriteInstance } from './azurite.js';

/**
 * An account with two keys on a real Azurite, kept on disk so the emulator can be restarted
 * with other keys (key rotation, shared/reference §9.5). The CLI is pointed at the
 * production-style host name (resolved to loopback with --resolve), the SDK at the path-style
 * URL; a SAS works on both (the host is not signed).
 */
export const FIX_ACCOUNT = 'leakyacct';
export const FIX_HOST = `${FIX_ACCOUNT}.blob.core.windows.net`;
export const FIX_VERSION = '2021-12-02';

export interface FixAccount {
  keys: string[];
  azurite: AzuriteInstance;
  /** http://leakyacct.blob.core.windows.net:<port> */
  prodRoot: string;
  /** http://127.0.0.1:<port>/leakyacct */
  pathRoot: string;
  /** CLI network flags: loopback allowed, the production host name mapped to it. */
  net: string[];
  /** Environment for the CLI: CONN (connection string with key1), KEY1, KEY2. */
  env(): NodeJS.ProcessEnv;
  service(keyIndex?: number): BlobServiceClient;
  accountSas(keyIndex: number, permissions: string, services?: string): string;
  containerSas(keyIndex: number, container: string, permissions: string): string;
  /** Restarts the emulator on the same data with these keys (the old ones stop working). */
  restart(keys: string[]): Promise<void>;
  stop(): Promise<void>;
}

export async function startFixAccount(containers: Record<string, Record<string, string>>): Promise<FixAccount> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sasquatch-fix-'));
  let keys = [randomAccountKey(), randomAccountKey()];
  let azurite = await startAzurite({ accounts: [{ name: FIX_ACCOUNT, keys }], location: dir, services: ['blob'] });
  const roots = () => ({ prodRoot: `http://${FIX_HOST}:${azurite.ports.blob}`, pathRoot: azurite.accountUrl('blob') });
  const service = (i = 0) => new BlobServiceClient(roots().pathRoot, new StorageSharedKeyCredential(FIX_ACCOUNT, keys[i]!));
  for (const [name, blobs] of Object.entries(containers)) {
    const c = service().getContainerClient(name);
    await c.create();
    for (const [blob, text] of Object.entries(blobs)) await c.getBlockBlobClient(blob).upload(text, Buffer.byteLength(text));
  }
  const hour = () => new Date(Date.now() + 3600_000);
  const acct: FixAccount = {
    get keys() {
      return keys;
    },
    get azurite() {
      return azurite;
    },
    get prodRoot() {
      return roots().prodRoot;
    },
    get pathRoot() {
      return roots().pathRoot;
    },
    get net() {
      return ['--allow-private-hosts', '--resolve', `${FIX_HOST}:127.0.0.1`];
    },
    env: () => ({
      CONN: `DefaultEndpointsProtocol=http;AccountName=${FIX_ACCOUNT};AccountKey=${keys[0]};BlobEndpoint=${roots().prodRoot};`,
      KEY1: keys[0],
      KEY2: keys[1],
      AZURE_STORAGE_CONNECTION_STRING: '',
    }),
    service,
    accountSas: (i, permissions, services = 'b') =>
      generateAccountSASQueryParameters(
        {
          permissions: AccountSASPermissions.parse(permissions),
          services: AccountSASServices.parse(services).toString(),
          resourceTypes: AccountSASResourceTypes.parse('sco').toString(),
          startsOn: new Date(Date.now() - 86400_000),
          expiresOn: new Date(Date.now() + 30 * 365 * 86400_000),
          version: FIX_VERSION,
        },
        new StorageSharedKeyCredential(FIX_ACCOUNT, keys[i]!),
      ).toString(),
    containerSas: (i, container, permissions) =>
      generateBlobSASQueryParameters({ containerName: container, permissions: ContainerSASPermissions.parse(permissions), expiresOn: hour(), version: FIX_VERSION }, new StorageSharedKeyCredential(FIX_ACCOUNT, keys[i]!)).toString(),
    restart: async (next) => {
      await azurite.stop();
      keys = next;
      azurite = await startAzurite({ accounts: [{ name: FIX_ACCOUNT, keys }], location: dir, services: ['blob'] });
    },
    stop: async () => {
      await azurite.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return acct;
}
