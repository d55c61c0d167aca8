import type { Rule } from '../types.js';
import { ASSIGN } from './fragments.js';
import { alphabets, join, sampleChars } from './samples.js';

const { HEX } = alphabets;
/** Weights & Biases API key. */
export const wandbKeyRule: Rule = {
  id: 'wandb-api-key',
  family: 'wandb-api-key',
  title: 'Weights & Biases API key',
  description: 'A Weights & Biases API key: reads and writes the runs, artifacts (datasets, model checkpoints) and reports of its user\'s projects.',
  keywords: ['wandb_v1_', 'wandb'],
  pattern: new RegExp(
    String.raw`(?<![A-Za-z0-9_])(?<secret>wandb_v1_[A-Za-z0-9]{20,40}_[A-Za-z0-9]{40,64})(?![A-Za-z0-9_])` +
      String.raw`|(?:[Ww][Aa][Nn][Dd][Bb]_?[Aa][Pp][Ii]_?[Kk][Ee][Yy]${ASSIGN}|wandb\.login\(\s*(?:key\s*=\s*)?["']|wandb login (?:--relogin )?|machine api\.wandb\.ai\s+login \S+\s+password )(?<legacy>(?:local-)?[0-9a-f]{40})(?![A-Za-z0-9])`,
    'g',
  ),
  window: { before: 64, after: 160 },
  severity: 'high',
  confidence: 'medium',
  analyzer: 'wandb-api-key',
  grantSummary: 'key format (wandb_v1_, or a 40-hex legacy key named by WANDB_API_KEY / wandb.login); local- keys belong to a W&B server',
  examples: [
    `export WANDB_API_KEY=${join('wandb', '_v1_')}${sampleChars('wb1', 27)}_${sampleChars('wb2', 50)}`,
    `wandb.login(key="${sampleChars('wb3', 40, HEX)}")`,
    `%env WANDB_API_KEY=${sampleChars('wb4', 40, HEX)}`,
  ],
  negativeExamples: [`wandb_run_id = "${sampleChars('wb5', 40, HEX)}"`, 'wandb.login(key=os.environ["WANDB_API_KEY"])', `git_commit: ${sampleChars('wb6', 40, HEX)}  # wandb`],
};
