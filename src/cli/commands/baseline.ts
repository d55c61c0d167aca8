import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { baselineText, entriesOf, readBaseline } from '../../config/baseline.js';
import { isInside, repositoryRoot } from '../../config/paths.js';
import { runScan } from '../../pipeline/scan.js';
import { checkOutputPath, UsageError, writeFileAtomic } from '../output.js';
import { addCommonScanOptions } from '../scan-flags.js';
import { DEFAULT_BASELINE, resolveConfig, scanOptions, type CommonScanFlags } from '../scan-options.js';


interface BaselineFlags extends CommonScanFlags {
  output?: string;
  force?: boolean;
}

export function registerBaseline(program: Command): void {
  const baseline = program.command('baseline').description('accept the current findings, so later scans report only new ones');
  const create = baseline
    .command('create')
    .description('write a baseline of every current finding (refuses to overwrite without --force)')
    .argument('[targets...]', 'what to scan', ['.'])
    .option('-o, --output <file>', 'baseline file', undefined)
    .option('--force', 'overwrite an existing baseline');
  addCommonScanOptions(create).action((targets: string[], flags: BaselineFlags) => write(targets, flags, 'create'));
  const update = baseline
    .command('update')
    .description('rewrite the baseline with the current findings (byte-identical when nothing changed)')
    .argument('[targets...]', 'what to scan', ['.'])
    .option('-o, --output <file>', 'baseline file', undefined);
  addCommonScanOptions(update).action((targets: string[], flags: BaselineFlags) => write(targets, flags, 'update'));
}

async function write(targets: string[], flags: BaselineFlags, mode: 'create' | 'update'): Promise<void> {
  const cfg = resolveConfig(targets, flags.config);
  const named = flags.output ?? (flags.baseline || undefined);
  const file = named ?? cfg.baseline ?? DEFAULT_BASELINE;
  // a path from the configuration was checked when it was loaded; the default one may be a link out of the tree
  if (!named && !isInside(file, repositoryRoot(path.dirname(path.resolve(file))))) {
    throw new UsageError(`${file} leads outside the repository (a symbolic link?): not written; name the baseline with -o to write it there`);
  }
  if (mode === 'create' && existsSync(file) && !flags.force) throw new UsageError(`${file} exists: use \`sasquatch baseline update\`, or --force to start over`);
  if (mode === 'update' && !existsSync(file)) throw new UsageError(`${file} does not exist: create it with \`sasquatch baseline create\``);
  checkOutputPath(file, 'baseline');
  const before = existsSync(file) ? new Set(readBaseline(file).map((e) => e.fingerprint)) : new Set<string>();
  const result = await runScan(scanOptions(targets, { ...flags, baseline: undefined }, cfg, { useBaseline: false }));
  const entries = entriesOf(result.findings);
  writeFileAtomic(file, baselineText(entries), 'baseline');
  const added = entries.filter((e) => !before.has(e.fingerprint)).length;
  const gone = [...before].filter((fp) => !entries.some((e) => e.fingerprint === fp)).length;
  process.stderr.write(`${file}: ${entries.length} accepted finding${entries.length === 1 ? '' : 's'} (${added} added, ${gone} no longer present)\n`);
}
