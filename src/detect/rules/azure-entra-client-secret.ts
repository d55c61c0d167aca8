import type { Rule } from '../types.js';
import { entraSecret } from './samples.js';

/** Microsoft Entra ID (Azure AD) application client secrets (`xxx8Q~…`, `xxx7Q~…`). */
export const azureEntraSecretRule: Rule = {
  id: 'azure-entra-client-secret',
  family: 'azure-entra-client-secret',
  title: 'Microsoft Entra ID client secret',
  description: 'An Entra ID (Azure AD) application client secret: authenticates as the application until the secret expires or is deleted.',
  keywords: ['8q~', '7q~'],
  pattern: /(?<![A-Za-z0-9_~.-])(?<secret>[A-Za-z0-9_~.-]{3}(?:8Q~[A-Za-z0-9_~.-]{34}|7Q~[A-Za-z0-9_~.-]{31}))(?![A-Za-z0-9_~.-])/g,
  window: { before: 64, after: 64 },
  context: { before: 400, after: 400 },
  severity: 'high',
  confidence: 'high',
  analyzer: 'azure-entra-client-secret',
  grantSummary: 'client (application) id and tenant id written nearby; checksum of 8Q~ secrets verified offline',
  examples: [`client_secret = "${entraSecret('app1')}"`],
  negativeExamples: ['client_secret = "abc8Q~xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"', 'the ~Q~ marker'],
};
