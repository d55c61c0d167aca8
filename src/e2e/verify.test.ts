import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runCli, tempTree } from '../testing/cli.js';
import { fakeSig } from '../testing/tokens.js';
import { PROD_HOST, seedTotals, startLeakyAccount, type LeakyAccount } from '../testing/storage-fixture.js';

/**
 * The real CLI against a real Azurite: scan --verify --exposure on a repository-like tree,
 * verify and exposure on single links. Production-style host names are mapped to loopback
 * with --resolve, and loopback is allowed with --allow-private-hosts.
 */
let acct: LeakyAccount;
const NET = ['--allow-private-hosts', '--resolve', `${PROD_HOST}:127.0.0.1`];

before(async () => {
  acct = await startLeakyAccount();
});
after(async () => {
  await acct?.stop();
});

interface JsonFinding {
  severity: string;
  reasons: string[];
  location: { path: string };
  verification?: { status: string; requests: { clientRequestId: string }[]; httpStatus: number | null };
  exposure?: { totals: { objects: number; bytes: number; containers: number }; partial: boolean; sensitive: { name: string; category: string }[] };
}

describe('scan --verify --exposure (e2e, Azurite)', () => {
  it('verifies each credential in a tree, measures exposure and re-ranks severity', () => {
    const writable = `${acct.prodRoot}/models/resnet50/checkpoint.pt?${acct.accountSas({ permissions: 'rwdl' })}`;
    const expired = `${acct.prodRoot}/backups?${acct.containerSas('backups', { permissions: 'rl', expiresOn: new Date(Date.now() - 86400_000) })}`;
    const forged = `${acct.prodRoot}/?${acct.accountSas({ permissions: 'rl' }).replace(/sig=[^&]+/, `sig=${encodeURIComponent(fakeSig('forged'))}`)}`;
    const tree = tempTree({
      'README.md': `Download the weights:\n\n    ${writable}\n`,
      'scripts/fetch.sh': `curl "${expired}"\n`,
      'config/old.env': `STORAGE_URL="${forged}"\n`,
      'docs/copy-of-readme.md': `Same link again: ${writable}\n`,
    });
    try {
      const r = runCli(['scan', tree.dir, '--verify', '--exposure', '--format', 'json', '--fail-on', 'never', ...NET]);
      assert.equal(r.code, 0, r.stderr);
      const report = JSON.parse(r.stdout) as { findings: JsonFinding[]; summary: { bySeverity: Record<string, number> } };
      const by = (p: string) => report.findings.find((f) => f.location.path === p)!;
      const readme = by('README.md');
      assert.equal(readme.verification!.status, 'live');
      assert.equal(readme.severity, 'critical');
      assert.ok(readme.reasons.some((x) => /live, writable and account-wide/.test(x)));
      const totals = [...seedTotals().values()];
      assert.equal(readme.exposure!.totals.objects, totals.reduce((a, t) => a + t.objects, 0));
      assert.equal(readme.exposure!.totals.bytes, totals.reduce((a, t) => a + t.bytes, 0));
      assert.ok(readme.exposure!.sensitive.some((s) => s.category === 'disk-image'));
      assert.equal(by('scripts/fetch.sh').verification!.status, 'expired');
      assert.equal(by('scripts/fetch.sh').severity, 'low');
      assert.equal(by('config/old.env').verification!.status, 'revoked-or-invalid');
      assert.equal(by('config/old.env').verification!.httpStatus, 403);
      const copy = by('docs/copy-of-readme.md');
      assert.equal(copy.verification!.status, 'live');
      assert.equal(report.summary.bySeverity['critical'], 2, 'summary recounted after verification');
      // one verdict per credential: 3 distinct credentials, the repeated link is not probed again
      assert.match(r.stderr, /verified 4 findings \(3 distinct credentials\) with \d+ read-only requests/);
      const ids = report.findings.flatMap((f) => f.verification?.requests.map((q) => q.clientRequestId) ?? []);
      assert.ok(ids.length > 0 && ids.every((id) => id.startsWith('sasquatch-')));
    } finally {
      tree.cleanup();
    }
  });

  it('sends nothing without --verify, and nothing to loopback without --allow-private-hosts', () => {
    const token = acct.accountSas({ permissions: 'rl' });
    const sig = /sig=([^&]+)/.exec(token)![1]!;
    const tree = tempTree({ 'a.txt': `${acct.pathStyleRoot}/?${token}\n` });
    try {
      const plain = runCli(['scan', tree.dir, '--format', 'json', '--fail-on', 'never']);
      assert.equal(plain.code, 0);
      assert.equal((JSON.parse(plain.stdout) as { findings: JsonFinding[] }).findings[0]!.verification, undefined);
      const refused = runCli(['verify', `${acct.prodRoot}/?${token}`, '--resolve', `${PROD_HOST}:127.0.0.1`, '--format', 'json']);
      assert.equal(refused.code, 0, refused.stderr);
      const v = (JSON.parse(refused.stdout) as { results: JsonFinding[] }).results[0]!.verification!;
      assert.equal(v.status, 'unknown');
      assert.ok(!acct.azurite.output().includes(sig), 'the emulator never saw this token');
    } finally {
      tree.cleanup();
    }
  });
});

describe('verify and exposure commands (e2e, Azurite)', () => {
  it('verify prints the verdict with its evidence and exits 1 for a live link', () => {
    const r = runCli(['verify', `${acct.prodRoot}/backups?${acct.containerSas('backups', { permissions: 'rl' })}`, ...NET]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /verified: LIVE — accepted: HTTP 200 on get-account-info/);
    assert.match(r.stdout, /→ HEAD get-account-info: 200 \[Azurite-Blob\/3\.35\.0\] sasquatch-/);
    assert.match(r.stdout, /permissions: list confirmed, read confirmed/);
    assert.match(r.stdout, /3 requests sent/);
    assert.ok(!r.stdout.includes(/sig=([^&\s]+)/.exec(acct.containerSas('backups', { permissions: 'rl' }))![1]!), 'redacted');
  });

  it('verify exits 0 for a dead link and reports it revoked', () => {
    const forged = acct.accountSas({ permissions: 'rl' }).replace(/sig=[^&]+/, `sig=${encodeURIComponent(fakeSig('forged'))}`);
    const r = runCli(['verify', `${acct.prodRoot}/?${forged}`, ...NET, '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { results: JsonFinding[]; summary: { requestsSent: number } };
    assert.equal(out.results[0]!.verification!.status, 'revoked-or-invalid');
    assert.equal(out.summary.requestsSent, 1);
  });

  it('exposure --max-objects gives a partial result, in JSON for programs', () => {
    const url = `${acct.prodRoot}/?${acct.accountSas({ permissions: 'rl' })}`;
    const r = runCli(['exposure', url, ...NET, '--max-objects', '2', '--format', 'json']);
    assert.equal(r.code, 1, r.stderr);
    const e = (JSON.parse(r.stdout) as { results: JsonFinding[] }).results[0]!.exposure!;
    assert.equal(e.partial, true);
    assert.equal(e.totals.objects, 2);
    const text = runCli(['exposure', url, ...NET]);
    assert.match(text.stdout, /exposure: 3 containers, \d+ objects/);
    assert.match(text.stdout, /disk-image\s+backups\/workstation\/disk0\.vhd/);
    assert.match(text.stdout, /private-key\s+backups\/users\/alice\/\.ssh\/id_rsa /);
    assert.match(text.stdout, /model-checkpoint\s+models\/resnet50\/checkpoint\.pt/);
  });

  it('rejects input with nothing to verify', () => {
    const r = runCli(['verify', 'just some text']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /no storage link/);
  });
});
