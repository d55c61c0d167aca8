import type { Confidence } from '../model/confidence.js';
import type { Grant, Provider, RevocationMethod } from '../model/grant.js';
import type { Severity } from '../model/severity.js';
import { redactValue } from './redact.js';
import type { Analysis } from './types.js';

/**
 * Builders shared by the analyzers of keys and tokens, so every one of them reports the
 * same way: the secret goes into `secretValue` (fingerprint) and `shown` (redacted by
 * default), never into the grant or the details.
 */
export interface CredentialJudgement {
  rule: string;
  title?: string;
  severity: Severity;
  reasons: string[];
  secret: string;
  /** The credential as found, when wider than the secret (a whole connection string). */
  raw?: string;
  redacted?: string;
  grant?: Grant | null;
  details?: Record<string, unknown>;
  explanation?: string;
  remediation?: string[];
  material?: Record<string, string>;
  /** How sure this match is to be a real credential, when the analyzer knows better than the rule. */
  confidence?: Confidence;
}

export function credential(j: CredentialJudgement): Analysis {
  const raw = j.raw ?? j.secret;
  const a: Analysis = {
    rule: j.rule,
    severity: j.severity,
    reasons: j.reasons,
    grant: j.grant ?? null,
    secretValue: j.secret,
    shown: { raw, redacted: j.redacted ?? redactValue(raw) },
    example: false,
    material: j.material ?? { secret: j.secret },
  };
  if (j.title) a.title = j.title;
  if (j.confidence) a.confidence = j.confidence;
  if (j.details) a.details = j.details;
  if (j.explanation) a.explanation = j.explanation;
  if (j.remediation) a.remediation = j.remediation;
  return a;
}

/** A documentation placeholder or published example: reported only with --include-examples, as info. */
export function example(rule: string, secret: string, reason: string, extra: Partial<CredentialJudgement> = {}): Analysis {
  const a = credential({ rule, reasons: [reason], secret, ...extra, severity: 'info' });
  a.example = true;
  delete a.material;
  return a;
}

export interface KeyGrantInput {
  provider: Provider;
  kind: string;
  account?: string | null;
  services?: string[];
  scope: string;
  revocation: RevocationMethod;
  revocationHint: string;
  notes?: string[];
  details?: Record<string, unknown>;
  resource?: Grant['resource'];
  start?: string | null;
  expiry?: string | null;
  lifetimeSeconds?: number | null;
  expired?: boolean | null;
  emulator?: boolean;
}

/** A grant for a key: who it belongs to and how to kill it; no link-style limits. */
export function keyGrant(k: KeyGrantInput): Grant {
  const g: Grant = {
    provider: k.provider,
    kind: k.kind,
    account: k.account ?? null,
    services: k.services ?? [],
    resource: k.resource ?? null,
    scope: k.scope,
    permissions: null,
    start: k.start ?? null,
    expiry: k.expiry ?? null,
    lifetimeSeconds: k.lifetimeSeconds ?? null,
    expired: k.expired ?? (k.expiry ? null : false),
    protocols: null,
    ipRange: null,
    storedPolicy: null,
    revocation: k.revocation,
    revocationHint: k.revocationHint,
    notes: k.notes ?? [],
  };
  if (k.details) g.details = k.details;
  if (k.emulator !== undefined) g.emulator = k.emulator;
  return g;
}

/** Lower-case hex of a given length. */
export function isHex(s: string, length?: number): boolean {
  return /^[0-9a-f]+$/i.test(s) && (length === undefined || s.length === length);
}

/** Mixed-class check used by rules whose secrets are random Base64: upper, lower and a digit or symbol. */
export function looksRandomBase64(s: string): boolean {
  return /[A-Z]/.test(s) && /[a-z]/.test(s) && /[0-9+/]/.test(s);
}
