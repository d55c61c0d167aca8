import type { Rule } from '../types.js';
import { sampleChars } from './samples.js';

/** Slack incoming webhooks: anyone holding the URL posts to its channel. */
export const slackWebhookRule: Rule = {
  id: 'slack-webhook',
  family: 'slack-webhook',
  title: 'Slack incoming webhook',
  description: 'A Slack incoming-webhook URL: anyone can post messages to its channel (phishing from a trusted source) until it is revoked.',
  keywords: ['hooks.slack.com/'],
  // incoming webhooks (services/T…/B…/secret), Workflow Builder webhooks (workflows/T…/A…/id/secret,
  // triggers/T…/id/secret), also written with http://
  pattern: /(?<secret>https?:\/\/hooks\.slack\.com\/(?<kind>services|workflows|triggers)\/T[A-Z0-9]{8,12}(?:\/[A-Za-z0-9]{8,24}){1,2}\/[A-Za-z0-9]{20,40})(?![A-Za-z0-9])/g,
  window: { before: 16, after: 160 },
  severity: 'medium',
  confidence: 'medium',
  analyzer: 'slack-webhook',
  grantSummary: 'workspace (team) id and webhook id; posting rights to one channel',
  examples: [
    `SLACK_WEBHOOK=https://hooks.slack.com/services/T${sampleChars('wh1', 10, 'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789')}/B${sampleChars('wh2', 10, 'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789')}/${sampleChars('wh3', 24)}`,
    `webhook_url = "http://hooks.slack.com/services/T${sampleChars('wh4', 8, 'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789')}/B${sampleChars('wh5', 10, 'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789')}/${sampleChars('wh6', 24)}"`,
    `SLACK_WEBHOOK_URL: https://hooks.slack.com/triggers/T${sampleChars('wh7', 10, 'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789')}/${sampleChars('wh8', 13, '0123456789')}/${sampleChars('wh9', 32, '0123456789abcdef')}`,
    `https://hooks.slack.com/workflows/T${sampleChars('wh10', 10, 'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789')}/A${sampleChars('wh11', 10, 'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789')}/${sampleChars('wh12', 18, '0123456789')}/${sampleChars('wh13', 24)}`,
  ],
  negativeExamples: ['https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX', 'https://hooks.slack.com/triggers/T0123456789/3141592653589/your-trigger-secret', 'see https://hooks.slack.com/ for details'],
};
