import { existsSync } from 'node:fs';
import path from 'node:path';
import { Option, type Command } from 'commander';
import { baselineText, entriesOf, readBaseline } from '../../config/baseline.js';
import { isInside, repositoryRoot } from '../../config/paths.js';
import { runScan } from '../../pipeline/scan.js';
import { SelectionError } from '../../sources/git/selection.js';
import { historyOptions } from '../history-flags.js';
import { checkOutputPath, UsageError, writeFileAtomic } from '../output.js';
import { collect, parseNow } from '../parse.js';
import { describeFileProgress, describeProgress, progressLine } from '../progress.js';
import { addCommonScanOptions } from '../scan-flags.js';
import { defaultBaselineFile, resolveConfig, scanOptions, scanRoot, type CommonScanFlags } from '../scan-options.js';

interface BaselineFlags extends CommonScanFlags {
  output?: string;
  force?: boolean;
  history?: boolean;
  branch: string[];
  since?: Date;
  quiet?: boolean;
}

export function registerBaseline(program: Command): void {
  const baseline = program.command('baseline').description('accept the current findings, so later scans report only new ones');
  const create = baseline
    .command('create')
    .description('write a baseline of every current finding (refuses to overwrite without --force)')
    .argument('[targets...]', 'what to scan', ['.'])
    .addOption(new Option('-o, --output <file>', 'the baseline file to write').default(undefined, 'baseline from the configuration, else .sasquatch-baseline at the repository root'))
    .option('--force', 'overwrite an existing baseline');
  addBaselineScanOptions(create).action((targets: string[], flags: BaselineFlags) => write(targets, flags, 'create'));
  const update = baseline
    .command('update')
    .description('rewrite the baseline with the current findings (byte-identical when nothing changed)')
    .argument('[targets...]', 'what to scan', ['.'])
    .addOption(new Option('-o, --output <file>', 'the baseline file to rewrite').default(undefined, 'baseline from the configuration, else .sasquatch-baseline at the repository root'));
  addBaselineScanOptions(update).action((targets: string[], flags: BaselineFlags) => write(targets, flags, 'update'));
}

/** What the baseline covers: the same choices of history as `scan` (the files and all history by default). */
function addBaselineScanOptions(cmd: Command): Command {
  return addCommonScanOptions(cmd, 'baseline')
    .option('--history', 'in a git repository, accept what the whole history holds as well as the files (the default)')
    .option('--no-history', 'in a git repository, accept what the files on disk hold only')
    .addOption(new Option('--branch <ref>', 'history of this branch, tag or commit only (repeatable)').argParser(collect).default([], 'every ref'))
    .option('--since <date>', 'only secrets introduced by commits after this date', parseNow)
    .option('-q, --quiet', 'no progress or status messages on stderr');
}

async function write(targets: string[], flags: BaselineFlags, mode: 'create' | 'update'): Promise<void> {
  const root = await scanRoot(targets);
  const cfg = resolveConfig(targets, flags.config, root);
  const named = flags.output ?? (flags.baseline || undefined);
  const file = named ?? cfg.baseline ?? defaultBaselineFile(root);
  // a path from the configuration was checked when it was loaded; the default one may be a link out of the tree
  if (!named && !isInside(file, repositoryRoot(path.dirname(path.resolve(file))))) {
    throw new UsageError(`${file} leads outside the repository (a symbolic link?): not written; name the baseline with -o to write it there`);
  }
  if (mode === 'create' && existsSync(file) && !flags.force) throw new UsageError(`${file} exists: use \`sasquatch baseline update\`, or --force to start over`);
  if (mode === 'update' && !existsSync(file)) throw new UsageError(`${file} does not exist: create it with \`sasquatch baseline create\``);
  checkOutputPath(file, 'baseline');
  const before = existsSync(file) ? new Set(readBaseline(file).map((e) => e.fingerprint)) : new Set<string>();
  const history = historyOptions({ ...flags, branch: flags.branch ?? [] });
  const progress = progressLine(process.stderr, Boolean(flags.quiet));
  const result = await runScan({
    ...scanOptions(targets, { ...flags, baseline: undefined }, cfg, { useBaseline: false, root }),
    history,
    skipFiles: [file],
    onProgress: (p) => progress.update(describeProgress(p)),
    onFileProgress: (p) => progress.update(describeFileProgress(p)),
  })
    .catch((e: unknown) => {
      if (e instanceof SelectionError) throw new UsageError(e.message);
      throw e;
    })
    .finally(() => progress.done());
  const entries = entriesOf(result.findings);
  writeFileAtomic(file, baselineText(entries), 'baseline');
  const added = entries.filter((e) => !before.has(e.fingerprint)).length;
  const gone = [...before].filter((fp) => !entries.some((e) => e.fingerprint === fp)).length;
  process.stderr.write(`${file}: ${entries.length} accepted finding${entries.length === 1 ? '' : 's'} (${added} added, ${gone} no longer present)\n`);
}
