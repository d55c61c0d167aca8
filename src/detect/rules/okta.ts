import type { Rule } from '../types.js';
import { anyCase, ASSIGN } from './fragments.js';
import { sampleChars } from './samples.js';

/** Okta API tokens (`00` + 40), in an `SSWS` Authorization header or named by Okta. */
const URLSAFE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';

export const oktaTokenRule: Rule = {
  id: 'okta-token',
  family: 'okta-token',
  title: 'Okta API token',
  description: 'An Okta API token: the Okta management API with its admin\'s rights — users, groups, applications and sign-on policies of the organization.',
  keywords: ['ssws', 'okta'],
  pattern: new RegExp(
    String.raw`(?:SSWS\s+|${anyCase('okta')}[A-Za-z0-9_]*(?:TOKEN|[Tt]oken|KEY|[Kk]ey)${ASSIGN})(?<secret>00[A-Za-z0-9_-]{40})(?![A-Za-z0-9_-])`,
    'g',
  ),
  window: { before: 96, after: 96 },
  severity: 'high',
  confidence: 'low',
  analyzer: 'okta-token',
  grantSummary: 'known by its SSWS header or Okta name; the Okta org written nearby',
  examples: [`curl -H "Authorization: SSWS 00${sampleChars('ok1', 40, URLSAFE)}" https://acme.okta.com/api/v1/users`, `OKTA_API_TOKEN=00${sampleChars('ok2', 40, URLSAFE)}`],
  negativeExamples: ['OKTA_API_TOKEN={apiToken}', 'Authorization: SSWS ${OKTA_API_TOKEN}', `okta_client_id = "0oa${sampleChars('ok3', 17)}"`],
};
