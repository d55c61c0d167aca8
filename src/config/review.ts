import { createHash } from 'node:crypto';
import path from 'node:path';
import { fingerprintOf } from '../analyze/fingerprint.js';
import type { Rule } from '../detect/types.js';
import type { Finding } from '../model/finding.js';
import type { Severity } from '../model/severity.js';
import { parseBaseline } from './baseline.js';
import { CONFIG_NAMES, emptyConfig, loadConfigText, type SasquatchConfig } from './load.js';
import { configChanges, configWarnings } from './trust.js';

/**
 * A change to sasquatch's own configuration or baseline decides what every later scan
 * reports, and it arrives in the same pull request or commit as the code it would hide. In
 * the pre-commit hook (`--staged`) and the GitHub Action (`--config-changes-since <base>`)
 * such a change is a finding to review, which no configuration or baseline can suppress:
 * - a configuration that adds settings narrowing the scan (rules off, broad excludes or
 *   allows, limits, failOn) → high, with those settings as reasons;
 * - a baseline that accepts new findings → medium, naming them;
 * - any other configuration change → low (the default --fail-on still stops it).
 */
export const CONFIG_CHANGE_RULE: Rule = {
  id: 'sasquatch-config-change',
  family: 'sasquatch-config',
  title: 'sasquatch configuration or baseline changed',
  description:
    'A change to sasquatch.config.* or the baseline in the reviewed commits: it decides what the scan reports (rules turned off, paths excluded or allowed, findings accepted), so it is reviewed like code.',
  keywords: [],
  pattern: /(?!)/g,
  severity: 'high',
  grantSummary: 'the settings the change adds that narrow the scan (high), the findings a baseline change accepts (medium), or a plain configuration change (low)',
  examples: [],
  negativeExamples: [],
};

export const BASELINE_NAME = '.sasquatch-baseline';

/** Whether a repository path is one of sasquatch's configuration or baseline files. */
export function isConfigFile(p: string, baselines: readonly string[] = []): boolean {
  const base = path.posix.basename(p);
  return CONFIG_NAMES.includes(base) || base === BASELINE_NAME || baselines.includes(p);
}

export interface ChangedConfigFile {
  path: string;
  before: string | null;
  after: string | null;
}

export function configChangeFindings(changes: readonly ChangedConfigFile[], root: string): Finding[] {
  const out: Finding[] = [];
  for (const c of changes) {
    const judged = CONFIG_NAMES.includes(path.posix.basename(c.path)) ? judgeConfig(c, root) : judgeBaseline(c);
    if (judged) out.push(finding(c, judged));
  }
  return out;
}

interface Judgement {
  severity: Severity;
  title: string;
  reasons: string[];
  shown: string;
}

function judgeConfig(c: ChangedConfigFile, root: string): Judgement {
  if (c.after === null) return { severity: 'low', title: 'sasquatch configuration deleted', reasons: ['configuration deleted: the defaults apply from this commit on'], shown: `${c.path} deleted` };
  const file = path.join(root, c.path);
  let after: SasquatchConfig;
  try {
    after = loadConfigText(file, c.after);
  } catch (e) {
    return { severity: 'medium', title: 'sasquatch configuration changed (does not load)', reasons: [`the changed configuration does not load: ${e instanceof Error ? e.message : String(e)}`], shown: `${c.path} changed` };
  }
  let before: SasquatchConfig = emptyConfig();
  if (c.before !== null) {
    try {
      before = loadConfigText(file, c.before);
    } catch {
      // judged against the defaults
    }
  }
  const had = new Set(configWarnings(before));
  const added = configWarnings(after).filter((w) => !had.has(w));
  if (added.length) return { severity: 'high', title: 'sasquatch configuration narrows the scan', reasons: added.map((w) => `the change ${w}`), shown: `${c.path} ${c.before === null ? 'added' : 'changed'}` };
  const now = configChanges(after);
  return {
    severity: 'low',
    title: 'sasquatch configuration changed',
    reasons: [`configuration ${c.before === null ? 'added' : 'changed'}${now.length ? `; it now: ${now.join('; ')}` : ''}`],
    shown: `${c.path} ${c.before === null ? 'added' : 'changed'}`,
  };
}

function judgeBaseline(c: ChangedConfigFile): Judgement | null {
  if (c.after === null) return null; // nothing accepted any more
  let after;
  let before: ReturnType<typeof parseBaseline> = [];
  try {
    after = parseBaseline(c.after, c.path);
    if (c.before !== null) before = parseBaseline(c.before, c.path);
  } catch (e) {
    return { severity: 'medium', title: 'sasquatch baseline changed (does not read)', reasons: [`the changed baseline does not read: ${e instanceof Error ? e.message : String(e)}`], shown: `${c.path} changed` };
  }
  const known = new Set(before.map((e) => e.fingerprint));
  const added = after.filter((e) => !known.has(e.fingerprint));
  if (!added.length) return null; // entries removed or reordered: nothing newly accepted
  const named = added.slice(0, 5).map((e) => `${e.rule} in ${e.path}`);
  return {
    severity: 'medium',
    title: 'sasquatch baseline accepts new findings',
    reasons: [`${added.length} finding${added.length === 1 ? '' : 's'} newly accepted (no longer reported): ${named.join(', ')}${added.length > named.length ? `, +${added.length - named.length} more` : ''}`],
    shown: `${c.path}: +${added.length} accepted`,
  };
}

function finding(c: ChangedConfigFile, j: Judgement): Finding {
  const content = createHash('sha256').update(c.after ?? '').digest('hex');
  return {
    fingerprint: fingerprintOf(CONFIG_CHANGE_RULE.id, content, c.path),
    rule: CONFIG_CHANGE_RULE.id,
    family: CONFIG_CHANGE_RULE.family,
    title: j.title,
    severity: j.severity,
    confidence: 'high',
    reasons: j.reasons,
    location: { path: c.path, line: 1, column: 1 },
    secret: j.shown,
    redacted: true,
    grant: null,
    explanation: `This change to ${c.path} decides what sasquatch reports from now on, and it arrives with the code it applies to. Review it like code: a configuration that turns rules off or excludes paths, or a baseline that accepts findings, can hide a leak in the same change.`,
    remediation: [
      'Review the change; if it is intended, merge it (the finding is about this change only: it does not come back once the change is in the base).',
      `In a pre-commit hook, commit a reviewed change with SASQUATCH_SKIP=1 git commit (or git commit --no-verify).`,
    ],
  };
}
