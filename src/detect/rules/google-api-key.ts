import type { Rule } from '../types.js';
import { join, sampleChars } from './samples.js';

/**
 * Google API keys (`AIza` + 35): Maps, Gemini, YouTube and every other Google API that takes
 * a key, and Firebase web configs. A key in a Firebase web config is public by design (it
 * only names the project); the analyzer says so and rates it low.
 */
const URLSAFE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';
const key = (seed: string) => `${join('AI', 'za')}${sampleChars(seed, 35, URLSAFE)}`;

export const googleApiKeyRule: Rule = {
  id: 'google-api-key',
  family: 'google-api-key',
  title: 'Google API key',
  description: 'A Google API key: billed calls to every API the key is not restricted from (Gemini, Maps, Translate…) in its project; Firebase web keys only name the project.',
  keywords: ['AIza'],
  keywordsCaseSensitive: true,
  pattern: /(?<![A-Za-z0-9_-])(?<secret>AIza[0-9A-Za-z_-]{35})(?![A-Za-z0-9_-])/g,
  window: { before: 16, after: 64 },
  context: { before: 300, after: 300 },
  severity: 'medium',
  confidence: 'medium',
  analyzer: 'google-api-key',
  grantSummary: 'key format; whether it sits in a Firebase web config (public by design) or is used for a paid API such as Gemini',
  examples: [`GOOGLE_API_KEY=${key('g1')}`, `genai.configure(api_key="${key('g2')}")`, `const firebaseConfig = {\n  apiKey: "${key('g3')}",\n  authDomain: "shop-7f3a1.firebaseapp.com",\n  projectId: "shop-7f3a1",\n};`],
  negativeExamples: ['GOOGLE_API_KEY=AIzaXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX', 'key=AIzaSy...', `maps_key: "${join('AI', 'za')}${sampleChars('short', 20, URLSAFE)}"`],
};
