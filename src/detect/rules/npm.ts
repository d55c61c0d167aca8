import type { Rule } from '../types.js';
import { githubStyle, join, sampleChars, sampleUuid } from './samples.js';

/** npm access tokens: GitHub's checksummed format (`npm_`), or the legacy UUID in `.npmrc`. */
const START = String.raw`(?<![A-Za-z0-9_])`;
const END = String.raw`(?![A-Za-z0-9_])`;

export const npmTokenRule: Rule = {
  id: 'npm-token',
  family: 'npm-token',
  title: 'npm access token',
  description: 'An npm access token (granular or classic, in GitHub\'s checksummed format, or the legacy UUID form in .npmrc): can publish packages the owner maintains.',
  keywords: ['npm_', '_authtoken', 'npmauthtoken'],
  // legacy UUID tokens in .npmrc (`_authToken=`) and .yarnrc.yml (`npmAuthToken:`)
  pattern: new RegExp(
    String.raw`${START}(?<secret>npm_[A-Za-z0-9]{36})${END}` + String.raw`|(?:_authToken|npmAuthToken)["']?\s*[=:]\s*["']?(?<legacy>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?![0-9a-f-])`,
    'g',
  ),
  window: { before: 64, after: 64 },
  severity: 'high',
  confidence: 'high',
  analyzer: 'npm-token',
  grantSummary: 'token format (granular/classic with checksum, or legacy UUID), registry written next to it',
  examples: [
    `NPM_TOKEN=${githubStyle(join('np', 'm_'), 'npm1')}`,
    `//registry.npmjs.org/:_authToken=${sampleChars('npm-uuid-a', 8, '0123456789abcdef')}-1234-4abc-8def-${sampleChars('npm-uuid-b', 12, '0123456789abcdef')}`,
    `npmScopes:\n  acme:\n    npmRegistryServer: "https://registry.npmjs.org"\n    npmAuthToken: "${sampleUuid('npm-yarn')}"`,
  ],
  negativeExamples: ['npm_token: ${NPM_TOKEN}', `${join('np', 'm_')}${sampleChars('npm-bad', 36)}`, '//registry.npmjs.org/:_authToken=${NPM_TOKEN}', `"integrity": "sha512-${sampleChars('npm-int', 40)}", "_resolved": "${sampleUuid('npm-lock')}"`],
};
