import { credential, example } from '../credential.js';
import { looksLikePlaceholder, shannonEntropy } from '../placeholder.js';
import type { Analysis, AnalysisContext, MatchInput } from '../types.js';
import { checkIdentifiable } from './identifiable.js';

/**
 * Azure service keys in connection strings other than Storage's: shared access keys
 * (Service Bus, Event Hubs, Relay, Notification Hubs, IoT Hub, DPS), Cosmos DB account keys,
 * and endpoint + access key strings (Communication Services, SignalR, Web PubSub). The
 * service is read from the host; an identifiable key's checksum is verified when present.
 */
function pairsOf(text: string): Map<string, string> {
  const pairs = new Map<string, string>();
  for (const part of text.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) pairs.set(part.slice(0, eq).trim().toLowerCase(), part.slice(eq + 1).trim());
  }
  return pairs;
}

function placeholderKey(key: string): boolean {
  return looksLikePlaceholder(key) || shannonEntropy(key) < 4;
}

function hostOf(endpoint: string | undefined): string {
  return (/^[a-z]+:\/\/([^/:;]+)/i.exec(endpoint ?? '')?.[1] ?? endpoint ?? '').toLowerCase();
}

const SAK_SERVICES: [RegExp, string][] = [
  [/\.servicebus\.(?:windows\.net|chinacloudapi\.cn|usgovcloudapi\.net|cloudapi\.de)$/, 'Service Bus / Event Hubs namespace'],
  [/\.azure-devices\.net$/, 'IoT Hub'],
  [/\.azure-devices-provisioning\.net$/, 'IoT Hub Device Provisioning Service'],
];

/** azure-shared-access-key: `SharedAccessKeyName` + `SharedAccessKey`; a manage policy or an owner policy is high. */
export function analyzeSharedAccessKey(match: MatchInput, _ctx: AnalysisContext): Analysis | null {
  const key = match.groups['secret'] ?? '';
  const pairs = pairsOf(match.text);
  const host = hostOf(pairs.get('endpoint') ?? pairs.get('hostname'));
  const policy = pairs.get('sharedaccesskeyname') ?? null;
  const device = pairs.get('deviceid') ?? null;
  if (!host && !policy && !device) return null;
  const redacted = match.text.replace(key, '…');
  if (placeholderKey(key)) return example('azure-shared-access-key', key, 'placeholder shared access key', { raw: match.text, redacted });
  const service = SAK_SERVICES.find(([re]) => re.test(host))?.[1] ?? 'Azure service';
  const ident = checkIdentifiable(key);
  if (ident && !ident.checksumValid) return null;
  const entity = pairs.get('entitypath') ?? null;
  const manage = /rootmanage|manage|owner|iothubowner|registryreadwrite/i.test(policy ?? '');
  const scope = device ? `device ${device}` : entity ? `entity ${entity}` : policy ? `policy ${policy}` : 'the namespace';
  return credential({
    rule: 'azure-shared-access-key',
    title: `${service} shared access key`,
    severity: 'high',
    ...(ident?.checksumValid ? { confidence: 'high' as const } : {}),
    reasons: [
      `${service} ${host || ''} key for ${scope}: ${manage ? 'manage rights — creates and deletes entities, reads and sends every message' : device ? 'connects as the device (sends telemetry, receives commands)' : 'sends or listens with the rights of its policy'}`.replace(/ {2,}/g, ' '),
      ...(ident?.checksumValid ? ['identifiable key: checksum valid'] : []),
    ],
    secret: key,
    raw: match.text,
    redacted,
    details: { service, host: host || null, policy, entity, device, identifiable: ident ? ident.checksumValid : null },
    remediation: [`Revoke: regenerate the ${policy ?? 'device'} key (az servicebus namespace authorization-rule keys renew, az eventhubs …, az iot hub policy renew-key), then update its clients.`, 'Replace: Entra ID (managed identities, RBAC roles) instead of shared access keys.'],
  });
}

/** azure-cosmos-key: a primary key of the account (read-write); the emulator's published key is a documentation sample. */
export function analyzeCosmosKey(match: MatchInput, _ctx: AnalysisContext): Analysis | null {
  const key = match.groups['secret'] ?? match.groups['sdkKey'] ?? '';
  const endpoint = match.groups['endpoint'] ?? match.groups['endpoint2'] ?? '';
  const host = hostOf(endpoint);
  const cosmos = /\.documents\.azure\.(?:com|cn|us)$|\.cosmos\.azure\.com$/.test(host);
  const local = /^(?:localhost|127\.0\.0\.1|host\.docker\.internal)$/.test(host);
  if (!cosmos && !local) return null;
  const redacted = match.text.replace(key, '…');
  if (placeholderKey(key)) return example('azure-cosmos-key', key, 'placeholder account key', { raw: match.text, redacted });
  const account = cosmos ? host.split('.')[0]! : null;
  return credential({
    rule: 'azure-cosmos-key',
    title: 'Azure Cosmos DB account key',
    severity: local ? 'low' : 'critical',
    reasons: [local ? 'account key for a Cosmos DB emulator on this machine: a test setup, but not the emulator\'s published key' : `account key of Cosmos DB account ${account}: every database and container (a read-only key only reads), until the key is regenerated`],
    secret: key,
    raw: match.text,
    redacted,
    details: { account, endpoint: endpoint || null },
    remediation: ['Revoke: az cosmosdb keys regenerate --key-kind primary (or secondary) after moving clients to the other key.', 'Replace: Entra ID RBAC for the data plane, and disableLocalAuth on the account.'],
  });
}

const ACCESS_KEY_SERVICES: [RegExp, string, string][] = [
  [/\.communication\.azure\.(?:com|us)$/, 'Communication Services', 'sends SMS, e-mail and calls billed to the resource, and issues identity tokens'],
  [/\.service\.signalr\.net$/, 'SignalR', 'mints client tokens for every hub and sends to every connection'],
  [/\.webpubsub\.azure\.com$/, 'Web PubSub', 'mints client tokens for every hub and sends to every connection'],
  [/\.azconfig\.io$/, 'App Configuration', 'reads every key-value and feature flag of the store (often other connection strings and keys), and changes them with a read-write key'],
];

/** azure-access-key-connection-string: the service named by the endpoint's host. */
export function analyzeAccessKeyConnectionString(match: MatchInput, _ctx: AnalysisContext): Analysis | null {
  const key = match.groups['secret'] ?? match.groups['appConfigSecret'] ?? '';
  const host = hostOf(match.groups['endpoint'] ?? match.groups['appConfig']);
  const found = ACCESS_KEY_SERVICES.find(([re]) => re.test(host));
  const local = /^(?:localhost|127\.0\.0\.1)$/.test(host);
  if (!found && !local) return null;
  const redacted = match.text.replace(key, '…');
  if (placeholderKey(key)) return example('azure-access-key-connection-string', key, 'placeholder access key', { raw: match.text, redacted });
  const [, service, power] = found ?? [null, 'local emulator', 'a local emulator'];
  return credential({
    rule: 'azure-access-key-connection-string',
    title: `Azure ${service} access key`,
    severity: local ? 'low' : 'high',
    reasons: [`access key of ${service} resource ${host.split('.')[0]}: ${power}, until the key is regenerated`],
    secret: key,
    raw: match.text,
    redacted,
    details: { service, resource: host.split('.')[0] ?? null, host },
    remediation: ['Revoke: regenerate the key (az communication regenerate-key / az signalr key renew / az webpubsub key regenerate / az appconfig credential regenerate) after moving clients to the other key.', 'Replace: Entra ID authentication (managed identity) instead of access keys.'],
  });
}
