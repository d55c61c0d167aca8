import type { Rule } from '../types.js';
import { anyCase, ASSIGN } from './fragments.js';
import { alphabets, join, sampleChars } from './samples.js';

/**
 * Sentry: DSNs that still carry the legacy secret key (`https://<key>:<secret>@…/<project>`),
 * organization auth tokens (`sntrys_` + Base64 JSON claims + `_` + secret) and user auth
 * tokens (`sntryu_`). A DSN without a secret is public by design.
 */
const { HEX } = alphabets;
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const orgToken = (seed: string) => {
  const claims = Buffer.from(JSON.stringify({ iat: 1717000000.1, url: 'https://sentry.io', region_url: 'https://us.sentry.io', org: 'acme-ml' })).toString('base64').replace(/=+$/, '');
  return `${join('sntr', 'ys_')}${claims}_${sampleChars(seed, 43, B64)}`;
};

export const sentryTokenRule: Rule = {
  id: 'sentry-token',
  family: 'sentry-token',
  title: 'Sentry auth token or DSN secret',
  description: 'A Sentry organization or user auth token (reads issues with their stack traces and request data, uploads releases and source maps) or a DSN with its legacy secret key.',
  keywords: ['sntrys_', 'sntryu_', 'sentry', 'dsn'],
  pattern: new RegExp(
    String.raw`(?<![A-Za-z0-9_])(?<secret>sntrys_eyJ[A-Za-z0-9+/]{30,400}={0,2}_[A-Za-z0-9+/]{43}|sntryu_[a-f0-9]{64})(?![A-Za-z0-9_+/])` +
      // auth tokens before the sntry prefixes (2023): 64 hex, known by a name that says Sentry and token
      String.raw`|${anyCase('sentry')}[A-Za-z0-9_.-]{0,16}?(?:TOKEN|[Tt]oken)${ASSIGN}(?<legacy>[a-f0-9]{64})(?![A-Za-z0-9])` +
      String.raw`|(?<dsn>https?://(?<publicKey>[0-9a-f]{32}):(?<dsnSecret>[0-9a-f]{32})@(?<host>[A-Za-z0-9.-]+)(?::\d+)?/(?:[A-Za-z0-9_.-]+/)*\d+)`,
    'g',
  ),
  window: { before: 256, after: 600 },
  severity: 'high',
  confidence: 'medium',
  analyzer: 'sentry-token',
  grantSummary: 'token kind (organization token with its org and region decoded, user token, or DSN secret key) and the Sentry host',
  examples: [`SENTRY_AUTH_TOKEN=${orgToken('se1')}`, `SENTRY_DSN=https://${sampleChars('se2', 32, HEX)}:${sampleChars('se3', 32, HEX)}@o123456.ingest.sentry.io/4504`, `sentry-cli --auth-token ${join('sntr', 'yu_')}${sampleChars('se4', 64, HEX)} releases new 1.2.0`,
    `SENTRY_AUTH_TOKEN=${sampleChars('se6', 64, HEX)}`,
    `sentryToken := "${sampleChars('se7', 64, HEX)}"`,
  ],
  negativeExamples: [`SENTRY_DSN=https://${sampleChars('se5', 32, HEX)}@o123456.ingest.sentry.io/4504`, 'SENTRY_AUTH_TOKEN=sntrys_YOUR_TOKEN_HERE', `SENTRY_RELEASE=${sampleChars('se8', 64, HEX)}`, `SENTRY_AUTH_TOKEN=${'0'.repeat(64)}`],
};
