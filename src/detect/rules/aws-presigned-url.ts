import type { Rule } from '../types.js';
import { anyCase, signedLink, LINK_STOPS } from './fragments.js';
import { alphabets, join, sampleBase64, sampleChars } from './samples.js';

/**
 * S3 presigned URLs, SigV4 (`X-Amz-*`) and legacy SigV2 (`AWSAccessKeyId`/`Expires`/`Signature`),
 * on AWS and on the S3-compatible stores that sign the same way. analyze/aws/presigned.ts
 * turns each into a grant.
 */
const sampleId = (seed: string, prefix = 'AKIA') => join(prefix.slice(0, 2), prefix.slice(2), sampleChars(seed, 16, alphabets.BASE32));
const hex64 = (seed: string) => sampleChars(seed, 64, alphabets.HEX);
const v4Query = (id: string, extra = '') =>
  `X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=${id}%2F20240301%2Feu-west-1%2Fs3%2Faws4_request&X-Amz-Date=20240301T120000Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host${extra}&X-Amz-Signature=${hex64('v4')}`;

export const awsPresignedV4Rule: Rule = {
  id: 'aws-presigned-url-v4',
  family: 'aws-presigned-url',
  title: 'AWS S3 presigned URL (SigV4)',
  description: 'An S3 presigned URL signed with SigV4: anyone holding it can perform the signed request on that object until it expires.',
  keywords: ['x-amz-signature'],
  pattern: new RegExp(signedLink(anyCase('X-Amz-Signature')), 'g'),
  stops: LINK_STOPS,
  window: { before: 4096, after: 2048 },
  severity: 'medium',
  confidence: 'high',
  analyzer: 'aws-presigned-url',
  splitLiterals: true,
  grantSummary: 'bucket and key, region, access key id and its type (long-term AKIA / temporary ASIA), signing time, expiry (date + X-Amz-Expires), method hints, whether it has expired',
  examples: [
    `https://reports-bucket.s3.eu-west-1.amazonaws.com/exports/q1.csv?${v4Query(sampleId('v4'))}`,
    `url = "https://s3.us-east-1.amazonaws.com/media-bucket/a%20b.png?${v4Query(sampleId('v4b', 'ASIA'), '&X-Amz-Security-Token=IQoJb3JpZ2luX2VjEJr%2F%2F%2F')}"`,
    `<a href="https://b1.s3.amazonaws.com/k?${v4Query(sampleId('v4c')).replace(/&/g, '&amp;')}">`,
  ],
  negativeExamples: [
    'https://docs-static.s3.eu-west-1.amazonaws.com/downloads/report.csv',
    `https://b1.s3.amazonaws.com/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=${sampleId('n')}%2F20240301%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20240301T120000Z&X-Amz-Expires=60&X-Amz-SignedHeaders=host&X-Amz-Signature=<signature>`,
    'Set the X-Amz-Signature header to the hex signature.',
  ],
};

export const awsPresignedV2Rule: Rule = {
  id: 'aws-presigned-url-v2',
  family: 'aws-presigned-url',
  title: 'AWS S3 presigned URL (SigV2, legacy)',
  description: 'A legacy S3 query-string-authenticated URL (SigV2): usable until its Expires time, which the scheme does not cap.',
  keywords: ['awsaccesskeyid'],
  pattern: new RegExp(signedLink('AWSAccessKeyId'), 'g'),
  stops: LINK_STOPS,
  window: { before: 4096, after: 2048 },
  severity: 'medium',
  confidence: 'medium',
  analyzer: 'aws-presigned-url',
  splitLiterals: true,
  grantSummary: 'bucket and key, access key id and its type, expiry (Expires, Unix time), whether it has expired',
  examples: [
    `https://media-uploads.s3.amazonaws.com/models/w.pt?AWSAccessKeyId=${sampleId('v2')}&Expires=1900000000&Signature=${encodeURIComponent(sampleBase64('v2sig', 20))}`,
  ],
  negativeExamples: [
    'https://media-uploads.s3.amazonaws.com/models/w.pt?AWSAccessKeyId=&Expires=&Signature=',
    `https://bucket.oss-cn-hangzhou.aliyuncs.com/a.txt?OSSAccessKeyId=LTAI000000&Expires=1900000000&Signature=abc%3D`,
  ],
};
