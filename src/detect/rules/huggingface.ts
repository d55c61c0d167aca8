import type { Rule } from '../types.js';
import { join, sampleChars } from './samples.js';

/** Hugging Face user access tokens and legacy organization tokens, pasted into notebooks and scripts. */
export const huggingfaceTokenRule: Rule = {
  id: 'huggingface-token',
  family: 'huggingface-token',
  title: 'Hugging Face access token',
  description: 'A Hugging Face user access token (or legacy organization API token): read or write access to the owner\'s models, datasets and Spaces — a write token can replace model files others download.',
  keywords: ['hf_', 'api_org_'],
  pattern: /(?<![A-Za-z0-9_])(?<secret>hf_[A-Za-z0-9]{34,40}|api_org_[A-Za-z0-9]{34})(?![A-Za-z0-9_])/g,
  window: { before: 16, after: 64 },
  severity: 'high',
  confidence: 'medium',
  analyzer: 'huggingface-token',
  grantSummary: 'token kind (user access token or legacy org token); read or write is not visible offline',
  examples: [`HF_TOKEN=${join('h', 'f_')}${sampleChars('hf1', 34, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz')}`, `login(token="${join('h', 'f_')}${sampleChars('hf2', 34, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz')}")`],
  negativeExamples: ['api = HfApi(token="hf_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx")', 'from huggingface_hub import hf_hub_download', 'model = hf_model_loader_with_extra_long_name_here(x)'],
};
