import type { Rule } from '../types.js';
import { anyCase } from './fragments.js';
import { sampleBase64 } from './samples.js';

/** Azure Cosmos DB account keys: in connection strings (`AccountEndpoint=…documents.azure.com…;AccountKey=…`) and SDK constructors. */
const cosmosKey = (seed: string) => sampleBase64(`cosmos:${seed}`, 64);

export const azureCosmosKeyRule: Rule = {
  id: 'azure-cosmos-key',
  family: 'azure-cosmos',
  title: 'Azure Cosmos DB account key',
  description: 'A Cosmos DB account key (primary or secondary, read-write or read-only): every database and container of the account until the key is regenerated.',
  keywords: ['accountendpoint=', 'documents.azure.com'],
  pattern: new RegExp(
    String.raw`${anyCase('AccountEndpoint')}=(?<endpoint>https?://[^;\s"'<>]+);\s*(?:[A-Za-z]+=[^;\s"'<>]*;\s*)*?${anyCase('AccountKey')}=(?<secret>[A-Za-z0-9+/]{86}==)` +
      String.raw`|(?<endpoint2>https://[a-z0-9-]{3,50}\.documents\.azure\.com(?::443)?/?)["']\s*,\s*(?:credential\s*=\s*|key\s*=\s*|authKeyOrResourceToken\s*=\s*)?["'](?<sdkKey>[A-Za-z0-9+/]{86}==)["']`,
    'g',
  ),
  window: { before: 256, after: 512 },
  severity: 'critical',
  confidence: 'high',
  analyzer: 'azure-cosmos-key',
  grantSummary: 'account and endpoint; a primary key reads and writes every database of the account (read-only keys only read)',
  examples: [
    `COSMOS_CONNECTION="AccountEndpoint=https://orders-db.documents.azure.com:443/;AccountKey=${cosmosKey('c1')};"`,
    `client = CosmosClient("https://catalog-prod.documents.azure.com:443/", "${cosmosKey('c2')}")`,
  ],
  negativeExamples: [
    'AccountEndpoint=https://<account>.documents.azure.com:443/;AccountKey=<key>;',
    'COSMOS_ENDPOINT=https://orders-db.documents.azure.com:443/',
  ],
};
