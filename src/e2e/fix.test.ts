import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BlockBlobClient, ContainerClient } from '@azure/storage-blob';
import { randomAccountKey } from '../testing/azurite.js';
import { runCli, tempTree, type CliRun } from '../testing/cli.js';
import { FIX_ACCOUNT, startFixAccount, type FixAccount } from '../testing/fix-fixture.js';

/**
 * mint and revoke, as a user runs them, against a real Azurite: a policy-bound link is live
 * and read-only, revoking it kills it on the next request; the --allow-wide guard; --from on a
 * leaked account SAS; which key signed a link and the exact az commands; key rotation
 * (an emulator restart with new keys) kills what the old key signed.
 */
let acct: FixAccount;
const MODELS = { 'resnet50/model.ckpt': 'weights v1', 'resnet50/README.md': '# ResNet-50\n' };
const BACKUPS = { 'alice/id_rsa': 'not a key' };

before(async () => {
  acct = await startFixAccount({ 'public-models': MODELS, backups: BACKUPS });
});
after(async () => {
  await acct?.stop();
});

function cli(args: string[]): CliRun {
  return runCli([...args, ...acct.net], { env: acct.env() });
}

function json<T>(r: CliRun): T {
  try {
    return JSON.parse(r.stdout) as T;
  } catch {
    throw new Error(`not JSON (exit ${r.code}):\n${r.stdout}\n${r.stderr}`);
  }
}

/** The same token on the path-style URL the SDK in this test can reach. */
function onPath(link: string): string {
  return link.replace(/^http:\/\/[a-z0-9]+\.blob\.core\.windows\.net:(\d+)\//, `http://127.0.0.1:$1/${FIX_ACCOUNT}/`);
}

async function status(p: Promise<unknown>): Promise<{ status: number; code: string }> {
  try {
    await p;
    return { status: 200, code: '' };
  } catch (e) {
    const err = e as { statusCode?: number; code?: string; details?: { errorCode?: string } };
    return { status: err.statusCode ?? 0, code: err.details?.errorCode ?? err.code ?? '' };
  }
}

interface MintJson {
  link: string;
  kind: string;
  container: string | null;
  permissions: string;
  protocol: string;
  policy: { name: string; created: boolean } | null;
  grant: { scope: string; permissions: string[]; resource: { container: string } };
  verification: { status: string } | null;
  actions: { action: string; result: string; sigSha256?: string }[];
  notes: string[];
}

interface VerifyJson {
  results: { verification: { status: string; permissions?: { permission: string; result: string }[] } }[];
}

describe('mint → verify → revoke (e2e, Azurite)', () => {
  it('a policy-bound container link is live and read-only, and dead on the next request after revoke', async () => {
    const logFile = path.join(tempTree({}).dir, 'actions.jsonl');
    const minted = cli(['mint', '--connection-string-env', 'CONN', '--container', 'public-models', '--list', '--policy', 'models-read', '--allow-http', '--yes', '--log', logFile, '--format', 'json']);
    assert.equal(minted.code, 0, minted.stderr);
    const m = json<MintJson>(minted);
    assert.equal(m.kind, 'service-sas');
    assert.deepEqual(m.policy && [m.policy.name, m.policy.created], ['models-read', true]);
    assert.equal(m.permissions, 'rl');
    assert.equal(m.grant.scope, 'container');
    assert.deepEqual(m.grant.permissions, ['read', 'list']);
    assert.match(m.link, /[?&]si=models-read(&|$)/);
    assert.match(m.link, /[?&]sr=c(&|$)/);
    assert.doesNotMatch(m.link, /[?&]sp=/, 'permissions live in the policy, not in the link');
    assert.match(m.link, /[?&]se=/, 'the link carries its own expiry');
    const lifetime = Date.parse(decodeURIComponent(/se=([^&]+)/.exec(m.link)![1]!)) - Date.parse(decodeURIComponent(/st=([^&]+)/.exec(m.link)![1]!));
    assert.equal(lifetime, 3600_000, 'one hour by default');

    // live and read-only
    const v = cli(['verify', m.link, '--format', 'json']);
    assert.equal(v.code, 1, v.stderr);
    const ver = json<VerifyJson>(v).results[0]!.verification;
    assert.equal(ver.status, 'live');
    assert.deepEqual(Object.fromEntries(ver.permissions!.map((p) => [p.permission, p.result])), { list: 'confirmed', read: 'confirmed', '(stored policy)': 'not-tested' });
    const sdkLink = onPath(m.link);
    const [base, query] = sdkLink.split('?') as [string, string];
    assert.equal((await status(new BlockBlobClient(`${base}/resnet50/model.ckpt?${query}`).downloadToBuffer())).status, 200);
    const write = await status(new BlockBlobClient(`${base}/planted.bin?${query}`).upload('x', 1));
    assert.deepEqual(write, { status: 403, code: 'AuthorizationPermissionMismatch' }, 'write refused');
    const del = await status(new BlockBlobClient(`${base}/resnet50/model.ckpt?${query}`).delete());
    assert.equal(del.status, 403, 'delete refused');
    const other = await status(new ContainerClient(`${base.replace('/public-models', '/backups')}?${query}`).listBlobsFlat().next());
    assert.equal(other.status, 403, 'another container refused');

    // revoke: deletes the policy, then checks the link
    const r = cli(['revoke', m.link, '--connection-string-env', 'CONN', '--yes', '--log', logFile, '--format', 'json']);
    assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
    const rv = json<{ outcome: string; before: { status: string }; after: { status: string; requests: unknown[] }; notes: string[]; actions: { action: string; result: string }[] }>(r);
    assert.equal(rv.outcome, 'revoked');
    assert.equal(rv.before.status, 'live');
    assert.equal(rv.after.status, 'revoked-or-invalid');
    assert.equal(rv.after.requests.length, 1, 'dead on the first request after the change');
    assert.ok(rv.notes.some((n) => /deleted stored access policy "models-read" \(it granted rl/.test(n)));
    assert.deepEqual(rv.actions.map((a) => `${a.action}:${a.result}`), ['verify:done', 'delete-stored-policy:done', 'verify:done']);
    const again = cli(['verify', m.link, '--format', 'json']);
    assert.equal(json<VerifyJson>(again).results[0]!.verification.status, 'revoked-or-invalid');
    assert.equal((await status(new BlockBlobClient(`${base}/resnet50/model.ckpt?${query}`).downloadToBuffer())).status, 403);

    // the action log: what was done, never the link or a key
    const logText = readFileSync(logFile, 'utf8');
    const entries = logText.trim().split('\n').map((l) => JSON.parse(l) as { command: string; action: string; sigSha256?: string });
    assert.deepEqual(entries.map((e) => `${e.command}:${e.action}`), ['mint:create-stored-policy', 'mint:mint-service-sas', 'revoke:verify', 'revoke:delete-stored-policy', 'revoke:verify']);
    const sig = decodeURIComponent(/sig=([^&]+)/.exec(m.link)![1]!);
    assert.ok(!logText.includes(sig) && !logText.includes(encodeURIComponent(sig)), 'no signature in the log');
    assert.ok(!logText.includes(acct.keys[0]!) && !logText.includes(acct.keys[1]!), 'no key in the log');
    assert.ok(entries[1]!.sigSha256 && entries[1]!.sigSha256 === entries[3]!.sigSha256, 'the link is recorded by its signature hash');
  });

  it('refuses, without a terminal and without --yes, instead of hanging; nothing changes', async () => {
    const m = json<MintJson>(cli(['mint', '--connection-string-env', 'CONN', '--container', 'public-models', '--policy', 'ask-first', '--allow-http', '--yes', '--format', 'json']));
    const r = cli(['revoke', m.link, '--connection-string-env', 'CONN']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /refusing to delete stored access policy "ask-first".*no terminal.*--yes/);
    const policies = await acct.service().getContainerClient('public-models').getAccessPolicy();
    assert.ok(policies.signedIdentifiers.some((s) => s.id === 'ask-first'), 'the policy is still there');
    const noYes = cli(['mint', '--connection-string-env', 'CONN', '--container', 'public-models', '--policy', 'never-made', '--allow-http']);
    assert.equal(noYes.code, 2);
    assert.match(noYes.stderr, /refusing to create stored access policy "never-made"/);
    const after = await acct.service().getContainerClient('public-models').getAccessPolicy();
    assert.ok(!after.signedIdentifiers.some((s) => s.id === 'never-made'));
  });
});

describe('revoke: where keys go, what cannot be checked, and --dry-run (e2e, Azurite)', () => {
  /** A look-alike host: answers 200 to everything and records what it was sent. */
  function lookalike() {
    const seen: { method: string; url: string; authorization: string | undefined }[] = [];
    const srv = http.createServer((req, res) => {
      seen.push({ method: req.method!, url: req.url!, authorization: req.headers['authorization'] });
      res.writeHead(200, { 'x-ms-sku-name': 'Standard_LRS' });
      res.end();
    });
    return {
      seen,
      listen: () => new Promise<number>((r) => srv.listen(0, '127.0.0.1', () => r((srv.address() as AddressInfo).port))),
      close: () => new Promise<void>((r) => { srv.closeAllConnections(); srv.close(() => r()); }),
    };
  }
  const LOOKALIKE = `${FIX_ACCOUNT}.blob.core.chinacloudapi.cn`;
  const mintPolicyLink = (policy: string) => json<MintJson>(cli(['mint', '--connection-string-env', 'CONN', '--container', 'public-models', '--policy', policy, '--allow-http', '--yes', '--format', 'json'])).link;
  const policies = async () => (await acct.service().getContainerClient('public-models').getAccessPolicy()).signedIdentifiers.map((s) => s.id);

  it("sends Shared-Key-signed calls only to the key's own endpoint, never to the host the leaked link names", async () => {
    const host = lookalike();
    const port = await host.listen();
    try {
      const leaked = mintPolicyLink('lookalike').replace(/^http:\/\/[^/]+/, `http://${LOOKALIKE}:${port}`);
      const net = [...acct.net, '--resolve', `${LOOKALIKE}:127.0.0.1`, '--wait', '1s'];
      // keys only, no endpoint: nothing signed is sent anywhere
      const noEndpoint = runCli(['revoke', leaked, '--account-key-env', 'KEY1', '--yes', '--format', 'json', ...net], { env: acct.env() });
      const ne = json<{ cannot: string[] }>(noEndpoint);
      assert.ok(ne.cannot.some((c) => /blob endpoint is not known.*--endpoint.*never sent to the host a leaked link names/.test(c)), noEndpoint.stdout);
      assert.ok((await policies()).includes('lookalike'), 'nothing changed');
      // the connection string names the endpoint: the policy is deleted there
      const r = runCli(['revoke', leaked, '--connection-string-env', 'CONN', '--yes', '--format', 'json', ...net], { env: acct.env() });
      const out = json<{ notes: string[]; actions: { action: string; result: string }[] }>(r);
      assert.ok(out.actions.some((a) => a.action === 'delete-stored-policy' && a.result === 'done'), r.stdout);
      assert.ok(!(await policies()).includes('lookalike'), 'deleted on the account itself');
      assert.ok(out.notes.some((n) => n.includes(`the link names ${LOOKALIKE}:${port}, not the account's endpoint`)));
      assert.ok(host.seen.length > 0, 'the link itself was checked on its own host');
      assert.deepEqual(host.seen.filter((s) => s.authorization !== undefined || s.method !== 'GET' && s.method !== 'HEAD'), [], 'no signed or writing request reached the look-alike host');
    } finally {
      await host.close();
    }
  });

  it('--dry-run reads and plans: which policy, how, with which key; nothing changes and nothing is asked', async () => {
    const link = mintPolicyLink('dry-run-me');
    const r = cli(['revoke', link, '--connection-string-env', 'CONN', '--dry-run']);
    assert.equal(r.code, 1, `the link works now: ${r.stderr}`);
    assert.match(r.stdout, /STILL LIVE — action required.*DRY RUN: nothing was changed/);
    assert.match(r.stdout, /Would do \(dry run: nothing sent that changes anything\):\n  - delete stored access policy "dry-run-me" from container public-models of leakyacct \(it grants r[^;]*; other policies kept: [^)]*\) — Get Container ACL, then Set Container ACL on http:\/\/leakyacct\.blob\.core\.windows\.net:\d+\/public-models\?restype=container&comp=acl keeping the other policies and the public access level, signed with the key from \$CONN/);
    assert.ok((await policies()).includes('dry-run-me'), 'the policy is still there');
    const j = json<{ dryRun: boolean; planned: string[]; actions: { action: string; result: string }[]; after: unknown }>(cli(['revoke', link, '--connection-string-env', 'CONN', '--dry-run', '--format', 'json']));
    assert.equal(j.dryRun, true);
    assert.equal(j.planned.length, 1);
    assert.deepEqual(j.actions.map((a) => `${a.action}:${a.result}`), ['verify:done', 'delete-stored-policy:planned']);
    assert.equal(j.after, null);
  });

  it('a link that cannot be checked is COULD NOT CHECK (exit 3), never STILL LIVE', async () => {
    const closed = await closedPort();
    const link = `${acct.prodRoot}/public-models?${acct.accountSas(0, 'rl')}`.replace(/:\d+\//, `:${closed}/`);
    const r = cli(['revoke', link, '--account-key-env', 'KEY1', '--secondary-key-env', 'KEY2']);
    assert.equal(r.code, 3, `${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, /COULD NOT CHECK — whether the link still works is unknown/);
    assert.match(r.stdout, /before: UNKNOWN \(refused\)/);
    assert.doesNotMatch(r.stdout, /STILL LIVE|may be deleted/);
  });
});

/** A loopback port nobody listens on (connections are refused). */
async function closedPort(): Promise<number> {
  const s = http.createServer();
  const port = await new Promise<number>((r) => s.listen(0, '127.0.0.1', () => r((s.address() as AddressInfo).port)));
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe('the --allow-wide guard (e2e)', () => {
  it('refuses an account SAS, write permissions and long lifetimes without --allow-wide', () => {
    const account = cli(['mint', '--connection-string-env', 'CONN', '--account-sas', '--allow-http']);
    assert.equal(account.code, 2);
    assert.match(account.stderr, /an account SAS .* refused without --allow-wide/);
    assert.equal(account.stdout, '', 'nothing minted');
    const write = cli(['mint', '--connection-string-env', 'CONN', '--container', 'public-models', '--permissions', 'rwd', '--allow-http']);
    assert.equal(write.code, 2);
    assert.match(write.stderr, /permissions wd go beyond read and list: refused without --allow-wide/);
    const long = cli(['mint', '--connection-string-env', 'CONN', '--container', 'public-models', '--expires', '30d', '--allow-http']);
    assert.equal(long.code, 2);
    assert.match(long.stderr, /30 days is over 7 days: refused without --allow-wide/);
    const wide = cli(['mint', '--connection-string-env', 'CONN', '--account-sas', '--allow-wide', '--allow-http', '--format', 'json']);
    assert.equal(wide.code, 0, wide.stderr);
    const w = json<MintJson>(wide);
    assert.equal(w.kind, 'account-sas');
    assert.ok(w.notes.some((n) => /allowed by --allow-wide/.test(n)));
  });

  it('never puts a key on the command line: a flag takes the name of a variable', () => {
    const r = cli(['mint', '--account-key-env', acct.keys[0]!, '--account', FIX_ACCOUNT, '--container', 'public-models', '--allow-http']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /is not an environment variable name \(pass the variable's name, never the secret itself\)/);
    assert.ok(!r.stderr.includes(acct.keys[0]!), 'and the error does not echo it');
  });
});

describe('mint --from a leaked account SAS (e2e)', () => {
  it('yields a container-scoped, read-only link for the same container', async () => {
    const leaked = `${acct.prodRoot}/public-models/resnet50/model.ckpt?${acct.accountSas(0, 'rwdlacup', 'bfqt')}`;
    const dry = cli(['mint', '--from', leaked, '--connection-string-env', 'CONN', '--allow-http', '--dry-run']);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /Would mint a service SAS for container public-models of leakyacct/);
    assert.match(dry.stdout, /permissions\s+rl/);
    const r = cli(['mint', '--from', leaked, '--connection-string-env', 'CONN', '--allow-http', '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const m = json<MintJson>(r);
    assert.equal(m.kind, 'service-sas');
    assert.equal(m.container, 'public-models');
    assert.equal(m.permissions, 'rl', 'read and list, nothing else');
    assert.equal(m.protocol, 'https,http', 'plain http only because the emulator speaks it (--allow-http)');
    assert.match(m.link, /^http:\/\/leakyacct\.blob\.core\.windows\.net:\d+\/public-models\?/);
    assert.match(m.link, /[?&]sr=c&/);
    assert.ok(m.notes.some((n) => /pointed at public-models\/resnet50\/model\.ckpt/.test(n)));
    assert.ok(m.notes.some((n) => /was an account SAS on blob, file, queue, table/.test(n)));
    const [base, query] = onPath(m.link).split('?') as [string, string];
    assert.equal((await status(new ContainerClient(`${base}?${query}`).listBlobsFlat().next())).status, 200);
    assert.equal((await status(new BlockBlobClient(`${base}/resnet50/README.md?${query}`).downloadToBuffer())).status, 200);
    assert.equal((await status(new BlockBlobClient(`${base}/x.bin?${query}`).upload('x', 1))).status, 403);
    assert.equal((await status(new ContainerClient(`${base.replace('/public-models', '/backups')}?${query}`).listBlobsFlat().next())).status, 403);
  });

  it('narrows to one blob on request, and refuses a link that could not read', () => {
    const leaked = `${acct.prodRoot}/public-models/resnet50/model.ckpt?${acct.accountSas(0, 'rl')}`;
    const blob = json<MintJson>(cli(['mint', '--from', leaked, '--blob', 'resnet50/model.ckpt', '--connection-string-env', 'CONN', '--allow-http', '--format', 'json']));
    assert.match(blob.link, /\/public-models\/resnet50\/model\.ckpt\?.*sr=b/);
    assert.equal(blob.permissions, 'r');
    const writeOnly = `${acct.prodRoot}/public-models?${acct.containerSas(0, 'public-models', 'cw')}`;
    const r = cli(['mint', '--from', writeOnly, '--connection-string-env', 'CONN', '--allow-http']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /could not read .* a read-only replacement would not serve its use/);
  });
});

describe('revoke an account SAS: which key, what else breaks, exact az commands, rotation (e2e)', () => {
  it('identifies key1, lists what breaks from a scan report, prints exact commands, and the link dies when key1 rotates', async () => {
    const leaked = `${acct.prodRoot}/public-models?${acct.accountSas(0, 'rwdl')}`;
    const byKey2 = `${acct.prodRoot}/backups?${acct.containerSas(1, 'backups', 'rl')}`;
    const alsoKey1 = `${acct.prodRoot}/public-models?${acct.containerSas(0, 'public-models', 'r')}`;
    const tree = tempTree({ 'README.md': `Models: ${leaked}\n`, 'ops/backup.env': `BACKUP_URL=${byKey2}\n`, 'ops/models.env': `MODELS_URL=${alsoKey1}\n` });
    try {
      const scan = runCli(['scan', tree.dir, '--format', 'json', '--fail-on', 'never']);
      assert.equal(scan.code, 0, scan.stderr);
      const reportPath = path.join(tree.dir, 'scan.json');
      writeFileSync(reportPath, scan.stdout);
      assert.ok(!scan.stdout.includes(decodeURIComponent(/sig=([^&]+)/.exec(leaked)![1]!)), 'the report is redacted');

      const r = cli(['revoke', leaked, '--account-key-env', 'KEY1', '--secondary-key-env', 'KEY2', '--report', reportPath, '--format', 'json']);
      assert.equal(r.code, 1, `still live, the rotation is for the user to run: ${r.stderr}`);
      const out = json<{ outcome: string; signingKey: { verdict: string; slot: string; layout: string }; rotate: string; commands: { command: string }[]; dependents: { location: string; use: string; leaked: boolean }[]; cannot: string[] }>(r);
      assert.equal(out.outcome, 'action-required');
      assert.deepEqual([out.signingKey.verdict, out.signingKey.slot, out.signingKey.layout], ['identified', 'key1', 'account-2020-12-06']);
      assert.equal(out.rotate, 'key1');
      const commands = out.commands.map((c) => c.command);
      assert.deepEqual(commands, [
        `RG=$(az storage account list --query "[?name=='leakyacct'].resourceGroup | [0]" -o tsv)`,
        'az storage account keys renew --resource-group "$RG" --account-name leakyacct --key primary',
        'az storage account update --resource-group "$RG" --name leakyacct --sas-expiration-period 0.01:00:00 --sas-expiration-action Block',
        'az storage account update --resource-group "$RG" --name leakyacct --allow-shared-key-access false',
      ]);
      const uses = Object.fromEntries(out.dependents.map((d) => [d.location, `${d.use}${d.leaked ? ' (leaked)' : ''}`]));
      assert.deepEqual(uses, { 'README.md:1': 'rotating-key (leaked)', 'ops/models.env:1': 'rotating-key', 'ops/backup.env:1': 'other-key' });
      assert.ok(out.cannot.some((c) => /not done without --execute/.test(c)));

      const withRg = cli(['revoke', leaked, '--account-key-env', 'KEY1', '--secondary-key-env', 'KEY2', '--resource-group', 'rg-models (prod)', '--format', 'json']);
      assert.ok(json<{ commands: { command: string }[] }>(withRg).commands.some((c) => c.command === `az storage account keys renew --resource-group 'rg-models (prod)' --account-name leakyacct --key primary`));
      const text = cli(['revoke', leaked, '--account-key-env', 'KEY1', '--secondary-key-env', 'KEY2', '--report', reportPath]);
      assert.match(text.stdout, /Signing key: key1 — key1 from \$KEY1 reproduces its signature/);
      assert.match(text.stdout, /BREAKS\s+account SAS at README\.md:1 \(the leaked link\)/);
      assert.match(text.stdout, /keeps working service SAS at ops\/backup\.env:1 — signed with key2/);
      const unknown = json<{ signingKey: { verdict: string }; commands: { command: string }[]; notes: string[] }>(cli(['revoke', leaked, '--format', 'json']));
      assert.equal(unknown.signingKey.verdict, 'unknown');
      assert.ok(unknown.commands.some((c) => /--key primary$/.test(c.command)) && unknown.commands.some((c) => /--key secondary$/.test(c.command)), 'both keys when the signer is unknown');
      assert.ok(unknown.notes.some((n) => /key1\(…\) or key2\(…\)/.test(n)), 'and how to find out from the logs');

      // rotate key1 (restart the emulator with a new key1, key2 kept): the leaked link dies, key2's link lives
      const oldKey2 = acct.keys[1]!;
      await acct.restart([randomAccountKey(), oldKey2]);
      const moved = (u: string) => u.replace(/:\d+\//, `:${new URL(acct.prodRoot).port}/`);
      const dead = json<VerifyJson>(cli(['verify', moved(leaked), '--format', 'json']));
      assert.equal(dead.results[0]!.verification.status, 'revoked-or-invalid');
      const alive = json<VerifyJson>(cli(['verify', moved(byKey2), '--format', 'json']));
      assert.equal(alive.results[0]!.verification.status, 'live');
      const afterRotation = cli(['revoke', moved(leaked), '--account-key-env', 'KEY1', '--secondary-key-env', 'KEY2', '--format', 'json']);
      assert.equal(afterRotation.code, 0, afterRotation.stderr);
      const ar = json<{ outcome: string; signingKey: { verdict: string } }>(afterRotation);
      assert.deepEqual([ar.outcome, ar.signingKey.verdict], ['already-dead', 'no-match']);
    } finally {
      tree.cleanup();
    }
  });
});
