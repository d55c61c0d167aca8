import { redactText, redactValue } from '../analyze/redact.js';
import type { Finding } from '../model/finding.js';
import type { FindingDetail, StoredFinding } from '../store/types.js';

/**
 * What leaves the server about a finding. The store holds findings redacted (scan --store
 * refuses --show-secrets), but the console does not rely on it: every finding is redacted
 * again here — secret query parameters and key ids cut wherever they appear, and a secret
 * recorded unredacted (by a library caller) cut to its first characters — before any page or
 * API response is made from it.
 */
export function browserSafe(f: Finding): Finding {
  const secret = f.redacted === false ? redactValue(f.secret) : redactText(f.secret);
  const out = deepRedact(f) as Finding;
  out.secret = secret;
  out.redacted = true;
  out.fingerprint = f.fingerprint;
  return out;
}

function deepRedact(v: unknown): unknown {
  if (typeof v === 'string') return redactText(v);
  if (Array.isArray(v)) return v.map(deepRedact);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, deepRedact(x)]));
  return v;
}

/** One row of the findings table (and of the API's list). */
export interface FindingRow {
  fingerprint: string;
  rule: string;
  title: string;
  severity: string;
  confidence: string;
  status: string;
  statusBy: string | null;
  statusAt: string | null;
  stillValid: boolean;
  presentAtHead: boolean;
  expiry: string | null;
  account: string | null;
  resource: string | null;
  provider: string | null;
  kind: string | null;
  repositories: { id: number; name: string; path: string; line: number | null; presentAtHead: boolean }[];
  firstSeen: string;
  lastSeen: string;
}

export function findingRow(s: StoredFinding): FindingRow {
  const f = browserSafe(s.finding);
  const r = f.grant?.resource;
  const resource = r ? [r.container ?? r.share ?? r.bucket ?? r.queue ?? r.table, r.path ?? r.object ?? r.key].filter(Boolean).join('/') || null : null;
  return {
    fingerprint: s.fingerprint,
    rule: f.rule,
    title: f.title,
    severity: f.severity,
    confidence: f.confidence,
    status: s.status,
    statusBy: s.statusBy,
    statusAt: s.statusAt?.toISOString() ?? null,
    stillValid: s.stillValid,
    presentAtHead: s.presentAtHead,
    expiry: f.grant?.expiry ?? null,
    account: f.grant?.account ?? null,
    resource,
    provider: f.grant?.provider ?? null,
    kind: f.grant?.kind ?? null,
    repositories: s.places.map((p) => ({ id: p.repositoryId, name: p.repository, path: redactText(p.path), line: p.line, presentAtHead: p.presentAtHead })),
    firstSeen: s.firstSeen.toISOString(),
    lastSeen: s.lastSeen.toISOString(),
  };
}

/** A finding with everything the finding page shows (API: GET /api/findings/{fingerprint}). */
export function findingDetail(d: FindingDetail): Record<string, unknown> {
  return {
    ...findingRow(d),
    statusNote: d.statusNote,
    finding: browserSafe(d.finding),
    places: d.places.map((p) => ({ ...p, path: redactText(p.path) })),
    occurrences: d.occurrences.map((o) => ({ ...o, path: redactText(o.path) })),
    triage: d.triage,
  };
}
