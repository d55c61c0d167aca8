import type { Rule } from '../types.js';
import { join, sampleChars } from './samples.js';

/** SendGrid API keys: `SG.` + key id + `.` + secret. */
const URLSAFE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';

export const sendgridKeyRule: Rule = {
  id: 'sendgrid-key',
  family: 'sendgrid-key',
  title: 'SendGrid API key',
  description: 'A SendGrid API key: sends e-mail as the account\'s verified senders (phishing from a trusted domain) and, with full access, reads contacts.',
  keywords: ['SG.'],
  keywordsCaseSensitive: true,
  pattern: /(?<![A-Za-z0-9_.-])(?<secret>SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43})(?![A-Za-z0-9_-])/g,
  window: { before: 16, after: 96 },
  severity: 'high',
  confidence: 'medium',
  analyzer: 'sendgrid-key',
  grantSummary: 'key id (the part before the second dot); scopes are not visible offline',
  examples: [`SENDGRID_API_KEY=${join('S', 'G.')}${sampleChars('sg1', 22, URLSAFE)}.${sampleChars('sg2', 43, URLSAFE)}`],
  negativeExamples: ['msg.send(x)', 'SENDGRID_API_KEY=SG.xxxxxxxxxxxxxxxxxxxxxx.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'],
};
