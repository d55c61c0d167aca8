import type { Command } from 'commander';
import { BUILTIN_RULES } from '../../detect/rules/index.js';
import type { Finding } from '../../model/finding.js';
import { makeStyle, wantColor } from '../../report/style.js';
import { verificationLines } from '../../report/verification.js';
import { readStream } from '../../sources/stdin.js';
import { credentialsFromText } from '../../verify/input.js';
import { verifyFindings } from '../../verify/findings.js';
import { choice } from '../parse.js';
import { emit, EXIT, UsageError } from '../output.js';
import { addNetworkOptions, buildVerifier, type NetworkFlags } from '../verify-flags.js';
import { TOOL } from '../../version.js';

interface VerifyFlags extends NetworkFlags {
  format: 'text' | 'json';
  showSecrets?: boolean;
  color?: boolean;
}

export function registerVerify(program: Command): void {
  const cmd = program
    .command('verify')
    .description('check live, without modifying anything, whether a link, token, key or connection string still works and for what')
    .argument('<link>', 'a URL, SAS token or connection string (quote it), or - to read stdin')
    .option('-f, --format <format>', 'text or json', choice(['text', 'json'] as const), 'text')
    .option('--show-secrets', 'print the credential in full')
    .option('--color', 'force colour')
    .option('--no-color', 'disable colour')
    .addHelpText('after', `\n${VERIFY_EXIT_HELP}`);
  addNetworkOptions(cmd).action(async (link: string, flags: VerifyFlags) => {
    process.exitCode = await verifyCommand(link, flags);
  });
}

async function verifyCommand(link: string, flags: VerifyFlags): Promise<number> {
  const input = link === '-' ? (await readStream(process.stdin)).toString('utf8') : link;
  const now = new Date();
  const { findings, material, examples } = credentialsFromText(input, BUILTIN_RULES, { showSecrets: Boolean(flags.showSecrets), now });
  const checkable = findings.filter((f) => material.has(f.fingerprint) && !f.example);
  if (!checkable.length) {
    throw new UsageError(findings.length || examples ? 'only placeholders or documentation examples found: nothing to verify' : 'no storage link, token or credential recognised in the input (is the whole URL quoted?)');
  }
  const verifier = buildVerifier(flags);
  const summary = await verifyFindings(checkable, material, verifier);
  if (flags.format === 'json') {
    const out = { tool: { name: TOOL.name, version: TOOL.version }, summary, results: checkable.map(resultObject) };
    await emit(`${JSON.stringify(out, null, 2)}\n`, undefined);
  } else {
    await emit(renderVerifyText(checkable, wantColor(flags.color, process.stdout), summary.requestsSent), undefined);
  }
  return verdictExit(checkable);
}

export const VERIFY_EXIT_HELP = `Exit status: 0 not live (expired, not yet valid, revoked or invalid), 1 live (or
IP-restricted), 2 bad input or error, 3 unknown: it could not be checked (offline, DNS,
timeout, refused, TLS, a guard refused to send, throttled, …) or no live check exists for
it — never a pass. The verdict's cause is in the output (JSON: verification.cause).`;

/** 1 when any credential works, else 3 when any verdict is unknown, else 0. */
export function verdictExit(findings: readonly Finding[]): number {
  if (findings.some((f) => f.verification?.status === 'live' || f.verification?.status === 'ip-restricted')) return EXIT.findings;
  if (findings.some((f) => !f.verification || f.verification.status === 'unknown')) return EXIT.unknown;
  return EXIT.ok;
}

export function resultObject(f: Finding): object {
  return { rule: f.rule, title: f.title, severity: f.severity, reasons: f.reasons, secret: f.secret, grant: f.grant ?? null, verification: f.verification ?? null, exposure: f.exposure ?? null };
}

function renderVerifyText(findings: Finding[], color: boolean, requests: number): string {
  const style = makeStyle(color);
  const out: string[] = [];
  for (const f of findings) {
    out.push(`${style.bold(f.title)} — ${style.severity(f.severity, f.severity.toUpperCase())}`);
    if (f.grant?.account || f.grant?.endpoint?.host) out.push(`  ${style.dim('target:')} ${[f.grant.account, f.grant.endpoint?.host].filter(Boolean).join(' at ')}`);
    for (const l of verificationLines(f.verification!, style)) out.push(`  ${l}`);
    out.push(`  ${style.dim('why:')} ${f.reasons.join('; ')}`);
    out.push(`  ${style.dim('secret:')} ${f.secret}`, '');
  }
  out.push(style.dim(`${requests} request${requests === 1 ? '' : 's'} sent (read-only; User-Agent sasquatch, client request ids sasquatch-…)`));
  return `${out.join('\n')}\n`;
}
