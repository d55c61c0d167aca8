import type { Rule } from '../types.js';
import { alphabets, join, sampleBase64, sampleChars } from './samples.js';

/** Cloud Storage HMAC keys (S3-interoperable access): a GOOG… access id and the secret near it. */
const hmacId = join('GO', 'OG1', sampleChars('hmac-id', 56, alphabets.BASE32));

export const gcsHmacKeyRule: Rule = {
  id: 'gcs-hmac-key',
  family: 'gcs-hmac-key',
  title: 'Google Cloud Storage HMAC key',
  description: 'A Cloud Storage HMAC key (S3-interoperable access): with its secret it signs requests as its service account or user until deactivated.',
  keywords: ['GOOG'],
  keywordsCaseSensitive: true,
  pattern: new RegExp(
    String.raw`(?<![A-Za-z0-9])(?<id>GOOG[A-Z0-9]{20}(?:[A-Z0-9]{37})?)(?![A-Za-z0-9])(?:[\s\S]{0,320}?(?<![A-Za-z0-9/+])(?<secret>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=]))?`,
    'g',
  ),
  window: { before: 64, after: 512 },
  severity: 'high',
  confidence: 'medium',
  analyzer: 'gcs-hmac-key',
  grantSummary: 'access id (service-account or user key), whether its secret was found with it',
  examples: [`gs_access_key_id = ${hmacId}\ngs_secret_access_key = ${sampleBase64('hmac-secret', 30)}`],
  negativeExamples: ['GOOGLE_APPLICATION_CREDENTIALS=/path/key.json', 'GOOGXXXXXXXXXXXXXXXXXXXX'],
};
