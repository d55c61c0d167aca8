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
import { fakeSig } from './tokens.js';

/**
 * A leaky storage account on a real Azurite: containers and blobs whose totals the tests
 * know exactly (including a .vhd, an id_rsa and a .pt), a stored access policy, and helpers
 * that mint account, service and policy-bound SAS tokens with the Azure SDK.
 */
export const ACCOUNT = 'leakyacct';
/** Production-style host name, resolved to 127.0.0.1 by the tests (--resolve). */
export const PROD_HOST = `${ACCOUNT}.blob.core.windows.net`;
/** Service version for minted tokens: one Azurite 3.35 accepts. */
export const SAS_VERSION = '2021-12-02';

export interface SeedBlob {
  container: string;
  name: string;
  bytes: number;
  /** Text content (otherwise `bytes` filler bytes). */
  text?: string;
}

export const SEED: SeedBlob[] = [
  { container: 'backups', name: 'workstation/disk0.vhd', bytes: 4096 },
  { container: 'backups', name: 'users/alice/.ssh/id_rsa', bytes: 0, text: '-----BEGIN OPENSSH PRIVATE KEY-----\nfixture, not a key\n-----END OPENSSH PRIVATE KEY-----\n' },
  { container: 'backups', name: 'users/alice/.ssh/id_rsa.pub', bytes: 0, text: 'ssh-ed25519 AAAAfixture alice@laptop\n' },
  { container: 'backups', name: 'notes.txt', bytes: 0, text: 'nothing to see\n' },
  { container: 'models', name: 'resnet50/checkpoint.pt', bytes: 2048 },
  { container: 'models', name: 'resnet50/README.md', bytes: 0, text: '# ResNet-50 weights\n' },
  { container: 'models', name: 'config/.env', bytes: 0, text: 'DB_PASSWORD=fixture\n' },
  {
    container: 'models',
    name: 'config/storage.json',
    bytes: 0,
    text: `{\n  "dataset": "https://otheracct.blob.core.windows.net/data/train.csv?sv=2021-08-06&sr=b&sp=r&se=2031-01-01T00:00:00Z&sig=${encodeURIComponent(fakeSig('content-scan'))}"\n}\n`,
  },
  { container: 'empty-container', name: '', bytes: 0 },
];

export function seedBytes(b: SeedBlob): Buffer {
  return b.text !== undefined ? Buffer.from(b.text, 'utf8') : Buffer.alloc(b.bytes, 0x5a);
}

/** Objects and bytes per container as uploaded (the oracle for exposure totals). */
export function seedTotals(seed: SeedBlob[] = SEED): Map<string, { objects: number; bytes: number }> {
  const out = new Map<string, { objects: number; bytes: number }>();
  for (const b of seed) {
    const t = out.get(b.container) ?? { objects: 0, bytes: 0 };
    if (b.name) {
      t.objects++;
      t.bytes += seedBytes(b).length;
    }
    out.set(b.container, t);
  }
  return out;
}

export interface LeakyAccount {
  azurite: AzuriteInstance;
  key: string;
  credential: StorageSharedKeyCredential;
  service: BlobServiceClient;
  /** http://127.0.0.1:<port>/leakyacct */
  pathStyleRoot: string;
  /** http://leakyacct.blob.core.windows.net:<port> (needs --resolve / a lookup override). */
  prodRoot: string;
  port: number;
  accountSas(p: { permissions: string; services?: string; resourceTypes?: string; expiresOn?: Date; startsOn?: Date }): string;
  containerSas(container: string, p: { permissions?: string; identifier?: string; expiresOn?: Date }): string;
  blobSas(container: string, blob: string, permissions: string): string;
  setPolicy(container: string, id: string, permissions: string): Promise<void>;
  deletePolicies(container: string): Promise<void>;
  stop(): Promise<void>;
}

export async function startLeakyAccount(seed: SeedBlob[] = SEED): Promise<LeakyAccount> {
  const key = randomAccountKey();
  const azurite = await startAzurite({ accounts: [{ name: ACCOUNT, keys: [key] }] });
  try {
    const credential = new StorageSharedKeyCredential(ACCOUNT, key);
    const service = new BlobServiceClient(azurite.accountUrl('blob'), credential);
    for (const name of [...new Set(seed.map((b) => b.container))]) await service.getContainerClient(name).create();
    for (const b of seed) {
      if (!b.name) continue;
      const data = seedBytes(b);
      await service.getContainerClient(b.container).getBlockBlobClient(b.name).upload(data, data.length);
    }
    const port = azurite.ports.blob!;
    const hour = () => new Date(Date.now() + 3600_000);
    return {
      azurite,
      key,
      credential,
      service,
      port,
      pathStyleRoot: azurite.accountUrl('blob'),
      prodRoot: `http://${PROD_HOST}:${port}`,
      accountSas: (p) =>
        generateAccountSASQueryParameters(
          {
            permissions: AccountSASPermissions.parse(p.permissions),
            services: AccountSASServices.parse(p.services ?? 'b').toString(),
            resourceTypes: AccountSASResourceTypes.parse(p.resourceTypes ?? 'sco').toString(),
            expiresOn: p.expiresOn ?? hour(),
            startsOn: p.startsOn,
            version: SAS_VERSION,
          },
          credential,
        ).toString(),
      containerSas: (container, p) =>
        generateBlobSASQueryParameters(
          {
            containerName: container,
            permissions: p.permissions ? ContainerSASPermissions.parse(p.permissions) : undefined,
            identifier: p.identifier,
            expiresOn: p.identifier ? p.expiresOn : (p.expiresOn ?? hour()),
            version: SAS_VERSION,
          },
          credential,
        ).toString(),
      blobSas: (container, blob, permissions) =>
        generateBlobSASQueryParameters({ containerName: container, blobName: blob, permissions: ContainerSASPermissions.parse(permissions), expiresOn: hour(), version: SAS_VERSION }, credential).toString(),
      setPolicy: async (container, id, permissions) => {
        await service.getContainerClient(container).setAccessPolicy(undefined, [{ id, accessPolicy: { permissions, startsOn: new Date(Date.now() - 60_000), expiresOn: hour() } }]);
      },
      deletePolicies: async (container) => {
        await service.getContainerClient(container).setAccessPolicy(undefined, []);
      },
      stop: () => azurite.stop(),
    };
  } catch (e) {
    await azurite.stop();
    throw e;
  }
}
