import type { Rule } from '../types.js';
import { alphabets, join, sampleChars } from './samples.js';

/** DigitalOcean tokens: personal access (`dop_v1_`), OAuth (`doo_v1_`) and refresh (`dor_v1_`) tokens. */
const { HEX } = alphabets;

export const digitaloceanTokenRule: Rule = {
  id: 'digitalocean-token',
  family: 'digitalocean-token',
  title: 'DigitalOcean token',
  description: 'A DigitalOcean personal access, OAuth or refresh token: creates and destroys droplets, databases, Spaces keys and DNS records with its scopes.',
  keywords: ['dop_v1_', 'doo_v1_', 'dor_v1_'],
  pattern: /(?<![A-Za-z0-9_])(?<secret>do[por]_v1_[a-f0-9]{64})(?![A-Za-z0-9_])/g,
  window: { before: 16, after: 96 },
  severity: 'high',
  confidence: 'medium',
  analyzer: 'digitalocean-token',
  grantSummary: 'token type by prefix (personal access, OAuth access, refresh)',
  examples: [`DIGITALOCEAN_TOKEN=${join('dop', '_v1_')}${sampleChars('do1', 64, HEX)}`, `refresh_token: ${join('dor', '_v1_')}${sampleChars('do2', 64, HEX)}`],
  negativeExamples: [`DIGITALOCEAN_TOKEN=dop_v1_${'0'.repeat(64)}`, 'DIGITALOCEAN_TOKEN=dop_v1_...'],
};
