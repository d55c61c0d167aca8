import type { Rule } from '../types.js';
import { join, sampleChars } from './samples.js';

/** Twilio: an API key SID or account SID with its secret or auth token written next to it. */
const HEX = '0123456789abcdef';

export const twilioKeyRule: Rule = {
  id: 'twilio-key',
  family: 'twilio-key',
  title: 'Twilio credentials',
  description: 'A Twilio API key (SK…) or account (AC…) with its secret or auth token: sends messages and calls billed to the account, reads message logs.',
  keywords: ['twilio'],
  pattern: new RegExp(
    String.raw`(?<![A-Za-z0-9])(?<sid>(?:SK|AC)[0-9a-f]{32})(?![A-Za-z0-9])[\s\S]{0,300}?(?:[Ss]ecret|[Tt]oken|TOKEN|SECRET)[A-Za-z_]*["']?\s*(?:[:=,]|=>)\s*["']?(?<secret>[A-Za-z0-9]{32})(?![A-Za-z0-9])` +
      String.raw`|(?:[Ss]ecret|[Tt]oken|TOKEN|SECRET)[A-Za-z_]*["']?\s*(?:[:=,]|=>)\s*["']?(?<secretFirst>[A-Za-z0-9]{32})(?![A-Za-z0-9])[\s\S]{0,300}?(?<![A-Za-z0-9])(?<sidAfter>(?:SK|AC)[0-9a-f]{32})(?![A-Za-z0-9])`,
    'g',
  ),
  window: { before: 512, after: 512 },
  severity: 'high',
  confidence: 'medium',
  analyzer: 'twilio-key',
  grantSummary: 'account or API key SID; full account access for auth tokens',
  examples: [`TWILIO_ACCOUNT_SID=${join('A', 'C')}${sampleChars('tw1', 32, HEX)}\nTWILIO_AUTH_TOKEN=${sampleChars('tw2', 32, HEX)}`],
  negativeExamples: [`TWILIO_ACCOUNT_SID=${join('A', 'C')}${sampleChars('tw3', 32, HEX)}\nTWILIO_AUTH_TOKEN=your_auth_token`],
};
