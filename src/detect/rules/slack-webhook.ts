import type { Rule } from '../types.js';
import { sampleChars } from './samples.js';

/** Slack incoming webhooks: anyone holding the URL posts to its channel. */
export const slackWebhookRule: Rule = {
  id: 'slack-webhook',
  family: 'slack-webhook',
  title: 'Slack incoming webhook',
  description: 'A Slack incoming-webhook URL: anyone can post messages to its channel (phishing from a trusted source) until it is revoked.',
  keywords: ['hooks.slack.com/'],
  pattern: /(?<secret>https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/T[A-Z0-9]{8,12}\/[A-Z0-9]{8,12}\/[A-Za-z0-9]{20,32}(?:\/[A-Za-z0-9]{20,})?)/g,
  window: { before: 16, after: 160 },
  severity: 'medium',
  confidence: 'medium',
  analyzer: 'slack-webhook',
  grantSummary: 'workspace (team) id and webhook id; posting rights to one channel',
  examples: [`SLACK_WEBHOOK=https://hooks.slack.com/services/T${sampleChars('wh1', 10, 'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789')}/B${sampleChars('wh2', 10, 'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789')}/${sampleChars('wh3', 24)}`],
  negativeExamples: ['https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX'],
};
