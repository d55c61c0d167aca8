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
      String.raw`|(?:[Ss]ecret|[Tt]oken|TOKEN|SECRET)[A-Za-z_]*["']?\s*(?:[:=,]|=>)\s*["']?(?<secretFirst>[A-Za-z0-9]{32})(?![A-Za-z0-9])[\s\S]{0,300}?(?<![A-Za-z0-9])(?<sidAfter>(?:SK|AC)[0-9a-f]{32})(?![A-Za-z0-9])` +
      // the SDK call: Client("SK…", "<secret>", "AC…") / twilio("SK…", "<secret>", { accountSid })
      String.raw`|["'](?<callSid>SK[0-9a-f]{32})["']\s*,\s*["'](?<callSecret>[A-Za-z0-9]{32})["']`,
    'g',
  ),
  // the SDK import is often far above the call that holds the key
  window: { before: 4096, after: 4096 },
  severity: 'high',
  confidence: 'medium',
  analyzer: 'twilio-key',
  grantSummary: 'account or API key SID; full account access for auth tokens',
  examples: [
    `TWILIO_ACCOUNT_SID=${join('A', 'C')}${sampleChars('tw1', 32, HEX)}\nTWILIO_AUTH_TOKEN=${sampleChars('tw2', 32, HEX)}`,
    `TWILIO_API_KEY=${join('S', 'K')}${sampleChars('tw4', 32, HEX)}\nTWILIO_API_SECRET=${sampleChars('tw5', 32)}`,
    `from twilio.rest import Client\n\n# send the nightly report\nclient = Client("${join('S', 'K')}${sampleChars('tw6', 32, HEX)}", "${sampleChars('tw7', 32)}", "${join('A', 'C')}${sampleChars('tw8', 32, HEX)}")`,
  ],
  negativeExamples: [`TWILIO_ACCOUNT_SID=${join('A', 'C')}${sampleChars('tw3', 32, HEX)}\nTWILIO_AUTH_TOKEN=your_auth_token`],
};
