import type { Grant } from '../../model/grant.js';
import { credential, example, keyGrant } from '../credential.js';
import { looksLikePlaceholder, shannonEntropy } from '../placeholder.js';
import { redactFields, redactValue } from '../redact.js';
import { parseConnectionString, ENDPOINT_KEYS } from '../sas/connection-string.js';
import { parseAzureUrl } from '../sas/endpoint.js';
import { docSampleValue } from '../doc-samples.js';
import type { Analysis, AnalysisContext, MatchInput } from '../types.js';
import { checkIdentifiable } from './identifiable.js';
import { nearbyAccount, type NearbyAccount } from './nearby-account.js';

/**
 * Azure Storage account keys, bare or in connection strings. Severity:
 * - the emulator (Azurite) account `devstoreaccount1`, its published key, or
 *   `UseDevelopmentStorage=true` → info (published by Microsoft; not a secret);
 * - placeholders (`AccountKey=<key>`, `${KEY}`, `***`) → info (example);
 * - a real-looking key with its account name → critical: full control of every container,
 *   share, queue and table of the account, can mint any SAS, never expires;
 * - a real-looking key whose account is not named nearby → high (the name is usually
 *   elsewhere in the same configuration);
 * - a key that is not a well-formed 64-byte key (truncated, edited) → info.
 */
export const EMULATOR_ACCOUNT = 'devstoreaccount1';
export const EMULATOR_KEY = docSampleValue('azurite-account-key');
/** Keys published in Azurite's source (its user delegation key base): as public as the account key. */
const AZURITE_PUBLIC_KEYS = new Set([EMULATOR_KEY, 'I17GKLvcJUossaebtsEDZZ2RJ8GNLwLH4m7hRMxbVbkx6wNIRAABj4Rtw0FBhFuEAgmbL4gFMzUw+AStz9Sqdg==']);

const KEY_SHAPE = /^[A-Za-z0-9+/]{85}[AQgw]==$/;
const RULE_CS = 'azure-storage-connection-string';
const RULE_KEY = 'azure-storage-account-key';

export type KeyVerdict = 'real' | 'emulator' | 'placeholder' | 'malformed';

export function judgeAccountKey(key: string): KeyVerdict {
  if (AZURITE_PUBLIC_KEYS.has(key)) return 'emulator';
  if (looksLikePlaceholder(key)) return 'placeholder';
  if (!KEY_SHAPE.test(key)) return /^[A-Za-z0-9+/]{40,}={0,2}$/.test(key) ? 'malformed' : 'placeholder';
  return shannonEntropy(key) >= 4.5 ? 'real' : 'placeholder';
}

export function analyzeConnectionString(match: MatchInput, _ctx: AnalysisContext): Analysis | null {
  const cs = parseConnectionString(match.text);
  const pairs = cs.pairs;
  if (/documents\.azure\.com|AccountEndpoint=/i.test(match.text)) return null; // Cosmos DB, not Storage
  const account = pairs.get('AccountName') ?? null;
  const dev = /^true$/i.test(pairs.get('UseDevelopmentStorage') ?? '');
  const key = (pairs.get('AccountKey') ?? '').replace(/^["']|["']$/g, '');
  const redacted = redactFields(match.text, ['AccountKey'], (v) => redactValue(v.replace(/^["']|["']$/g, '')));
  if (dev || account === EMULATOR_ACCOUNT || AZURITE_PUBLIC_KEYS.has(key)) {
    return emulatorFinding(RULE_CS, key || 'UseDevelopmentStorage=true', match.text, redacted, dev ? 'UseDevelopmentStorage=true' : 'emulator account devstoreaccount1');
  }
  if (!key) return null;
  const verdict = judgeAccountKey(key);
  if (verdict === 'placeholder') return example(RULE_CS, key, 'placeholder account key: a documentation example', { raw: match.text, redacted });
  const endpoints = ENDPOINT_KEYS.map((k) => pairs.get(k)).filter((v): v is string => Boolean(v));
  const suffix = pairs.get('EndpointSuffix') ?? (endpoints.length ? suffixOf(endpoints) : 'core.windows.net');
  const services = endpoints.length
    ? [...new Set(endpoints.map((e) => parseAzureUrl(e)?.endpoint.service).filter((s): s is string => Boolean(s)).map((s) => (s === 'dfs' ? 'blob' : s)))]
    : ['blob', 'file', 'queue', 'table'];
  const accountName = account ?? endpoints.map((e) => parseAzureUrl(e)?.account).find(Boolean) ?? null;
  const protocol = (pairs.get('DefaultEndpointsProtocol') ?? 'https').toLowerCase();
  const details: Record<string, unknown> = { endpointSuffix: suffix, protocol, endpoints, ...identifiableDetails(key) };
  const grant = storageKeyGrant('azure-connection-string', accountName, services, details);
  grant.protocols = [protocol];
  if (protocol === 'http') grant.notes.push('DefaultEndpointsProtocol=http: the SDKs send requests, and the key-signed headers, over plain HTTP');
  if (verdict === 'malformed') {
    return { ...credential({ rule: RULE_CS, severity: 'info', reasons: ['AccountKey is not a well-formed 64-byte key (truncated or edited)'], secret: key, raw: match.text, redacted, grant }), material: undefined };
  }
  return credential({
    rule: RULE_CS,
    title: 'Azure Storage connection string with account key',
    severity: accountName ? 'critical' : 'high',
    reasons: keyReasons(accountName, services, suffix, protocol),
    secret: key,
    raw: match.text,
    redacted,
    grant,
    explanation: explain(accountName, services, suffix),
    remediation: remediation(accountName),
    material: { connectionString: match.text, accountKey: key, ...(accountName ? { accountName } : {}) },
  });
}

export function analyzeAccountKey(match: MatchInput, _ctx: AnalysisContext): Analysis | null {
  const plain = match.groups['namedKey'];
  const key = match.groups['secret'] ?? match.groups['ident'] ?? match.groups['sdkKey'] ?? match.groups['cliKey'] ?? plain;
  if (!key) return null;
  const ident = checkIdentifiable(key);
  const proven = Boolean(ident && ident.kind.signature === '+ASt' && ident.checksumValid);
  // an identifiable key found without a label must prove itself by its checksum
  if (match.groups['ident'] && !proven) return null;
  const before = match.context?.before ?? '';
  // Cosmos DB connection strings also say AccountKey=; their endpoint gives them away
  if (/AccountEndpoint=[^;\s]*;?\s*$|documents\.azure\.(?:com|cn|us)[^\n]*$/i.test(before)) return null;
  const verdict = judgeAccountKey(key);
  const sdkAccount = match.groups['sdkAccount'] ?? null;
  const near = sdkAccount ? null : (nearbyAccount(match.context, { emulator: false }) ?? (plain !== undefined ? siblingAccount(match.context) : null));
  const account = sdkAccount ?? near?.name ?? null;
  if (verdict === 'emulator' || account === EMULATOR_ACCOUNT) return emulatorFinding(RULE_KEY, key, key, `${key.slice(0, 4)}…`, 'the published emulator key');
  // a value named only `key` is an account key only with the format exactly and an account beside it
  const byFormatAndAccount = plain !== undefined && !proven;
  if (byFormatAndAccount && (verdict !== 'real' || !account)) return null;
  if (verdict === 'placeholder') return example(RULE_KEY, key, 'placeholder account key: a documentation example');
  if (verdict === 'malformed') return null;
  const host = /https?:\/\/([a-z0-9]{3,24})\.(?:blob|dfs|file|queue|table)\.([a-z0-9.-]+)/i.exec(`${match.context?.before ?? ''} ${match.context?.after ?? ''}`);
  const endpointSuffix = host && (!account || host[1]!.toLowerCase() === account) ? host[2]!.toLowerCase().replace(/\.$/, '') : null;
  const details: Record<string, unknown> = { accountNameSource: account ? 'nearby' : null, endpointSuffix, ...identifiableDetails(key) };
  const grant = storageKeyGrant('azure-account-key', account, ['blob', 'file', 'queue', 'table'], details);
  if (sdkAccount) grant.accountSource = 'credential';
  else if (near) {
    grant.accountSource = 'inferred';
    grant.accountLine = match.line !== undefined ? match.line + near.lines : null;
  }
  const reasons = account ? keyReasons(account, grant.services, null, 'https') : ['storage account key (64 bytes): full control of its account once paired with the account name', 'the account name was not found nearby; it is usually elsewhere in the same configuration'];
  if (byFormatAndAccount) reasons.push(`named only "key": taken for an account key by its exact format and the account ${account} beside it`);
  const analysis = credential({
    rule: RULE_KEY,
    title: 'Azure Storage account key',
    severity: account ? 'critical' : 'high',
    reasons,
    secret: key,
    grant,
    explanation: explain(account, grant.services, null),
    remediation: remediation(account),
    material: { accountKey: key, ...(account ? { accountName: account } : {}) },
  });
  // only an identifiable key's checksum proves the format; a key taken by its name earns the name's confidence
  analysis.confidence = proven ? 'high' : byFormatAndAccount ? 'low' : 'medium';
  return analysis;
}

/** `{"name": "acct", "key": "…"}`: the account an object names beside a plain `key` (same object, a few lines). */
function siblingAccount(context: MatchInput['context']): NearbyAccount | null {
  const sibling = /(?<![A-Za-z0-9_])["']?(?:name|account)["']?\s*[:=]\s*["']?([a-z0-9]{3,24})(?![A-Za-z0-9_.([-])/g;
  const before = (context?.before ?? '').slice(-160);
  const after = (context?.after ?? '').slice(0, 160);
  let found: NearbyAccount | null = null;
  for (const m of before.matchAll(sibling)) {
    if (/[{}]/.test(before.slice(m.index))) continue; // another object
    found = { name: m[1]!, emulator: false, lines: -(before.slice(m.index).split('\n').length - 1) };
  }
  if (found) return found;
  for (const m of after.matchAll(sibling)) {
    if (/[{}]/.test(after.slice(0, m.index))) break;
    return { name: m[1]!, emulator: false, lines: after.slice(0, m.index).split('\n').length - 1 };
  }
  return null;
}

/** The endpoint suffix (cloud) of `https://<acct>.<service>.<suffix>` endpoints. */
function suffixOf(endpoints: string[]): string | null {
  for (const e of endpoints) {
    const m = /^[a-z]+:\/\/[a-z0-9]{3,24}\.(?:blob|dfs|file|queue|table)\.([a-z0-9.-]+?)\/?(?:[/?#]|$)/i.exec(e);
    if (m) return m[1]!.toLowerCase();
  }
  return null;
}

function identifiableDetails(key: string): Record<string, unknown> {
  const ident = checkIdentifiable(key);
  if (!ident || ident.kind.signature !== '+ASt') return { identifiable: false };
  return { identifiable: true, checksumValid: ident.checksumValid };
}

function storageKeyGrant(kind: string, account: string | null, services: string[], details: Record<string, unknown>): Grant {
  const g = keyGrant({
    provider: 'azure',
    kind,
    account,
    services,
    scope: 'account',
    revocation: 'rotate-account-key',
    revocationHint: `regenerate the key (az storage account keys renew --account-name ${account ?? '<account>'} --key primary|secondary); every SAS it signed and every connection string using it stop working`,
    details,
  });
  g.permissions = ['full-control'];
  return g;
}

function keyReasons(account: string | null, services: string[], suffix: string | null, protocol: string): string[] {
  const r = [
    `account key for ${account ?? 'an unnamed account'}${suffix && suffix !== 'core.windows.net' ? ` (${suffix})` : ''}: full control of every ${services.join(', ')} resource in the account`,
    'can mint SAS tokens of any scope and lifetime',
    'never expires: only rotating the key revokes it',
  ];
  if (protocol === 'http') r.push('connection string allows http');
  return r;
}

function explain(account: string | null, services: string[], suffix: string | null): string {
  return `Anyone holding this key controls storage account ${account ?? '(name not found nearby)'}${suffix && suffix !== 'core.windows.net' ? ` on ${suffix}` : ''}: read, write and delete every ${services.join(', ')} resource, change its settings, and sign SAS links of any scope and lifetime — until the key is rotated.`;
}

function remediation(account: string | null): string[] {
  const a = account ?? '<account>';
  return [
    `Revoke: az storage account keys renew --account-name ${a} --key primary (or secondary: whichever this is); move clients to the other key first.`,
    'Replace: use Entra ID (managed identities, RBAC) instead of keys, and consider disallowing Shared Key authorization on the account (AllowSharedKeyAccess=false).',
    'Investigate: StorageBlobLogs / $logs filtered on AuthenticationType AccountKey and the key hash for the exposure window.',
  ];
}

function emulatorFinding(rule: string, secret: string, raw: string, redacted: string, what: string): Analysis {
  return credential({
    rule,
    title: 'Azure Storage emulator credential',
    severity: 'info',
    reasons: [`well-known emulator credential (${what}): published by Microsoft, not a secret`, 'keep emulator settings out of production configuration'],
    secret,
    raw,
    redacted,
    grant: {
      ...storageKeyGrant(rule === RULE_KEY ? 'azure-account-key' : 'azure-connection-string', EMULATOR_ACCOUNT, ['blob', 'queue', 'table'], { emulator: true }),
      emulator: true,
      revocationHint: 'nothing to revoke: the emulator account and key are published; keep them out of production configuration',
    },
  });
}
