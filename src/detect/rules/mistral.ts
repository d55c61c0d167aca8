import type { Rule } from '../types.js';
import { ASSIGN } from './fragments.js';
import { alphabets, sampleChars } from './samples.js';

const { HEX } = alphabets;
/** Mistral AI API key. */
export const mistralKeyRule: Rule = {
  id: 'mistral-key',
  family: 'mistral-key',
  title: 'Mistral AI API key',
  description: 'A Mistral AI API key: billed chat, embedding and fine-tuning calls of its workspace.',
  keywords: ['mistral'],
  pattern: new RegExp(
    String.raw`[Mm][Ii][Ss][Tt][Rr][Aa][Ll][A-Za-z0-9_]*(?:\(\s*api_key\s*=\s*["']|[A-Za-z0-9_]*(?:KEY|Key|key)${ASSIGN})(?<secret>[A-Za-z0-9]{32})(?![A-Za-z0-9])`,
    'g',
  ),
  window: { before: 64, after: 128 },
  severity: 'high',
  confidence: 'low',
  analyzer: 'mistral-key',
  grantSummary: 'known by its name only (MISTRAL_API_KEY, Mistral(api_key=…)): 32 characters, no prefix',
  examples: [`MISTRAL_API_KEY=${sampleChars('mi1', 32)}`, `client = Mistral(api_key="${sampleChars('mi2', 32)}")`],
  negativeExamples: [`mistral_checkpoint_md5 = "${sampleChars('mi3', 32, HEX)}"`, 'MISTRAL_API_KEY=<your-key>', 'mistral_model = "mistral-large-latest"'],
};
