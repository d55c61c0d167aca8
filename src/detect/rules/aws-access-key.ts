import type { Rule } from '../types.js';
import { anyCase } from './fragments.js';
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
// (from its `aws` prefix on, so the pair holds what the lone-secret rule would match: AWS_SECRET_ACCESS_KEY, aws.secretkey)
const SECRET_LABEL = String.raw`(?:[Aa][Ww][Ss][_.-]?)?[Ss][Ee][Cc][Rr][Ee][Tt][A-Za-z0-9_ -]{0,24}["']?\s*(?:[:=,]|=>|\s)\s*["']?`;
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

// Names spelled with one separator throughout (`_`, `.`, `-` or none), written out so the
// engine can prove every match holds a keyword and try the rule only at keyword hits.
const SEPARATORS = ['_', '.', '-', ''];
const spelled = (...words: string[]) => SEPARATORS.map((sep) => words.map(anyCase).join(anyCase(sep))).join('|');
// The secret's usual names: AWS_SECRET_ACCESS_KEY, secretAccessKey, aws_secret_key, aws.secretkey, AWSSecretKey…
const SPECIFIC_SECRET_NAME = `${spelled('secret', 'access', 'key')}|${anyCase('aws')}[_.-]?(?:${spelled('secret', 'key')})`;
// …and the generic one (secretKey, secret_key), an AWS secret only where the text around speaks of AWS (the analyzer checks)
const GENERIC_SECRET_NAME = spelled('secret', 'key');
// name = value, name: value, `--name value`, and <add key="AWSSecretKey" value="…"/>
const SECRET_SEP = String.raw`(?:["']?\s*(?:[:=,]|=>|\s)\s*["']?|["']\s+[Vv]alue\s*=\s*["'])`;

export const awsSecretKeyRule: Rule = {
  id: 'aws-access-key-secret',
  family: 'aws-access-key',
  title: 'AWS secret access key',
  description: 'An AWS secret access key written under its usual name without its key id nearby; the key id is not secret and is often found elsewhere.',
  keywords: ['secret_access_key', 'secret.access.key', 'secret-access-key', 'secretaccesskey', 'secret_key', 'secret.key', 'secret-key', 'secretkey'],
  pattern: new RegExp(String.raw`(?<![A-Za-z0-9])(?:(?:${anyCase('aws')}[_.-]?)?(?<specific>${SPECIFIC_SECRET_NAME})|${GENERIC_SECRET_NAME})${SECRET_SEP}${B64_BEFORE}(?<secret>${SECRET})${B64_AFTER}`, 'g'),
  window: { before: 64, after: 128 },
  // what a generic name needs around it: AWS named somewhere near
  context: { before: 200, after: 120 },
  severity: 'high',
  confidence: 'low',
  analyzer: 'aws-secret-key',
  grantSummary: 'the secret half of an access key (the key id it belongs to was not found next to it)',
  examples: [
    `export AWS_SECRET_ACCESS_KEY=${awsSecret('lone-secret')}`,
    `aws configure set aws_secret_access_key ${awsSecret('cfg')}`,
    `aws.accesskey=\naws.secretkey=${awsSecret('properties')}`,
    `{"awsSecretKey": "${awsSecret('json')}", "region": "us-east-1"}`,
    `<add key="AWSSecretKey" value="${awsSecret('app-config')}" />`,
    `s3:\n  bucket: media-exports\n  secretKey: ${awsSecret('generic')}`,
  ],
  negativeExamples: [
    'AWS_SECRET_ACCESS_KEY=${AWS_SECRET_ACCESS_KEY}',
    'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    'secret_access_key: 0123456789abcdef0123456789abcdef01234567',
    'secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY',
    'aws_secret_key = "<your-secret-key>"',
    `jwt:\n  secret_key: ${awsSecret('not-aws')}`,
  ],
};
