#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { VERSION } from '../version.js';
import { registerExplain } from './commands/explain.js';
import { registerLogs } from './commands/logs.js';
import { registerRules } from './commands/rules.js';
import { registerScan } from './commands/scan.js';
import { EXIT, UsageError } from './output.js';

/** The CLI only wires stages: each command lives in commands/ and calls the pipeline. */
const program = new Command();
program
  .name('sasquatch')
  .description('Find leaked cloud-storage links and credentials, and say exactly what each grants.')
  .version(VERSION, '-V, --version')
  .showHelpAfterError()
  .exitOverride();

registerScan(program);
registerExplain(program);
registerRules(program);
registerLogs(program);

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    process.exitCode = e.exitCode === 0 ? EXIT.ok : EXIT.error;
  } else if (e instanceof UsageError) {
    process.stderr.write(`sasquatch: ${e.message}\n`);
    process.exitCode = EXIT.error;
  } else {
    process.stderr.write(`sasquatch: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = EXIT.error;
  }
}
