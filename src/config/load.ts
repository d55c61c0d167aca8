import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Ajv, ErrorObject } from 'ajv';
import { parse as parseToml } from 'smol-toml';
import { DEFAULT_POLICY, type LinkPolicy } from '../analyze/policy.js';
import { Detector } from '../detect/engine.js';
import { linearPattern } from '../detect/linear.js';
import type { Rule } from '../detect/types.js';
import type { Severity } from '../model/severity.js';
import type { Confidence } from '../model/confidence.js';
import { parseDuration } from './duration.js';
import { isInside, repositoryRoot } from './paths.js';
import { CONFIG_SCHEMA } from './schema.js';
import type { ConfigSource } from './trust.js';

/**
 * The configuration file (`sasquatch.config.json|yaml|yml|toml`, or --config): read, checked
 * against the schema, with errors that name the bad key; custom rules are tested against
 * their own examples at load time.
 */
export const CONFIG_NAMES = ['sasquatch.config.yaml', 'sasquatch.config.yml', 'sasquatch.config.json', 'sasquatch.config.toml'];

export interface AllowEntry {
  fingerprint?: string;
  rule?: string;
  path?: string;
  reason?: string;
}

export interface SasquatchConfig {
  file: string | null;
  include: string[];
  exclude: string[];
  failOn?: Severity | 'never';
  /** Findings below this confidence are counted, not listed. */
  minConfidence?: Confidence;
  maxFileSize?: string | number;
  /** Absolute path of the baseline named in the config. */
  baseline?: string;
  inlineAllow: boolean;
  disabledRules: Set<string>;
  severityOverrides: Map<string, Severity>;
  customRules: Rule[];
  policy: LinkPolicy;
  allow: AllowEntry[];
  /** Where it came from (set by the CLI when it picks the file). */
  source?: ConfigSource;
  /** Configuration files found and not used. */
  ignored?: string[];
}

export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly key: string,
    detail: string,
  ) {
    super(`${path.basename(file)}: ${key ? `${key}: ` : ''}${detail}`);
  }
}

export function emptyConfig(): SasquatchConfig {
  return { file: null, include: [], exclude: [], inlineAllow: true, disabledRules: new Set(), severityOverrides: new Map(), customRules: [], policy: { ...DEFAULT_POLICY }, allow: [] };
}

/** The first config file found in the given directories, in order. */
export function findConfigFile(dirs: readonly string[]): string | null {
  for (const dir of dirs) {
    for (const name of CONFIG_NAMES) {
      const file = path.join(dir, name);
      if (existsSync(file) && statSync(file).isFile()) return file;
    }
  }
  return null;
}

export function loadConfig(file: string): SasquatchConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError(file, '', `cannot read: ${e instanceof Error ? e.message : String(e)}`);
  }
  return loadConfigText(file, text);
}

/** A configuration from its text (`file` names it in errors and decides the syntax by its extension). */
export function loadConfigText(file: string, text: string): SasquatchConfig {
  const raw = parseText(file, text);
  validate(file, raw);
  return build(file, raw as RawConfig);
}

/**
 * The YAML parser and the schema validator are loaded when a configuration is read, not at
 * start: most runs (a pre-commit scan of a repository without one) never need them, and they
 * were a tenth of the CLI's start-up. Loaded with require, as loading a configuration is synchronous.
 */
const load = createRequire(import.meta.url);
const yaml = () => load('yaml') as typeof import('yaml');
const ajv = () => load('ajv') as typeof import('ajv');

function parseText(file: string, text: string): unknown {
  try {
    if (/\.toml$/i.test(file)) return parseToml(text);
    if (/\.json$/i.test(file)) return JSON.parse(text);
    return yaml().parse(text) ?? {};
  } catch (e) {
    throw new ConfigError(file, '', `not valid ${path.extname(file).slice(1).toUpperCase()}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
  }
}

let compiled: ReturnType<Ajv['compile']> | null = null;

function validate(file: string, raw: unknown): void {
  compiled ??= new (ajv().Ajv)({ allErrors: true, strict: false }).compile(CONFIG_SCHEMA);
  if (compiled(raw)) return;
  const errors = compiled.errors ?? [];
  const first = errors.find((e) => e.keyword === 'additionalProperties') ?? errors.find((e) => e.keyword !== 'anyOf') ?? errors[0]!;
  throw new ConfigError(file, keyOf(first), messageOf(first));
}

function keyOf(e: ErrorObject): string {
  const parts = e.instancePath.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (e.keyword === 'additionalProperties') parts.push(String(e.params['additionalProperty']));
  return parts.reduce((key, p) => (/^\d+$/.test(p) ? `${key}[${p}]` : key ? `${key}.${p}` : p), '');
}

function messageOf(e: ErrorObject): string {
  if (e.keyword === 'additionalProperties') return 'unknown key';
  if (e.keyword === 'enum') return `must be one of: ${(e.params['allowedValues'] as unknown[]).join(', ')}`;
  if (e.keyword === 'required') return `missing required key "${String(e.params['missingProperty'])}"`;
  return e.message ?? 'invalid';
}

interface RawRule {
  id: string;
  title?: string;
  description?: string;
  keywords: string[];
  pattern: string;
  flags?: string;
  severity?: Severity;
  examples: string[];
  negativeExamples?: string[];
}

interface RawConfig {
  include?: string[];
  exclude?: string[];
  failOn?: Severity | 'never';
  minConfidence?: Confidence;
  maxFileSize?: string | number;
  baseline?: string;
  inlineAllow?: boolean;
  rules?: Record<string, 'on' | 'off' | boolean | { enabled?: boolean; severity?: Severity }>;
  customRules?: RawRule[];
  policy?: {
    maxLifetime?: string;
    forbidKinds?: string[];
    forbidPermissions?: string[];
    requireHttpsOnly?: boolean;
    requireIpRestriction?: boolean;
    allowedAccounts?: string[];
    allowedBuckets?: string[];
    violationSeverity?: Severity;
    resources?: { account?: string; container?: string; bucket?: string; allowPermissions: string[] }[];
  };
  allow?: AllowEntry[];
}

function build(file: string, raw: RawConfig): SasquatchConfig {
  const cfg = emptyConfig();
  cfg.file = file;
  cfg.include = raw.include ?? [];
  cfg.exclude = raw.exclude ?? [];
  if (raw.failOn) cfg.failOn = raw.failOn;
  if (raw.minConfidence) cfg.minConfidence = raw.minConfidence;
  if (raw.maxFileSize !== undefined) cfg.maxFileSize = raw.maxFileSize;
  if (raw.baseline) cfg.baseline = insideRepository(file, 'baseline', path.resolve(path.dirname(file), raw.baseline));
  if (raw.inlineAllow !== undefined) cfg.inlineAllow = raw.inlineAllow;
  for (const [id, setting] of Object.entries(raw.rules ?? {})) {
    const enabled = typeof setting === 'object' ? setting.enabled !== false : setting === true || setting === 'on';
    if (!enabled) cfg.disabledRules.add(id);
    if (typeof setting === 'object' && setting.severity) cfg.severityOverrides.set(id, setting.severity);
  }
  cfg.customRules = (raw.customRules ?? []).map((r, i) => customRule(file, r, i));
  cfg.policy = policyOf(file, raw.policy);
  cfg.allow = raw.allow ?? [];
  return cfg;
}

/** A path named by the configuration, refused when it leads out of the repository holding the configuration. */
function insideRepository(file: string, key: string, target: string): string {
  const root = repositoryRoot(path.dirname(path.resolve(file)));
  if (!isInside(target, root)) throw new ConfigError(file, key, `${target} is outside the repository (${root}); a configuration may only name files inside it (give a path outside on the command line)`);
  return target;
}

function policyOf(file: string, p: RawConfig['policy']): LinkPolicy {
  const policy: LinkPolicy = { ...DEFAULT_POLICY };
  if (!p) return policy;
  if (p.maxLifetime !== undefined) {
    const secs = parseDuration(p.maxLifetime);
    if (secs === null || secs <= 0) throw new ConfigError(file, 'policy.maxLifetime', `"${p.maxLifetime}" is not a duration (use 7d, 12h, P7D or the Azure form 7.00:00:00)`);
    policy.maxLifetimeSeconds = secs;
    policy.enforceMaxLifetime = true;
  }
  Object.assign(policy, {
    forbidKinds: p.forbidKinds,
    forbidPermissions: p.forbidPermissions,
    requireHttpsOnly: p.requireHttpsOnly,
    requireIpRestriction: p.requireIpRestriction,
    allowedAccounts: p.allowedAccounts,
    allowedBuckets: p.allowedBuckets,
    resources: p.resources,
    violationSeverity: p.violationSeverity ?? 'high',
  });
  return policy;
}

function customRule(file: string, r: RawRule, i: number): Rule {
  const key = `customRules[${i}]`;
  const flags = `${(r.flags ?? '').replace(/g/g, '')}g`;
  try {
    new RegExp(r.pattern, flags);
  } catch (e) {
    throw new ConfigError(file, `${key}.pattern`, `not a valid regular expression (rule ${r.id}): ${e instanceof Error ? e.message : String(e)}`);
  }
  // custom rules run on RE2 (linear time): a pattern that needs backtracking is refused here
  let pattern: RegExp;
  try {
    pattern = linearPattern(r.pattern, flags);
  } catch (e) {
    throw new ConfigError(
      file,
      `${key}.pattern`,
      `rule ${r.id}: the linear-time engine (RE2) cannot run this pattern (${e instanceof Error ? e.message : String(e)}); back-references and lookaround are not supported: rewrite the pattern without them`,
    );
  }
  const rule: Rule = {
    id: r.id,
    family: r.id,
    title: r.title ?? r.id,
    description: r.description ?? `Custom rule ${r.id}`,
    keywords: r.keywords,
    pattern,
    severity: r.severity ?? 'high',
    grantSummary: 'custom rule: the matched value',
    examples: r.examples,
    negativeExamples: r.negativeExamples ?? [],
    custom: true,
  };
  const detector = new Detector([rule]);
  rule.examples.forEach((ex, j) => {
    if (!detector.scan(ex).length) throw new ConfigError(file, `${key}.examples[${j}]`, 'not matched by the rule (check its pattern and keywords)');
  });
  rule.negativeExamples.forEach((ex, j) => {
    if (detector.scan(ex).length) throw new ConfigError(file, `${key}.negativeExamples[${j}]`, 'matched by the rule, but should not be');
  });
  return rule;
}
