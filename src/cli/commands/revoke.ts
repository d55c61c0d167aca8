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
import { blobRootOf } from '../../fix/storage.js';
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
  endpoint?: string;
  dryRun?: boolean;
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
    .option('--endpoint <url>', "the account's blob endpoint for management calls (default: the one the connection string names; never the leaked link's host)")
    .option('--dry-run', 'check the link and print exactly what would be done (which policy, which key, which commands and ARM calls); change nothing, ask nothing')
    .option('--log <file>', 'append what was done to this JSONL file (never a secret)')
    .option('-f, --format <format>', 'text or json', choice(['text', 'json'] as const), 'text')
    .option('--color', 'force colour')
    .option('--no-color', 'disable colour')
    .addHelpText(
      'after',
      `
Keys are read from environment variables named by flags, never from the command line;
Shared-Key-signed calls go only to the endpoint of the key's own connection string or
--endpoint, never to the host the leaked link names.
Exit status: 0 the link is dead (revoked now, already, or expired), 1 it still works
(the printed commands are needed, or an action was declined), 2 error or refused
(for instance: an action to confirm and no terminal to ask on, without --yes), 3 whether
it still works could not be checked (offline, DNS, timeout, refused, TLS, …).
With --dry-run the same codes describe the link as it is now; nothing is changed.`,
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
  const blobEndpoint = endpointOf(flags, credentials, finding.grant.account);
  const log = new ActionLog('revoke', flags.log ?? null);
  try {
    const result = await revokeLink({
      link: url,
      finding,
      grant: finding.grant,
      credentials,
      blobEndpoint,
      guard: buildVerifier(flags).guard,
      expire: Boolean(flags.expire),
      execute: Boolean(flags.execute),
      keyOverride: flags.key ?? null,
      resourceGroup: flags.resourceGroup ?? null,
      arm: useArm && subscription ? () => armClient(subscription) : null,
      report,
      confirm: confirmer({ yes: Boolean(flags.yes) }),
      log,
      dryRun: Boolean(flags.dryRun),
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
    case 'unknown':
      return EXIT.unknown;
    default:
      return EXIT.findings;
  }
}

/**
 * Where management calls go: --endpoint, or the blob endpoint of the key's own connection
 * string. Never the leaked link's host: anyone can publish a link naming a host of theirs.
 */
function endpointOf(flags: RevokeFlags, credentials: FixCredentials, account: string | null): string | null {
  if (!flags.endpoint) return credentials.blobEndpoint;
  const root = blobRootOf(flags.endpoint.trim().replace(/[?#].*$/, '').replace(/\/+$/, ''));
  if (!root) throw new UsageError(`--endpoint expects the account's blob endpoint, e.g. https://${account ?? '<account>'}.blob.core.windows.net`);
  if (account && root.account && root.account !== account) throw new UsageError(`--endpoint names account ${root.account}, but the link is for ${account}`);
  return root.root;
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
