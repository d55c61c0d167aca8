import type { Rule } from '../types.js';

/**
 * JSON Web Tokens: bearer tokens whose header and claims are readable. The analyzer decodes
 * both, so an unsigned or long-expired token is told from a live one.
 */
const b64url = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
const SIG = 'c2lnbmF0dXJlLW5vdC1yZWFsLWJ1dC1zaGFwZWQtbGlrZS1vbmU';

export const jwtRule: Rule = {
  id: 'jwt',
  family: 'jwt',
  title: 'JSON Web Token',
  description: 'A signed JSON Web Token: a bearer credential for the audience it names, until it expires.',
  keywords: ['eyJ'],
  keywordsCaseSensitive: true,
  pattern: /(?<![A-Za-z0-9_-])(?<secret>eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]*)(?![A-Za-z0-9_-])/g,
  window: { before: 16, after: 8192 },
  severity: 'medium',
  confidence: 'medium',
  analyzer: 'jwt',
  grantSummary: 'algorithm, issuer, audience, subject, issue and expiry times (decoded from the token)',
  examples: [
    `Authorization: Bearer ${b64url({ alg: 'RS256', typ: 'JWT' })}.${b64url({ iss: 'https://login.example.net/', aud: 'api://storage', sub: 'svc-ingest', iat: 1700000000, exp: 4100000000 })}.${SIG}`,
    // a legacy Supabase service_role key: named as such, high
    `SUPABASE_SERVICE_ROLE_KEY=${b64url({ alg: 'HS256', typ: 'JWT' })}.${b64url({ iss: 'supabase', ref: 'qwertyuiopasdfghjklz', role: 'service_role', iat: 1700000000, exp: 2015000000 })}.${SIG}`,
  ],
  negativeExamples: [
    'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
  ],
};
