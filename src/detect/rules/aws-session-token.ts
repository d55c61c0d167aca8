import type { Rule } from '../types.js';
import { alphabets, join, sampleChars } from './samples.js';

/** AWS STS session tokens (temporary credentials), by their encoded prefix or their name. */
const B64_BEFORE = String.raw`(?<![A-Za-z0-9/+])`;
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
  confidence: 'medium',
  analyzer: 'aws-session-token',
  grantSummary: 'temporary credential (STS); useful to an attacker only with its ASIA key pair and only until it expires',
  examples: [`aws_session_token = ${join('IQoJb3Jp', 'Z2lu')}${sampleChars('sess', 300, alphabets.BASE64)}`],
  negativeExamples: ['aws_session_token = ${AWS_SESSION_TOKEN}', 'session_token: <token>'],
};
