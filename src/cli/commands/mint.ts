import { InvalidArgumentError, Option, type Command } from 'commander';
import { isLoopbackHost } from '../../analyze/sas/endpoint.js';
import { parseDuration as parsePolicyDuration } from '../../config/duration.js';
import { BUILTIN_RULES } from '../../detect/rules/index.js';
import type { Grant } from '../../model/grant.js';
import { ActionLog } from '../../fix/action-log.js';
import { ConfirmationRefused, confirmer } from '../../fix/confirm.js';
import { CredentialError, readCredentials, type FixCredentials, type KeyFlags } from '../../fix/credentials.js';
import { MintError, mintLink } from '../../fix/mint.js';
import { DEFAULT_LIFETIME_SECONDS, DEFAULT_SAS_VERSION, needFromLeaked, planMint, type MintKind, type MintNeed } from '../../fix/mint-plan.js';
import { mintedFinding, mintJson, renderMintPlan, renderMintText } from '../../fix/render.js';
import { wantColor } from '../../report/style.js';
import { readStream } from '../../sources/stdin.js';
import { isPrivateAddress } from '../../verify/address.js';
import { credentialsFromText } from '../../verify/input.js';
import { loadAzureSdk } from '../../verify/azure/sdk.js';
import { fromUrl } from '../../verify/azure/target.js';
import { choice } from '../parse.js';
import { emit, EXIT, UsageError } from '../output.js';
import { addNetworkOptions, buildVerifier, type NetworkFlags } from '../verify-flags.js';

interface MintFlags extends NetworkFlags, KeyFlags {
  from?: string;
  account?: string;
  container?: string;
  blob?: string;
  list?: boolean;
  permissions?: string;
  expires: { seconds: number; label: string };
  ip?: string;
  policy?: string;
  userDelegation?: boolean;
  accountSas?: boolean;
  services?: string;
  resourceTypes?: string;
  allowWide?: boolean;
  allowHttp?: boolean;
  version: string;
  endpoint?: string;
  dryRun?: boolean;
  verify?: boolean;
  yes?: boolean;
  log?: string;
  format: 'text' | 'json';
  color?: boolean;
}

export function registerMint(program: Command): void {
  const cmd = program
    .command('mint')
    .description('create the narrowest link for a stated need: a read-only, HTTPS-only, short-lived service SAS on one container or blob, revocable through a stored access policy')
    .option('--from <link>', 'propose (and mint) the narrowest replacement for a leaked link: same container, read-only (- reads it from stdin)')
    .option('--account <name>', 'storage account (default: from the connection string or --from)')
    .option('--container <name>', 'the container the link is for')
    .option('--blob <name>', 'only this blob (a blob SAS)')
    .option('--list', 'also allow listing the container (read + list)')
    .option('--permissions <letters>', 'permission letters (default r; anything beyond r and l needs --allow-wide)')
    .addOption(new Option('--expires <duration|date>', 'lifetime (1h, 30m, 2d, P1D) or an ISO date; over 7 days needs --allow-wide').argParser(parseExpires).default({ seconds: DEFAULT_LIFETIME_SECONDS, label: '1h' }, '1h'))
    .option('--ip <range>', 'only from this IPv4 address or range a.b.c.d-e.f.g.h')
    .option('--policy <name>', 'bind the link to this stored access policy (created if missing): revocable without touching the key')
    .option('--user-delegation', 'a user delegation SAS: signed with a key from Entra ID (DefaultAzureCredential), no account key needed')
    .option('--account-sas', 'an account SAS (refused without --allow-wide)')
    .option('--services <letters>', 'account SAS services (b, f, q, t)', 'b')
    .option('--resource-types <letters>', 'account SAS resource types (s, c, o)', 'sco')
    .option('--allow-wide', 'allow an account SAS, permissions beyond read/list, or more than 7 days')
    .option('--allow-http', 'also allow plain http in the link: only for a local emulator endpoint that speaks http (needs --allow-private-hosts)')
    .option('--version <sv>', 'service version to sign', DEFAULT_SAS_VERSION)
    .option('--endpoint <url>', 'blob endpoint of the account (default: from the connection string, --from, or https://<account>.blob.core.windows.net)')
    .option('--connection-string-env <VAR>', 'environment variable holding a connection string with the account key (default AZURE_STORAGE_CONNECTION_STRING when set)')
    .option('--account-key-env <VAR>', 'environment variable holding the account key')
    .option('--dry-run', 'print what would be minted; sign nothing, change nothing')
    .option('--verify', 'check the new link live afterwards (read-only requests)')
    .option('-y, --yes', 'do not ask before creating a stored access policy')
    .option('--log <file>', 'append what was done to this JSONL file (never the link)')
    .option('-f, --format <format>', 'text or json', choice(['text', 'json'] as const), 'text')
    .option('--color', 'force colour')
    .option('--no-color', 'disable colour')
    .addHelpText(
      'after',
      `
Keys are read from environment variables named by flags, never from the command line.
Exit status: 0 minted (or planned with --dry-run), 2 refused or failed.`,
    );
  addNetworkOptions(cmd).action(async (flags: MintFlags) => {
    process.exitCode = await mintCommand(flags);
  });
}

function parseExpires(value: string): { seconds: number; label: string } {
  const seconds = parsePolicyDuration(value);
  if (seconds !== null) {
    if (seconds <= 0) throw new InvalidArgumentError('must be more than zero');
    return { seconds, label: value };
  }
  const at = Date.parse(value);
  if (Number.isNaN(at) || !/^\d{4}-\d{2}-\d{2}/.test(value)) throw new InvalidArgumentError('expected a duration (1h, 30m, 2d, P1D) or an ISO date');
  return { seconds: Math.round((at - Date.now()) / 1000), label: value };
}

async function mintCommand(flags: MintFlags): Promise<number> {
  const now = new Date();
  const color = wantColor(flags.color, process.stdout);
  const kind: MintKind = flags.accountSas ? 'account-sas' : flags.userDelegation ? 'user-delegation-sas' : 'service-sas';
  if (flags.accountSas && flags.userDelegation) throw new UsageError('--account-sas and --user-delegation exclude each other');
  const creds = kind === 'user-delegation-sas' && !flags.connectionStringEnv && !flags.accountKeyEnv ? emptyCredentials() : credentialsOf(flags);
  const base = {
    expiresInSeconds: flags.expires.seconds,
    ipRange: flags.ip ?? null,
    policy: flags.policy ?? null,
    allowWide: Boolean(flags.allowWide),
    allowHttp: Boolean(flags.allowHttp),
    version: flags.version,
    services: flags.services,
    resourceTypes: flags.resourceTypes,
  };
  const explicitPerms = flags.permissions ?? (flags.list ? 'rl' : undefined);
  let need: MintNeed;
  let fromNotes: string[] = [];
  let endpoint: string | null = null;
  if (flags.from) {
    const leaked = await leakedGrant(flags.from, now, Boolean(flags.allowPrivateHosts));
    const r = needFromLeaked(leaked.grant, { ...base, kind, container: flags.container, blob: flags.blob, permissions: explicitPerms });
    if ('error' in r) throw new UsageError(`--from: ${r.error}`);
    need = r.need;
    fromNotes = r.notes;
    endpoint = leaked.endpoint;
    if (flags.account && flags.account !== need.account) throw new UsageError(`--account ${flags.account} differs from the leaked link's account ${need.account}`);
  } else {
    const account = flags.account ?? creds.account;
    if (!account) throw new UsageError('say which storage account: --account, a connection string (--connection-string-env), or --from a leaked link');
    need = { ...base, kind, account, container: flags.container ?? null, blob: flags.blob ?? null, permissions: explicitPerms ?? (kind === 'account-sas' ? 'rl' : 'r') };
  }
  if (creds.account && creds.account !== need.account) throw new UsageError(`the credentials are for account ${creds.account}, but the link is for ${need.account}`);
  endpoint = flags.endpoint?.replace(/\/+$/, '') ?? endpoint ?? (creds.account === need.account ? creds.blobEndpoint : null) ?? `https://${need.account}.blob.core.windows.net`;
  checkEndpoint(endpoint, flags);

  const plan = planMint(need, now);
  if ('refused' in plan) {
    process.stderr.write(`sasquatch mint: refused:\n${plan.refused.map((r) => `  - ${r}`).join('\n')}\n`);
    return EXIT.error;
  }
  if (flags.dryRun) {
    await emit(flags.format === 'json' ? `${JSON.stringify({ dryRun: true, spec: plan.spec, notes: [...fromNotes, ...plan.spec.notes] }, null, 2)}\n` : renderMintPlan(plan.spec, fromNotes, color), undefined);
    return EXIT.ok;
  }
  const key = creds.keys[0];
  if (kind !== 'user-delegation-sas' && !key) {
    throw new UsageError('signing needs the account key: name the environment variable holding it with --connection-string-env or --account-key-env (or use --user-delegation with an Entra ID identity)');
  }
  const log = new ActionLog('mint', flags.log ?? null);
  const verifier = buildVerifier(flags, now);
  try {
    const minted = await mintLink(plan.spec, {
      guard: verifier.guard,
      blobEndpoint: endpoint,
      sharedKey: key ? new (await loadAzureSdk()).StorageSharedKeyCredential(need.account, key.key) : null,
      tokenCredential: kind === 'user-delegation-sas' ? await entraCredential() : null,
      confirm: confirmer({ yes: Boolean(flags.yes) }),
      log,
      now,
      allowWide: Boolean(flags.allowWide),
    });
    const card = mintedFinding(minted, now);
    let verification = null;
    if (flags.verify) {
      const { findings, material } = credentialsFromText(minted.url, BUILTIN_RULES, { showSecrets: false, now });
      const f = findings.find((x) => material.has(x.fingerprint));
      if (f) verification = await buildVerifier(flags).verify({ rule: f.rule, grant: card.grant ?? f.grant ?? null, material: material.get(f.fingerprint)! });
    }
    const text = flags.format === 'json' ? `${JSON.stringify(mintJson(minted, card, fromNotes, verification, log.entries), null, 2)}\n` : renderMintText(minted, card, { fromNotes, verification, actions: log.entries, color, now });
    await emit(text, undefined);
    return EXIT.ok;
  } catch (e) {
    if (e instanceof MintError || e instanceof ConfirmationRefused) {
      process.stderr.write(`sasquatch mint: ${e.message}\n`);
      return EXIT.error;
    }
    throw e;
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

function emptyCredentials(): FixCredentials {
  return { account: null, keys: [], blobEndpoint: null, sources: [] };
}

async function leakedGrant(link: string, now: Date, allowPrivateHosts: boolean): Promise<{ grant: Grant; endpoint: string | null }> {
  const text = link === '-' ? (await readStream(process.stdin)).toString('utf8').trim() : link;
  const { findings, material } = credentialsFromText(text, BUILTIN_RULES, { showSecrets: false, now });
  const f = findings.find((x) => x.grant?.provider === 'azure' && /sas$/.test(x.grant.kind));
  if (!f?.grant) throw new UsageError('--from: no Azure SAS link recognised (is the whole URL quoted?)');
  const url = material.get(f.fingerprint)?.['url'];
  const target = url ? fromUrl(url, { allowPrivateHosts }) : null;
  return { grant: f.grant, endpoint: target?.endpoints.blob ?? null };
}

/**
 * Plain http only to an emulator on a private or loopback address (the guarded client checks
 * the address actually connected to), and only when the link may carry http too.
 */
function checkEndpoint(endpoint: string, flags: MintFlags): void {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new UsageError(`--endpoint ${endpoint} is not a URL`);
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const local = isLoopbackHost(host) || isPrivateAddress(host) || Boolean(flags.resolve?.length);
  if (flags.allowHttp && !(url.protocol === 'http:' && flags.allowPrivateHosts)) {
    throw new UsageError('--allow-http is only for an emulator endpoint that speaks plain http on a private or loopback address (with --allow-private-hosts)');
  }
  if (url.protocol === 'http:' && !flags.allowHttp) {
    throw new UsageError(`the endpoint ${url.origin} speaks plain http, and a minted link is HTTPS-only${local ? ': for a local emulator add --allow-http (and --allow-private-hosts)' : ': use https'}`);
  }
}

async function entraCredential() {
  const { DefaultAzureCredential } = await import('@azure/identity');
  return new DefaultAzureCredential();
}
