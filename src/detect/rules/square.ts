import type { Rule } from '../types.js';
import { join, sampleChars } from './samples.js';

/**
 * Square: OAuth access tokens (`sq0atp-`), application secrets (`sq0csp-`) and access tokens
 * of the current `EAAA` form (64 characters; confidence low unless Square is named nearby,
 * since the prefix alone is short).
 */
const URLSAFE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';

export const squareTokenRule: Rule = {
  id: 'square-token',
  family: 'square-token',
  title: 'Square access token or application secret',
  description: 'A Square access token (payments, refunds, customer and order data of the seller account) or an OAuth application secret.',
  keywords: ['sq0atp-', 'sq0csp-', 'EAAA'],
  keywordsCaseSensitive: true,
  pattern: /(?<![A-Za-z0-9_+/-])(?<secret>sq0atp-[A-Za-z0-9_-]{22}|sq0csp-[A-Za-z0-9_-]{43}|EAAA[A-Za-z0-9_-]{60})(?![A-Za-z0-9_+/=-])/g,
  window: { before: 16, after: 96 },
  context: { before: 300, after: 300 },
  severity: 'high',
  confidence: 'medium',
  analyzer: 'square-token',
  grantSummary: 'token type by prefix (access token, OAuth application secret); production or sandbox when named nearby',
  examples: [`SQUARE_ACCESS_TOKEN=${join('EA', 'AA')}${sampleChars('sq1', 60, URLSAFE)}`, `app_secret: ${join('sq0', 'csp-')}${sampleChars('sq2', 43, URLSAFE)}`, `accessToken = '${join('sq0', 'atp-')}${sampleChars('sq3', 22, URLSAFE)}';`],
  negativeExamples: ['SQUARE_ACCESS_TOKEN=EAAAxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', `"data": "AAEAAAD/////AQAAAAAAAAAMAgAAAE1TeXN0ZW0sIFZlcnNpb249NC4wLjAuMCwgQ3VsdHVyZT1uZXV0cmFs${sampleChars('sq4', 40)}"`],
};
