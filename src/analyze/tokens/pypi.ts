import { credential, example } from '../credential.js';
import { iso } from '../time.js';
import type { Analysis, AnalysisContext, MatchInput } from '../types.js';

/**
 * PyPI API tokens are macaroons (v2 binary, Base64url after `pypi-`). The location says the
 * index; caveats say the scope: `{"permissions": "user"}` (every project of the user) or
 * project lists, and newer tokens carry an expiry caveat `[0, exp, nbf]`.
 * Severity: user-wide → high; project-scoped → high (it can still publish those projects);
 * expired by its own caveat → low; undecodable → info.
 */
export interface MacaroonScope {
  location: string | null;
  scope: 'user' | 'projects' | 'unknown';
  projects: string[];
  expiry: Date | null;
}

export function readPypiMacaroon(token: string): MacaroonScope | null {
  let bytes: Buffer;
  try {
    bytes = Buffer.from(token.replace(/^pypi-/, ''), 'base64url');
  } catch {
    return null;
  }
  if (bytes[0] !== 2) return null;
  const out: MacaroonScope = { location: null, scope: 'unknown', projects: [], expiry: null };
  const strings: string[] = [];
  let i = 1;
  try {
    while (i < bytes.length) {
      const type = readVarint(bytes, i);
      i = type.next;
      if (type.value === 0) continue; // end of a section
      const len = readVarint(bytes, i);
      i = len.next;
      const data = bytes.subarray(i, i + len.value);
      i += len.value;
      if (type.value === 1 && out.location === null) out.location = data.toString('utf8');
      else if (type.value === 2) strings.push(data.toString('utf8'));
      else if (type.value === 6) break;
    }
  } catch {
    return out.location ? out : null;
  }
  for (const s of strings.slice(1)) readCaveat(s, out);
  return out;
}

function readVarint(b: Buffer, at: number): { value: number; next: number } {
  let value = 0;
  let shift = 0;
  let i = at;
  for (;;) {
    if (i >= b.length) throw new Error('short');
    const byte = b[i++]!;
    value |= (byte & 0x7f) << shift;
    if (!(byte & 0x80)) return { value, next: i };
    shift += 7;
  }
}

function readCaveat(text: string, out: MacaroonScope): void {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return;
  }
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    const perms = (v as { permissions?: unknown }).permissions;
    if (perms === 'user') out.scope = 'user';
    else if (perms && typeof perms === 'object' && Array.isArray((perms as { projects?: unknown }).projects)) {
      out.scope = 'projects';
      // bounded: the projects in one token (a match is at most its rule's window)
      out.projects.push(...((perms as { projects: unknown[] }).projects.map(String)));
    }
    return;
  }
  if (Array.isArray(v)) {
    const [tag, a] = v as [unknown, unknown];
    if (tag === 0 && typeof a === 'number') out.expiry = new Date(a * 1000);
    else if (tag === 1 && Array.isArray(a)) {
      out.scope = 'projects';
      // bounded: the projects in one token
      out.projects.push(...a.map(String));
    } else if (tag === 2 && Array.isArray(a)) out.scope = out.scope === 'unknown' ? 'projects' : out.scope;
    else if (tag === 3) out.scope = out.scope === 'unknown' ? 'user' : out.scope;
  }
}

export function analyzePypiToken(match: MatchInput, ctx: AnalysisContext): Analysis | null {
  const token = match.groups['secret'];
  if (!token) return null;
  const m = readPypiMacaroon(token);
  if (!m || !m.location) return example('pypi-token', token, 'not a decodable PyPI macaroon (truncated or placeholder)');
  const index = m.location;
  const details: Record<string, unknown> = { index, scope: m.scope, projects: m.projects, expiry: iso(m.expiry) };
  const expired = m.expiry !== null && m.expiry.getTime() <= ctx.now.getTime();
  const what = m.scope === 'projects' ? `projects ${m.projects.join(', ') || '(by id)'}` : m.scope === 'user' ? 'every project of its user' : 'the projects of its user (scope caveat not recognised)';
  return credential({
    rule: 'pypi-token',
    title: `PyPI API token (${index})`,
    severity: expired ? 'low' : 'high',
    reasons: expired ? [`expired ${iso(m.expiry)} by its own caveat`] : [`uploads releases of ${what} on ${index}: a supply-chain risk`, m.expiry ? `expires ${iso(m.expiry)}` : 'no expiry caveat: valid until deleted'],
    secret: token,
    details,
    remediation: [`Revoke: ${index} → Account settings → API tokens → remove.`, 'Investigate: the release history of the affected projects.', 'Replace: trusted publishing (OIDC) from CI.'],
  });
}
