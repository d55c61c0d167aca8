import { Option, type Command } from 'commander';
import { BUILTIN_RULES } from '../../detect/rules/index.js';
import type { Finding } from '../../model/finding.js';
import { ActionLog } from '../../fix/action-log.js';
import { armClient } from '../../fix/arm.js';
import { ReportError, readReport } from '../../fix/breakage.js';
import { ConfirmationRefused, confirmer } from '../../fix/confirm.js';
import { CredentialError, readCredentials, type FixCredentials, type KeyFlags } from '../../fix/credentials.js';
import type { KeySlot } from '../../fix/identify.js';
import { renderRevokeText, revokeJson } from '../../fix/render.js';
import { revokeLink, type RevokeOutcome } from '../../fix/revoke.js';
import { wantColor } from '../../report/style.js';
import { readStream } from '../../sources/stdin.js';
import { credentialsFromText } from '../../verify/input.js';
import { fromUrl } from '../../verify/azure/target.js';
import { choice } from '../parse.js';
import { emit, EXIT, UsageError } from '../output.js';
import { addNetworkOptions, buildVerifier, parseDuration, type NetworkFlags } from '../verify-flags.js';

interface RevokeFlags extends NetworkFlags, KeyFlags {
  expire?: boolean;
  report?: string;
  key?: KeySlot | 'both';
  execute?: boolean;
  arm?: boolean;
  subscription?: string;
  resourceGroup?: string;
  wait: number;
  yes?: boolean;
  log?: string;
  format: 'text' | 'json';
  color?: boolean;
}

export function registerRevoke(program: Command): void {
  const cmd = program
    .command('revoke')
    .description('revoke a leaked link: delete its stored access policy, or find the account key that signed it and rotate it (exact az commands, or --execute), then check that it is dead')
    .argument('<link>', 'the leaked URL with its token (quote it), or - to read it from stdin')
    .option('--connection-string-env <VAR>', 'environment variable holding a connection string with an account key (default AZURE_STORAGE_CONNECTION_STRING when set)')
    .option('--account-key-env <VAR>', 'environment variable holding the primary key (key1)')
    .option('--secondary-key-env <VAR>', 'environment variable holding the secondary key (key2)')
    .option('--expire', 'stored-policy link: set the policy\'s expiry in the past instead of deleting it')
    .option('--report <scan.json>', 'a sasquatch JSON report: list the credentials of the same account and what else breaks')
    .option('--key <slot>', 'the key to rotate when it is not identified (or to override): key1, key2 or both', choice(['key1', 'key2', 'both'] as const))
    .option('--execute', 'rotate the key / revoke user delegation keys through Azure Resource Manager (DefaultAzureCredential)')
    .option('--arm', 'use Azure Resource Manager to find the resource group and list the keys (implied by --execute)')
    .option('--subscription <id>', 'Azure subscription of the account (default AZURE_SUBSCRIPTION_ID)')
    .option('--resource-group <name>', 'resource group of the account (default: looked up)')
    .addOption(new Option('--wait <duration>', 'after an action, keep checking this long for the link to die (Azure applies policy changes within ~30 s)').argParser(parseDuration).default(45_000, '45s'))
    .option('-y, --yes', 'do not ask before each action')
    .option('--log <file>', 'append what was done to this JSONL file (never a secret)')
    .option('-f, --format <format>', 'text or json', choice(['text', 'json'] as const), 'text')
    .option('--color', 'force colour')
    .option('--no-color', 'disable colour')
    .addHelpText(
      'after',
      `
Keys are read from environment variables named by flags, never from the command line.
Exit status: 0 the link is dead (revoked now, already, or expired), 1 it still works
(the printed commands are needed, or an action was declined), 2 error or refused
(for instance: an action to confirm and no terminal to ask on, without --yes).`,
    );
  addNetworkOptions(cmd).action(async (link: string, flags: RevokeFlags) => {
    process.exitCode = await revokeCommand(link, flags);
  });
}

async function revokeCommand(linkArg: string, flags: RevokeFlags): Promise<number> {
  const link = linkArg === '-' ? (await readStream(process.stdin)).toString('utf8').trim() : linkArg.trim();
  const now = new Date();
  const { findings, material } = credentialsFromText(link, BUILTIN_RULES, { showSecrets: false, now });
  const finding = findings.find((f) => f.grant?.provider === 'azure' && /sas$/.test(f.grant.kind) && material.get(f.fingerprint)?.['url']);
  if (!finding?.grant) {
    throw new UsageError(findings.length ? 'revoke needs an Azure Storage SAS link with its host (https://<account>.blob.core.windows.net/…?sv=…&sig=…)' : 'no storage link recognised in the input (is the whole URL quoted?)');
  }
  const m = material.get(finding.fingerprint)!;
  const url = m['url']!;
  const credentials = credentialsOf(flags);
  const report = reportOf(flags.report);
  const useArm = Boolean(flags.execute || flags.arm);
  const subscription = flags.subscription ?? process.env['AZURE_SUBSCRIPTION_ID'] ?? null;
  if (useArm && !subscription) throw new UsageError(`${flags.execute ? '--execute' : '--arm'} needs the subscription of the account: --subscription ID or AZURE_SUBSCRIPTION_ID`);
  const target = fromUrl(url, { allowPrivateHosts: Boolean(flags.allowPrivateHosts) });
  const log = new ActionLog('revoke', flags.log ?? null);
  try {
    const result = await revokeLink({
      link: url,
      finding,
      grant: finding.grant,
      credentials,
      blobEndpoint: target?.endpoints.blob ?? null,
      guard: buildVerifier(flags).guard,
      expire: Boolean(flags.expire),
      execute: Boolean(flags.execute),
      keyOverride: flags.key ?? null,
      resourceGroup: flags.resourceGroup ?? null,
      arm: useArm && subscription ? () => armClient(subscription) : null,
      report,
      confirm: confirmer({ yes: Boolean(flags.yes) }),
      log,
      // a new verifier each time: its cache would otherwise answer with the verdict from before the change
      verify: () => buildVerifier(flags).verify({ rule: finding.rule, grant: finding.grant ?? null, material: m }),
      waitMs: flags.wait,
      pollMs: 5000,
      now: () => new Date(),
    });
    const text = flags.format === 'json' ? `${JSON.stringify(revokeJson(result, finding, log.entries), null, 2)}\n` : renderRevokeText(result, finding, wantColor(flags.color, process.stdout));
    await emit(text, undefined);
    return exitOf(result.outcome);
  } catch (e) {
    if (e instanceof ConfirmationRefused) {
      process.stderr.write(`sasquatch revoke: ${e.message}\n`);
      return EXIT.error;
    }
    throw e;
  }
}

function exitOf(outcome: RevokeOutcome): number {
  switch (outcome) {
    case 'revoked':
    case 'already-dead':
    case 'expired':
      return EXIT.ok;
    case 'failed':
      return EXIT.error;
    default:
      return EXIT.findings;
  }
}

function credentialsOf(flags: KeyFlags): FixCredentials {
  try {
    return readCredentials(flags);
  } catch (e) {
    if (e instanceof CredentialError) throw new UsageError(e.message);
    throw e;
  }
}

function reportOf(path: string | undefined): Finding[] | null {
  if (!path) return null;
  try {
    return readReport(path);
  } catch (e) {
    if (e instanceof ReportError) throw new UsageError(e.message);
    throw e;
  }
}
