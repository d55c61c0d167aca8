import type { Rule } from '../types.js';
import { alphabets, join, sampleChars } from './samples.js';

/**
 * Supabase keys: management-API personal access tokens (`sbp_`) and project secret keys
 * (`sb_secret_`). Publishable keys (`sb_publishable_`) and anon JWTs are public by design;
 * legacy `service_role` JWTs are found by the jwt rule, whose analyzer names them.
 */
const { HEX } = alphabets;
const URLSAFE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';

export const supabaseKeyRule: Rule = {
  id: 'supabase-key',
  family: 'supabase-key',
  title: 'Supabase secret key or access token',
  description: 'A Supabase project secret key (bypasses Row Level Security: every table and bucket of the project) or a personal access token for the management API (every project of the user).',
  keywords: ['sbp_', 'sb_secret_'],
  keywordsCaseSensitive: true,
  pattern: /(?<![A-Za-z0-9_])(?<secret>sbp_(?:v0_)?[a-f0-9]{40}|sb_secret_[A-Za-z0-9_-]{20,64})(?![A-Za-z0-9_-])/g,
  window: { before: 16, after: 96 },
  severity: 'high',
  confidence: 'medium',
  analyzer: 'supabase-key',
  grantSummary: 'key kind by prefix (project secret key, management personal access token)',
  examples: [`SUPABASE_SECRET_KEY=${join('sb_', 'secret_')}${sampleChars('sb1', 31, URLSAFE)}`, `SUPABASE_ACCESS_TOKEN=${join('sb', 'p_')}${sampleChars('sb2', 40, HEX)}`],
  negativeExamples: [`SUPABASE_PUBLISHABLE_KEY=sb_publishable_${sampleChars('sb3', 31, URLSAFE)}`, 'SUPABASE_SECRET_KEY=sb_secret_...', 'SUPABASE_ACCESS_TOKEN=sbp_0000000000000000000000000000000000000000'],
};
