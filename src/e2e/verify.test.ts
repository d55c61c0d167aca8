import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { randomAccountKey } from '../testing/azurite.js';
import { runCli, tempTree } from '../testing/cli.js';
import { validateReport } from '../testing/schemas.js';
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
  verification?: { status: string; cause?: string; reason: string; requests: { clientRequestId: string }[]; httpStatus: number | null };
  exposure?: { totals: { objects: number; bytes: number; containers: number }; partial: boolean; sensitive: { name: string; category: string }[]; error?: string };
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
      assert.equal(refused.code, 3, refused.stderr);
      const v = (JSON.parse(refused.stdout) as { results: JsonFinding[] }).results[0]!.verification!;
      assert.equal(v.status, 'unknown');
      assert.equal(v.cause, 'guard');
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

/** A loopback port nobody listens on: connections to it are refused. */
async function closedPort(): Promise<number> {
  const s = http.createServer();
  const port = await new Promise<number>((r) => s.listen(0, '127.0.0.1', () => r((s.address() as AddressInfo).port)));
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe('one credential that cannot be made into a request never stops the others (e2e)', () => {
  const sig = encodeURIComponent(fakeSig('malformed-hosts'));
  const token = `sv=2021-12-02&ss=b&srt=sco&sp=rl&se=2099-01-01T00:00:00Z&sig=${sig}`;
  const malformed = {
    port: `https://acct1.blob.core.windows.net:99999/c?${token}`,
    percent: `https://acct1%3Aevil.blob.core.windows.net/c?${token}`,
    caret: `https://acct^1.blob.core.windows.net/c?${token}`,
    nonAscii: `DefaultEndpointsProtocol=https;AccountName=acct\u00e41;AccountKey=${randomAccountKey()};EndpointSuffix=core.windows.net`,
  };
  // were the name ever looked up, it would be answered by loopback, never by a real resolver
  const PIN = ['--resolve', `${new URL('https://acct\u00e41.blob.core.windows.net').hostname}:127.0.0.1`];

  it('scan --verify (--exposure): each is unknown with its reason, the good link is still verified, the report is written', () => {
    const good = `${acct.prodRoot}/backups?${acct.containerSas('backups', { permissions: 'rl' })}`;
    const tree = tempTree({
      'bad.txt': `${malformed.port}\n${malformed.percent}\n${malformed.caret}\n`,
      'settings.env': `STORAGE=${malformed.nonAscii}\n`,
      'good.txt': `${good}\n`,
    });
    try {
      for (const extra of [[], ['--exposure']]) {
        const r = runCli(['scan', tree.dir, '--verify', ...extra, '--format', 'json', '--fail-on', 'never', ...NET, ...PIN]);
        assert.equal(r.code, 0, r.stderr);
        assert.doesNotMatch(r.stderr, /TypeError|Invalid URL|\n\s+at /);
        const parsed = JSON.parse(r.stdout) as { findings: JsonFinding[] };
        assert.deepEqual(validateReport(parsed), []);
        const findings = parsed.findings;
        const good1 = findings.find((f) => f.location.path === 'good.txt')!;
        assert.equal(good1.verification!.status, 'live');
        const bad = findings.filter((f) => f.location.path !== 'good.txt');
        assert.equal(bad.length, 4, JSON.stringify(findings.map((f) => f.location.path)));
        for (const f of bad) {
          assert.equal(f.verification!.status, 'unknown', f.verification!.reason);
          assert.equal(f.verification!.cause, 'invalid-input', f.verification!.reason);
          assert.match(f.verification!.reason, /could not check: .*(not a valid host|not a valid storage account name).*nothing sent/);
        }
      }
    } finally {
      tree.cleanup();
    }
  });

  it('verify and exposure on such input: a clear verdict and exit 3, no stack trace', () => {
    for (const cmd of ['verify', 'exposure']) {
      for (const input of Object.values(malformed)) {
        const r = runCli([cmd, input, ...PIN]);
        assert.equal(r.code, 3, `${cmd} ${input}: ${r.stdout}${r.stderr}`);
        assert.doesNotMatch(r.stderr, /TypeError|\n\s+at /);
        assert.match(r.stdout, /UNKNOWN \(invalid-input\) — could not check/);
      }
    }
  });
});

describe('could not check is its own verdict: unknown, with its cause, exit 3 (e2e)', () => {
  let unreachable = '';
  before(async () => {
    const port = await closedPort();
    unreachable = `http://${PROD_HOST}:${port}/backups?${acct.containerSas('backups', { permissions: 'rl' })}`;
  });

  it('verify: UNKNOWN (refused), exit 3 — not UNREACHABLE and exit 0', () => {
    const r = runCli(['verify', unreachable, ...NET, '--format', 'json']);
    assert.equal(r.code, 3, r.stderr);
    const v = (JSON.parse(r.stdout) as { results: JsonFinding[] }).results[0]!.verification!;
    assert.equal(v.status, 'unknown');
    assert.equal(v.cause, 'refused');
    assert.match(v.reason, /could not check: the connection was refused/);
    assert.doesNotMatch(v.reason, /deleted|registered again/);
    assert.match(runCli(['verify', '--help']).stdout, /3 unknown: it could not be checked/);
  });

  it('exposure: not measured because it could not be checked, exit 3 — never "none — not live"', () => {
    const r = runCli(['exposure', unreachable, ...NET]);
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stdout, /exposure: not measured — whether it is live could not be checked \(refused\)/);
    assert.doesNotMatch(r.stdout, /none — the credential is not live/);
  });

  it('scan --verify: says so in the summary and in a notice; exit 3 unless findings fail the gate (1 wins) or --fail-on never', () => {
    const tree = tempTree({ 'a.env': `URL=${unreachable}\n` });
    try {
      const gated = runCli(['scan', tree.dir, '--verify', ...NET, '--format', 'json', '--fail-on', 'critical']);
      assert.equal(gated.code, 3, gated.stderr);
      const report = JSON.parse(gated.stdout) as { findings: JsonFinding[]; summary: { verification: { couldNotCheck: number; unknownByCause: Record<string, number> } }; notices: { path: string; message: string }[] };
      assert.deepEqual(validateReport(report), [], 'the report, with its unknown verdict and cause, matches docs/report.schema.json');
      assert.equal(report.summary.verification.couldNotCheck, 1);
      assert.deepEqual(report.summary.verification.unknownByCause, { refused: 1 });
      assert.ok(report.notices.some((n) => n.path === '(verify)' && /1 finding could not be verified \(1 refused\): the verdict is unknown, not a pass/.test(n.message)));
      assert.match(gated.stderr, /1 unknown \(1 refused\)/);
      const text = runCli(['scan', tree.dir, '--verify', ...NET, '--fail-on', 'critical']);
      assert.match(text.stdout, /verified: UNKNOWN \(refused\) — could not check/);
      assert.match(text.stdout, /warning: \(verify\): 1 finding could not be verified/);
      assert.equal(runCli(['scan', tree.dir, '--verify', ...NET]).code, 1, 'findings at or above --fail-on still exit 1');
      assert.equal(runCli(['scan', tree.dir, '--verify', ...NET, '--fail-on', 'never']).code, 0);
    } finally {
      tree.cleanup();
    }
  });
});
