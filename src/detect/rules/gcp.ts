import type { Rule } from '../types.js';
import { anyCase, signedLink } from './fragments.js';
import { alphabets, join, sampleBase64, sampleChars, serviceAccountJson } from './samples.js';

/**
 * Google Cloud: Cloud Storage signed URLs (V4 and legacy V2), service-account JSON keys and
 * Cloud Storage HMAC keys. analyze/gcp turns each into a grant.
 */

const SA = 'uploader@data-platform-123456.iam.gserviceaccount.com';
const v4 = (extra: string) =>
  `X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Credential=${encodeURIComponent(SA)}%2F20240301%2Fauto%2Fstorage%2Fgoog4_request&X-Goog-Date=20240301T120000Z&X-Goog-Expires=3600&X-Goog-SignedHeaders=host${extra}&X-Goog-Signature=${sampleChars('gcs-v4', 512, alphabets.HEX)}`;

export const gcsSignedV4Rule: Rule = {
  id: 'gcs-signed-url-v4',
  family: 'gcs-signed-url',
  title: 'Google Cloud Storage signed URL (V4)',
  description: 'A Cloud Storage V4 signed URL: anyone holding it can perform the signed request until it expires or the signing key is deleted.',
  keywords: ['x-goog-signature'],
  pattern: new RegExp(signedLink(anyCase('X-Goog-Signature')), 'g'),
  window: { before: 4096, after: 2048 },
  severity: 'medium',
  analyzer: 'gcs-signed-url',
  grantSummary: 'bucket and object, signer (service-account e-mail and project, or HMAC access id), algorithm, signing time, expiry (date + X-Goog-Expires)',
  examples: [
    `https://storage.googleapis.com/ml-assets/models/b0.pt?${v4('')}`,
    `https://ml-assets.storage.googleapis.com/reports/annual.pdf?${v4('').toLowerCase().replace(/x-goog-credential=[^&]*/, `x-goog-credential=${encodeURIComponent(SA)}%2F20240301%2Fauto%2Fstorage%2Fgoog4_request`)}`,
  ],
  negativeExamples: ['https://storage.googleapis.com/public-datasets/README.txt', `https://storage.googleapis.com/b/o?${v4('').replace(/X-Goog-Signature=[0-9a-f]+/, 'X-Goog-Signature=SIGNATURE')}`],
};

export const gcsSignedV2Rule: Rule = {
  id: 'gcs-signed-url-v2',
  family: 'gcs-signed-url',
  title: 'Google Cloud Storage signed URL (V2, legacy)',
  description: 'A legacy Cloud Storage V2 signed URL (GoogleAccessId/Expires/Signature), usable until its Expires time.',
  keywords: ['googleaccessid'],
  pattern: new RegExp(signedLink('GoogleAccessId'), 'g'),
  window: { before: 4096, after: 4096 },
  severity: 'medium',
  analyzer: 'gcs-signed-url',
  grantSummary: 'bucket and object, signer (service-account e-mail and project), expiry (Expires, Unix time)',
  examples: [`https://storage.googleapis.com/ml-assets/models/b0.pt?GoogleAccessId=${encodeURIComponent(SA)}&Expires=1900000000&Signature=${encodeURIComponent(sampleBase64('gcs-v2', 256))}`],
  negativeExamples: ['https://storage.googleapis.com/ml-assets/models/b0.pt?GoogleAccessId=SERVICE_ACCOUNT&Expires=EXPIRES&Signature=SIGNATURE'],
};

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
  analyzer: 'gcp-service-account-key',
  grantSummary: 'project, client e-mail, private key id, key algorithm; whether it is a default (Compute/App Engine) service account',
  examples: [serviceAccountJson(), `SERVICE_ACCOUNT_INFO = ${serviceAccountJson('analytics-622293', 'signer').replace(/"/g, "'")}`],
  negativeExamples: [
    '{"type": "service_account", "project_id": "p", "private_key_id": "0123", "private_key": "-----BEGIN PRIVATE KEY-----\\n...\\n-----END PRIVATE KEY-----\\n"}',
  ],
};

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
  analyzer: 'gcs-hmac-key',
  grantSummary: 'access id (service-account or user key), whether its secret was found with it',
  examples: [`gs_access_key_id = ${hmacId}\ngs_secret_access_key = ${sampleBase64('hmac-secret', 30)}`],
  negativeExamples: ['GOOGLE_APPLICATION_CREDENTIALS=/path/key.json', 'GOOGXXXXXXXXXXXXXXXXXXXX'],
};

export const GCP_RULES: Rule[] = [gcsSignedV4Rule, gcsSignedV2Rule, gcpServiceAccountKeyRule, gcsHmacKeyRule];
