import type { Rule } from '../types.js';
import { join, sampleChars } from './samples.js';

/** Stripe secret and restricted keys (live and test). Publishable keys are public by design. */
export const stripeKeyRule: Rule = {
  id: 'stripe-key',
  family: 'stripe-key',
  title: 'Stripe API key',
  description: 'A Stripe secret or restricted API key: live keys move money and read customer data; test keys touch test mode only.',
  keywords: ['sk_live_', 'rk_live_', 'sk_test_', 'rk_test_'],
  pattern: /(?<![A-Za-z0-9_])(?<secret>[sr]k_(?:live|test)_[A-Za-z0-9]{20,247})(?![A-Za-z0-9_])/g,
  window: { before: 16, after: 256 },
  severity: 'high',
  confidence: 'medium',
  analyzer: 'stripe-key',
  grantSummary: 'mode (live or test) and key type (secret or restricted)',
  examples: [`stripe.api_key = "${join('sk', '_live_')}${sampleChars('st1', 24)}"`, `STRIPE_KEY=${join('rk', '_live_')}51${sampleChars('st2', 97)}`, `stripe.api_key = '${join('rk', '_test_')}51${sampleChars('st3', 97)}'`],
  negativeExamples: ['pk_live_51H0000000000000000000000', `${join('sk', '_live_')}xxxxxxxxxxxxxxxxxxxxxxxx`, 'STRIPE_SECRET_KEY=sk_live_...'],
};
