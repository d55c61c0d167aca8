import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { CLI, runCli, tempTree } from '../testing/cli.js';
import { validateReport } from '../testing/schemas.js';
import { INCIDENT } from '../testing/tokens.js';
import type { Finding } from '../model/finding.js';
import type { Notice } from '../sources/types.js';

/**
 * A configuration inside the scanned tree is written by whoever wrote the tree. It may not
 * silently turn a scan into a clean pass: the report says which configuration was loaded and
 * lists every setting that narrows the scan as a warning, in every format; the user's own
 * configuration is not replaced by the tree's; changes to the configuration and the baseline
 * are findings to review in the hook and the Action; custom rules cannot hang a scan.
 */
let root: string;
let cleanup: () => void;

beforeEach(() => {
  ({ dir: root, cleanup } = tempTree({ 'target/README.md': `model: ${INCIDENT.urlB()}\n` }));
});
afterEach(() => cleanup());

const target = () => path.join(root, 'target');

interface Json {
  scan: { config?: { path: string | null; source: string; changes: string[]; warnings: string[]; ignored?: string[] } };
  findings: Finding[];
  notices: Notice[];
}

function scan(format: string, cwd = root, extra: string[] = []) {
  return runCli(['scan', 'target', '--no-history', '--format', format, '-q', ...extra], { cwd });
}

describe('a configuration in the scanned tree', () => {
  const RISKY: [string, string, RegExp][] = [
    ['rules off', 'rules: {azure-sas: off}\n', /turns off rule azure-sas/],
    ['exclude everything', 'exclude: ["**"]\n', /excludes "\*\*": every path/],
    ['allow everything', 'allow: [{path: "**"}]\n', /allows \(suppresses\) every finding under "\*\*"/],
    ['a 1-byte size limit', 'maxFileSize: 1\n', /lowers maxFileSize to 1 byte/],
  ];
  for (const [name, yaml, warning] of RISKY) {
    it(`${name}: named as loaded and warned about in text, JSON, SARIF and GitHub`, () => {
      writeFileSync(path.join(target(), 'sasquatch.config.yaml'), yaml);
      const json = scan('json');
      const j = JSON.parse(json.stdout) as Json;
      assert.deepEqual(validateReport(j), []);
      assert.equal(j.findings.length, 0, 'the configuration does hide the finding…');
      assert.equal(j.scan.config?.path, 'target/sasquatch.config.yaml');
      assert.equal(j.scan.config?.source, 'scanned-target');
      assert.ok(j.scan.config?.warnings.some((w) => warning.test(w)), JSON.stringify(j.scan.config));
      assert.ok(j.notices.some((n) => n.level === 'warning' && n.path === 'target/sasquatch.config.yaml' && warning.test(n.message)), '…but not silently');

      const text = scan('text').stdout;
      assert.match(text, new RegExp(`warning: target/sasquatch\\.config\\.yaml: configuration ${warning.source}`));
      assert.match(text, /^configuration: target\/sasquatch\.config\.yaml \(in the scanned directory\): /m);

      const sarif = JSON.parse(scan('sarif').stdout) as { runs: { invocations: { properties?: { configuration: { path: string } }; toolExecutionNotifications: { level: string; message: { text: string } }[] }[] }[] };
      const inv = sarif.runs[0]!.invocations[0]!;
      assert.equal(inv.properties?.configuration.path, 'target/sasquatch.config.yaml');
      assert.ok(inv.toolExecutionNotifications.some((n) => n.level === 'warning' && warning.test(n.message.text)));
      assert.deepEqual(validateReport(sarif, 'sarif'), []);

      assert.match(scan('github').stdout, /^::notice title=sasquatch configuration::target\/sasquatch\.config\.yaml \(in the scanned directory\)/m);
    });
  }

  it('a configuration without risky settings is named, with no warning', () => {
    writeFileSync(path.join(target(), 'sasquatch.config.yaml'), 'exclude: [node_modules]\nfailOn: medium\n');
    const j = JSON.parse(scan('json').stdout) as Json;
    assert.deepEqual(j.scan.config?.warnings, []);
    assert.deepEqual(j.scan.config?.changes, ['excludes "node_modules"', 'sets failOn medium']);
    assert.ok(!j.notices.some((n) => n.level === 'warning'));
  });

  it('does not replace the user’s own configuration, and is named as ignored', () => {
    writeFileSync(path.join(target(), 'sasquatch.config.yaml'), 'rules: {azure-sas: off}\n');
    writeFileSync(path.join(root, 'sasquatch.config.yaml'), 'exclude: [node_modules]\n');
    const j = JSON.parse(scan('json').stdout) as Json;
    assert.equal(j.findings.length, 1, 'the tree’s configuration did not turn the rule off');
    assert.equal(j.scan.config?.path, 'sasquatch.config.yaml');
    assert.equal(j.scan.config?.source, 'working-directory');
    assert.deepEqual(j.scan.config?.ignored, ['target/sasquatch.config.yaml']);
    assert.ok(j.notices.some((n) => n.path === 'target/sasquatch.config.yaml' && /not used/.test(n.message)));
  });

  it('without any configuration the JSON report says so', () => {
    const j = JSON.parse(scan('json').stdout) as Json;
    assert.deepEqual(j.scan.config, { path: null, source: 'none', changes: [], warnings: [], ignored: [] });
  });
});

describe('changes to the configuration and the baseline are findings to review', () => {
  let repo: string;
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 'T', GIT_AUTHOR_EMAIL: 't@example.org', GIT_COMMITTER_NAME: 'T', GIT_COMMITTER_EMAIL: 't@example.org' } });

  beforeEach(() => {
    repo = path.join(root, 'repo');
    mkdirSync(repo);
    git('init', '-q', '-b', 'main');
    writeFileSync(path.join(repo, 'sasquatch.config.yaml'), 'exclude: [node_modules]\n');
    writeFileSync(path.join(repo, 'app.py'), 'print("hello")\n');
    git('add', '-A');
    git('commit', '-q', '-m', 'init');
  });

  const staged = () => {
    const r = runCli(['scan', '--staged', '--format', 'json'], { cwd: repo });
    return { code: r.code, j: JSON.parse(r.stdout) as Json, stderr: r.stderr };
  };

  it('pre-commit (--staged): a configuration that narrows the scan is a high finding the configuration itself cannot allow', () => {
    writeFileSync(path.join(repo, 'sasquatch.config.yaml'), 'exclude: [node_modules]\nrules: {azure-sas: off}\nallow: [{rule: sasquatch-config-change}]\n');
    git('add', '-A');
    const { code, j } = staged();
    assert.equal(code, 1, 'the commit is blocked at the default --fail-on');
    const f = j.findings.find((x) => x.rule === 'sasquatch-config-change');
    assert.equal(f?.severity, 'high');
    assert.equal(f?.location.path, 'sasquatch.config.yaml');
    assert.ok(f?.reasons.some((r) => /turns off rule azure-sas/.test(r)), JSON.stringify(f?.reasons));
    assert.ok(f?.reasons.some((r) => /allows \(suppresses\) every sasquatch-config-change finding/.test(r)));
    assert.deepEqual(validateReport(j), []);
  });

  it('pre-commit: a baseline that accepts findings is medium; a plain configuration change is low; nothing staged, nothing reported', () => {
    assert.equal(staged().j.findings.length, 0);
    writeFileSync(path.join(repo, '.sasquatch-baseline'), '# sasquatch baseline v1\n0123456789abcdef0123456789abcdef azure-sas README.md\n');
    writeFileSync(path.join(repo, 'sasquatch.config.yaml'), 'exclude: [node_modules, dist]\n');
    git('add', '-A');
    const { code, j } = staged();
    assert.equal(code, 1);
    const bySeverity = Object.fromEntries(j.findings.map((f) => [f.location.path, f.severity]));
    assert.deepEqual(bySeverity, { '.sasquatch-baseline': 'medium', 'sasquatch.config.yaml': 'low' });
  });

  it('the Action (--config-changes-since <base>): the pull request’s configuration changes', () => {
    const base = git('rev-parse', 'HEAD').toString().trim();
    writeFileSync(path.join(repo, 'sasquatch.config.yaml'), 'exclude: ["**"]\n');
    git('commit', '-q', '-am', 'exclude everything');
    const r = runCli(['scan', '.', '--config-changes-since', base, '--format', 'json', '-q'], { cwd: repo });
    assert.equal(r.code, 1, r.stderr);
    const j = JSON.parse(r.stdout) as Json;
    assert.deepEqual(j.findings.map((f) => [f.rule, f.severity, f.location.path]), [['sasquatch-config-change', 'high', 'sasquatch.config.yaml']]);
    // without a base (a plain scan) there is nothing to review
    assert.ok(!(JSON.parse(runCli(['scan', '.', '--format', 'json', '-q'], { cwd: repo }).stdout) as Json).findings.some((f) => f.rule === 'sasquatch-config-change'));
  });
});

describe('custom rules run on a linear-time engine', () => {
  it('a catastrophic-backtracking pattern does not hang the scan', () => {
    writeFileSync(path.join(target(), 'sasquatch.config.yaml'), "customRules:\n  - id: nested-quantifier\n    keywords: [aaa]\n    pattern: '(a+)+b'\n    examples: ['aaab']\n");
    writeFileSync(path.join(target(), 'data.txt'), `${'a'.repeat(30_000)}\n`);
    // a backtracking engine needs longer than the age of the universe here; the limit only guards the test run
    const r = spawnSync(process.execPath, [CLI, 'scan', 'target', '--no-history', '-q', '--fail-on', 'never'], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.signal, null, 'the scan had to be killed');
    assert.equal(r.status, 0, r.stderr);
  });

  it('a pattern RE2 cannot run is a configuration error naming the rule', () => {
    writeFileSync(path.join(target(), 'sasquatch.config.yaml'), "customRules:\n  - id: repeated-word\n    keywords: [key]\n    pattern: '(key)=\\1'\n    examples: ['key=key']\n");
    const r = scan('text');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /invalid configuration: sasquatch\.config\.yaml: customRules\[0\]\.pattern: rule repeated-word: the linear-time engine \(RE2\) cannot run this pattern/);
  });
});
