import { findingsForBlob } from '../analyze/findings.js';
import type { SecretMaterial } from '../analyze/findings.js';
import { DEFAULT_POLICY } from '../analyze/policy.js';
import { Detector } from '../detect/engine.js';
import type { Rule } from '../detect/types.js';
import type { Finding } from '../model/finding.js';
import { couldNotCheck, type ContentFinding } from '../model/verification.js';
import { scanBytes } from '../pipeline/blob-scanner.js';
import { azureExposure, type ExposureOptions } from './exposure/walk.js';
import { redactSecrets } from './redact-url.js';
import { applyEvidence } from './severity.js';
import type { Verifier } from './verify.js';

/**
 * `scan --verify [--exposure]`: attaches a verification (and an exposure) block to every
 * finding that has secret material, then re-judges severity with the evidence. One verdict
 * per distinct credential (the verifier caches); findings without material are left alone.
 */
export interface VerifyFindingsOptions {
  exposure?: Omit<ExposureOptions, 'content'> & { scanContent?: { budgetBytes: number; maxObjectBytes: number; rules: readonly Rule[]; showSecrets: boolean } };
  /** Called after each finding is verified (for a progress line). */
  onProgress?: (done: number, total: number) => void;
}

export interface VerifySummary {
  findings: number;
  verified: number;
  distinctCredentials: number;
  requestsSent: number;
  byStatus: Record<string, number>;
  /** Unknown verdicts by cause (dns, timeout, guard, unsupported, …). */
  unknownByCause: Record<string, number>;
  /** Findings whose check was due but could not be made (network, DNS, guard, budget, an answer that says nothing). */
  couldNotCheck: number;
}

export async function verifyFindings(findings: Finding[], material: SecretMaterial, verifier: Verifier, opts: VerifyFindingsOptions = {}): Promise<VerifySummary> {
  const todo = findings.filter((f) => !f.example && material.has(f.fingerprint));
  const exposures = new Map<string, Promise<Finding['exposure']>>();
  let done = 0;
  await Promise.all(
    todo.map(async (f) => {
      const m = material.get(f.fingerprint)!;
      // verifier.verify never throws (each credential is isolated); the exposure walk is isolated below
      f.verification = await verifier.verify({ rule: f.rule, grant: f.grant ?? null, material: m });
      if (opts.exposure && f.verification.status === 'live' && f.grant?.provider === 'azure') {
        // one walk per credential, like the verdict
        const key = `${f.grant.account ?? ''}\0${m['token'] ?? m['connectionString'] ?? m['url'] ?? ''}`;
        if (!exposures.has(key)) exposures.set(key, isolatedExposure(f, m, verifier, opts.exposure));
        const e = await exposures.get(key)!;
        if (e) f.exposure = e;
      }
      applyEvidence(f);
      opts.onProgress?.(++done, todo.length);
    }),
  );
  const byStatus: Record<string, number> = {};
  const unknownByCause: Record<string, number> = {};
  let unchecked = 0;
  for (const f of todo) {
    const v = f.verification!;
    byStatus[v.status] = (byStatus[v.status] ?? 0) + 1;
    if (v.status === 'unknown') unknownByCause[v.cause ?? 'error'] = (unknownByCause[v.cause ?? 'error'] ?? 0) + 1;
    if (couldNotCheck(v)) unchecked++;
  }
  return { findings: findings.length, verified: todo.length, distinctCredentials: verifier.distinctCredentials, requestsSent: verifier.guard.requestsSent, byStatus, unknownByCause, couldNotCheck: unchecked };
}

/** A walk that fails says so on the finding; it never ends the run or hides the verdict. */
async function isolatedExposure(f: Finding, m: Record<string, string>, verifier: Verifier, opts: NonNullable<VerifyFindingsOptions['exposure']>): Promise<Finding['exposure']> {
  try {
    return await exposureFor(f, m, verifier, opts);
  } catch (e) {
    const error = `the walk failed: ${redactSecrets(e instanceof Error ? e.message : String(e)).split('\n')[0]!.slice(0, 300)}`;
    return {
      partial: true,
      partialReasons: [error],
      error,
      enumerable: [],
      totals: { containers: 0, objects: 0, bytes: 0 },
      containers: [],
      largest: [],
      sensitive: [],
      sensitiveCounts: {},
      writable: false,
      limits: { maxObjects: opts.maxObjects, maxSeconds: opts.maxSeconds },
      requests: 0,
      durationMs: 0,
    };
  }
}

async function exposureFor(f: Finding, m: Record<string, string>, verifier: Verifier, opts: NonNullable<VerifyFindingsOptions['exposure']>): Promise<Finding['exposure']> {
  const scope = verifier.scopeFor({ rule: f.rule, grant: f.grant ?? null, material: m });
  if (!scope) return undefined;
  const { scanContent, ...rest } = opts;
  const walkOpts: ExposureOptions = { ...rest };
  if (scanContent) walkOpts.content = { budgetBytes: scanContent.budgetBytes, maxObjectBytes: scanContent.maxObjectBytes, detect: contentDetector(scanContent.rules, scanContent.showSecrets) };
  return azureExposure(scope.target, f.grant ?? null, f.verification ?? null, scope.client, walkOpts);
}

/** Runs the scan rules on one downloaded object: the same detect → analyze path as a file. */
export function contentDetector(rules: readonly Rule[], showSecrets: boolean) {
  const detector = new Detector(rules);
  const ruleMap = new Map(rules.map((r) => [r.id, r]));
  return (container: string, name: string, bytes: Buffer): ContentFinding[] => {
    const path = `${container}/${name}`;
    const blob = scanBytes(detector, path, bytes);
    const found = findingsForBlob(path, blob.matches, ruleMap, { now: new Date(), policy: DEFAULT_POLICY, showSecrets, includeExamples: false });
    return found.map((x) => ({ container, name, rule: x.rule, severity: x.severity, line: x.location.line, secret: x.secret }));
  };
}

