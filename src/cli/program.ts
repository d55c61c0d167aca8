import { Command, CommanderError, Help } from 'commander';
import { VERSION } from '../version.js';
import { registerBaseline } from './commands/baseline.js';
import { registerExplain } from './commands/explain.js';
import { registerFindings } from './commands/findings.js';
import { registerOrg } from './commands/org.js';
import { registerServe } from './commands/serve.js';
import { registerWorker } from './commands/worker.js';
import { registerHook } from './commands/hook.js';
import { registerInit } from './commands/init.js';
import { registerMint } from './commands/mint.js';
import { registerReport } from './commands/report.js';
import { registerRevoke } from './commands/revoke.js';
import { registerExposure } from './commands/exposure.js';
import { registerLogs } from './commands/logs.js';
import { registerRules } from './commands/rules.js';
import { registerScan } from './commands/scan.js';
import { registerVerify } from './commands/verify.js';
import { EXIT, quietOnClosedStdout, UsageError } from './output.js';

/** The CLI only wires stages: each command lives in commands/ and calls the pipeline. */
const program = new Command();
program
  .name('sasquatch')
  .description('Find leaked cloud-storage links and credentials, and say exactly what each grants.')
  .version(VERSION, '-V, --version')
  .exitOverride();

registerScan(program);
registerExplain(program);
registerRules(program);
registerBaseline(program);
registerInit(program);
registerHook(program);
registerReport(program);
registerVerify(program);
registerExposure(program);
registerLogs(program);
registerMint(program);
registerRevoke(program);
registerFindings(program);
registerOrg(program);
registerWorker(program);
registerServe(program);
pointToHelp(program);

/**
 * A usage error is one line and where to read more — not the whole help of the command. And
 * help shows every default, also those that are a description rather than a value
 * (`failOn from the configuration, else low`), which commander leaves out.
 */
function pointToHelp(cmd: Command, path = 'sasquatch'): void {
  cmd.showHelpAfterError(`see \`${path} --help\``);
  cmd.configureHelp({
    optionDescription(option) {
      const text = Help.prototype.optionDescription.call(this, option);
      return option.defaultValue === undefined && option.defaultValueDescription ? `${text} (default: ${option.defaultValueDescription})` : text;
    },
  });
  for (const sub of cmd.commands) pointToHelp(sub, `${path} ${sub.name()}`);
}

quietOnClosedStdout();
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
