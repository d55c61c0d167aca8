import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Analysis } from './types.js';

/**
 * Credentials and signatures that vendors publish in their documentation (the AWS
 * `…EXAMPLE` keys, the Azurite and Cosmos DB emulator keys, the SAS, SigV4 and signed-URL
 * examples, Stripe's and GitHub's sample tokens). The list is data — `data/doc-samples.json`,
 * one entry per sample with the page it comes from — and every rule consults it through
 * `asDocumentedSample`, so a copied documentation sample is an info example whichever rule
 * found it.
 */
export interface DocSample {
  id: string;
  provider: string;
  what: string;
  source: string;
  /** The sample itself. */
  value?: string;
  /** The start of a sample the docs show truncated (at least 32 characters). */
  prefix?: string;
  /** SHA-256 (hex) of a sample kept out of the source as a literal. */
  sha256?: string;
  starts?: string;
}

interface DocSampleFile {
  samples: DocSample[];
}

export const DOC_SAMPLES: readonly DocSample[] = (JSON.parse(readFileSync(new URL('./data/doc-samples.json', import.meta.url), 'utf8')) as DocSampleFile).samples;

const BY_VALUE = new Map<string, DocSample>();
const BY_HASH = new Map<string, DocSample>();
const PREFIXED: DocSample[] = [];
for (const s of DOC_SAMPLES) {
  if (s.value) BY_VALUE.set(s.value, s);
  if (s.sha256) BY_HASH.set(s.sha256, s);
  if (s.prefix && s.prefix.length >= 32) PREFIXED.push(s);
}

/** The value of a sample by id (for code that needs the literal, such as the emulator key). */
export function docSampleValue(id: string): string {
  const v = DOC_SAMPLES.find((s) => s.id === id)?.value;
  if (!v) throw new Error(`no documentation sample ${id}`);
  return v;
}

/** The documentation sample a value is, if any (exact, percent-decoded, or by a published prefix). */
export function documentedSample(value: string): DocSample | undefined {
  for (const v of new Set([value, percentDecoded(value)])) {
    const hit = BY_VALUE.get(v) ?? BY_HASH.get(sha256(v)) ?? PREFIXED.find((s) => v.startsWith(s.prefix!));
    if (hit) return hit;
  }
  return undefined;
}

// credential-shaped runs inside a raw match: Base64/Base64url/hex, with `%XX` escapes
const TOKENS = /[A-Za-z0-9+/_.~%-]{16,}={0,2}/g;

/** The sample found in an analysis: its secret value, or a credential-shaped part of what was matched. */
export function sampleIn(a: Pick<Analysis, 'secretValue' | 'shown'>): DocSample | undefined {
  const direct = documentedSample(a.secretValue);
  if (direct) return direct;
  for (const part of a.secretValue.split(/[:\s]/)) if (part.length >= 16 && part !== a.secretValue) {
    const hit = documentedSample(part);
    if (hit) return hit;
  }
  for (const m of a.shown.raw.matchAll(TOKENS)) {
    const hit = documentedSample(m[0]);
    if (hit) return hit;
  }
  return undefined;
}

/**
 * A real-looking finding that is in fact a published documentation sample becomes an
 * example (info, shown only with --include-examples), naming the page it comes from.
 */
export function asDocumentedSample(a: Analysis): Analysis {
  const sample = sampleIn(a);
  if (!sample) return a;
  const why = `published documentation sample: ${sample.what} (${sample.source}); public, not a secret`;
  // an analyzer that already called it an example (by shape: `…EXAMPLE`) gains the page it comes from
  if (a.example) return { ...a, reasons: [...a.reasons, why] };
  // an analyzer that already knew it (the emulator key: info, counted, folded in text) keeps
  // its own account of it and gains the page
  if (a.severity === 'info') return { ...a, reasons: [...a.reasons, why] };
  const out: Analysis = { ...a, severity: 'info', example: true, reasons: [why] };
  delete out.material;
  delete out.explanation;
  delete out.remediation;
  delete out.playbook;
  return out;
}

function sha256(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}

function percentDecoded(s: string): string {
  if (!s.includes('%')) return s;
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
