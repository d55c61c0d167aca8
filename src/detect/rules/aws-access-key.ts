import type { Rule } from '../types.js';
import { alphabets, awsSecret, join, sampleChars } from './samples.js';

/**
 * AWS access keys: a key id paired with the secret access key written near it (either
 * order), a lone key id, and a secret access key under its usual name.
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
  confidence: 'medium',
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
  confidence: 'low',
  analyzer: 'aws-secret-key',
  grantSummary: 'the secret half of an access key (the key id it belongs to was not found next to it)',
  examples: [`export AWS_SECRET_ACCESS_KEY=${awsSecret('lone-secret')}`, `aws configure set aws_secret_access_key ${awsSecret('cfg')}`],
  negativeExamples: ['AWS_SECRET_ACCESS_KEY=${AWS_SECRET_ACCESS_KEY}', 'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'secret_access_key: 0123456789abcdef0123456789abcdef01234567'],
};
