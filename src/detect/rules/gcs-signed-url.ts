import type { Rule } from '../types.js';
import { anyCase, signedLink, LINK_STOPS } from './fragments.js';
import { alphabets, sampleBase64, sampleChars } from './samples.js';

/** Cloud Storage signed URLs, V4 (`X-Goog-*`) and legacy V2 (`GoogleAccessId`/`Expires`/`Signature`). */
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
  stops: LINK_STOPS,
  window: { before: 4096, after: 2048 },
  severity: 'medium',
  confidence: 'high',
  analyzer: 'gcs-signed-url',
  splitLiterals: true,
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
  stops: LINK_STOPS,
  window: { before: 4096, after: 4096 },
  severity: 'medium',
  confidence: 'medium',
  analyzer: 'gcs-signed-url',
  splitLiterals: true,
  grantSummary: 'bucket and object, signer (service-account e-mail and project), expiry (Expires, Unix time)',
  examples: [`https://storage.googleapis.com/ml-assets/models/b0.pt?GoogleAccessId=${encodeURIComponent(SA)}&Expires=1900000000&Signature=${encodeURIComponent(sampleBase64('gcs-v2', 256))}`],
  negativeExamples: ['https://storage.googleapis.com/ml-assets/models/b0.pt?GoogleAccessId=SERVICE_ACCOUNT&Expires=EXPIRES&Signature=SIGNATURE'],
};
