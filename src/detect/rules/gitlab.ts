import type { Rule } from '../types.js';
import { join, sampleChars } from './samples.js';

/** GitLab tokens, recognised by their documented prefixes. */
const START = String.raw`(?<![A-Za-z0-9_])`;

export const gitlabTokenRule: Rule = {
  id: 'gitlab-token',
  family: 'gitlab-token',
  title: 'GitLab token',
  description: 'A GitLab token (personal, project or group access token, deploy token, runner token, pipeline trigger, OAuth secret, CI/CD job token…).',
  keywords: ['glpat-', 'gldt-', 'glrt-', 'glptt-', 'gloas-', 'glcbt-', 'glft-', 'glimt-', 'glagent-', 'glsoat-', 'glffct-', 'glwt-', 'GR1348941'],
  keywordsCaseSensitive: true,
  pattern: new RegExp(
    String.raw`${START}(?<secret>(?:glpat|gldt|glrt|gloas|glcbt|glft|glimt|glagent|glsoat|glffct|glwt)-[A-Za-z0-9_-]{20,64}(?:\.[0-9a-z]{2}\.[0-9a-z]{9})?|glptt-[0-9a-f]{40}|GR1348941[A-Za-z0-9_-]{20})(?![A-Za-z0-9_-])`,
    'g',
  ),
  window: { before: 16, after: 128 },
  severity: 'high',
  confidence: 'medium',
  analyzer: 'gitlab-token',
  grantSummary: 'token type by prefix (personal/project/group access, deploy, runner, trigger, OAuth, feed, incoming mail, agent…)',
  examples: [`GITLAB_TOKEN=${join('gl', 'pat-')}${sampleChars('gl1', 20)}`, `runner_token = "${join('gl', 'rt-')}${sampleChars('gl2', 20)}"`],
  negativeExamples: [`${join('gl', 'pat-')}xxxxxxxxxxxxxxxxxxxx`, `${join('gl', 'pat-')}<your-token>`],
};
