import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { runCli, runCliAsync, tempTree } from '../testing/cli.js';
import { gitTestEnv, TestRepo } from '../testing/git-repo.js';
import { PROD_HOST, startLeakyAccount } from '../testing/storage-fixture.js';
import { EMULATOR_KEY, fakeSig, INCIDENT, sasQuery } from '../testing/tokens.js';

/** CI formats whose verdicts agree with the exit code, and the spellings users bring from other scanners. */
const NOW = '2026-11-29T00:00:00Z';
const LOW = `${INCIDENT.urlA()}`; // expired: low
const CRITICAL = `${INCIDENT.urlB()}`;

describe('JUnit and SARIF say what the exit code says', () => {
  test('JUnit: only findings at or above --fail-on are failures; the rest are skipped cases with their details', () => {
    const tree = tempTree({ 'low.txt': `${LOW}\n`, 'critical.txt': `${CRITICAL}\n`, 'allowed.txt': `${CRITICAL} # sasquatch:allow\n` });
    try {
      const r = runCli(['scan', '.', '--format', 'junit', '--fail-on', 'high', '--now', NOW], { cwd: tree.dir });
      assert.equal(r.code, 1);
      assert.match(r.stdout, /<testsuites name="sasquatch" tests="3" failures="1" errors="0" skipped="2"/);
      const cases = r.stdout.split('<testcase ').slice(1);
      const lowCase = cases.find((c) => c.includes('classname="low.txt"'))!;
      assert.match(lowCase, /<skipped message="low: Azure account SAS \(below --fail-on high\)"\/>/);
      assert.match(lowCase, /<system-out>[^<]*expired/);
      assert.match(cases.find((c) => c.includes('classname="critical.txt"'))!, /<failure type="critical"/);
      assert.match(cases.find((c) => c.includes('classname="allowed.txt"'))!, /<skipped message="critical: Azure account SAS \(accepted: inline/);
      const never = runCli(['scan', '.', '--format', 'junit', '--fail-on', 'never', '--now', NOW], { cwd: tree.dir });
      assert.equal(never.code, 0);
      assert.match(never.stdout, /failures="0" errors="0" skipped="3"/);
    } finally {
      tree.cleanup();
    }
  });

  test('SARIF: each result carries its own security-severity; the rule keeps its default (GitHub reads the rule\'s)', () => {
    const tree = tempTree({ 'links.md': `${LOW}\n${CRITICAL}\n` });
    try {
      const sarif = JSON.parse(runCli(['scan', '.', '--format', 'sarif', '--now', NOW], { cwd: tree.dir }).stdout);
      const run = sarif.runs[0];
      const rule = run.tool.driver.rules.find((r: any) => r.id === 'azure-sas');
      assert.equal(rule.properties['security-severity'], '8.0', 'the rule default (high), not the worst finding of this scan');
      const bySev = Object.fromEntries(run.results.map((r: any) => [r.properties.severity, r]));
      assert.equal(bySev.low.properties['security-severity'], '3.0');
      assert.equal(bySev.low.level, 'note');
      assert.equal(bySev.critical.properties['security-severity'], '9.5');
      assert.equal(bySev.critical.level, 'error');
    } finally {
      tree.cleanup();
    }
  });
});

describe('JSON Lines', () => {
  test('-f jsonl: one finding per line (the JSON report\'s finding objects), suppressed ones marked, then one summary line', () => {
    const tree = tempTree({ 'a.txt': `${LOW}\n`, 'b.txt': `${CRITICAL}\n`, 'c.txt': `${CRITICAL} # gitleaks:allow\n` });
    try {
      const r = runCli(['scan', '.', '--format', 'jsonl', '--now', NOW], { cwd: tree.dir });
      assert.equal(r.code, 1, r.stderr);
      const lines = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
      assert.deepEqual(lines.map((l) => l.type), ['finding', 'finding', 'suppressed', 'summary']);
      const json = JSON.parse(runCli(['scan', '.', '--format', 'json', '--now', NOW], { cwd: tree.dir }).stdout);
      const { type: _t, ...first } = lines.find((l) => l.location?.path === 'a.txt');
      assert.deepEqual(first, json.findings.find((f: any) => f.location.path === 'a.txt'));
      const summary = lines.at(-1);
      assert.equal(summary.schemaVersion, 1);
      assert.equal(summary.summary.findings, 2);
      assert.deepEqual(summary.summary.suppressed, { inline: 1 });
      assert.ok(Array.isArray(summary.notices));
      // to a file, the same lines
      runCli(['scan', '.', '--format', 'jsonl', '--output', 'out.jsonl', '--now', NOW], { cwd: tree.dir });
      assert.equal(readFileSync(path.join(tree.dir, 'out.jsonl'), 'utf8').trimEnd().split('\n').length, 4);
    } finally {
      tree.cleanup();
    }
  });
});

describe('spellings users type from other scanners', () => {
  test('--redact, --json, --report-path, --report-format, --exit-code, --no-git', () => {
    const repo = TestRepo.init('peers', '2026-01-01T00:00:00Z');
    try {
      repo.write('a.txt', `${CRITICAL}\n`);
      repo.commit('2026-01-01T00:00:00Z', 'a link');
      const redacted = runCli(['scan', '.', '--redact', '--json', '--now', NOW], { cwd: repo.dir });
      const report = JSON.parse(redacted.stdout);
      assert.ok(report.findings[0].redacted);
      assert.equal(runCli(['scan', '.', '--redact', '--show-secrets'], { cwd: repo.dir }).code, 2, 'contradiction');
      assert.equal(runCli(['scan', '.', '--json', '--format', 'sarif'], { cwd: repo.dir }).code, 2, 'two formats');

      const viaPath = runCli(['scan', '.', '--report-path', 'r.sarif', '--report-format', 'sarif', '--now', NOW], { cwd: repo.dir });
      assert.equal(viaPath.code, 1, viaPath.stderr);
      assert.equal(JSON.parse(readFileSync(path.join(repo.dir, 'r.sarif'), 'utf8')).version, '2.1.0');

      assert.equal(runCli(['scan', '.', '--exit-code', '42', '--now', NOW], { cwd: repo.dir }).code, 42);
      assert.equal(runCli(['scan', '.', '--exit-code', '42', '--fail-on', 'never', '--now', NOW], { cwd: repo.dir }).code, 0);
      assert.equal(runCli(['scan', 'missing-dir', '--exit-code', '42'], { cwd: repo.dir }).code, 2, 'errors stay 2');

      const noGit = JSON.parse(runCli(['scan', '.', '--no-git', '--json', '--now', NOW], { cwd: repo.dir }).stdout);
      const withGit = JSON.parse(runCli(['scan', '.', '--json', '--now', NOW], { cwd: repo.dir }).stdout);
      assert.equal(noGit.summary.history, undefined, 'no history read');
      assert.ok(withGit.summary.history?.length);
    } finally {
      repo.cleanup();
    }
  });

  test('.gitleaksignore: entries accept the finding at the same path and line (and commit); how many matched is said', () => {
    const repo = TestRepo.init('gitleaks', '2026-01-01T00:00:00Z');
    try {
      repo.write('a.txt', `x\n${CRITICAL}\n`);
      repo.write('b.txt', `${INCIDENT.urlB('c/b')}\n`);
      repo.write('old.txt', `${INCIDENT.urlB('c/old')}\n`);
      const c1 = repo.commit('2026-01-01T00:00:00Z', 'links');
      repo.remove('old.txt');
      repo.commit('2026-01-02T00:00:00Z', 'drop old');
      repo.write('.gitleaksignore', [
        '# accepted with gitleaks',
        'a.txt:azure-storage-sas:2',
        `${c1}:old.txt:generic-api-key:1`,
        'b.txt:azure-storage-sas:7',
        'not a fingerprint',
      ].join('\n'));
      const r = runCli(['scan', '.', '--format', 'json', '--now', NOW], { cwd: repo.dir });
      const report = JSON.parse(r.stdout);
      assert.deepEqual(report.findings.map((f: any) => f.location.path), ['b.txt'], 'b.txt:7 names no finding');
      assert.deepEqual(report.suppressed.map((f: any) => [f.location.path, f.suppressed.by]).sort(), [['a.txt', 'gitleaksignore'], ['old.txt', 'gitleaksignore']]);
      assert.match(r.stderr, /\.gitleaksignore: 2 of 3 entries matched a finding/);
      const text = runCli(['scan', '.', '--now', NOW], { cwd: repo.dir });
      assert.match(text.stdout, /Suppressed \(not failing\): 2 — 2 by \.gitleaksignore/);
      assert.equal(JSON.parse(runCli(['scan', '.', '--no-baseline', '--json', '--now', NOW], { cwd: repo.dir }).stdout).findings.length, 3);
    } finally {
      repo.cleanup();
    }
  });

  test('--respect-gitignore (the default for files on disk): nested .gitignore, info/exclude, the global excludes file; tracked files are always scanned', () => {
    const repo = TestRepo.init('ignores', '2026-01-01T00:00:00Z');
    const link = (name: string) => `${INCIDENT.urlB(`c/${name}`)}\n`;
    try {
      repo.write('.gitignore', 'node_modules/\n*.log\n!keep.log\n');
      repo.write('src/.gitignore', 'generated/\n');
      repo.write('tracked.log', link('tracked'));
      repo.git('2026-01-01T00:00:00Z', 'add', '-f', 'tracked.log');
      repo.commit('2026-01-01T00:00:00Z', 'ignore rules, and a tracked file they match');
      repo.write('node_modules/pkg/index.js', link('dep'));
      repo.write('debug.log', link('log'));
      repo.write('keep.log', link('keep'));
      repo.write('src/generated/out.js', link('gen'));
      repo.write('src/app.js', link('app'));
      repo.write('secret.local', link('local'));
      repo.write('scratch.tmp', link('global'));
      repo.write('.git/info/exclude', '*.local\n');
      const home = path.join(repo.dir, '..', 'home');
      mkdirSync(home, { recursive: true });
      writeFileSync(path.join(home, 'global-ignore'), '*.tmp\n');
      writeFileSync(path.join(home, 'gitconfig'), `[core]\n\texcludesFile = ${path.join(home, 'global-ignore')}\n`);
      const env = { GIT_CONFIG_GLOBAL: path.join(home, 'gitconfig') };
      const paths = (args: string[]) => {
        const r = runCli(['scan', '.', '--no-history', '--format', 'json', '--now', NOW, ...args], { cwd: repo.dir, env });
        const report = JSON.parse(r.stdout);
        return { paths: report.findings.map((f: any) => f.location.path).sort(), skipped: report.summary.skipped };
      };
      const respected = paths([]);
      assert.deepEqual(respected.paths, ['keep.log', 'src/app.js', 'tracked.log']);
      assert.equal(respected.skipped.gitignored, 5, 'node_modules/, debug.log, src/generated/, secret.local, scratch.tmp');
      const all = paths(['--no-respect-gitignore']);
      assert.deepEqual(all.paths, ['debug.log', 'keep.log', 'node_modules/pkg/index.js', 'scratch.tmp', 'secret.local', 'src/app.js', 'src/generated/out.js', 'tracked.log']);
      assert.equal(all.skipped.gitignored, undefined);
      // outside git the .gitignore files still apply
      const tree = tempTree({ '.gitignore': 'node_modules/\n', 'node_modules/x.js': link('x'), 'app.js': link('y') });
      try {
        const r = JSON.parse(runCli(['scan', '.', '--format', 'json', '--now', NOW], { cwd: tree.dir }).stdout);
        assert.deepEqual(r.findings.map((f: any) => f.location.path), ['app.js']);
      } finally {
        tree.cleanup();
      }
    } finally {
      repo.cleanup();
    }
  });

  test('--only-verified: only what a live check confirmed is reported (implies --verify)', async () => {
    const acct = await startLeakyAccount();
    const dead = `${acct.prodRoot}/models/x.bin?${sasQuery({ sv: '2021-12-02', ss: 'b', srt: 'sco', sp: 'rl', se: '2030-01-01T00:00:00Z', spr: 'https,http' }, 'not-signed-by-this-account')}`;
    const tree = tempTree({ 'live.md': `${acct.prodRoot}/models/m.pt?${acct.accountSas({ permissions: 'rl' })}\n`, 'dead.md': `${dead}\n` });
    try {
      const r = await runCliAsync(['scan', tree.dir, '--only-verified', '--allow-private-hosts', '--resolve', `${PROD_HOST}:127.0.0.1`, '--format', 'json', '--fail-on', 'low']);
      const report = JSON.parse(r.stdout);
      assert.deepEqual(report.findings.map((f: any) => [f.location.path, f.verification.status]), [['live.md', 'live']]);
      assert.match(r.stderr, /--only-verified: 1 finding not verified live left out/);
      assert.equal(r.code, 1);
    } finally {
      tree.cleanup();
      await acct.stop();
    }
  });
});

describe('explain on malformed input says so', () => {
  const sig = fakeSig('malformed-cases'); // the shape of a real one
  const url = (q: string) => `https://acct.blob.core.windows.net/c/b.txt?sv=2020-08-04&sr=b&${q}&sig=${encodeURIComponent(sig)}`;
  const json = (link: string) => {
    const r = runCli(['explain', link, '--format', 'json', '--now', NOW]);
    assert.equal(r.code, 0, r.stderr);
    return JSON.parse(r.stdout);
  };

  test('sp=zzz and se=notadate are malformed, not "grants nothing" or "no expiry"', () => {
    const perms = json(url('sp=zzz&se=2030-01-01'));
    assert.equal(perms.severity, 'low');
    assert.match(perms.reasons[0], /^malformed: Azure Storage refuses this token as written \(sp=zzz holds no valid permission letter\)/);
    assert.ok(!/can do nothing/.test(perms.explanation), perms.explanation);
    const account = json(`https://acct.blob.core.windows.net/?sv=2020-08-04&ss=bfqt&srt=sco&sp=rwdl&se=notadate&sig=${encodeURIComponent(sig)}`);
    assert.equal(account.severity, 'low');
    assert.match(account.reasons[0], /se=notadate is not a date/);
    assert.ok(!account.reasons.some((x: string) => /no expiry/.test(x)));
    assert.match(account.explanation, /malformed/);
  });

  test('a cut signature is the start of a real one, not a documentation example', () => {
    const cut = json(url('sp=rw&se=2030-01-01').replace(encodeURIComponent(sig), sig.slice(0, 22)));
    assert.equal(cut.example, false);
    assert.notEqual(cut.severity, 'info');
    assert.match(cut.reasons[0], /signature truncated \(22 of 44 characters\)/);
    const placeholder = json(url('sp=r&se=2030-01-01').replace(encodeURIComponent(sig), '<signature>'));
    assert.equal(placeholder.example, true, 'placeholders stay examples');
  });

  test('a container SAS on /exports/daily.csv is for container exports', () => {
    const c = json(`https://acct.blob.core.windows.net/exports/daily.csv?sv=2020-08-04&sr=c&sp=rl&se=2030-01-01&sig=${encodeURIComponent(sig)}`);
    assert.equal(c.grant.scope, 'container');
    assert.equal(c.grant.resource.container, 'exports');
    assert.equal(c.grant.resource.path, null);
    assert.match(c.explanation, /every blob in container exports of storage account acct/);
    assert.ok(c.grant.notes.some((n: string) => /names daily\.csv inside container exports, but a container SAS grants the whole container/.test(n)));
  });

  test('1,000 copies of one link: one explanation with a count', () => {
    const input = Array.from({ length: 1000 }, () => CRITICAL).join('\n');
    const r = runCli(['explain', '-', '--now', NOW], { input });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.match(/Azure account SAS — CRITICAL/g)?.length, 1);
    assert.match(r.stdout, /appears 1,000 times in the input/);
    const j = JSON.parse(runCli(['explain', '-', '--format', 'json', '--now', NOW], { input }).stdout);
    assert.equal(j.count, 1000);
  });
});

describe('baseline create: the scan choices it needs, none it does not', () => {
  test('--no-history, --branch, --since accepted; --show-secrets refused; --baseline names the file written', () => {
    const repo = TestRepo.init('bl', '2026-01-01T00:00:00Z');
    try {
      repo.write('a.txt', `${CRITICAL}\n`);
      repo.commit('2026-01-01T00:00:00Z', 'a');
      repo.remove('a.txt');
      repo.commit('2026-01-02T00:00:00Z', 'gone from the files, still in history');
      const count = (file: string) => readFileSync(path.join(repo.dir, file), 'utf8').split('\n').filter((l) => /^[0-9a-f]{32} /.test(l)).length;
      assert.equal(runCli(['baseline', 'create', '--now', NOW], { cwd: repo.dir }).code ?? 0, 0);
      assert.equal(count('.sasquatch-baseline'), 1, 'history is accepted by default');
      assert.equal(runCli(['baseline', 'create', '--no-history', '--baseline', 'files-only.txt', '--now', NOW], { cwd: repo.dir }).code ?? 0, 0);
      assert.equal(count('files-only.txt'), 0);
      assert.equal(runCli(['baseline', 'create', '--branch', 'main', '--since', '2025-01-01', '-o', 'recent.txt', '--now', NOW], { cwd: repo.dir }).code ?? 0, 0);
      assert.equal(count('recent.txt'), 1);
      const shown = runCli(['baseline', 'create', '--show-secrets', '--force'], { cwd: repo.dir });
      assert.equal(shown.code, 2);
      assert.match(shown.stderr, /unknown option '--show-secrets'/);
      assert.match(runCli(['baseline', 'create', '--help']).stdout, /--baseline <file> +the baseline file to write/);
    } finally {
      repo.cleanup();
    }
  });
});

describe('small things a first run trips on', () => {
  test('--since outside git warns; the staged summary counts the staged files', () => {
    const tree = tempTree({ 'a.txt': 'nothing\n' });
    const repo = TestRepo.init('staged', '2026-01-01T00:00:00Z');
    try {
      const since = runCli(['scan', '.', '--since', '2025-01-01'], { cwd: tree.dir });
      assert.match(since.stdout + since.stderr, /--since selects git history, and this is not in a git repository/);
      repo.write('README.md', '# x\n');
      repo.commit('2026-01-01T00:00:00Z', 'initial');
      repo.write('b.txt', 'b\n').write('c.txt', `${LOW}\n`).write('d.txt', 'd\n');
      execFileSync('git', ['add', '-A'], { cwd: repo.dir, env: gitTestEnv('2026-01-02T00:00:00Z') });
      const staged = runCli(['scan', '--staged', '--now', NOW], { cwd: repo.dir });
      assert.match(staged.stdout, /1 finding \(.*\) in 3 staged files, /);
    } finally {
      tree.cleanup();
      repo.cleanup();
    }
  });

  test('emulator and info findings fold into one line; --min-severity lists less but counts all', () => {
    const tree = tempTree({
      'local.settings.json': `{"Storage": "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${EMULATOR_KEY};BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;"}\n`,
      'low.txt': `${LOW}\n`,
      'critical.txt': `${CRITICAL}\n`,
    });
    try {
      const plain = runCli(['scan', '.', '--now', NOW], { cwd: tree.dir }).stdout;
      assert.ok(!/^local\.settings\.json$/m.test(plain), plain);
      assert.match(plain, /^1 info finding \(emulator keys, examples\) not listed: 1 azure-\S+ \(--min-severity all lists them\)$/m);
      assert.match(plain, /^3 findings \(1 critical, 0 high, 0 medium, 1 low, 1 info\)/m);
      const all = runCli(['scan', '.', '--min-severity', 'all', '--now', NOW], { cwd: tree.dir }).stdout;
      assert.match(all, /^local\.settings\.json$/m);
      const high = runCli(['scan', '.', '--min-severity', 'high', '--now', NOW], { cwd: tree.dir });
      assert.ok(!/^low\.txt$/m.test(high.stdout));
      assert.match(high.stdout, /^2 findings below high not listed/m);
      assert.match(high.stdout, /^3 findings \(1 critical/m);
      assert.equal(high.code, 1, 'the exit code still counts every finding');
    } finally {
      tree.cleanup();
    }
  });
});
