import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { AllowRule } from '../analyze/suppress.js';
import { readBaseline } from '../config/baseline.js';
import { ConfigError, emptyConfig, findConfigFile, loadConfig, type SasquatchConfig } from '../config/load.js';
import { BUILTIN_RULES } from '../detect/rules/index.js';
import { DEFAULT_ARCHIVE_LIMITS } from '../extract/archive.js';
import type { Rule } from '../detect/types.js';
import type { Severity } from '../model/severity.js';
import type { ScanOptions } from '../pipeline/scan.js';
import { parseSize } from './parse.js';
import { UsageError } from './output.js';

/** Flags shared by every command that scans (scan, baseline). */
export interface CommonScanFlags {
  config?: string | false;
  exclude: string[];
  maxFileSize?: number;
  followSymlinks?: boolean;
  threads: number;
  showSecrets?: boolean;
  includeExamples?: boolean;
  now?: Date;
  /** A file, or false for --no-baseline. */
  baseline?: string | false;
  inlineAllow?: boolean;
  archives?: boolean;
  archiveDepth?: number;
  archiveMaxSize?: number;
  archiveMaxMembers?: number;
  base64?: boolean;
}

/** The baseline file used when none is named: found next to the scanned directory or in cwd. */
export const DEFAULT_BASELINE = '.sasquatch-baseline';

/**
 * Finds and loads the configuration: --config; else the user's own, in the working
 * directory; else the one in the first scanned directory (written by whoever wrote that
 * tree: its risky settings are reported as warnings). A scanned directory's configuration
 * never replaces the user's own; it is named as ignored.
 */
export function resolveConfig(targets: string[], flag: string | false | undefined): SasquatchConfig {
  if (flag === false) return emptyConfig();
  try {
    if (flag) return { ...loadConfig(flag), source: 'command-line' };
    const target = targets.filter((t) => t !== '-' && isDir(t))[0];
    const own = findConfigFile([process.cwd()]);
    const theirs = target ? findConfigFile([target]) : null;
    const same = own && theirs && path.resolve(own) === path.resolve(theirs);
    if (own) return { ...loadConfig(own), source: 'working-directory', ignored: theirs && !same ? [theirs] : [] };
    return theirs ? { ...loadConfig(theirs), source: 'scanned-target' } : emptyConfig();
  } catch (e) {
    if (e instanceof ConfigError) throw new UsageError(`invalid configuration: ${e.message}`);
    throw e;
  }
}

export function activeRules(cfg: SasquatchConfig): Rule[] {
  const all = [...BUILTIN_RULES, ...cfg.customRules];
  const unknown = [...cfg.disabledRules, ...cfg.severityOverrides.keys()].filter((id) => !all.some((r) => r.id === id));
  if (unknown.length) throw new UsageError(`invalid configuration: ${cfgName(cfg)}rules.${unknown[0]}: no such rule (see \`sasquatch rules\`)`);
  return all.filter((r) => !cfg.disabledRules.has(r.id));
}

/** Flags win over the configuration file, which wins over defaults. */
export function scanOptions(targets: string[], flags: CommonScanFlags, cfg: SasquatchConfig, extra: { useBaseline: boolean }): ScanOptions {
  const baselineFile = flags.baseline === false ? undefined : (flags.baseline ?? cfg.baseline ?? discoverBaseline(targets));
  let baseline: Set<string> | undefined;
  if (extra.useBaseline && baselineFile) {
    try {
      baseline = new Set(readBaseline(baselineFile).map((e) => e.fingerprint));
    } catch (e) {
      throw new UsageError(`cannot read baseline: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return {
    targets,
    exclude: [...cfg.exclude, ...flags.exclude],
    include: cfg.include,
    maxFileSize: flags.maxFileSize ?? configSize(cfg) ?? 100 * 1024 * 1024,
    followSymlinks: Boolean(flags.followSymlinks),
    threads: flags.threads,
    showSecrets: Boolean(flags.showSecrets),
    includeExamples: Boolean(flags.includeExamples),
    now: flags.now ?? new Date(),
    policy: cfg.policy,
    rules: activeRules(cfg),
    inlineAllow: flags.inlineAllow !== false && cfg.inlineAllow,
    severityOverrides: cfg.severityOverrides,
    suppressions: { baseline, allow: [...cfg.allow, ...configExamples(targets, cfg)] },
    blob: blobOptions(flags),
  };
}

function blobOptions(flags: CommonScanFlags): ScanOptions['blob'] {
  const limits = {
    maxDepth: flags.archiveDepth ?? DEFAULT_ARCHIVE_LIMITS.maxDepth,
    maxTotalBytes: flags.archiveMaxSize ?? DEFAULT_ARCHIVE_LIMITS.maxTotalBytes,
    maxMembers: flags.archiveMaxMembers ?? DEFAULT_ARCHIVE_LIMITS.maxMembers,
  };
  return {
    archives: flags.archives === false ? null : { ...limits, maxMemberBytes: Math.min(DEFAULT_ARCHIVE_LIMITS.maxMemberBytes, limits.maxTotalBytes) },
    base64: flags.base64 !== false,
  };
}

function discoverBaseline(targets: string[]): string | undefined {
  const dirs = [...targets.filter((t) => t !== '-' && isDir(t)).slice(0, 1), process.cwd()];
  return dirs.map((d) => path.join(d, DEFAULT_BASELINE)).find((f) => existsSync(f));
}

/** Custom rules' examples live in the configuration file itself: they are not leaks. */
function configExamples(targets: string[], cfg: SasquatchConfig): AllowRule[] {
  if (!cfg.file || !cfg.customRules.length) return [];
  const root = targets.length === 1 && isDir(targets[0]!) ? targets[0]! : process.cwd();
  const rel = path.relative(root, cfg.file).split(path.sep).join('/');
  return cfg.customRules.map((r) => ({ rule: r.id, path: rel, reason: 'example in the sasquatch configuration file' }));
}

export function failThreshold(flag: Severity | 'never' | undefined, cfg: SasquatchConfig): Severity | 'never' {
  return flag ?? cfg.failOn ?? 'low';
}

function configSize(cfg: SasquatchConfig): number | undefined {
  if (cfg.maxFileSize === undefined) return undefined;
  try {
    return typeof cfg.maxFileSize === 'number' ? cfg.maxFileSize : parseSize(cfg.maxFileSize);
  } catch {
    throw new UsageError(`invalid configuration: ${cfgName(cfg)}maxFileSize: expected a size such as 100MB`);
  }
}

function cfgName(cfg: SasquatchConfig): string {
  return cfg.file ? `${cfg.file.split('/').pop()}: ` : '';
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}
