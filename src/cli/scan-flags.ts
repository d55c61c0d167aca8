import { Option, type Command } from 'commander';
import { DEFAULT_ARCHIVE_LIMITS } from '../extract/archive.js';
import { collect, parseCount, parseNow, parseSize } from './parse.js';

/** Options every scanning command takes (scan, baseline create/update). */
export function addCommonScanOptions(cmd: Command): Command {
  return cmd
    .option('-c, --config <file>', 'configuration file (default: sasquatch.config.{yaml,yml,json,toml} in the target or current directory)')
    .option('--no-config', 'ignore configuration files')
    .option('--exclude <glob>', 'skip paths matching a glob (repeatable; a bare name matches at any depth)', collect, [])
    .addOption(new Option('--max-file-size <size>', 'skip files larger than this (0 = no limit)').argParser(parseSize).default(undefined, '100MB'))
    .option('--follow-symlinks', 'follow symbolic links (loops are detected and skipped)')
    .option('--threads <n>', 'worker threads (0 = automatic, 1 = none)', parseCount, 0)
    .option('--baseline <file>', 'report only findings not in this baseline file (default: .sasquatch-baseline if present)')
    .option('--no-baseline', 'ignore any baseline file')
    .option('--no-inline-allow', 'ignore inline allow comments (sasquatch:allow, gitleaks:allow, …)')
    .option('--show-secrets', 'print secrets in full (redacted by default in every format)')
    .option('--include-examples', 'also report placeholders and documentation examples (as info)')
    .option('--now <date>', 'judge expiry against this instant instead of the current time', parseNow)
    .option('--no-archives', 'do not open zip/jar/whl/tar/tar.gz/gz archives')
    .option('--archive-depth <n>', 'how deep archives inside archives are opened', parseCount, DEFAULT_ARCHIVE_LIMITS.maxDepth)
    .addOption(new Option('--archive-max-size <size>', 'most bytes extracted from one archive (members and nested archives together)').argParser(parseSize).default(DEFAULT_ARCHIVE_LIMITS.maxTotalBytes, `${DEFAULT_ARCHIVE_LIMITS.maxTotalBytes / 1024 / 1024}MB`))
    .option('--archive-max-members <n>', 'most members read from one archive (nested ones included)', parseCount, DEFAULT_ARCHIVE_LIMITS.maxMembers)
    .option('--no-base64', 'do not decode Base64 tokens (Kubernetes Secrets, docker configs) to scan what they hold');
}
