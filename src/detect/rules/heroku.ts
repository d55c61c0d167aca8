import type { Rule } from '../types.js';
import { anyCase, ASSIGN, UUID } from './fragments.js';
import { join, sampleChars, sampleUuid } from './samples.js';

/** Heroku API keys: the current `HRKU-` format, and legacy UUIDs named by HEROKU_API_KEY. */
const URLSAFE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';

export const herokuApiKeyRule: Rule = {
  id: 'heroku-api-key',
  family: 'heroku-api-key',
  title: 'Heroku API key',
  description: 'A Heroku API key or authorization: deploys, reads config vars (which hold other secrets) and scales every app its user can reach.',
  keywords: ['HRKU-', 'heroku'],
  pattern: new RegExp(
    String.raw`(?<![A-Za-z0-9_-])(?<secret>HRKU-[A-Za-z0-9_-]{60})(?![A-Za-z0-9_-])` +
      String.raw`|${anyCase('heroku')}[A-Za-z0-9_]*(?:KEY|Key|key|TOKEN|Token|token)${ASSIGN}(?<legacy>${UUID})(?![A-Za-z0-9-])`,
    'g',
  ),
  window: { before: 64, after: 128 },
  severity: 'high',
  confidence: 'medium',
  analyzer: 'heroku-api-key',
  grantSummary: 'key format (HRKU- or a legacy UUID named by HEROKU_API_KEY)',
  examples: [`HEROKU_API_KEY=${join('HR', 'KU-')}AA${sampleChars('hk1', 58, URLSAFE)}`, `heroku_api_key: ${sampleUuid('hk2')}`,
    `herokuApiKey := "${sampleUuid('hk4')}"`,
    `var herokuToken string = \`${sampleUuid('hk5')}\``,
    `<herokuApiKey>\n    ${sampleUuid('hk6')}\n</herokuApiKey>`,
    `System.setProperty("HEROKU_API_KEY", "${sampleUuid('hk7')}")`,
  ],
  negativeExamples: [`heroku_app_id: ${sampleUuid('hk3')}`, `herokuAppId := "${sampleUuid('hk8')}"`, `<herokuAppId>${sampleUuid('hk9')}</herokuAppId>`, 'HEROKU_API_KEY=HRKU-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', 'HEROKU_API_KEY=00000000-0000-0000-0000-000000000000'],
};
