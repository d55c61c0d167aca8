import type { Rule } from '../types.js';
import { join, sampleChars } from './samples.js';

/** Groq API key. */
export const groqKeyRule: Rule = {
  id: 'groq-key',
  family: 'groq-key',
  title: 'Groq API key',
  description: 'A Groq API key: billed inference on Groq\'s models, within the organization\'s limits.',
  keywords: ['gsk_'],
  keywordsCaseSensitive: true,
  pattern: /(?<![A-Za-z0-9_])(?<secret>gsk_[A-Za-z0-9]{48,56})(?![A-Za-z0-9_])/g,
  window: { before: 16, after: 80 },
  severity: 'high',
  confidence: 'medium',
  analyzer: 'groq-key',
  grantSummary: 'key format; the WGdyb3FY marker (Base64 of "groq") every issued key carries',
  examples: [`client = Groq(api_key="${join('gs', 'k_')}${sampleChars('gq1', 20)}${join('WGdy', 'b3FY')}${sampleChars('gq2', 24)}")`],
  negativeExamples: ['GROQ_API_KEY=gsk_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', 'GROQ_API_KEY=gsk_...'],
};
