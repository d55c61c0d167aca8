import type { Rule } from '../types.js';
import { join, sampleChars } from './samples.js';

/** Anthropic API and admin keys. */
const URLSAFE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';

export const anthropicKeyRule: Rule = {
  id: 'anthropic-key',
  family: 'anthropic-key',
  title: 'Anthropic API key',
  description: 'An Anthropic API key (or admin key): billed API access to Claude models, and for admin keys the organization settings.',
  keywords: ['sk-ant-'],
  pattern: /(?<![A-Za-z0-9_-])(?<secret>sk-ant-(?:api|admin|oat|ort)\d{2}-[A-Za-z0-9_-]{80,120})(?![A-Za-z0-9_-])/g,
  window: { before: 16, after: 160 },
  severity: 'high',
  confidence: 'medium',
  analyzer: 'anthropic-key',
  grantSummary: 'key kind by prefix (API, admin, OAuth)',
  examples: [`ANTHROPIC_API_KEY=${join('sk-', 'ant-api03-')}${sampleChars('an1', 93, URLSAFE)}AA`],
  negativeExamples: ['ANTHROPIC_API_KEY=sk-ant-api03-...', 'sk-ant-api03-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxAA'],
};
