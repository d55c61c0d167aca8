import { existsSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import type { AllowRule, Suppressions } from '../analyze/suppress.js';
import { GITLEAKSIGNORE, readGitleaksIgnore } from '../config/gitleaksignore.js';
import { readBaseline } from '../config/baseline.js';
import { CONFIG_NAMES, ConfigError, emptyConfig, loadConfig, type SasquatchConfig } from '../config/load.js';
import { repositoryRoot } from '../config/paths.js';
import { BUILTIN_RULES } from '../detect/rules/index.js';
import { DEFAULT_ARCHIVE_LIMITS } from '../extract/archive.js';
import type { Rule } from '../detect/types.js';
import type { Severity } from '../model/severity.js';
import type { ScanOptions } from '../pipeline/scan.js';
import { resolveScanRoot, type ScanRoot } from '../sources/root.js';
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
  /** False for --no-respect-gitignore. */
  respectGitignore?: boolean;
}

/** The baseline file used when none is named: found next to the scanned directory or in cwd. */
export const DEFAULT_BASELINE = '.sasquatch-baseline';

/** The scan root (sources/root.ts): where paths are reported from and the configuration is found. */
export async function scanRoot(targets: string[]): Promise<ScanRoot> {
  return resolveScanRoot(targets);
}

/**
 * Where the scanned tree's own configuration and baseline are looked for, in order: the
 * scanned directory, then its repository root (so `scan .` in a subdirectory finds them, like git).
 */
export function searchDirs(targets: string[], root: ScanRoot | null): string[] {
  const dirs = [...targets.filter((t) => t !== '-' && isDir(t)).slice(0, 1), ...(root ? [root.dir] : [])].map((d) => path.resolve(d));
  return [...new Set(dirs)];
}

/** The user's own configuration is looked for in the working directory, then its repository root. */
function ownDirs(): string[] {
  const cwd = process.cwd();
  return [...new Set([cwd, repositoryRoot(cwd)].map((d) => path.resolve(d)))];
}

/**
 * Finds and loads the configuration: --config; else the user's own (the working directory,
 * or the root of the repository it is in); else the scanned tree's (its directory or
 * repository root: written by whoever wrote that tree, so its risky settings are reported
 * as warnings). A scanned tree's configuration never replaces the user's own; it is named as
 * ignored. When several files compete, a note says which one won.
 */
export function resolveConfig(targets: string[], flag: string | false | undefined, root: ScanRoot | null = null, opts: { quiet?: boolean } = {}): SasquatchConfig {
  if (flag === false) return emptyConfig();
  try {
    if (flag) return { ...loadConfig(flag), source: 'command-line' };
    const own = configFiles(ownDirs());
    const theirs = configFiles(searchDirs(targets, root)).filter((f) => !own.includes(f));
    const chosen = own[0] ?? theirs[0];
    if (!chosen) return emptyConfig();
    const others = [...own, ...theirs].filter((f) => f !== chosen);
    if (others.length && !opts.quiet) {
      const shown = (f: string) => path.relative(process.cwd(), f) || f;
      process.stderr.write(`note: configuration ${shown(chosen)} is used; also found, and ignored: ${others.map(shown).join(', ')}\n`);
    }
    if (own[0]) return { ...loadConfig(chosen), source: 'working-directory', ignored: theirs };
    return { ...loadConfig(chosen), source: 'scanned-target' };
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
export function scanOptions(targets: string[], flags: CommonScanFlags, cfg: SasquatchConfig, extra: { useBaseline: boolean; root?: ScanRoot }): ScanOptions {
  const root = extra.root ?? null;
  const baselineFile = flags.baseline === false ? undefined : (flags.baseline ?? cfg.baseline ?? discoverBaseline(targets, root));
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
    suppressions: { baseline, allow: [...cfg.allow, ...configExamples(targets, cfg, root)], ...(extra.useBaseline && flags.baseline !== false ? gitleaksIgnore(targets, root) : {}) },
    respectGitignore: flags.respectGitignore !== false,
    blob: blobOptions(flags),
    excludeFlags: flags.exclude,
    ...(root ? { root: root.dir } : {}),
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

function discoverBaseline(targets: string[], root: ScanRoot | null): string | undefined {
  return searchDirs(targets, root)
    .map((d) => path.join(d, DEFAULT_BASELINE))
    .find((f) => existsSync(f));
}

/** A `.gitleaksignore` next to where the baseline is looked for (the first found), as gitleaks reads it. */
function gitleaksIgnore(targets: string[], root: ScanRoot | null): Pick<Suppressions, 'gitleaks'> {
  const file = searchDirs(targets, root)
    .map((d) => path.join(d, GITLEAKSIGNORE))
    .find((f) => existsSync(f));
  if (!file) return {};
  try {
    const { entries } = readGitleaksIgnore(file);
    return { gitleaks: { file, entries, used: new Set() } };
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** Where `baseline create` writes when no file is named: the repository root (or the scan root). */
export function defaultBaselineFile(root: ScanRoot): string {
  return path.join(root.dir, DEFAULT_BASELINE);
}

/** Custom rules' examples live in the configuration file itself: they are not leaks. */
function configExamples(targets: string[], cfg: SasquatchConfig, scanRoot: ScanRoot | null): AllowRule[] {
  if (!cfg.file || !cfg.customRules.length) return [];
  const root = scanRoot?.dir ?? (targets.length === 1 && isDir(targets[0]!) ? targets[0]! : process.cwd());
  const rel = path.relative(root, realpathOr(cfg.file)).split(path.sep).join('/');
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

function configFiles(dirs: readonly string[]): string[] {
  const out: string[] = [];
  for (const dir of dirs) for (const name of CONFIG_NAMES) {
    const file = path.join(dir, name);
    if (existsSync(file) && statSync(file).isFile() && !out.includes(file)) out.push(file);
  }
  return out;
}

function realpathOr(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return path.resolve(p);
  }
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}
