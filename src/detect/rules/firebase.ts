import type { Rule } from '../types.js';
import { join, sampleChars } from './samples.js';

/** Firebase Cloud Messaging legacy server keys (`AAAA…:APA91b…`). Firebase web `apiKey`s are Google API keys (google-api-key). */
const URLSAFE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';

export const firebaseFcmKeyRule: Rule = {
  id: 'firebase-fcm-server-key',
  family: 'firebase-fcm-server-key',
  title: 'Firebase Cloud Messaging server key (legacy)',
  description: 'A legacy FCM server key: sends push notifications to every user of the app (the legacy API was retired in 2024; old projects may still accept it).',
  keywords: [':APA91b'],
  keywordsCaseSensitive: true,
  pattern: /(?<![A-Za-z0-9_-])(?<secret>AAAA[A-Za-z0-9_-]{7}:APA91b[A-Za-z0-9_-]{120,160})(?![A-Za-z0-9_-])/g,
  window: { before: 32, after: 200 },
  severity: 'medium',
  confidence: 'medium',
  analyzer: 'firebase-fcm-server-key',
  grantSummary: 'sender project key id (the part before the colon); push to every device of the app',
  examples: [`FCM_SERVER_KEY=${join('AA', 'AA')}${sampleChars('fcm1', 7, URLSAFE)}:${join('APA', '91b')}${sampleChars('fcm2', 134, URLSAFE)}`],
  // a device registration token has the same tail but no AAAA key id: not a credential of the sender
  negativeExamples: [`"to": "fJ${sampleChars('reg', 9, URLSAFE)}:${join('APA', '91b')}${sampleChars('reg2', 134, URLSAFE)}"`, 'server_key = "AAAA...:APA91b..."'],
};
