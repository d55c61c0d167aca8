import type { Rule } from '../types.js';
import { join, sampleChars } from './samples.js';

/**
 * Discord webhooks and bot tokens. A bot token's first part is the bot's user id in Base64
 * (the analyzer decodes it: digits only, a snowflake id), so random dotted strings are
 * dropped; bot tokens are searched near the word Discord or a `.run(` call.
 */
const URLSAFE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';
const botToken = (seed: string) => `${Buffer.from(`1${sampleChars(seed, 18, '0123456789')}`).toString('base64url')}.${sampleChars(`${seed}t`, 6, URLSAFE)}.${sampleChars(`${seed}h`, 38, URLSAFE)}`;

export const discordTokenRule: Rule = {
  id: 'discord-token',
  family: 'discord-token',
  title: 'Discord bot token or webhook',
  description: 'A Discord bot token (acts as the bot in every server it joined: reads and posts messages, manages what its permissions allow) or a webhook URL (posts to its channel as anyone).',
  keywords: ['discord', '.run('],
  pattern: new RegExp(
    String.raw`(?<secret>https://(?:(?:ptb|canary)\.)?discord(?:app)?\.com/api/(?:v\d{1,2}/)?webhooks/(?<hook>\d{17,20})/[A-Za-z0-9_-]{60,68})(?![A-Za-z0-9_-])` +
      String.raw`|(?<![A-Za-z0-9_.-])(?<bot>[MNO][A-Za-z0-9_-]{23,27}\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{27,40})(?![A-Za-z0-9_.-])`,
    'g',
  ),
  window: { before: 4096, after: 4096 },
  severity: 'high',
  confidence: 'high',
  analyzer: 'discord-token',
  grantSummary: 'bot user id decoded from the token, or the webhook id; everything the bot may do in its servers',
  examples: [`import discord\n\nclient = discord.Client(intents=intents)\nclient.run("${botToken('dc1')}")`, `DISCORD_WEBHOOK=https://${join('discord', '.com')}/api/webhooks/1${sampleChars('dc2', 18, '0123456789')}/${sampleChars('dc3', 68, URLSAFE)}`],
  negativeExamples: [`# discord\nversion = "MTIzNDU2Nzg5MDEyMzQ1Njc4.abcdef.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"`, `discord_channel = "Nope${sampleChars('dc4', 20, URLSAFE)}.${sampleChars('dc5', 6, URLSAFE)}.${sampleChars('dc6', 30, URLSAFE)}"`],
};
