import type { Rule } from '../types.js';
import { join, sampleChars } from './samples.js';

/** OpenAI API keys (legacy, project, service-account, admin): all carry `T3BlbkFJ`, Base64 of "OpenAI". */
const URLSAFE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';
const MARK = join('T3Blbk', 'FJ');

export const openaiKeyRule: Rule = {
  id: 'openai-key',
  family: 'openai-key',
  title: 'OpenAI API key',
  description: 'An OpenAI API key (legacy user key, project, service-account or admin key): billed API access, and for admin keys the organization itself.',
  keywords: ['t3blbkfj', 'sk-proj-', 'sk-svcacct-', 'sk-admin-'],
  // the T3BlbkFJ marker (Base64 of "OpenAI") is in every documented format; project, service-account
  // and admin keys are also recognised by their prefix and length alone
  pattern: /(?<![A-Za-z0-9_-])(?<secret>sk-(?:(?:proj|svcacct|admin|None)-)?[A-Za-z0-9_-]{16,200}T3BlbkFJ[A-Za-z0-9_-]{16,200}|sk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{80,250})(?![A-Za-z0-9_-])/g,
  window: { before: 256, after: 256 },
  severity: 'high',
  confidence: 'medium',
  analyzer: 'openai-key',
  grantSummary: 'key kind by prefix (legacy user, project, service account, admin)',
  examples: [
    `OPENAI_API_KEY=${join('sk', '-')}${sampleChars('oa1', 20)}${MARK}${sampleChars('oa2', 20)}`,
    `openai.api_key = "${join('sk', '-proj-')}${sampleChars('oa3', 74, URLSAFE)}${MARK}${sampleChars('oa4', 74, URLSAFE)}"`,
    `OPENAI_ADMIN_KEY=${join('sk', '-admin-')}${sampleChars('oa5', 120, URLSAFE)}`,
  ],
  negativeExamples: ['openai_api_key: "sk-proj-..."', 'OPENAI_API_KEY=sk-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'],
};
