import type { Rule } from '../types.js';
import { alphabets, join, sampleChars } from './samples.js';

/** Shopify access tokens and app secrets: `shpat_`, `shpca_`, `shppa_`, `shpss_` + 32 hex. */
const { HEX } = alphabets;

export const shopifyTokenRule: Rule = {
  id: 'shopify-token',
  family: 'shopify-token',
  title: 'Shopify access token or app secret',
  description: 'A Shopify Admin API access token (store orders, customers, products with the app\'s scopes) or an app\'s shared secret (forges webhooks and OAuth for the app).',
  keywords: ['shpat_', 'shpca_', 'shppa_', 'shpss_'],
  keywordsCaseSensitive: true,
  pattern: /(?<![A-Za-z0-9_])(?<secret>shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32})(?![A-Za-z0-9_])/g,
  window: { before: 16, after: 64 },
  context: { before: 200, after: 200 },
  severity: 'high',
  confidence: 'medium',
  analyzer: 'shopify-token',
  grantSummary: 'token type by prefix (public-app, custom-app, legacy private-app access token, or app shared secret); the store domain written nearby',
  examples: [`SHOPIFY_ACCESS_TOKEN=${join('shp', 'at_')}${sampleChars('sh1', 32, HEX)}\nSHOPIFY_STORE=acme-gear.myshopify.com`, `SHOPIFY_API_SECRET=${join('shp', 'ss_')}${sampleChars('sh2', 32, HEX)}`],
  negativeExamples: ['SHOPIFY_ACCESS_TOKEN=shpat_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', 'SHOPIFY_ACCESS_TOKEN=shpat_...'],
};
