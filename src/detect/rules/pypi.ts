import type { Rule } from '../types.js';
import { pypiToken } from './samples.js';

/** PyPI API tokens: macaroons whose caveats say which projects they may upload to. */
const START = String.raw`(?<![A-Za-z0-9_])`;

export const pypiTokenRule: Rule = {
  id: 'pypi-token',
  family: 'pypi-token',
  title: 'PyPI API token',
  description: 'A PyPI (or TestPyPI) API token: can upload releases of every project of its user, or of the projects it is scoped to.',
  keywords: ['pypi-ag'],
  pattern: new RegExp(String.raw`${START}(?<secret>pypi-AgE[IN][A-Za-z0-9_-]{50,})`, 'g'),
  window: { before: 16, after: 512 },
  severity: 'high',
  confidence: 'high',
  analyzer: 'pypi-token',
  grantSummary: 'index (pypi.org or test.pypi.org), scope from the macaroon caveats (user-wide or projects), expiry caveat',
  examples: [`TWINE_PASSWORD=${pypiToken('user', ['{"permissions": "user", "version": 1}'])}`, `password = ${pypiToken('proj', ['[1,["sampleproject"]]', '[0,1900000000,1700000000]'])}`],
  negativeExamples: ['password = pypi-AgEI...', 'TWINE_PASSWORD=${PYPI_TOKEN}'],
};
