import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { cliOnPath, runCli, tempTree } from '../testing/cli.js';
import { INCIDENT, sasQuery } from '../testing/tokens.js';
import { validateReport } from '../testing/schemas.js';
import { gitTestEnv, TestRepo } from '../testing/git-repo.js';
import { buildIncidentRepo } from './history-fixture.js';

const NOW = '2026-11-29T00:00:00Z';
const json = (args: string[], cwd?: string) => {
  const r = runCli([...args, '--format', 'json', '--now', NOW], cwd ? { cwd } : {});
  assert.ok(r.stdout.startsWith('{'), r.stderr);
  return { ...JSON.parse(r.stdout), code: r.code };
};

describe('baseline', () => {
  test('survives moved lines, unrelated edits and renames; update is byte-identical when nothing is new', () => {
    const tree = tempTree({
      'README.md': `# Models\n\n${INCIDENT.urlA()}\n`,
      'src/app.py': `A = "${INCIDENT.urlB()}"\n`,
      'docs/other.md': 'unrelated\n',
    });
    try {
      const base = path.join(tree.dir, '.sasquatch-baseline');
      const created = runCli(['baseline', 'create', '.', '--now', NOW], { cwd: tree.dir });
      assert.equal(created.code ?? 0, 0, created.stderr);
      const before = readFileSync(base, 'utf8');
      assert.equal(before.split('\n').filter((l) => /^[0-9a-f]{32} /.test(l)).length, 2);
      assert.ok(!/:\d+/.test(before.replace(/^#.*$/gm, '')), 'no line numbers');
      assert.ok(!/20\d\d-\d\d/.test(before), 'no dates');

      // move the secret down, edit around it, rename an unrelated file
      writeFileSync(path.join(tree.dir, 'README.md'), `# Models\n\nIntro text added.\n\nMore.\n\n${INCIDENT.urlA()}\n\nFooter\n`);
      renameSync(path.join(tree.dir, 'docs/other.md'), path.join(tree.dir, 'docs/renamed.md'));
      const scan = json(['scan', '.'], tree.dir);
      assert.equal(scan.findings.length, 0);
      assert.equal(scan.summary.suppressed.baseline, 2);
      assert.equal(scan.code, 0);

      runCli(['baseline', 'update', '.', '--now', NOW], { cwd: tree.dir });
      assert.equal(readFileSync(base, 'utf8'), before, 'byte-identical');

      // something new is reported, and only that
      writeFileSync(path.join(tree.dir, 'new.env'), `SAS=${sasQuery({ sv: '2022-11-02', ss: 'b', srt: 'o', sp: 'r', se: '2030-01-01' }, 'new')}\n`);
      const after = json(['scan', '.'], tree.dir);
      assert.deepEqual(after.findings.map((f: any) => f.location.path), ['new.env']);
      assert.equal(after.code, 1);
      assert.equal(runCli(['baseline', 'create', '.'], { cwd: tree.dir }).code, 2, 'create refuses to overwrite');
    } finally {
      tree.cleanup();
    }
  });
});

describe('inline allow comments', () => {
  const markers = ['# sasquatch:allow', '# gitleaks:allow', '# trufflehog:ignore', '# pragma: allowlist secret', '// secretlint-disable-line'];
  test('each marker works on the line and on the line before; --no-inline-allow overrides; counted', () => {
    const files: Record<string, string> = {};
    markers.forEach((m, i) => {
      files[`same${i}.py`] = `URL = "${INCIDENT.urlB()}"  ${m}\n`;
      files[`before${i}.py`] = `${m}\nURL = "${INCIDENT.urlB()}"\n`;
    });
    files['two-lines-apart.py'] = `# sasquatch:allow\n\nURL = "${INCIDENT.urlB()}"\n`;
    const tree = tempTree(files);
    try {
      const r = json(['scan', '.'], tree.dir);
      assert.deepEqual(r.findings.map((f: any) => f.location.path), ['two-lines-apart.py']);
      assert.equal(r.summary.suppressed.inline, 10);
      assert.equal(r.suppressed.length, 10);
      assert.ok(r.suppressed.every((f: any) => f.suppressed.by === 'inline'));
      assert.deepEqual(validateReport(r), []);
      const strict = json(['scan', '.', '--no-inline-allow'], tree.dir);
      assert.equal(strict.findings.length, 11);
      const text = runCli(['scan', '.', '--now', NOW], { cwd: tree.dir });
      assert.match(text.stdout, /Suppressed \(not failing\): 10 — 10 by inline comment/);
    } finally {
      tree.cleanup();
    }
  });
});

describe('configuration and link policy', () => {
  const shortSas = `https://shortlived1.blob.core.windows.net/c/b.txt?${sasQuery({ sv: '2022-11-02', sr: 'b', sp: 'r', st: '2026-11-28T00:00:00Z', se: '2026-12-01T00:00:00Z', spr: 'https' }, 'short')}`;
  const longSas = `https://longlived1.blob.core.windows.net/c/b.txt?${sasQuery({ sv: '2022-11-02', sr: 'b', sp: 'r', st: '2026-11-01T00:00:00Z', se: '2027-06-01T00:00:00Z', spr: 'https' }, 'long')}`;
  const accountSas = `https://acct9.blob.core.windows.net/?${sasQuery({ sv: '2022-11-02', ss: 'b', srt: 'sco', sp: 'rl', st: '2026-11-28T00:00:00Z', se: '2026-12-01T00:00:00Z', spr: 'https' }, 'acct')}`;

  test('"maxLifetime 7d, forbid account-sas" flags the right tokens with that reason', () => {
    const tree = tempTree({
      'sasquatch.config.yaml': 'policy:\n  maxLifetime: 7d\n  forbidKinds: [account-sas]\n',
      'links.md': `${shortSas}\n${longSas}\n${accountSas}\n`,
    });
    try {
      const r = json(['scan', tree.dir]);
      const reasons = (i: number) => r.findings[i].reasons.filter((x: string) => x.startsWith('policy:'));
      assert.deepEqual(reasons(0), []);
      assert.deepEqual(reasons(1), ['policy: lifetime 6 months exceeds maxLifetime 7 days']);
      assert.deepEqual(reasons(2), ['policy: kind account-sas is forbidden']);
      assert.equal(r.findings[1].severity, 'high', 'raised to the violation floor');
      assert.equal(r.findings[2].severity, 'high');
    } finally {
      tree.cleanup();
    }
  });

  test('Azure DD.HH:MM:SS lifetimes, HTTPS-only, allowed accounts, per-container permissions', () => {
    const writable = `https://publicmodels.blob.core.windows.net/public-models?${sasQuery({ sv: '2022-11-02', sr: 'c', sp: 'rwl', st: '2026-11-28T00:00:00Z', se: '2026-11-29T12:00:00Z', spr: 'https,http' }, 'w')}`;
    const tree = tempTree({
      'sasquatch.config.json': JSON.stringify({
        policy: { maxLifetime: '1.00:00:00', requireHttpsOnly: true, allowedAccounts: ['publicmodels'], resources: [{ container: 'public-models', allowPermissions: ['read', 'list'] }] },
      }),
      'a.txt': `${writable}\n${shortSas}\n`,
    });
    try {
      const r = json(['scan', tree.dir]);
      const [w, s] = r.findings.map((f: any) => f.reasons.filter((x: string) => x.startsWith('policy:')));
      assert.deepEqual(w, [
        'policy: lifetime 36 hours exceeds maxLifetime 24 hours',
        'policy: allows plain HTTP (policy requires HTTPS only)',
        'policy: container public-models allows only read, list; this link grants write',
      ]);
      assert.deepEqual(s, ['policy: lifetime 3 days exceeds maxLifetime 24 hours', 'policy: account shortlived1 is not in allowedAccounts']);
    } finally {
      tree.cleanup();
    }
  });

  test('rules off, severity overrides, custom rules, allow list, TOML', () => {
    const tree = tempTree({
      'sasquatch.config.toml': [
        'failOn = "high"',
        '[rules.azure-sas]',
        'severity = "medium"',
        '[[customRules]]',
        'id = "internal-api-key"',
        'keywords = ["ikey_"]',
        "pattern = 'ikey_[A-Za-z0-9]{32}'",
        'severity = "high"',
        "examples = ['key = ikey_0123456789abcdefghijABCDEFGHIJ01']",
        "negativeExamples = ['ikey_short']",
        '[[allow]]',
        'path = "fixtures/**"',
        'reason = "test fixtures"',
      ].join('\n'),
      'app.cfg': `token=ikey_ZZZZ456789abcdefghijABCDEFGHIJ99\nurl=${INCIDENT.urlB()}\n`,
      'fixtures/f.txt': `ikey_0123456789abcdefghijABCDEFGHIJ01\n`,
    });
    try {
      const r = json(['scan', tree.dir]);
      assert.deepEqual(r.findings.map((f: any) => [f.rule, f.severity]), [['internal-api-key', 'high'], ['azure-sas', 'medium']]);
      assert.deepEqual(r.suppressed.map((f: any) => [f.location.path, f.suppressed.reason]).sort(), [
        ['fixtures/f.txt', 'test fixtures'],
        ['sasquatch.config.toml', 'example in the sasquatch configuration file'],
      ]);
      assert.equal(r.code, 1, 'failOn high from the config');
      writeFileSync(path.join(tree.dir, 'sasquatch.config.toml'), '[rules]\nazure-sas = "off"\n');
      assert.equal(json(['scan', tree.dir]).findings.length, 0);
    } finally {
      tree.cleanup();
    }
  });

  test('an invalid configuration names the bad key and exits 2', () => {
    const cases: [string, string, RegExp][] = [
      ['sasquatch.config.yaml', 'policy:\n  maxLifetme: 7d\n', /sasquatch\.config\.yaml: policy\.maxLifetme: unknown key/],
      ['sasquatch.config.yaml', 'policy:\n  maxLifetime: seven days\n', /policy\.maxLifetime: "seven days" is not a duration/],
      ['sasquatch.config.yaml', 'failOn: sometimes\n', /failOn: must be one of: info, low, medium, high, critical, never/],
      ['sasquatch.config.json', '{"customRules":[{"id":"x-key","keywords":["xk_"],"pattern":"xk_[0-9]{4}","examples":["xk_12"]}]}', /customRules\[0\]\.examples\[0\]: not matched/],
      ['sasquatch.config.json', '{"customRules":[{"id":"x-key","keywords":["xk_"],"pattern":"xk_(","examples":["xk_1"]}]}', /customRules\[0\]\.pattern: not a valid regular expression/],
      ['sasquatch.config.json', '{"rules":{"no-such-rule":"off"}}', /rules\.no-such-rule: no such rule/],
      ['sasquatch.config.json', '{"include": [', /not valid JSON/],
    ];
    for (const [name, body, expected] of cases) {
      const tree = tempTree({ [name]: body, 'a.txt': 'x\n' });
      try {
        const r = runCli(['scan', tree.dir]);
        assert.equal(r.code, 2, body);
        assert.match(r.stderr, expected);
      } finally {
        tree.cleanup();
      }
    }
  });

  test('init writes a commented configuration that loads', () => {
    const tree = tempTree({ 'a.txt': `${shortSas}\n` });
    try {
      assert.equal(runCli(['init'], { cwd: tree.dir }).code ?? 0, 0);
      const text = readFileSync(path.join(tree.dir, 'sasquatch.config.yaml'), 'utf8');
      assert.match(text, /^# sasquatch configuration/);
      const r = json(['scan', '.'], tree.dir);
      assert.ok(r.findings[0].reasons.includes('policy: account shortlived1 is not in allowedAccounts') === false);
      assert.equal(runCli(['init'], { cwd: tree.dir }).code, 2, 'refuses to overwrite');
    } finally {
      tree.cleanup();
    }
  });
});

describe('CI formats', () => {
  test('--format github writes workflow-command annotations; --format junit writes JUnit XML', () => {
    const tree = tempTree({ 'a, b.md': `line\n${INCIDENT.urlB()}\n` });
    try {
      const gh = runCli(['scan', tree.dir, '--format', 'github', '--now', NOW]);
      const first = gh.stdout.split('\n')[0]!;
      assert.match(first, /^::error file=a%2C b\.md,line=2,col=1,endLine=2,title=CRITICAL azure-sas%3A Azure account SAS::account-wide/);
      assert.ok(!gh.stdout.includes(INCIDENT.tokenB().split('sig=')[1]!), 'no secret');
      const junit = runCli(['scan', tree.dir, '--format', 'junit', '--now', NOW]).stdout;
      assert.match(junit, /<testsuites name="sasquatch" tests="1" failures="1"/);
      assert.match(junit, /<failure type="critical" message="critical: Azure account SAS">/);
      const clean = runCli(['scan', path.join(tree.dir, 'none'), '--format', 'junit']);
      assert.equal(clean.code, 2);
    } finally {
      tree.cleanup();
    }
  });

  test('the GitHub Action and the pre-commit framework manifest are well-formed', () => {
    const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
    const action = parseYaml(readFileSync(path.join(root, 'action.yml'), 'utf8'));
    assert.equal(action.runs.using, 'composite');
    assert.ok(action.inputs['fail-on'] && action.outputs['sarif-file']);
    const steps = action.runs.steps.map((s: any) => s.uses ?? s.run);
    assert.ok(steps.some((s: string) => /github\/codeql-action\/upload-sarif@/.test(s)));
    assert.ok(!JSON.stringify(action).match(/license|LICENSE_KEY/i), 'no licence key');
    const hooks = parseYaml(readFileSync(path.join(root, '.pre-commit-hooks.yaml'), 'utf8'));
    assert.equal(hooks[0].id, 'sasquatch');
    assert.equal(hooks[0].language, 'node');
  });
});

describe('pre-commit hook', () => {
  test('sasquatch hook install: a commit adding a SAS URL is blocked, a clean commit passes', () => {
    const repo = TestRepo.init('hooked', '2026-01-01T00:00:00Z');
    const bin = cliOnPath();
    try {
      repo.write('README.md', '# project\n');
      const initial = repo.commit('2026-01-01T00:00:00Z', 'initial');
      const installed = runCli(['hook', 'install'], { cwd: repo.dir });
      assert.equal(installed.code ?? 0, 0, installed.stderr);
      assert.match(installed.stderr, /installed .*pre-commit/);

      repo.write('download.sh', `curl "${INCIDENT.urlB()}" -o model.ckpt\n`);
      repo.git('2026-01-02T00:00:00Z', 'add', '-A');
      const blocked = commit(repo, 'add a download script', bin.path());
      assert.notEqual(blocked.status, 0, 'the commit is blocked');
      assert.match(blocked.stderr, /download\.sh/);
      assert.match(blocked.stderr + blocked.stdout, /CRITICAL +azure-sas/);
      assert.match(blocked.stderr, /commit blocked/);
      assert.match(blocked.stderr, /sasquatch:allow/);
      assert.equal(repo.head(), initial, 'nothing was committed');

      repo.write('download.sh', 'curl "$MODEL_URL" -o model.ckpt\n');
      repo.git('2026-01-02T00:00:00Z', 'add', '-A');
      const clean = commit(repo, 'download script reads the link from the environment', bin.path());
      assert.equal(clean.status, 0, clean.stderr);
      assert.equal(repo.git('2026-01-03T00:00:00Z', 'log', '-1', '--format=%s'), 'download script reads the link from the environment');

      assert.equal(runCli(['hook', 'install'], { cwd: repo.dir }).code ?? 0, 0, 'reinstalling our own hook is fine');
      assert.equal(runCli(['hook', 'uninstall'], { cwd: repo.dir }).code ?? 0, 0);
      repo.write('.git/hooks/pre-commit', '#!/bin/sh\nexit 0\n');
      assert.equal(runCli(['hook', 'install'], { cwd: repo.dir }).code, 2, "someone else's hook is not replaced without --force");
    } finally {
      repo.cleanup();
      bin.cleanup();
    }
  });
});

describe('SARIF from a history scan', () => {
  test('validates against the schema and carries partialFingerprints for every result', () => {
    const { repo } = buildIncidentRepo();
    try {
      const r = runCli(['scan', repo.dir, '--format', 'sarif', '--now', NOW]);
      assert.equal(r.code, 1, r.stderr);
      const sarif = JSON.parse(r.stdout);
      assert.deepEqual(validateReport(sarif, 'sarif'), []);
      const results = sarif.runs[0].results as any[];
      assert.equal(results.length, 5);
      for (const res of results) {
        assert.match(res.partialFingerprints['sasquatch/v1'], /^[0-9a-f]{32}$/);
        assert.ok(res.locations[0].physicalLocation.region.startLine >= 1);
      }
      const removed = results.filter((x) => x.properties.history && !x.properties.history.presentAtHead);
      assert.ok(removed.length >= 3, 'history-only findings keep a physical location');
      assert.ok(removed.every((x) => /^[0-9a-f]{40}$/.test(x.properties.commit)));
    } finally {
      repo.cleanup();
    }
  });
});

function commit(repo: TestRepo, message: string, PATH?: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('git', ['commit', '-q', '-m', message], { cwd: repo.dir, env: { ...gitTestEnv('2026-01-02T00:00:00Z'), NO_COLOR: '1', ...(PATH ? { PATH } : {}) }, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
