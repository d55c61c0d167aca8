import { parseConnectionString } from '../analyze/sas/connection-string.js';
import type { CandidateKey } from './identify.js';
import { resolveSlots } from './identify.js';
import { blobRootOf } from './storage.js';

/**
 * Account keys for mint and revoke come from environment variables the user names with
 * flags, never from the command line (which ends up in shell history and process lists):
 *   --connection-string-env VAR   a connection string (AccountName + AccountKey, endpoints)
 *   --account-key-env VAR         the primary key (key1) of the account
 *   --secondary-key-env VAR       the secondary key (key2)
 * Without flags, AZURE_STORAGE_CONNECTION_STRING is used when set (as the az CLI does), and
 * said so. A connection string does not say whether its key is key1 or key2: that is known
 * only when it equals a key given with its slot, or from Azure Resource Manager.
 */
export interface KeyFlags {
  connectionStringEnv?: string;
  accountKeyEnv?: string;
  secondaryKeyEnv?: string;
}

export interface FixCredentials {
  /** Account named by the connection string (null if only bare keys were given). */
  account: string | null;
  keys: CandidateKey[];
  /** Blob endpoint (account root) from the connection string, if it gives one. */
  blobEndpoint: string | null;
  /** Where each piece came from, for the report (variable names, never values). */
  sources: string[];
}

export const DEFAULT_CONNECTION_STRING_ENV = 'AZURE_STORAGE_CONNECTION_STRING';
const EMULATOR_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export class CredentialError extends Error {}

export function readCredentials(flags: KeyFlags, env: NodeJS.ProcessEnv = process.env): FixCredentials {
  const out: FixCredentials = { account: null, keys: [], blobEndpoint: null, sources: [] };
  const explicit = Boolean(flags.connectionStringEnv || flags.accountKeyEnv || flags.secondaryKeyEnv);
  const csVar = flags.connectionStringEnv ?? (!explicit && env[DEFAULT_CONNECTION_STRING_ENV] ? DEFAULT_CONNECTION_STRING_ENV : undefined);
  if (csVar) readConnectionString(csVar, required(env, csVar, '--connection-string-env'), out);
  if (flags.accountKeyEnv) addKey(out, required(env, flags.accountKeyEnv, '--account-key-env'), 'key1', flags.accountKeyEnv);
  if (flags.secondaryKeyEnv) addKey(out, required(env, flags.secondaryKeyEnv, '--secondary-key-env'), 'key2', flags.secondaryKeyEnv);
  out.keys = resolveSlots(out.keys);
  return out;
}

function required(env: NodeJS.ProcessEnv, name: string, flag: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
    // not echoed: it may be the secret itself, pasted where the variable's name belongs
    throw new CredentialError(`${flag} takes the name of an environment variable, and what was given is not an environment variable name (pass the variable's name, never the secret itself)`);
  }
  const v = env[name]?.trim();
  if (!v) throw new CredentialError(`environment variable ${name} is not set or empty`);
  return v;
}

function readConnectionString(name: string, text: string, out: FixCredentials): void {
  const pairs = parseConnectionString(text).pairs;
  if (/^true$/i.test(pairs.get('UseDevelopmentStorage') ?? '')) {
    out.account = 'devstoreaccount1';
    out.blobEndpoint = 'http://127.0.0.1:10000/devstoreaccount1';
    addKey(out, EMULATOR_KEY, null, `$${name}`);
    out.sources.push(`$${name} (UseDevelopmentStorage=true)`);
    return;
  }
  const key = pairs.get('AccountKey');
  const blob = pairs.get('BlobEndpoint');
  const root = blob ? blobRootOf(blob.replace(/\/+$/, '')) : null;
  out.account = pairs.get('AccountName') ?? root?.account ?? null;
  if (!out.account) throw new CredentialError(`the connection string in ${name} names no account (AccountName or BlobEndpoint)`);
  if (!key) {
    throw new CredentialError(`the connection string in ${name} has no AccountKey${pairs.has('SharedAccessSignature') ? ' (a SAS connection string cannot sign links or manage stored access policies)' : ''}`);
  }
  if (root) out.blobEndpoint = root.root;
  else {
    const protocol = (pairs.get('DefaultEndpointsProtocol') ?? 'https').toLowerCase() === 'http' ? 'http' : 'https';
    out.blobEndpoint = `${protocol}://${out.account}.blob.${pairs.get('EndpointSuffix') || 'core.windows.net'}`;
  }
  addKey(out, key, null, `$${name}`, true);
  out.sources.push(`$${name}`);
}

function addKey(out: FixCredentials, key: string, slot: CandidateKey['slot'], source: string, connectionString = false): void {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(key) || Buffer.from(key, 'base64').length < 16) {
    throw new CredentialError(`${source.replace(/^\$/, '')} does not hold a Base64 account key`);
  }
  out.keys.push({ slot, key, source: source.startsWith('$') ? source : `$${source}`, ...(connectionString ? { connectionString: true } : {}) });
  if (!source.startsWith('$')) out.sources.push(`$${source} (${slot})`);
}
