/**
 * What a leaked link or key lets its holder do. One shape for every provider so that
 * reports, policy and verification can treat an Azure SAS and an S3 presigned URL alike.
 * Field names are part of the JSON report contract (schemaVersion 1): add, never rename.
 */
export type Provider = 'azure' | 'aws' | 'gcp';

export type RevocationMethod =
  | 'rotate-account-key'
  | 'delete-stored-policy'
  | 'revoke-user-delegation-keys'
  | 'deactivate-access-key'
  | 'delete-service-account-key'
  | 'deactivate-hmac-key'
  | 'wait-for-expiry'
  | 'revoke-token'
  | 'unknown';

export interface GrantResource {
  /** The URL the link was found with, without its query string. */
  url?: string | null;
  host?: string | null;
  container?: string | null;
  path?: string | null;
  share?: string | null;
  queue?: string | null;
  table?: string | null;
  bucket?: string | null;
  object?: string | null;
  key?: string | null;
}

export interface InvalidPermission {
  letter: string;
  reason: string;
}

export interface UserDelegationKey {
  signerObjectId: string | null;
  signerTenantId: string | null;
  keyStart: string | null;
  keyExpiry: string | null;
  keyService: string | null;
  keyVersion: string | null;
  authorizedObjectId: string | null;
  unauthorizedObjectId: string | null;
  correlationId: string | null;
  delegatedUserObjectId: string | null;
}

/** Where an Azure host sits: which service label and which cloud. */
export interface EndpointInfo {
  host: string | null;
  /** blob | dfs | file | queue | table | web, from the host name; null for custom domains. */
  service: string | null;
  /** public | china | usgov | germany | azurestack | emulator | custom */
  cloud: string;
  secondary: boolean;
}

/**
 * Where a grant's account name comes from: the link's host (`url`), the credential itself (a
 * connection string's `AccountName`, an SDK call that pairs name and key: `credential`), or
 * text near the credential in the same file (`inferred`, see `accountLine`).
 */
export type AccountSource = 'url' | 'credential' | 'inferred';

export interface Grant {
  provider: Provider;
  kind: string;
  account: string | null;
  /** Where `account` was read (absent or null when there is no account). */
  accountSource?: AccountSource | null;
  /** For an inferred account: the 1-based line of the file it was read from, when known. */
  accountLine?: number | null;
  services: string[];
  resourceTypes?: string[];
  resource: GrantResource | null;
  /** What the holder can reach: account, container, directory, object, share, queue, table, bucket, project… */
  scope: string;
  permissions: string[] | null;
  /** The raw permission letters or method, as written in the link. */
  permissionLetters?: string | null;
  unknownPermissions?: string[];
  invalidPermissions?: InvalidPermission[];
  start: string | null;
  expiry: string | null;
  /** Length of validity (expiry − start) in seconds; null when either end is unknown. */
  lifetimeSeconds: number | null;
  expired: boolean | null;
  notYetValid?: boolean | null;
  protocols: string[] | null;
  ipRange: string | null;
  version?: string | null;
  encryptionScope?: string | null;
  storedPolicy: string | null;
  revocation: RevocationMethod;
  /** One sentence on how to kill it. */
  revocationHint: string;
  endpoint?: EndpointInfo;
  userDelegation?: UserDelegationKey;
  /** Key expiry of a user delegation SAS, flat for convenience: the link dies then whatever `se` says. */
  keyExpiry?: string | null;
  emulator?: boolean;
  /** Things the parser noticed that a reviewer should know (hand edits, unknown letters, …). */
  notes: string[];
  /** Provider-specific facts that do not fit the common fields. */
  details?: Record<string, unknown>;
}
