import path from 'node:path';
import picomatch from 'picomatch';
import { parseSize } from '../cli/parse.js';
import { BUILTIN_RULES } from '../detect/rules/index.js';
import { severityRank } from '../model/severity.js';
import { globMatcher } from '../sources/fs-walk.js';
import type { Notice } from '../sources/types.js';
import type { SasquatchConfig } from './load.js';

/**
 * What a configuration changes, and which of its settings narrow what the scan can report.
 * A configuration is part of the tree it sits in: whoever wrote the repository wrote it, and
 * `rules: {azure-sas: off}`, `exclude: ["**"]`, `allow: [{path: "**"}]` or `maxFileSize: 1`
 * turn a scan into a clean pass. Such settings are never applied silently: each is a warning
 * in every report format, and the report says which configuration was loaded.
 */
export type ConfigSource = 'command-line' | 'working-directory' | 'scanned-target' | 'none';

export interface ConfigSummary {
  /** The file, as the user would type it (relative to the working directory when below it); null when none. */
  path: string | null;
  source: ConfigSource;
  /** Everything it changes from the defaults, one phrase each. */
  changes: string[];
  /** The changes that narrow what is scanned, reported or failed on. */
  warnings: string[];
  /** Other configuration files found and not used (a scanned directory's, when the user has one of their own). */
  ignored: string[];
}

export const DEFAULT_MAX_FILE_SIZE = 100 * 1024 * 1024;

/** Paths a glob is tried on to judge how much of a tree it covers. */
const PROBES = [
  'README.md',
  '.env',
  'src/app.py',
  'src/main/resources/application.yml',
  'config/settings.json',
  'deploy/prod/values.yaml',
  'docs/guide/setup.md',
  'notebooks/train.ipynb',
  'scripts/upload.sh',
  'a/b/c/d/e.txt',
];
const BROAD = PROBES.length / 2;

/** How many probe paths a scan exclude/include pattern covers (the walk's own matching). */
function walkCoverage(glob: string): number {
  const m = globMatcher(glob);
  return PROBES.filter((p) => m(p)).length;
}

/** How many probe paths an allow entry's path glob covers (the suppression's own matching). */
function allowCoverage(glob: string): number {
  const m = picomatch(glob, { dot: true });
  return PROBES.filter((p) => m(p)).length;
}

const quote = (s: string) => JSON.stringify(s);
const list = (xs: readonly string[]) => xs.map(quote).join(', ');

/** The settings of a configuration that narrow what is scanned, reported or failed on. */
export function configWarnings(cfg: SasquatchConfig): string[] {
  const out: string[] = [];
  if (cfg.disabledRules.size) out.push(`turns off rule${cfg.disabledRules.size === 1 ? '' : 's'} ${[...cfg.disabledRules].join(', ')}: what ${cfg.disabledRules.size === 1 ? 'it finds' : 'they find'} is not reported`);
  const lowered = [...cfg.severityOverrides].filter(([id, sev]) => {
    const rule = BUILTIN_RULES.find((r) => r.id === id) ?? cfg.customRules.find((r) => r.id === id);
    return rule && severityRank(sev) < severityRank(rule.severity);
  });
  if (lowered.length) out.push(`lowers the severity of ${lowered.map(([id, sev]) => `${id} to ${sev}`).join(', ')}`);
  const broadExcludes = cfg.exclude.filter((g) => walkCoverage(g) >= BROAD);
  if (broadExcludes.length) out.push(`excludes ${list(broadExcludes)}: ${broadExcludes.some((g) => walkCoverage(g) === PROBES.length) ? 'every path' : 'most paths'} of the tree ${broadExcludes.length === 1 ? 'is' : 'are'} not scanned`);
  if (cfg.include.length) out.push(`scans only paths matching ${list(cfg.include)}${cfg.include.some((g) => walkCoverage(g) >= BROAD) ? '' : ': most of the tree is not scanned'}`);
  for (const a of cfg.allow) {
    if (a.fingerprint) continue; // one finding, named: a reviewed decision
    if (a.path && allowCoverage(a.path) >= BROAD) out.push(`allows (suppresses) ${a.rule ? `every ${a.rule} finding` : 'every finding'} under ${quote(a.path)}`);
    else if (!a.path && a.rule) out.push(`allows (suppresses) every ${a.rule} finding, anywhere`);
  }
  const size = maxFileSizeOf(cfg);
  if (size !== undefined && size !== DEFAULT_MAX_FILE_SIZE) {
    out.push(size === 0 ? 'removes the file size limit (maxFileSize 0): every file is read whole' : size < DEFAULT_MAX_FILE_SIZE ? `lowers maxFileSize to ${size} byte${size === 1 ? '' : 's'}: larger files are not scanned` : `raises maxFileSize to ${size} bytes`);
  }
  if (cfg.failOn === 'never') out.push('sets failOn never: no finding fails the run');
  // failing from medium up is a policy choice; from high up, a usable medium-severity link passes
  else if (cfg.failOn && severityRank(cfg.failOn) > severityRank('medium')) out.push(`sets failOn ${cfg.failOn}: findings below ${cfg.failOn} do not fail the run`);
  return out;
}

/** Everything a configuration sets, one phrase each (the warnings among them). */
export function configChanges(cfg: SasquatchConfig): string[] {
  const out = configWarnings(cfg);
  const raised = [...cfg.severityOverrides].filter(([id]) => !out.some((w) => w.includes(`${id} to`)));
  if (raised.length) out.push(`sets the severity of ${raised.map(([id, sev]) => `${id} to ${sev}`).join(', ')}`);
  const narrow = cfg.exclude.filter((g) => walkCoverage(g) < BROAD);
  if (narrow.length) out.push(`excludes ${list(narrow)}`);
  const named = cfg.allow.filter((a) => a.fingerprint || (a.path && allowCoverage(a.path) < BROAD));
  if (named.length) out.push(`allows ${named.length} finding${named.length === 1 ? '' : 's'} or path${named.length === 1 ? '' : 's'} by name`);
  if (cfg.customRules.length) out.push(`adds custom rule${cfg.customRules.length === 1 ? '' : 's'} ${cfg.customRules.map((r) => r.id).join(', ')}`);
  if (cfg.failOn && !out.some((w) => w.startsWith('sets failOn'))) out.push(`sets failOn ${cfg.failOn}`);
  if (!cfg.inlineAllow) out.push('ignores inline allow comments');
  if (cfg.baseline) out.push(`uses the baseline ${cfg.baseline}`);
  if (cfg.policy.enforceMaxLifetime || cfg.policy.forbidKinds?.length || cfg.policy.forbidPermissions?.length || cfg.policy.requireHttpsOnly || cfg.policy.requireIpRestriction || cfg.policy.allowedAccounts?.length || cfg.policy.allowedBuckets?.length || cfg.policy.resources?.length) out.push('sets a link policy');
  return out;
}

function maxFileSizeOf(cfg: SasquatchConfig): number | undefined {
  if (cfg.maxFileSize === undefined) return undefined;
  if (typeof cfg.maxFileSize === 'number') return cfg.maxFileSize;
  try {
    return parseSize(cfg.maxFileSize);
  } catch {
    return undefined; // refused when the scan options are built
  }
}

const SOURCE_WORDS: Record<ConfigSource, string> = {
  'command-line': 'named with --config',
  'working-directory': 'in the working directory',
  'scanned-target': 'in the scanned directory',
  none: 'none',
};

/** Which configuration was loaded and what it changes: for every report format. */
export function configSummary(cfg: SasquatchConfig): ConfigSummary {
  if (!cfg.file) return { path: null, source: 'none', changes: [], warnings: [], ignored: [] };
  return { path: shownPath(cfg.file), source: cfg.source ?? 'command-line', changes: configChanges(cfg), warnings: configWarnings(cfg), ignored: (cfg.ignored ?? []).map(shownPath) };
}

/** One line for people: `sasquatch.config.yaml (in the scanned directory): turns off rule azure-sas; …`. */
export function configLine(c: ConfigSummary): string | null {
  if (!c.path) return null;
  return `${c.path} (${SOURCE_WORDS[c.source]})${c.changes.length ? `: ${c.changes.join('; ')}` : ': no changes from the defaults'}`;
}

/** The configuration's risky settings as warnings, and the configurations found but not used. */
export function configNotices(c: ConfigSummary): Notice[] {
  const out: Notice[] = c.path ? c.warnings.map((w) => ({ level: 'warning' as const, path: c.path!, message: `configuration ${w}` })) : [];
  for (const f of c.ignored) out.push({ level: 'info', path: f, message: `configuration in the scanned directory not used: ${c.path} (${SOURCE_WORDS[c.source]}) applies; --config chooses` });
  return out;
}

function shownPath(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel.split(path.sep).join('/') : file;
}
