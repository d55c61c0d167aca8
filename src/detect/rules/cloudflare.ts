import type { Rule } from '../types.js';
import { ASSIGN } from './fragments.js';
import { alphabets, join, sampleChars } from './samples.js';

/**
 * Cloudflare credentials: the scannable formats (`cfut_` user and `cfat_` account API tokens,
 * `cfk_` global API keys), origin CA keys (`v1.0-…`), and the older unprefixed API tokens
 * (40 characters) and global API keys (37 hex) known only by the names they are given.
 */
const { HEX, BASE62 } = alphabets;
const URLSAFE = `${BASE62}_-`;
const CF_NAME = String.raw`(?:CLOUDFLARE|Cloudflare|cloudflare|CF|cf)_?`;
/** Any name that spells out Cloudflare and ends in token (or key): cloudflareToken, CLOUDFLARE_DNS_API_TOKEN, cloudflare_global_key. */
const CF_WORD = String.raw`(?:CLOUDFLARE|Cloudflare|cloudflare)`;

export const cloudflareTokenRule: Rule = {
  id: 'cloudflare-token',
  family: 'cloudflare-token',
  title: 'Cloudflare API token or key',
  description: 'A Cloudflare API token, global API key or origin CA key: changes DNS, firewall and Workers of the zones and accounts it reaches (a global key: all of them, as its user).',
  keywords: ['cfut_', 'cfat_', 'cfk_', 'v1.0-', 'cloudflare', 'cf_api', 'x-auth-key'],
  pattern: new RegExp(
    String.raw`(?<![A-Za-z0-9_])(?<secret>cf(?:ut|at|k)_[A-Za-z0-9]{40,56}|v1\.0-[a-f0-9]{24}-[a-f0-9]{146})(?![A-Za-z0-9_-])` +
      String.raw`|(?:${CF_NAME}(?:API_?TOKEN|[Aa]pi_?[Tt]oken)|${CF_WORD}[A-Za-z0-9_]{0,24}?(?:TOKEN|[Tt]oken|KEY|[Kk]ey))${ASSIGN}(?<token>[A-Za-z0-9_-]{40})(?![A-Za-z0-9_-])` +
      String.raw`|(?:${CF_NAME}(?:API_?KEY|[Aa]pi_?[Kk]ey|GLOBAL_?KEY)|${CF_WORD}[A-Za-z0-9_]{0,24}?(?:KEY|[Kk]ey|TOKEN|[Tt]oken)|[Xx]-[Aa]uth-[Kk]ey)${ASSIGN}(?<globalKey>[a-f0-9]{37})(?![A-Za-z0-9_-])`,
    'g',
  ),
  window: { before: 64, after: 400 },
  severity: 'high',
  confidence: 'medium',
  analyzer: 'cloudflare-token',
  grantSummary: 'credential kind (user or account API token, global API key, origin CA key); unprefixed ones only by their name',
  examples: [
    `CLOUDFLARE_API_TOKEN=${join('cf', 'ut_')}${sampleChars('cf1', 46)}`,
    `CLOUDFLARE_API_TOKEN="${sampleChars('cf2', 40, URLSAFE)}"`,
    `CF_API_KEY=${sampleChars('cf3', 37, HEX)}\nCF_API_EMAIL=ops@example.org`,
    `cloudflareToken := "${sampleChars('cf7', 40, URLSAFE)}"`,
    `CLOUDFLARE_DNS_TOKEN: ${sampleChars('cf8', 40, URLSAFE)}`,
    // a 40-character API token named as a key (the global key is 37 hex)
    `cloudflare_api_key = "${sampleChars('cf12', 40, URLSAFE)}"`,
    `$cloudflare_global_key = '${sampleChars('cf9', 37, HEX)}';`,
    `origin_ca_key = "${join('v1', '.0-')}${sampleChars('cf4', 24, HEX)}-${sampleChars('cf5', 146, HEX)}"`,
  ],
  negativeExamples: ['CLOUDFLARE_API_TOKEN=${{ secrets.CLOUDFLARE_API_TOKEN }}', `cloudflare_zone_id = "${sampleChars('cf6', 32, HEX)}"`, 'version: v1.0-beta', `cloudflare_token_name = "${sampleChars('cf10', 40, URLSAFE)}"`, `CLOUDFLARE_ACCOUNT_ID=${sampleChars('cf11', 32, HEX)}`],
};
