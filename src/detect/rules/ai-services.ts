import type { Rule } from '../types.js';
import { join, sampleChars } from './samples.js';

/** API keys of AI services researchers paste into notebooks: OpenAI, Anthropic, Hugging Face. */
const URLSAFE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';
const MARK = join('T3Blbk', 'FJ');

export const openaiKeyRule: Rule = {
  id: 'openai-key',
  family: 'openai-key',
  title: 'OpenAI API key',
  description: 'An OpenAI API key (legacy user key, project, service-account or admin key): billed API access, and for admin keys the organization itself.',
  keywords: ['t3blbkfj'],
  pattern: /(?<![A-Za-z0-9_-])(?<secret>sk-(?:(?:proj|svcacct|admin|None)-)?[A-Za-z0-9_-]{16,200}T3BlbkFJ[A-Za-z0-9_-]{16,200})(?![A-Za-z0-9_-])/g,
  window: { before: 256, after: 256 },
  severity: 'high',
  analyzer: 'openai-key',
  grantSummary: 'key kind by prefix (legacy user, project, service account, admin)',
  examples: [
    `OPENAI_API_KEY=${join('sk', '-')}${sampleChars('oa1', 20)}${MARK}${sampleChars('oa2', 20)}`,
    `openai.api_key = "${join('sk', '-proj-')}${sampleChars('oa3', 74, URLSAFE)}${MARK}${sampleChars('oa4', 74, URLSAFE)}"`,
  ],
  negativeExamples: ['openai_api_key: "sk-proj-..."', 'OPENAI_API_KEY=sk-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'],
};

export const anthropicKeyRule: Rule = {
  id: 'anthropic-key',
  family: 'anthropic-key',
  title: 'Anthropic API key',
  description: 'An Anthropic API key (or admin key): billed API access to Claude models, and for admin keys the organization settings.',
  keywords: ['sk-ant-'],
  pattern: /(?<![A-Za-z0-9_-])(?<secret>sk-ant-(?:api|admin|oat|ort)\d{2}-[A-Za-z0-9_-]{80,120})(?![A-Za-z0-9_-])/g,
  window: { before: 16, after: 160 },
  severity: 'high',
  analyzer: 'anthropic-key',
  grantSummary: 'key kind by prefix (API, admin, OAuth)',
  examples: [`ANTHROPIC_API_KEY=${join('sk-', 'ant-api03-')}${sampleChars('an1', 93, URLSAFE)}AA`],
  negativeExamples: ['ANTHROPIC_API_KEY=sk-ant-api03-...', 'sk-ant-api03-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxAA'],
};

export const huggingfaceTokenRule: Rule = {
  id: 'huggingface-token',
  family: 'huggingface-token',
  title: 'Hugging Face access token',
  description: 'A Hugging Face user access token (or legacy organization API token): read or write access to the owner\'s models, datasets and Spaces — a write token can replace model files others download.',
  keywords: ['hf_', 'api_org_'],
  pattern: /(?<![A-Za-z0-9_])(?<secret>hf_[A-Za-z0-9]{34,40}|api_org_[A-Za-z0-9]{34})(?![A-Za-z0-9_])/g,
  window: { before: 16, after: 64 },
  severity: 'high',
  analyzer: 'huggingface-token',
  grantSummary: 'token kind (user access token or legacy org token); read or write is not visible offline',
  examples: [`HF_TOKEN=${join('h', 'f_')}${sampleChars('hf1', 34, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz')}`, `login(token="${join('h', 'f_')}${sampleChars('hf2', 34, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz')}")`],
  negativeExamples: ['api = HfApi(token="hf_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx")', 'from huggingface_hub import hf_hub_download', 'model = hf_model_loader_with_extra_long_name_here(x)'],
};
