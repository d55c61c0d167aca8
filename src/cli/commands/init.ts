import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { INIT_TEMPLATE } from '../../config/init-template.js';
import { checkOutputPath, UsageError, writeFileAtomic } from '../output.js';

export function registerInit(program: Command): void {
  program
    .command('init')
    .description('write a commented default configuration (sasquatch.config.yaml)')
    .option('-o, --output <file>', 'where to write it', 'sasquatch.config.yaml')
    .option('--force', 'overwrite an existing file')
    .action((flags: { output: string; force?: boolean }) => {
      if (existsSync(flags.output) && !flags.force) throw new UsageError(`${flags.output} exists (use --force to overwrite)`);
      checkOutputPath(flags.output);
      writeFileAtomic(flags.output, INIT_TEMPLATE);
      process.stderr.write(`wrote ${flags.output}\n`);
    });
}
