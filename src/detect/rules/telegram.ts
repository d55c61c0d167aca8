import type { Rule } from '../types.js';
import { join, sampleChars } from './samples.js';

/** Telegram bot tokens: `<bot id>:AA<33>`. */
const URLSAFE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';

export const telegramBotTokenRule: Rule = {
  id: 'telegram-bot-token',
  family: 'telegram-bot-token',
  title: 'Telegram bot token',
  description: 'A Telegram bot token: reads every message sent to the bot and posts as it in its chats and channels.',
  keywords: [':AA'],
  keywordsCaseSensitive: true,
  pattern: /(?<![A-Za-z0-9_:-])(?<secret>(?<bot>\d{8,10}):AA[A-Za-z0-9_-]{33})(?![A-Za-z0-9_-])/g,
  window: { before: 24, after: 64 },
  severity: 'high',
  confidence: 'medium',
  analyzer: 'telegram-bot-token',
  grantSummary: 'bot id (the number before the colon); every chat the bot is in',
  examples: [`TELEGRAM_BOT_TOKEN=7${sampleChars('tg1', 9, '0123456789')}${join(':A', 'A')}${sampleChars('tg2', 33, URLSAFE)}`, `bot = telebot.TeleBot("6${sampleChars('tg3', 9, '0123456789')}${join(':A', 'A')}${sampleChars('tg4', 33, URLSAFE)}")`],
  negativeExamples: ['TELEGRAM_BOT_TOKEN=123456789:AAxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', 'mac 00:AA:BB:CC:DD:EE', 'TOKEN=1234567890:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
};
