import type { Rule } from '../types.js';
import { serviceAccountJson } from './samples.js';

/**
 * Google Cloud service-account JSON keys, anchored on their private key; the analyzer reads
 * the project, client e-mail and key id from the fields around it.
 */
const PEM_BODY = String.raw`(?:\\n|\\r|\n|\r|[A-Za-z0-9+/=\s])+?`;

export const gcpServiceAccountKeyRule: Rule = {
  id: 'gcp-service-account-key',
  family: 'gcp-service-account-key',
  title: 'Google Cloud service-account key (JSON)',
  description: 'A service-account JSON key: its private key authenticates as the service account, with every role it holds, until the key is deleted.',
  keywords: ['service_account', 'private_key_id'],
  pattern: new RegExp(
    String.raw`["']private_key["']\s*:\s*["'](?<secret>-----BEGIN (?:RSA )?PRIVATE KEY-----${PEM_BODY}-----END (?:RSA )?PRIVATE KEY-----(?:\\n|\n)?)["']`,
    'g',
  ),
  window: { before: 2048, after: 8192 },
  context: { before: 1500, after: 1500 },
  severity: 'high',
  confidence: 'high',
  analyzer: 'gcp-service-account-key',
  grantSummary: 'project, client e-mail, private key id, key algorithm; whether it is a default (Compute/App Engine) service account',
  examples: [serviceAccountJson(), `SERVICE_ACCOUNT_INFO = ${serviceAccountJson('analytics-622293', 'signer').replace(/"/g, "'")}`],
  negativeExamples: [
    '{"type": "service_account", "project_id": "p", "private_key_id": "0123", "private_key": "-----BEGIN PRIVATE KEY-----\\n...\\n-----END PRIVATE KEY-----\\n"}',
  ],
};
