import type { Rule } from '../types.js';
import { docSampleValue } from '../../analyze/doc-samples.js';
import { anyCase } from './fragments.js';
import { identifiableKey, sampleBase64 } from './samples.js';

/**
 * Azure Storage account keys: in connection strings (`AccountKey=`, and the emulator's
 * `UseDevelopmentStorage=true`), and on their own next to a label, an SDK call, or as an
 * identifiable `+ASt` key proven by its checksum.
 */
const CS_NAME = String.raw`[A-Za-z][A-Za-z0-9_]*`;
const CS_VALUE = String.raw`[^;\s"'<>\x60\\]*`;
const sampleKey = (seed: string) => {
  // a 64-byte key whose Base64 ends in [AQgw]==, as real account keys do
  const raw = Buffer.from(sampleBase64(`acct:${seed}`, 64), 'base64');
  raw[63] = raw[63]! & 0xf0;
  return raw.toString('base64');
};
const EMULATOR_KEY = docSampleValue('azurite-account-key');

export const azureConnectionStringRule: Rule = {
  id: 'azure-storage-connection-string',
  family: 'azure-storage',
  title: 'Azure Storage connection string with account key',
  description: 'A storage connection string carrying an account key: full control of the storage account until the key is rotated.',
  keywords: ['accountkey=', 'usedevelopmentstorage='],
  pattern: new RegExp(
    String.raw`(?:${CS_NAME}=${CS_VALUE};\s*)*?(?:${anyCase('AccountKey')}=(?<secret>[^;\s"'<>\x60\\]+)|${anyCase('UseDevelopmentStorage')}=(?<dev>${anyCase('true')}))(?:;\s*${CS_NAME}=${CS_VALUE})*;?`,
    'g',
  ),
  window: { before: 1024, after: 1024 },
  severity: 'critical',
  confidence: 'high',
  analyzer: 'azure-storage-connection-string',
  splitLiterals: true,
  grantSummary: 'account, endpoint suffix (cloud), endpoints and services, protocol; the emulator account and UseDevelopmentStorage=true are info',
  examples: [
    `DefaultEndpointsProtocol=https;AccountName=mldatalake01;AccountKey=${sampleKey('cs1')};EndpointSuffix=core.windows.net`,
    `"AzureWebJobsStorage": "DefaultEndpointsProtocol=https;AccountName=fabrikamdata;AccountKey=${sampleKey('cs2')};EndpointSuffix=core.chinacloudapi.cn"`,
    'AZURE_STORAGE_CONNECTION_STRING="UseDevelopmentStorage=true"',
    // the emulator's published key: an info emulator finding (counted, folded in text), not a secret
    `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${EMULATOR_KEY};BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;`,
  ],
  negativeExamples: [
    'DefaultEndpointsProtocol=https;AccountName=myaccount;AccountKey=<account-key>;EndpointSuffix=core.windows.net',
    'AccountName=myaccount;AccountKey=${STORAGE_KEY}',
    `AccountEndpoint=https://db1.documents.azure.com:443/;AccountKey=${sampleKey('cosmos')};`,
    'BlobEndpoint=https://acct1.blob.core.windows.net/;SharedAccessSignature=sv=2019-10-10&ss=b&srt=o&sp=r&se=2030-01-01&sig=x',
  ],
};

const KEY_LABEL = [
  anyCase('account') + '[_-]?' + anyCase('key'),
  anyCase('storage') + '[_-]?(?:' + anyCase('account') + '[_-]?)?(?:' + anyCase('access') + '[_-]?)?' + anyCase('key'),
  anyCase('access') + '[_-]?' + anyCase('key'),
  anyCase('shared') + '[_-]?' + anyCase('key'),
  anyCase('credential'),
].join('|');

// name–value glue: `name = "…"`, `name: …`, `--name …`, and configuration files' XML:
// <add key="StorageAccountKey" value="…"/>, <setting name="AccountKey"><value>…</value>, <AccountKey>…</AccountKey>
const KEY_SEP = String.raw`(?:["']?\s*(?:[:=]|=>|\s)\s*["']?|["']\s+[Vv]alue\s*=\s*["']|["'][^<>]{0,80}>\s*<[Vv]alue>|>)`;
const KEY_VALUE = String.raw`(?<![A-Za-z0-9+/])[A-Za-z0-9+/]{86}==(?![A-Za-z0-9+/=])`;

export const azureAccountKeyRule: Rule = {
  id: 'azure-storage-account-key',
  family: 'azure-storage',
  title: 'Azure Storage account key',
  description: 'A storage account key on its own (CLI flag, environment variable, SDK call, Terraform output): full control of its account until rotated.',
  hitNeedsRun: 86,
  keywords: ['account-key', 'account_key', 'accountkey', 'storage_key', 'storage-key', 'storagekey', 'storage_account_key', 'access_key', 'accesskey', 'sharedkey', 'shared_key', 'credential', 'keyname', '+ASt'],
  pattern: new RegExp(
    String.raw`(?:${KEY_LABEL})[A-Za-z0-9_]*${KEY_SEP}(?<secret>${KEY_VALUE})` +
      String.raw`|(?:${anyCase('SharedKeyCredential')}|${anyCase('StorageCredentials')})\(\s*["'](?<sdkAccount>[a-z0-9]{3,24})["']\s*,\s*["'](?<sdkKey>[A-Za-z0-9+/]{86}==)["']` +
      // \`az storage account keys list\` output: {"keyName": "key1", "permissions": "FULL", "value": "…"}
      String.raw`|"keyName"\s*:\s*"(?:key|kerb)[12]"[^{}]{0,120}?"value"\s*:\s*"(?<cliKey>[A-Za-z0-9+/]{86}==)"` +
      String.raw`|(?<![A-Za-z0-9+/])(?<ident>[A-Za-z0-9+/]{76}\+ASt[A-Za-z0-9+/]{5}[AQgw]==)(?![A-Za-z0-9+/=])`,
    'g',
  ),
  window: { before: 256, after: 256 },
  context: { before: 400, after: 300 },
  severity: 'critical',
  confidence: 'medium',
  analyzer: 'azure-storage-account-key',
  grantSummary: 'account (from a name written nearby), identifiable-key checksum when present; the emulator key is info',
  examples: [
    `az storage blob upload-batch --account-name teambackup01 --account-key "${sampleKey('cli')}" --destination backups`,
    `AZURE_STORAGE_ACCOUNT=prodlogs01\nAZURE_STORAGE_KEY=${sampleKey('env')}`,
    `new StorageSharedKeyCredential('ctdata01', '${sampleKey('sdk')}')`,
    `[{"creationTime": "2024-01-01T00:00:00Z", "keyName": "key1", "permissions": "FULL", "value": "${sampleKey('cli-json')}"}]`,
    `client = BlobServiceClient(account_url="https://mlstore01.blob.core.windows.net", credential="${sampleKey('py-sdk')}")`,
    `key = "${identifiableKey('+ASt', '44656661756c7430', 'ident-storage')}"`,
    `<appSettings>\n  <add key="StorageAccountName" value="contosoprod01" />\n  <add key="StorageAccountKey" value="${sampleKey('app-config')}" />\n</appSettings>`,
  ],
  negativeExamples: [
    `{"name": "example-2", "key": "${sampleKey('vector')}", "message": "abc"}`,
    'AZURE_STORAGE_KEY=<your-storage-account-key>',
    '<add key="StorageAccountKey" value="${STORAGE_KEY}" />',
  ],
};

/**
 * A value named only `key` (`{"name": "acct", "key": "…"}`, `key: …`, `key = "…"`): a storage
 * account key only with the exact format and a storage account named beside it, which the
 * analyzer checks; reported as azure-storage-account-key at low confidence. A rule of its own,
 * with a small reach, because `key:` is everywhere in code.
 */
export const azureGenericKeyRule: Rule = {
  id: 'azure-storage-generic-key',
  family: 'azure-storage',
  title: 'Azure Storage account key under a generic name',
  description: 'A value named only "key" with the exact format of a storage account key, and a storage account named beside it: the account key, known by its surroundings.',
  keywords: ['"key"', "'key'", 'key:', 'key=', 'key ='],
  hitNeedsRun: 86,
  pattern: new RegExp(
    String.raw`(?:"${anyCase('key')}"\s*:|'${anyCase('key')}'\s*:|(?<![A-Za-z0-9_.$-])(?:${anyCase('key')}:|${anyCase('key')}=|${anyCase('key')} =))\s*["']?(?<namedKey>${KEY_VALUE})`,
    'g',
  ),
  window: { before: 16, after: 128 },
  context: { before: 160, after: 160 },
  generic: true,
  severity: 'critical',
  analyzer: 'azure-storage-account-key',
  grantSummary: 'reported as azure-storage-account-key (confidence low): the account named beside the key',
  examples: [`{"storage": {"name": "mlfeatures02", "key": "${sampleKey('json-object')}"}}`, `storage:\n  account: mlfeatures02\n  key: ${sampleKey('yaml-object')}`],
  negativeExamples: [
    `{"name": "example-2", "key": "${sampleKey('vector')}", "message": "abc"}`,
    `{"id": 7, "key": "${sampleKey('no-account')}"}`,
    `[{"name": "mlfeatures02"}, {"key": "${sampleKey('other-object')}"}]`,
  ],
};
