import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_POLICY } from '../analyze/policy.js';
import { BUILTIN_RULES } from '../detect/rules/index.js';
import type { Verification, VerificationStatus } from '../model/verification.js';
import { explainText } from '../pipeline/explain.js';
import { randomAccountKey } from '../testing/azurite.js';
import { signAccountSas } from '../testing/tokens.js';
import { HttpGuard } from '../verify/http.js';
import { ActionLog } from './action-log.js';
import type { ArmKey, ArmStorageClient } from './arm.js';
import { findResourceGroup } from './arm.js';
import type { FixCredentials } from './credentials.js';
import { revokeLink, type RevokeContext } from './revoke.js';

/**
 * The revoke planner and `--execute` with an injected Azure Resource Manager client: there is
 * no ARM emulator, so rotation and user delegation key revocation are tested against a fake
 * that records what it was asked to do. The storage side of these paths is the live check,
 * scripted here; the Azurite end-to-end tests cover it for real.
 */
const K1 = randomAccountKey();
const K2 = randomAccountKey();
const HOST = 'https://leakyacct.blob.core.windows.net';
const NOW = new Date('2024-05-01T00:00:00Z');
const ARM_ID = '/subscriptions/0000/resourceGroups/rg-models/providers/Microsoft.Storage/storageAccounts/leakyacct';

function accountLink(key: string, se = '2030-01-01T00:00:00Z'): string {
  const p = { sp: 'rl', ss: 'b', srt: 'sco', se, spr: 'https', sv: '2021-12-02' };
  return `${HOST}/public-models?${new URLSearchParams({ ...p, sig: signAccountSas('leakyacct', key, p) }).toString()}`;
}

const UD_LINK = `${HOST}/public-models?sv=2021-12-02&sr=c&sp=rl&se=2030-01-01T00:00:00Z&skoid=11111111-1111-1111-1111-111111111111&sktid=22222222-2222-2222-2222-222222222222&skt=2024-04-30T00:00:00Z&ske=2030-01-01T00:00:00Z&sks=b&skv=2021-12-02&sig=${encodeURIComponent('A'.repeat(43) + '=')}`;

interface FakeArm extends ArmStorageClient {
  calls: string[];
}

function fakeArm(keys: { key1: string; key2: string }): FakeArm {
  const calls: string[] = [];
  const list = (): ArmKey[] => [
    { keyName: 'key1', value: keys.key1, creationTime: new Date('2023-01-01T00:00:00Z') },
    { keyName: 'key2', value: keys.key2 },
  ];
  return {
    calls,
    storageAccounts: {
      async *list() {
        calls.push('list');
        yield { name: 'otheracct', id: '/subscriptions/0000/resourceGroups/rg-other/providers/Microsoft.Storage/storageAccounts/otheracct' };
        yield { name: 'leakyacct', id: ARM_ID };
      },
      async listKeys(rg, acct) {
        calls.push(`listKeys ${rg} ${acct}`);
        return { keys: list() };
      },
      async regenerateKey(rg, acct, p) {
        calls.push(`regenerateKey ${rg} ${acct} ${p.keyName}`);
        keys[p.keyName as 'key1' | 'key2'] = randomAccountKey();
        return { keys: list() };
      },
      async revokeUserDelegationKeys(rg, acct) {
        calls.push(`revokeUserDelegationKeys ${rg} ${acct}`);
      },
    },
  };
}

function verdict(status: VerificationStatus): Verification {
  return { status, ...(status === 'unknown' ? { cause: 'refused' as const } : {}), reason: status, source: 'live', checkedAt: NOW.toISOString(), host: 'leakyacct.blob.core.windows.net', httpStatus: status === 'live' ? 200 : 403, errorCode: null, requests: [] };
}

const NO_CREDENTIALS: FixCredentials = { account: null, keys: [], blobEndpoint: null, sources: [] };

function context(link: string, over: Partial<RevokeContext> & { verdicts?: VerificationStatus[]; answers?: boolean[] } = {}): RevokeContext & { questions: string[]; checks: () => number } {
  const f = explainText(link, BUILTIN_RULES, { now: NOW, policy: DEFAULT_POLICY, showSecrets: false })[0]!;
  const verdicts = [...(over.verdicts ?? ['live', 'revoked-or-invalid'])];
  const answers = [...(over.answers ?? [true, true])];
  const questions: string[] = [];
  let checks = 0;
  return {
    link,
    finding: f,
    grant: f.grant!,
    credentials: NO_CREDENTIALS,
    blobEndpoint: HOST,
    guard: new HttpGuard(),
    expire: false,
    execute: false,
    keyOverride: null,
    resourceGroup: null,
    arm: null,
    report: null,
    confirm: async (q) => {
      questions.push(q);
      return answers.shift() ?? false;
    },
    log: new ActionLog('revoke', null, () => NOW),
    verify: async () => {
      checks++;
      return verdict(verdicts.length > 1 ? verdicts.shift()! : verdicts[0]!);
    },
    waitMs: 0,
    pollMs: 0,
    now: () => NOW,
    sleep: async () => {},
    questions,
    checks: () => checks,
    ...over,
  };
}

describe('revoke --execute through Azure Resource Manager (fake client)', () => {
  it('finds the resource group, tells key1 from the listed keys, asks, rotates key1 and checks the link is dead', async () => {
    const arm = fakeArm({ key1: K1, key2: K2 });
    const ctx = context(accountLink(K1), { execute: true, arm: async () => arm });
    const r = await revokeLink(ctx);
    assert.equal(r.outcome, 'revoked');
    assert.equal(r.resourceGroup, 'rg-models');
    assert.equal(r.identification?.slot, 'key1');
    assert.match(r.identification!.source!, /^ARM listKeys \(key1, created 2023-01-01/);
    assert.deepEqual(arm.calls, ['list', 'listKeys rg-models leakyacct', 'listKeys rg-models leakyacct', 'regenerateKey rg-models leakyacct key1']);
    assert.equal(ctx.questions.length, 1);
    assert.match(ctx.questions[0]!, /^regenerate key1 of storage account leakyacct \(resource group rg-models\)\?/);
    assert.ok(r.commands.some((c) => c.command === `az storage account keys renew --resource-group 'rg-models' --account-name leakyacct --key primary`));
    const actions = ctx.log.entries.map((e) => `${e.action}:${e.result}`);
    assert.deepEqual(actions, ['verify:done', 'regenerate-key:done', 'verify:done']);
    assert.match(ctx.log.entries[1]!.detail!, /^old key sha256 [0-9a-f]{64} → new key sha256 [0-9a-f]{64}$/);
    const everything = JSON.stringify({ r, log: ctx.log.entries });
    assert.ok(!everything.includes(K1) && !everything.includes(K2), 'no key in the result or the log');
  });

  it('prints the plan and rotates nothing without --execute', async () => {
    const arm = fakeArm({ key1: K1, key2: K2 });
    const r = await revokeLink(context(accountLink(K2), { arm: async () => arm, verdicts: ['live'] }));
    assert.equal(r.outcome, 'action-required');
    assert.equal(r.rotate, 'key2');
    assert.ok(!arm.calls.some((c) => c.startsWith('regenerateKey')));
    assert.ok(r.commands.some((c) => /--key secondary$/.test(c.command)));
    assert.ok(r.cannot.some((c) => /not done without --execute/.test(c)));
  });

  it('will not rotate blindly: an unidentified signer needs --key, and --key both rotates both after two answers', async () => {
    const stranger = randomAccountKey();
    const arm = fakeArm({ key1: K1, key2: K2 });
    const blind = await revokeLink(context(accountLink(stranger), { execute: true, arm: async () => arm, verdicts: ['live'] }));
    assert.equal(blind.outcome, 'failed');
    assert.equal(blind.identification?.verdict, 'no-match');
    assert.ok(blind.cannot.some((c) => /will not rotate a key blindly.*--key key1, key2 or both/.test(c)));
    const both = context(accountLink(stranger), { execute: true, keyOverride: 'both', arm: async () => arm });
    const r = await revokeLink(both);
    assert.equal(r.outcome, 'revoked');
    assert.deepEqual(arm.calls.filter((c) => c.startsWith('regenerateKey')), ['regenerateKey rg-models leakyacct key1', 'regenerateKey rg-models leakyacct key2']);
    assert.equal(both.questions.length, 2);
  });

  it('stops when the user says no', async () => {
    const arm = fakeArm({ key1: K1, key2: K2 });
    const ctx = context(accountLink(K1), { execute: true, arm: async () => arm, answers: [false] });
    const r = await revokeLink(ctx);
    assert.equal(r.outcome, 'declined');
    assert.ok(!arm.calls.some((c) => c.startsWith('regenerateKey')));
    assert.deepEqual(ctx.log.entries.map((e) => `${e.action}:${e.result}`), ['verify:done', 'regenerate-key:declined']);
  });

  it('trusts ARM over a flag that calls key2 "key1"', async () => {
    const arm = fakeArm({ key1: K1, key2: K2 });
    const creds: FixCredentials = { account: null, keys: [{ slot: 'key1', key: K2, source: '$KEY1' }], blobEndpoint: null, sources: ['$KEY1 (key1)'] };
    const r = await revokeLink(context(accountLink(K2), { credentials: creds, arm: async () => arm, verdicts: ['live'] }));
    assert.equal(r.identification?.slot, 'key2');
    assert.ok(r.notes.some((n) => /\$KEY1 was given as key1, but Azure Resource Manager lists it as key2: using key2/.test(n)));
  });

  it('revokes user delegation keys for a user delegation SAS', async () => {
    const arm = fakeArm({ key1: K1, key2: K2 });
    const ctx = context(UD_LINK, { execute: true, arm: async () => arm });
    const r = await revokeLink(ctx);
    assert.equal(r.outcome, 'revoked');
    assert.deepEqual(arm.calls, ['list', 'revokeUserDelegationKeys rg-models leakyacct']);
    assert.match(ctx.questions[0]!, /revoke every user delegation key of leakyacct/);
    assert.ok(r.commands.some((c) => c.command === `az storage account revoke-delegation-keys --resource-group "$RG" --name leakyacct`));
    assert.ok(r.commands.some((c) => /az role assignment list --assignee 11111111-1111-1111-1111-111111111111/.test(c.command)));
    assert.ok(r.notes.some((n) => /rotating account keys does not touch it/.test(n)));
  });
});

describe('revoke: after the action, and links with nothing to do', () => {
  it('keeps checking until the link is refused (Azure takes a while), then reports it revoked', async () => {
    const arm = fakeArm({ key1: K1, key2: K2 });
    const ctx = context(accountLink(K1), { execute: true, arm: async () => arm, verdicts: ['live', 'live', 'live', 'revoked-or-invalid'], waitMs: 60_000, pollMs: 1 });
    const r = await revokeLink(ctx);
    assert.equal(r.outcome, 'revoked');
    assert.equal(ctx.checks(), 4);
  });

  it('says so when the link still works after the wait', async () => {
    const arm = fakeArm({ key1: K1, key2: K2 });
    const r = await revokeLink(context(accountLink(K1), { execute: true, arm: async () => arm, verdicts: ['live'], waitMs: 0 }));
    assert.equal(r.outcome, 'action-required');
    assert.ok(r.cannot.some((c) => /still works/.test(c)));
  });

  it('does nothing for an expired link', async () => {
    const arm = fakeArm({ key1: K1, key2: K2 });
    const ctx = context(accountLink(K1, '2023-01-01T00:00:00Z'), { execute: true, arm: async () => arm, verdicts: ['expired'] });
    const r = await revokeLink(ctx);
    assert.equal(r.outcome, 'expired');
    assert.deepEqual(arm.calls, []);
    assert.equal(ctx.questions.length, 0);
  });

  it('finds the resource group by the account\'s ARM id, and says when the account is not there', async () => {
    const arm = fakeArm({ key1: K1, key2: K2 });
    assert.equal(await findResourceGroup(arm, 'LeakyAcct'), 'rg-models');
    await assert.rejects(findResourceGroup(arm, 'missingacct'), /not in this subscription/);
  });
});

describe('revoke: a check that could not be made is its own outcome', () => {
  it('says COULD NOT CHECK, not STILL LIVE, when the link cannot be checked and nothing was done', async () => {
    const arm = fakeArm({ key1: K1, key2: K2 });
    const r = await revokeLink(context(accountLink(K1), { arm: async () => arm, verdicts: ['unknown'] }));
    assert.equal(r.outcome, 'unknown');
    assert.equal(r.rotate, 'key1', 'the plan is still made');
    assert.ok(r.commands.some((c) => /keys renew/.test(c.command)));
  });

  it('after an action, a check that cannot be made leaves the outcome unknown', async () => {
    const arm = fakeArm({ key1: K1, key2: K2 });
    const r = await revokeLink(context(accountLink(K1), { execute: true, arm: async () => arm, verdicts: ['live', 'unknown'] }));
    assert.equal(r.outcome, 'unknown');
    assert.ok(arm.calls.includes('regenerateKey rg-models leakyacct key1'));
    assert.ok(r.cannot.some((c) => /could not confirm that the link is dead/.test(c)));
  });
});

describe('revoke --dry-run', () => {
  it('plans the key rotation with its exact ARM call, asks nothing and rotates nothing', async () => {
    const arm = fakeArm({ key1: K1, key2: K2 });
    const ctx = context(accountLink(K2), { execute: true, dryRun: true, arm: async () => arm, verdicts: ['live'] });
    const r = await revokeLink(ctx);
    assert.equal(r.dryRun, true);
    assert.equal(r.outcome, 'action-required', 'the link works now');
    assert.equal(ctx.questions.length, 0);
    assert.ok(!arm.calls.some((c) => c.startsWith('regenerateKey')));
    assert.equal(r.planned.length, 1);
    assert.match(r.planned[0]!, /^regenerate key2 of storage account leakyacct \(resource group rg-models\) through Azure Resource Manager: POST …\/resourceGroups\/rg-models\/providers\/Microsoft\.Storage\/storageAccounts\/leakyacct\/regenerateKey \{"keyName":"key2"\}/);
    assert.deepEqual(ctx.log.entries.map((e) => `${e.action}:${e.result}`), ['verify:done', 'regenerate-key:planned']);
    assert.equal(ctx.checks(), 1, 'no check after: nothing changed');
  });

  it('plans the user delegation key revocation without doing it', async () => {
    const arm = fakeArm({ key1: K1, key2: K2 });
    const ctx = context(UD_LINK, { execute: true, dryRun: true, arm: async () => arm, verdicts: ['live'] });
    const r = await revokeLink(ctx);
    assert.deepEqual(arm.calls, ['list']);
    assert.match(r.planned[0]!, /revoke every user delegation key of leakyacct \(resource group rg-models\).*revokeUserDelegationKeys/);
    assert.equal(ctx.questions.length, 0);
  });

  it('a dead link plans nothing', async () => {
    const arm = fakeArm({ key1: K1, key2: K2 });
    const r = await revokeLink(context(accountLink(K1, '2023-01-01T00:00:00Z'), { execute: true, dryRun: true, arm: async () => arm, verdicts: ['expired'] }));
    assert.equal(r.outcome, 'expired');
    assert.deepEqual(r.planned, []);
  });
});
