import type { Command } from 'commander';
import { BUILTIN_RULES } from '../../detect/rules/index.js';
import type { Finding } from '../../model/finding.js';
import { makeStyle, wantColor } from '../../report/style.js';
import { exposureLines, formatBytes, verificationLines } from '../../report/verification.js';
import { readStream } from '../../sources/stdin.js';
import { TOOL } from '../../version.js';
import { credentialsFromText } from '../../verify/input.js';
import { verifyFindings } from '../../verify/findings.js';
import { choice } from '../parse.js';
import { emit, UsageError } from '../output.js';
import { addExposureOptions, addNetworkOptions, buildVerifier, progressLine, type ExposureFlags, type NetworkFlags } from '../verify-flags.js';
import { resultObject, VERIFY_EXIT_HELP, verdictExit } from './verify.js';

interface ExposureCmdFlags extends NetworkFlags, ExposureFlags {
  format: 'text' | 'json';
  showSecrets?: boolean;
  color?: boolean;
}

export function registerExposure(program: Command): void {
  const cmd = program
    .command('exposure')
    .description('measure the blast radius of a live link or key: what it can list, how many objects and bytes, which sensitive files (from listings; nothing is downloaded unless --scan-content)')
    .argument('<link>', 'a URL, SAS token or connection string (quote it), or - to read stdin')
    .option('-f, --format <format>', 'text or json', choice(['text', 'json'] as const), 'text')
    .option('--show-secrets', 'print the credential (and secrets found with --scan-content) in full')
    .option('--color', 'force colour')
    .option('--no-color', 'disable colour')
    .addHelpText('after', `\n${VERIFY_EXIT_HELP.replace('Exit status:', 'Exit status (as for verify):')}`);
  addExposureOptions(addNetworkOptions(cmd)).action(async (link: string, flags: ExposureCmdFlags) => {
    process.exitCode = await exposureCommand(link, flags);
  });
}

async function exposureCommand(link: string, flags: ExposureCmdFlags): Promise<number> {
  const input = link === '-' ? (await readStream(process.stdin)).toString('utf8') : link;
  const { findings, material, examples } = credentialsFromText(input, BUILTIN_RULES, { showSecrets: Boolean(flags.showSecrets), now: new Date() });
  const checkable = findings.filter((f) => material.has(f.fingerprint) && !f.example);
  if (!checkable.length) {
    throw new UsageError(findings.length || examples ? 'only placeholders or documentation examples found: nothing to measure' : 'no storage link, token or credential recognised in the input (is the whole URL quoted?)');
  }
  const verifier = buildVerifier(flags);
  const progress = progressLine();
  const summary = await verifyFindings(checkable, material, verifier, {
    exposure: {
      maxObjects: flags.maxObjects,
      maxSeconds: flags.maxSeconds,
      onProgress: (p) => progress.update(`listing ${p.current ?? ''}: ${p.containers} containers, ${p.objects} objects, ${formatBytes(p.bytes)}`),
      scanContent: flags.scanContent ? { budgetBytes: flags.contentBudget, maxObjectBytes: flags.contentMaxObject, rules: BUILTIN_RULES, showSecrets: Boolean(flags.showSecrets) } : undefined,
    },
  });
  progress.done();
  if (flags.format === 'json') {
    await emit(`${JSON.stringify({ tool: { name: TOOL.name, version: TOOL.version }, summary, results: checkable.map(resultObject) }, null, 2)}\n`, undefined);
  } else {
    await emit(renderExposureText(checkable, wantColor(flags.color, process.stdout), summary.requestsSent), undefined);
  }
  // exposure is measured only for live credentials, so a walk that failed is already exit 1
  return verdictExit(checkable);
}

/** Why there is no exposure block: never "none" unless the credential is known to be dead. */
function noExposure(f: Finding): string {
  const v = f.verification;
  switch (v?.status) {
    case 'live':
      return 'not measured for this kind of credential (Azure Storage only); it is live, so at least what it names is exposed';
    case 'ip-restricted':
      return 'not measured: usable only from its signed IP range';
    case 'expired':
    case 'not-yet-valid':
    case 'revoked-or-invalid':
      return `none — the credential is ${v.status}`;
    default:
      return `not measured — whether it is live could not be checked (${v?.cause ?? 'unknown'})`;
  }
}

function renderExposureText(findings: Finding[], color: boolean, requests: number): string {
  const style = makeStyle(color);
  const out: string[] = [];
  for (const f of findings) {
    out.push(`${style.bold(f.title)} — ${style.severity(f.severity, f.severity.toUpperCase())}`);
    for (const l of verificationLines(f.verification!, style, { requests: false })) out.push(`  ${l}`);
    if (f.exposure?.error) out.push(`  ${style.dim('exposure:')} ${style.bold('NOT MEASURED')} — ${f.exposure.error}`);
    else if (f.exposure) for (const l of exposureLines(f.exposure, style, { detail: true })) out.push(`  ${l}`);
    else out.push(`  ${style.dim('exposure:')} ${noExposure(f)}`);
    out.push(`  ${style.dim('why:')} ${f.reasons.join('; ')}`, '');
  }
  out.push(style.dim(`${requests} request${requests === 1 ? '' : 's'} sent (read-only)`));
  return `${out.join('\n')}\n`;
}
