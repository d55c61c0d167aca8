import type { Rule } from '../types.js';
import { join, sampleChars } from './samples.js';

/** Slack API tokens: bot, user, app-level, configuration and refresh. */
const digits = (seed: string, n: number) => sampleChars(seed, n, '0123456789');

export const slackTokenRule: Rule = {
  id: 'slack-token',
  family: 'slack-token',
  title: 'Slack token',
  description: 'A Slack API token (bot, user, app-level, configuration or refresh): reads and posts in the workspace with the scopes it was granted.',
  keywords: ['xoxb-', 'xoxp-', 'xoxa-', 'xoxr-', 'xoxe-', 'xoxe.', 'xoxs-', 'xoxo-', 'xapp-'],
  pattern: new RegExp(
    String.raw`(?<![A-Za-z0-9_-])(?<secret>xox[bpaos]-(?:\d-)?[0-9]{8,14}-[0-9]{8,14}(?:-[0-9]{8,14})?-[A-Za-z0-9]{24,64}` +
      // legacy bot tokens (one number) and legacy workspace/session tokens (three numbers, a short hex tail)
      // (and file-access tokens, `xoxe-` with three numbers and a hex tail, in the `?t=` of private file links)
      String.raw`|xoxb-[0-9]{8,14}-[A-Za-z0-9]{24}|xox[ose]-[0-9]{8,14}-[0-9]{8,14}-[0-9]{8,14}-[a-f0-9]{8,64}` +
      String.raw`|xoxe\.xox[bp]-1-[A-Za-z0-9]{100,200}|xoxe-1-[A-Za-z0-9]{100,200}|xoxr-[0-9]{8,14}-[0-9]{8,14}-[A-Za-z0-9]{20,64}` +
      String.raw`|xapp-1-[A-Z0-9]{9,12}-[0-9]{10,14}-[a-f0-9]{60,70})(?![A-Za-z0-9_-])`,
    'g',
  ),
  window: { before: 16, after: 256 },
  severity: 'high',
  confidence: 'medium',
  analyzer: 'slack-token',
  grantSummary: 'token type by prefix (bot, user, app-level, configuration, refresh), workspace and user ids from the token',
  examples: [
    `SLACK_BOT_TOKEN=${join('xo', 'xb-')}${digits('sl1', 12)}-${digits('sl2', 13)}-${sampleChars('sl3', 24)}`,
    `token: ${join('xo', 'xp-')}${digits('sl4', 12)}-${digits('sl5', 12)}-${digits('sl6', 13)}-${sampleChars('sl7', 32, '0123456789abcdef')}`,
    `data = {'token': '${join('xo', 'xb-')}${digits('sl8', 12)}-${sampleChars('sl9', 24)}'}`,
    `SLACK_LEGACY_TOKEN=${join('xo', 'xs-')}${digits('sl10', 10)}-${digits('sl11', 10)}-${digits('sl12', 10)}-${sampleChars('sl13', 10, '0123456789abcdef')}`,
    `${join('xo', 'xa-')}2-${digits('sl14', 12)}-${digits('sl15', 12)}-${digits('sl16', 12)}-${sampleChars('sl17', 32, '0123456789abcdef')}`,
    `"url_private": "https://files.slack.com/files-pri/T${sampleChars('sl21', 10, 'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789')}-F${sampleChars('sl22', 10, 'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789')}/image.png?t=${join('xo', 'xe-')}${digits('sl23', 13)}-${digits('sl24', 13)}-${digits('sl25', 13)}-${sampleChars('sl26', 32, '0123456789abcdef')}"`,
    `SLACK_APP_TOKEN=${join('xa', 'pp-')}1-A${sampleChars('sl18', 10, 'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789')}-${digits('sl19', 13)}-${sampleChars('sl20', 64, '0123456789abcdef')}`,
  ],
  negativeExamples: ['export SLACK_BOT_TOKEN="xoxb-your-bot-token"', 'xoxb-000000000000-0000000000000-XXXXXXXXXXXXXXXXXXXXXXXX', 'xoxb-123456789012-abcdefghijklmnopqrstuvwx', 'slack_tokens = ["xoxb-", "xoxp-", "xoxs-"]', 'https://files.slack.com/files-pri/T0000-F0000/a.png?t=xoxe-000000000000-000000000000-000000000000-00000000000000000000000000000000'],
};
