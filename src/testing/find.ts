import { findingsForBlob } from '../analyze/findings.js';
import { DEFAULT_POLICY } from '../analyze/policy.js';
import { Detector } from '../detect/engine.js';
import { BUILTIN_RULES } from '../detect/rules/index.js';
import type { Rule } from '../detect/types.js';
import type { Finding } from '../model/finding.js';
import { scanBytes } from '../pipeline/blob-scanner.js';

/** Runs one in-memory file through detect → analyze, as a scan would (for unit tests). */
export function findIn(
  text: string | Buffer,
  opts: { path?: string; now?: Date; includeExamples?: boolean; showSecrets?: boolean; rules?: readonly Rule[]; contextRoot?: string } = {},
): Finding[] {
  const rules = opts.rules ?? BUILTIN_RULES;
  const path = opts.path ?? 'file.txt';
  const blob = scanBytes(new Detector(rules), path, typeof text === 'string' ? Buffer.from(text, 'utf8') : text);
  return findingsForBlob(path, blob.matches, new Map(rules.map((r) => [r.id, r])), {
    now: opts.now ?? new Date('2026-11-29T00:00:00Z'),
    policy: DEFAULT_POLICY,
    includeExamples: Boolean(opts.includeExamples),
    showSecrets: Boolean(opts.showSecrets),
    contextRoot: opts.contextRoot,
  });
}
