import type { Rule } from '../types.js';
import { join, sampleChars } from './samples.js';

/** Docker Hub personal and organization access tokens (`dckr_pat_`, `dckr_oat_`). */
const URLSAFE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';

export const dockerHubTokenRule: Rule = {
  id: 'docker-hub-token',
  family: 'docker-hub-token',
  title: 'Docker Hub access token',
  description: 'A Docker Hub personal or organization access token: pulls private images and, with write scope, pushes over images others deploy.',
  keywords: ['dckr_pat_', 'dckr_oat_'],
  keywordsCaseSensitive: true,
  pattern: /(?<![A-Za-z0-9_])(?<secret>dckr_(?:pat|oat)_[A-Za-z0-9_-]{27,64})(?![A-Za-z0-9_-])/g,
  window: { before: 16, after: 96 },
  severity: 'high',
  confidence: 'medium',
  analyzer: 'docker-hub-token',
  grantSummary: 'token kind by prefix (personal or organization access token); scopes are not visible offline',
  examples: [`echo ${join('dckr', '_pat_')}${sampleChars('dh1', 27, URLSAFE)} | docker login -u ci-bot --password-stdin`],
  negativeExamples: ['DOCKERHUB_TOKEN=dckr_pat_xxxxxxxxxxxxxxxxxxxxxxxxxxx', 'DOCKERHUB_TOKEN=dckr_pat_...'],
};
