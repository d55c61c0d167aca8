import type { Rule } from '../types.js';
import { alphabets, join, sampleChars } from './samples.js';

/** PayPal / Braintree access tokens: `access_token$production$<merchant id>$<32 hex>` (and `$sandbox$`). */
const { HEX } = alphabets;

export const paypalBraintreeTokenRule: Rule = {
  id: 'paypal-braintree-token',
  family: 'paypal-braintree-token',
  title: 'PayPal Braintree access token',
  description: 'A Braintree (PayPal) gateway access token: charges, refunds and vault data of the merchant account; sandbox tokens touch test data only.',
  keywords: ['access_token$'],
  pattern: /(?<![A-Za-z0-9_])(?<secret>access_token\$(?<env>production|sandbox)\$(?<merchant>[0-9a-z]{16})\$[0-9a-f]{32})(?![A-Za-z0-9])/g,
  window: { before: 16, after: 96 },
  severity: 'high',
  confidence: 'high',
  analyzer: 'paypal-braintree-token',
  grantSummary: 'environment (production or sandbox) and merchant id, both read from the token',
  examples: [`BRAINTREE_ACCESS_TOKEN=${join('access_token', '$production$')}${sampleChars('bt1', 16, 'abcdefghijklmnopqrstuvwxyz0123456789')}$${sampleChars('bt2', 32, HEX)}`],
  negativeExamples: ['access_token$production$xxxxxxxxxxxxxxxx$xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', 'BRAINTREE_ACCESS_TOKEN=access_token$sandbox$...'],
};
