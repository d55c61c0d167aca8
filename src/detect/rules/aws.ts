import type { Rule } from '../types.js';
import { anyCase, signedLink } from './fragments.js';
import { alphabets, awsSecret, join, sampleBase64, sampleChars } from './samples.js';

/**
 * AWS: S3 presigned URLs (SigV4 and legacy SigV2), access key pairs, lone secret keys and
 * STS session tokens. Presigned URLs are parsed into grants by analyze/aws; the key rules
 * pair an access key id with a secret written near it.
 */

const KEY_ID = String.raw`(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}`;
const SECRET = String.raw`[A-Za-z0-9/+]{40}`;
const B64_BEFORE = String.raw`(?<![A-Za-z0-9/+])`;
const B64_AFTER = String.raw`(?![A-Za-z0-9/+=])`;
const ID_BEFORE = String.raw`(?<![A-Za-z0-9])`;
const ID_AFTER = String.raw`(?![A-Za-z0-9])`;
// Key ids inside a signed link are the link's, not a key pair's (%2F: a percent-encoded credential scope).
const NOT_IN_LINK = String.raw`(?<!(?:[Cc]redential|AccessKeyId|ACCESSKEYID|accesskeyid)(?:=|%3[Dd]))`;
const SECRET_LABEL = String.raw`[Ss][Ee][Cc][Rr][Ee][Tt][A-Za-z0-9_ -]{0,24}["']?\s*(?:[:=,]|=>|\s)\s*["']?`;
// Within this many characters (a few lines) an id and a secret are taken as one key pair.
const PAIR_GAP = 320;

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
  window: { before: 4096, after: 2048 },
  severity: 'medium',
  analyzer: 'aws-presigned-url',
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
  window: { before: 4096, after: 2048 },
  severity: 'medium',
  analyzer: 'aws-presigned-url',
  grantSummary: 'bucket and key, access key id and its type, expiry (Expires, Unix time), whether it has expired',
  examples: [
    `https://media-uploads.s3.amazonaws.com/models/w.pt?AWSAccessKeyId=${sampleId('v2')}&Expires=1900000000&Signature=${encodeURIComponent(sampleBase64('v2sig', 20))}`,
  ],
  negativeExamples: [
    'https://media-uploads.s3.amazonaws.com/models/w.pt?AWSAccessKeyId=&Expires=&Signature=',
    `https://bucket.oss-cn-hangzhou.aliyuncs.com/a.txt?OSSAccessKeyId=LTAI000000&Expires=1900000000&Signature=abc%3D`,
  ],
};

export const awsAccessKeyRule: Rule = {
  id: 'aws-access-key',
  family: 'aws-access-key',
  title: 'AWS access key',
  description: 'An AWS access key id, paired with the secret access key written near it when there is one: together they sign any API call the IAM principal may make.',
  keywords: ['AKIA', 'ASIA', 'ABIA', 'ACCA'],
  keywordsCaseSensitive: true,
  pattern: new RegExp(
    String.raw`${SECRET_LABEL}(?<secretFirst>${SECRET})${B64_AFTER}[\s\S]{0,${PAIR_GAP}}?${ID_BEFORE}${NOT_IN_LINK}(?<idAfter>${KEY_ID})${ID_AFTER}` +
      String.raw`|${ID_BEFORE}${NOT_IN_LINK}(?<id>${KEY_ID})${ID_AFTER}(?:[\s\S]{0,${PAIR_GAP}}?${B64_BEFORE}(?<secret>${SECRET})${B64_AFTER})?`,
    'g',
  ),
  window: { before: 512, after: 512 },
  severity: 'high',
  analyzer: 'aws-access-key',
  grantSummary: 'access key id, key type by prefix (long-term AKIA, temporary ASIA), whether the secret was found with it, the AWS account id decoded from the key id',
  examples: [
    `aws_access_key_id = ${sampleId('pair1')}\naws_secret_access_key = ${awsSecret('pair1')}`,
    `{"accessKeyId": "${sampleId('pair2')}", "secretAccessKey": "${awsSecret('pair2')}"}`,
    `AWS_SECRET_ACCESS_KEY="${awsSecret('pair3')}"\nAWS_ACCESS_KEY_ID="${sampleId('pair3')}"`,
    `key_id: ${sampleId('lone')}`,
  ],
  negativeExamples: [
    `aws_access_key_id=${join('AKIA', 'IOSFODNN7EXAMPLE')} aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY`,
    'AKIAXXXXXXXXXXXXXXXX',
    `X-Amz-Credential=${sampleId('inlink')}%2F20240301%2Fus-east-1%2Fs3%2Faws4_request`,
  ],
};

export const awsSecretKeyRule: Rule = {
  id: 'aws-access-key-secret',
  family: 'aws-access-key',
  title: 'AWS secret access key',
  description: 'An AWS secret access key written under its usual name without its key id nearby; the key id is not secret and is often found elsewhere.',
  keywords: ['secret_access_key', 'secretaccesskey', 'secret-access-key', 'aws_secret_key', 'secret_key_id'],
  pattern: new RegExp(String.raw`(?:[Ss][Ee][Cc][Rr][Ee][Tt][_-]?[Aa][Cc][Cc][Ee][Ss][Ss][_-]?[Kk][Ee][Yy]|[Aa][Ww][Ss]_[Ss][Ee][Cc][Rr][Ee][Tt]_[Kk][Ee][Yy])["']?\s*(?:[:=,]|=>|\s)\s*["']?${B64_BEFORE}(?<secret>${SECRET})${B64_AFTER}`, 'g'),
  window: { before: 64, after: 128 },
  severity: 'high',
  analyzer: 'aws-secret-key',
  grantSummary: 'the secret half of an access key (the key id it belongs to was not found next to it)',
  examples: [`export AWS_SECRET_ACCESS_KEY=${awsSecret('lone-secret')}`, `aws configure set aws_secret_access_key ${awsSecret('cfg')}`],
  negativeExamples: ['AWS_SECRET_ACCESS_KEY=${AWS_SECRET_ACCESS_KEY}', 'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'secret_access_key: 0123456789abcdef0123456789abcdef01234567'],
};

const SESSION_PREFIX = String.raw`(?:IQoJb3JpZ2lu|FwoGZXIvYXdz|FQoGZXIvYXdz)`;

export const awsSessionTokenRule: Rule = {
  id: 'aws-session-token',
  family: 'aws-session-token',
  title: 'AWS session token',
  description: 'An AWS STS session token: with its temporary key pair it acts as the assumed role until it expires (typically 1–12 hours).',
  keywords: ['IQoJb3JpZ2lu', 'FwoGZXIvYXdz', 'FQoGZXIvYXdz', 'session_token', 'sessiontoken', 'security_token'],
  pattern: new RegExp(
    String.raw`${B64_BEFORE}(?<secret>${SESSION_PREFIX}[A-Za-z0-9/+=]{80,})` +
      String.raw`|(?:[Ss][Ee][Ss][Ss][Ii][Oo][Nn]|[Ss][Ee][Cc][Uu][Rr][Ii][Tt][Yy])_?[Tt][Oo][Kk][Ee][Nn]["']?\s*(?:[:=]|=>)\s*["']?(?<labelled>[A-Za-z0-9/+=]{100,})`,
    'g',
  ),
  window: { before: 64, after: 4096 },
  severity: 'medium',
  analyzer: 'aws-session-token',
  grantSummary: 'temporary credential (STS); useful to an attacker only with its ASIA key pair and only until it expires',
  examples: [`aws_session_token = ${join('IQoJb3Jp', 'Z2lu')}${sampleChars('sess', 300, alphabets.BASE64)}`],
  negativeExamples: ['aws_session_token = ${AWS_SESSION_TOKEN}', 'session_token: <token>'],
};

export const AWS_RULES: Rule[] = [awsPresignedV4Rule, awsPresignedV2Rule, awsAccessKeyRule, awsSecretKeyRule, awsSessionTokenRule];
