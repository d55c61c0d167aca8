import type { Rule } from '../types.js';
import { join, sampleChars } from './samples.js';

/** Replicate API token. */
export const replicateTokenRule: Rule = {
  id: 'replicate-token',
  family: 'replicate-token',
  title: 'Replicate API token',
  description: 'A Replicate API token: runs models billed to the account and reads its predictions, trainings and private models.',
  keywords: ['r8_'],
  keywordsCaseSensitive: true,
  pattern: /(?<![A-Za-z0-9_])(?<secret>r8_[A-Za-z0-9]{37})(?![A-Za-z0-9_])/g,
  window: { before: 16, after: 64 },
  severity: 'high',
  confidence: 'medium',
  analyzer: 'replicate-token',
  grantSummary: 'token format (r8_); billed model runs and the account\'s predictions',
  examples: [`REPLICATE_API_TOKEN=${join('r8', '_')}${sampleChars('rep1', 37)}`],
  negativeExamples: ['REPLICATE_API_TOKEN=r8_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', 'hr8_value = compute(r8_', 'os.environ["REPLICATE_API_TOKEN"] = "r8_****"'],
};
