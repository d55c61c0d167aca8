import { Option, type Command } from 'commander';
import type { HistoryOptions } from '../sources/git/selection.js';
import { UsageError } from './output.js';
import { collect, parseNow } from './parse.js';

/** Git history options of `scan`: which history to read, or the index only. */
export interface HistoryFlags {
  history?: boolean;
  since?: Date;
  sinceCommit?: string;
  branch: string[];
  reflog?: boolean;
  staged?: boolean;
  quiet?: boolean;
}

export function addHistoryOptions(cmd: Command): Command {
  return cmd
    .option('--history', 'in a git repository, scan every commit of every ref as well as the files (the default)')
    .option('--no-history', 'in a git repository, scan the files on disk only')
    .addOption(new Option('--branch <ref>', 'history of this branch, tag or commit only (repeatable; the files on disk are not scanned)').argParser(collect).default([], 'every ref'))
    .option('--since <date>', 'only secrets introduced by commits after this date (the files on disk are not scanned)', parseNow)
    .option('--since-commit <rev>', 'only secrets introduced by commits not reachable from <rev> (the files on disk are not scanned)')
    .option('--reflog', 'also read commits only the reflogs reach (amended, reset or rebased away)')
    .option('--staged', 'scan what is staged for the next commit (for a pre-commit hook): secrets it adds, with lines in the staged files')
    .option('-q, --quiet', 'no progress or status messages on stderr');
}

/** History flags → what to read; contradictions are usage errors, not silent choices. */
export function historyOptions(flags: HistoryFlags): HistoryOptions | false {
  const selectors = [flags.branch.length ? '--branch' : '', flags.since ? '--since' : '', flags.sinceCommit ? '--since-commit' : '', flags.reflog ? '--reflog' : ''].filter(Boolean);
  if (flags.staged && selectors.length) throw new UsageError(`--staged scans the index; it cannot be combined with ${selectors.join(', ')}`);
  if (flags.history === false) {
    if (selectors.length) throw new UsageError(`${selectors.join(', ')} select${selectors.length === 1 ? 's' : ''} history; it cannot be combined with --no-history`);
    return false;
  }
  const opts: HistoryOptions = { branches: flags.branch, reflog: Boolean(flags.reflog) };
  if (flags.since) opts.since = flags.since;
  if (flags.sinceCommit) opts.sinceCommit = flags.sinceCommit;
  return opts;
}
