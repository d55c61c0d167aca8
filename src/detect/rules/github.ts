import type { Rule } from '../types.js';
import { githubStyle, join, sampleChars } from './samples.js';

/**
 * GitHub tokens: prefixed tokens (ghp_, gho_, ghu_, ghs_, ghr_) whose last 6 characters are a
 * CRC-32 of the rest, verified so random look-alikes are dropped; fine-grained PATs.
 */
const START = String.raw`(?<![A-Za-z0-9_])`;
const END = String.raw`(?![A-Za-z0-9_])`;

export const githubTokenRule: Rule = {
  id: 'github-token',
  family: 'github-token',
  title: 'GitHub token',
  description: 'A GitHub token (personal access token, OAuth, GitHub App user or installation token, refresh token); its built-in checksum is verified, so random look-alikes are dropped.',
  keywords: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'],
  keywordsCaseSensitive: true,
  // refresh tokens of GitHub App user tokens are longer (76 characters), with the same checksum
  pattern: new RegExp(String.raw`${START}(?<secret>gh[pousr]_[A-Za-z0-9]{36}|ghr_[A-Za-z0-9]{76})${END}`, 'g'),
  window: { before: 16, after: 100 },
  severity: 'high',
  confidence: 'high',
  analyzer: 'github-token',
  grantSummary: 'token type by prefix (classic PAT, OAuth, app user, app installation, refresh), checksum validity',
  examples: [
    `GITHUB_TOKEN=${githubStyle(join('gh', 'p_'), 'gh1')}`,
    `token: ${githubStyle(join('gh', 'o_'), 'gh2')}`,
    `"${githubStyle(join('gh', 's_'), 'gh3')}"`,
    `"refresh_token": "${githubStyle(join('gh', 'r_'), 'gh4', 76)}",`,
    // failing its checksum: reported at low confidence, not dropped
    `${join('gh', 'p_')}${sampleChars('gh-bad', 36)}`,
  ],
  negativeExamples: [`GITHUB_TOKEN="${join('gh', 'p_')}XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"`, `GH_TOKEN=${join('gh', 'p_')}0123456789abcdefghijklmnopqrstuvwxyz`, 'ghp_ prefixes mark classic tokens', `"refresh_token": "${join('gh', 'r_')}${'x'.repeat(76)}"`],
};

export const githubFineGrainedRule: Rule = {
  id: 'github-token-fine-grained',
  family: 'github-token',
  title: 'GitHub fine-grained personal access token',
  description: 'A GitHub fine-grained personal access token: access to the repositories and permissions chosen at creation, until it expires or is revoked.',
  keywords: ['github_pat_'],
  keywordsCaseSensitive: true,
  pattern: new RegExp(String.raw`${START}(?<secret>github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59})${END}`, 'g'),
  window: { before: 16, after: 96 },
  severity: 'high',
  confidence: 'medium',
  analyzer: 'github-token',
  grantSummary: 'fine-grained PAT (repositories and permissions chosen at creation; not readable offline)',
  examples: [`GH_TOKEN=${join('github', '_pat_')}${sampleChars('fg1', 22)}_${sampleChars('fg2', 59)}`],
  negativeExamples: [`${join('github', '_pat_')}XXXXXXXXXXXXXXXXXXXXXX_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX`],
};
