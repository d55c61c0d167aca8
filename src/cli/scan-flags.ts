import { Option, type Command } from 'commander';
import { DEFAULT_ARCHIVE_LIMITS } from '../extract/archive.js';
import { collect, parseCount, parseNow, parseSize } from './parse.js';

/**
 * Options every scanning command takes (scan, baseline create/update). `--baseline` reads a
 * baseline for `scan`; for `baseline create|update` it names the file written.
 */
export function addCommonScanOptions(cmd: Command, kind: 'scan' | 'baseline' = 'scan'): Command {
  cmd
    .option('-c, --config <file>', 'configuration file (default: sasquatch.config.{yaml,yml,json,toml} in the target directory, the repository root or the current directory)')
    .option('--no-config', 'ignore configuration files')
    .addOption(new Option('--exclude <glob>', 'skip paths matching a glob, from the repository root (repeatable; a bare name matches at any depth; a pattern matching nothing is a warning)').argParser(collect).default([], 'none'))
    .option('--respect-gitignore', 'leave out files on disk that git ignores: .gitignore files, .git/info/exclude, the global excludes file (the default; tracked files are always scanned)')
    .option('--no-respect-gitignore', 'scan files on disk even when git ignores them (node_modules, build output, …)')
    .addOption(new Option('--max-file-size <size>', 'skip files larger than this (0 = no limit)').argParser(parseSize).default(undefined, '100MB'))
    .option('--follow-symlinks', 'follow symbolic links (loops are detected and skipped)')
    .addOption(new Option('--threads <n>', 'scanning threads, the main one included (0 = one per core, up to 4; 1 = no worker threads)').argParser(parseCount).default(0, '0, automatic'));
  if (kind === 'scan') {
    cmd
      .option('--baseline <file>', 'report only findings not in this baseline file (default: .sasquatch-baseline in the target directory or the repository root, when present; a .gitleaksignore there is read too)')
      .option('--no-baseline', 'ignore any baseline file and .gitleaksignore');
  } else {
    cmd.option('--baseline <file>', 'the baseline file to write (same as --output; default: baseline from the configuration, else .sasquatch-baseline at the repository root)');
  }
  return cmd
    .option('--no-inline-allow', 'ignore inline allow comments (sasquatch:allow, gitleaks:allow, …)')
    .option('--include-examples', 'also report placeholders and documentation examples (as info)')
    .addOption(new Option('--now <date>', 'judge expiry against this instant instead of the current time').argParser(parseNow).default(undefined, 'the current time'))
    .option('--no-archives', 'do not open zip/jar/whl/tar/tar.gz/gz archives')
    .addOption(new Option('--archive-depth <n>', 'how deep archives inside archives are opened').argParser(parseCount).default(DEFAULT_ARCHIVE_LIMITS.maxDepth))
    .addOption(new Option('--archive-max-size <size>', 'most bytes extracted from one archive (members and nested archives together)').argParser(parseSize).default(DEFAULT_ARCHIVE_LIMITS.maxTotalBytes, `${DEFAULT_ARCHIVE_LIMITS.maxTotalBytes / 1024 / 1024}MB`))
    .addOption(new Option('--archive-max-members <n>', 'most members read from one archive (nested ones included)').argParser(parseCount).default(DEFAULT_ARCHIVE_LIMITS.maxMembers))
    .option('--no-base64', 'do not decode Base64 tokens (Kubernetes Secrets, docker configs) to scan what they hold');
}
