import type { Rule } from '../types.js';
import { caskKey, identifiableKey } from './samples.js';

/**
 * Azure service keys in Microsoft's identifiable formats (a service signature and a Marvin32
 * checksum inside the key; 84-character CASK keys): the checksum drops look-alikes.
 */
const IDENT_SIGNATURES = ['AzFu', '+ACR', 'AzSe', '+ASb', '+AEh', '+ARm', 'AIoT', 'APIM', 'ACDb', 'AzCa', '+ABa', '+AMC'];
const escape = (s: string) => s.replace(/\+/g, '\\+');

export const azureIdentifiableKeyRule: Rule = {
  id: 'azure-identifiable-key',
  family: 'azure-identifiable-key',
  title: 'Azure identifiable service key',
  description: 'An Azure service key in Microsoft\'s identifiable format (service signature plus checksum): Functions, Container Registry, AI Search, Service Bus, Event Hubs, Relay, IoT, API Management, Cosmos DB, Redis, Batch, AI services (CASK).',
  keywords: [...IDENT_SIGNATURES, 'JQQJ9'],
  keywordsCaseSensitive: true,
  pattern: new RegExp(
    String.raw`(?<![A-Za-z0-9+/_-])(?<secret>[A-Za-z0-9+/_-]{20,100}(?:${IDENT_SIGNATURES.map(escape).join('|')})[A-Za-z0-9+/_-]{5,6}={0,2})(?![A-Za-z0-9+/_=-])` +
      String.raw`|(?<![A-Za-z0-9+/])(?<cask>[A-Za-z0-9]{52}JQQJ9[9D][A-Za-z0-9][A-L][A-Za-z0-9]{16}[A-Za-z][A-Za-z0-9]{7}(?:[A-Za-z0-9]{2}==)?)(?![A-Za-z0-9+/=])`,
    'g',
  ),
  window: { before: 128, after: 128 },
  severity: 'high',
  confidence: 'high',
  analyzer: 'azure-identifiable-key',
  grantSummary: 'the service the key belongs to (from its signature), checksum verified offline',
  examples: [`FUNCTIONS_KEY=${identifiableKey('+ACR', '41435244666c7430', 'acr')}`, `api_key="${caskKey('ACOG', 'openai')}"`],
  negativeExamples: [`${identifiableKey('+ACR', '0000000000000000', 'acr-bad')}`, 'the +ACR suffix and AzFu marker are described in the docs'],
};
