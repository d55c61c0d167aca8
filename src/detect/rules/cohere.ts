import type { Rule } from '../types.js';
import { ASSIGN } from './fragments.js';
import { alphabets, sampleChars } from './samples.js';

const { HEX } = alphabets;
/** Cohere API key. */
export const cohereKeyRule: Rule = {
  id: 'cohere-key',
  family: 'cohere-key',
  title: 'Cohere API key',
  description: 'A Cohere API key (production or trial): billed generation, embedding and rerank calls.',
  keywords: ['cohere', 'co_api_key'],
  pattern: new RegExp(
    String.raw`(?:[Cc][Oo][Hh][Ee][Rr][Ee][A-Za-z0-9_.]*(?:\.Client(?:V2)?\(\s*(?:api_key\s*=\s*)?["']|[A-Za-z0-9_]*(?:KEY|Key|key|TOKEN|token)${ASSIGN})|CO_API_KEY${ASSIGN})(?<secret>[A-Za-z0-9]{40})(?![A-Za-z0-9])`,
    'g',
  ),
  window: { before: 64, after: 128 },
  severity: 'high',
  confidence: 'low',
  analyzer: 'cohere-key',
  grantSummary: 'known by its name only (CO_API_KEY, cohere.Client): 40 characters, no prefix',
  examples: [`co = cohere.ClientV2(api_key="${sampleChars('co1', 40)}")`, `CO_API_KEY=${sampleChars('co2', 40)}`],
  negativeExamples: [`cohere_model_sha = "${sampleChars('co3', 40, HEX)}"`, 'COHERE_API_KEY=your-cohere-api-key-goes-right-here-1234', `COHERE_API_KEY="${'a'.repeat(40)}"`],
};
