import { credential, example } from '../credential.js';
import { fromUnixSeconds, humanDuration, iso, relative } from '../time.js';
import type { Analysis, AnalysisContext, MatchInput } from '../types.js';

/**
 * JSON Web Tokens: header and claims decoded (never the signature). Severity:
 * - unsigned (`alg: none`) or empty signature → info (not a usable bearer token for a correct server);
 * - the jwt.io sample and tokens whose claims are placeholders → info (example);
 * - expired (`exp` in the past) → low;
 * - valid with an expiry → medium; no `exp` claim → medium with a reason (valid until the key changes);
 * - no issuer, audience, subject or expiry at all → low (a sample such as `jwt.encode({"some": "payload"})`).
 */
const JWT_IO_SIGNATURE = 'SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';

export interface JwtParts {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
  signature: string;
}

export function decodeJwt(token: string): JwtParts | null {
  const [h, c, s = ''] = token.split('.');
  try {
    const header = JSON.parse(Buffer.from(h!, 'base64url').toString('utf8')) as unknown;
    const claims = JSON.parse(Buffer.from(c!, 'base64url').toString('utf8')) as unknown;
    if (!isObject(header) || !isObject(claims) || typeof header['alg'] !== 'string') return null;
    return { header, claims, signature: s };
  } catch {
    return null;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function analyzeJwt(match: MatchInput, ctx: AnalysisContext): Analysis | null {
  const token = match.groups['secret'];
  if (!token) return null;
  const jwt = decodeJwt(token);
  if (!jwt) return null;
  const { header, claims } = jwt;
  const alg = String(header['alg']);
  const exp = typeof claims['exp'] === 'number' ? fromUnixSeconds(String(Math.floor(claims['exp']))) : null;
  const iat = typeof claims['iat'] === 'number' ? fromUnixSeconds(String(Math.floor(claims['iat']))) : null;
  const details: Record<string, unknown> = {
    alg,
    kid: header['kid'] ?? null,
    issuer: claims['iss'] ?? null,
    audience: claims['aud'] ?? null,
    subject: claims['sub'] ?? null,
    issuedAt: iso(iat),
    expiry: iso(exp),
    scope: claims['scp'] ?? claims['scope'] ?? claims['roles'] ?? null,
  };
  const shown = `${token.split('.').slice(0, 2).join('.')}.…`;
  if (jwt.signature === JWT_IO_SIGNATURE || (claims['name'] === 'John Doe' && claims['sub'] === '1234567890')) return example('jwt', token, 'the jwt.io sample token', { redacted: shown, details });
  if (alg.toLowerCase() === 'none' || jwt.signature.length === 0) {
    return { ...credential({ rule: 'jwt', title: 'Unsigned JSON Web Token', severity: 'info', reasons: ['unsigned token (alg none): a correct server rejects it; it only shows what the claims look like'], secret: token, redacted: shown, details }), material: undefined };
  }
  const who = [claims['iss'] ? `issuer ${String(claims['iss'])}` : null, claims['aud'] ? `audience ${JSON.stringify(claims['aud'])}` : null].filter(Boolean).join(', ');
  if (exp && exp.getTime() <= ctx.now.getTime()) {
    return credential({
      rule: 'jwt',
      title: 'JSON Web Token (expired)',
      severity: 'low',
      reasons: [`expired ${iso(exp)} (${humanDuration((ctx.now.getTime() - exp.getTime()) / 1000)} ago)`, ...(who ? [who] : [])],
      secret: token,
      redacted: shown,
      details,
    });
  }
  const supabase = supabaseKey(claims);
  if (supabase) {
    const service = supabase === 'service_role';
    return credential({
      rule: 'jwt',
      title: service ? 'Supabase service_role key' : 'Supabase anon key',
      severity: service ? 'high' : 'low',
      confidence: 'high',
      reasons: [
        service
          ? `Supabase service_role key of project ${String(claims['ref'] ?? '?')}: bypasses Row Level Security — every table, bucket and user of the project`
          : `Supabase anon key of project ${String(claims['ref'] ?? '?')}: public by design (browsers hold it); it reaches only what Row Level Security allows`,
        ...(exp ? [`valid until ${iso(exp)} (${relative(exp, ctx.now)})`] : []),
      ],
      secret: token,
      redacted: shown,
      details: { ...details, supabaseRole: supabase, project: claims['ref'] ?? null },
      remediation: ['Revoke: Project settings → API keys: roll the JWT secret (legacy keys) or move to sb_secret_ keys and disable the legacy ones.'],
    });
  }
  // a token naming no issuer, audience, subject or expiry is a sample (`jwt.encode({"some": "payload"}, "secret")`)
  const anonymous = !claims['iss'] && !claims['aud'] && !claims['sub'] && !exp;
  return credential({
    rule: 'jwt',
    title: 'JSON Web Token',
    severity: anonymous ? 'low' : 'medium',
    reasons: [
      `${alg}-signed bearer token${who ? ` (${who})` : ''}`,
      exp ? `valid until ${iso(exp)} (${relative(exp, ctx.now)})` : 'no exp claim: accepted until the signing key changes, unless the server limits its age',
      ...(anonymous ? ['no issuer, audience or subject: probably a sample token'] : []),
    ],
    secret: token,
    redacted: shown,
    details,
    remediation: ['Revoke: invalidate the session or rotate the signing key if the token does not expire soon; check the issuer for refresh tokens issued with it.'],
  });
}

/** A Supabase project API key (legacy JWT form): its role, when the issuer is Supabase. */
function supabaseKey(claims: Record<string, unknown>): 'service_role' | 'anon' | null {
  const role = claims['role'];
  if (claims['iss'] !== 'supabase' && !(typeof claims['iss'] === 'string' && /supabase/.test(claims['iss']))) return null;
  return role === 'service_role' || role === 'anon' ? role : null;
}
