import type { Rule } from '../types.js';
import { alphabets, join, sampleChars } from './samples.js';

/** Mailgun private API keys (`key-` + 32 hex, and the newer `<32>-<8>-<8>` hex form) written next to Mailgun's name. */
const { HEX } = alphabets;

export const mailgunKeyRule: Rule = {
  id: 'mailgun-key',
  family: 'mailgun-key',
  title: 'Mailgun API key',
  description: 'A Mailgun private API key: sends mail from the account\'s domains (phishing from a trusted sender) and reads its logs and lists.',
  keywords: ['mailgun'],
  pattern: /(?<![A-Za-z0-9_-])(?<secret>key-[0-9a-f]{32}|[0-9a-f]{32}-[0-9a-f]{8}-[0-9a-f]{8})(?![A-Za-z0-9_-])/g,
  window: { before: 400, after: 400 },
  severity: 'high',
  confidence: 'medium',
  analyzer: 'mailgun-key',
  grantSummary: 'key format (legacy key- or current hex form); only counted next to the word Mailgun',
  examples: [`MAILGUN_API_KEY=${join('ke', 'y-')}${sampleChars('mg1', 32, HEX)}`, `mailgun:\n  domain: mg.example.org\n  secret: ${sampleChars('mg2', 32, HEX)}-${sampleChars('mg3', 8, HEX)}-${sampleChars('mg4', 8, HEX)}`],
  negativeExamples: [`cache-key-${sampleChars('mg5', 32, HEX)} # mailgun templates`, `MAILGUN_API_KEY=key-${'x'.repeat(32)}`, `# mailgun\nrequest_id: ${sampleChars('mg6', 32, HEX)}`],
};
