import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, test } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { CLI, cliOnPath, runCli, tempTree } from '../testing/cli.js';
import { gitTestEnv, TestRepo } from '../testing/git-repo.js';
import { INCIDENT, sasQuery } from '../testing/tokens.js';

/**
 * What a new user meets in CI and at the terminal, done as the README says: paths from the
 * repository root whatever is scanned, baselines that survive it, the GitHub Action's own
 * steps, and the pre-commit hook — each with the exit codes a pipeline relies on.
 */
const NOW = '2026-11-29T00:00:00Z';
const PROJECT = path.resolve(path.dirname(CLI), '..', '..');

function notebook(url: string): string {
  const cells = [{ cell_type: 'code', execution_count: 1, metadata: {}, outputs: [], source: [`URL = "${url}"\n`] }];
  return JSON.stringify({ cells, metadata: {}, nbformat: 4, nbformat_minor: 5 }, null, 1);
}

/** notebooks/explore.ipynb (critical), other/a.txt (low: expired), demo/docs/x.md (critical), committed. */
function ciRepo(): TestRepo {
  const repo = TestRepo.init('project', '2026-01-01T00:00:00Z');
  repo.write('notebooks/explore.ipynb', notebook(INCIDENT.urlB()));
  repo.write('other/a.txt', `${INCIDENT.urlA()}\n`);
  repo.write('demo/docs/x.md', `${INCIDENT.urlB('c/x.md')}\n`);
  repo.commit('2026-01-01T00:00:00Z', 'initial');
  return repo;
}

function scanJson(args: string[], cwd: string, env?: NodeJS.ProcessEnv): { code: number | null; stderr: string; report: any } {
  const r = runCli(['scan', ...args, '--format', 'json', '--now', NOW], { cwd, env });
  assert.ok(r.stdout.startsWith('{'), `exit ${r.code}: ${r.stderr}`);
  return { code: r.code, stderr: r.stderr, report: JSON.parse(r.stdout) };
}

const byPath = (report: any) => new Map<string, string>(report.findings.map((f: any) => [f.location.path, f.fingerprint]));

describe('paths are relative to the repository root, whatever is scanned and from wherever', () => {
  test('one target, several targets, a subdirectory as cwd, an absolute path from elsewhere: same paths and fingerprints', () => {
    const repo = ciRepo();
    try {
      const nb = path.join(repo.dir, 'notebooks');
      const runs = [
        scanJson(['notebooks'], repo.dir),
        scanJson(['notebooks', 'other'], repo.dir),
        scanJson(['.'], nb),
        scanJson([nb], os.tmpdir()),
        scanJson(['explore.ipynb'], nb),
        scanJson(['.', '--no-history'], nb),
      ];
      const expected = byPath(runs[0]!.report).get('notebooks/explore.ipynb');
      assert.match(expected ?? '', /^[0-9a-f]{32}$/, JSON.stringify([...byPath(runs[0]!.report).keys()]));
      for (const r of runs) assert.equal(byPath(r.report).get('notebooks/explore.ipynb'), expected, JSON.stringify([...byPath(r.report).keys()]));
      assert.deepEqual([...byPath(runs[1]!.report).keys()].sort(), ['notebooks/explore.ipynb', 'other/a.txt']);
    } finally {
      repo.cleanup();
    }
  });

  test('--exclude matches from the root (and says when a pattern matched nothing); SARIF %SRCROOT% and annotations use the same paths', () => {
    const repo = ciRepo();
    try {
      const nb = path.join(repo.dir, 'notebooks');
      const fromSub = scanJson(['..', '--exclude', 'demo/docs/**'], nb);
      assert.deepEqual([...byPath(fromSub.report).keys()].sort(), ['notebooks/explore.ipynb', 'other/a.txt']);
      const demo = scanJson(['demo', '--exclude', 'demo/docs/**'], repo.dir);
      assert.equal(demo.report.findings.length, 0, 'the demo target is excluded by its root path');
      assert.ok(!demo.report.notices.some((n: any) => /matched nothing/.test(n.message)));

      const typo = runCli(['scan', '.', '--exclude', 'docs/demo/**', '--now', NOW], { cwd: repo.dir });
      assert.match(typo.stdout + typo.stderr, /--exclude docs\/demo\/\*\*: matched nothing/);

      const sarif = JSON.parse(runCli(['scan', 'notebooks', '--format', 'sarif', '--now', NOW], { cwd: repo.dir }).stdout);
      const run = sarif.runs[0];
      assert.equal(run.originalUriBaseIds['%SRCROOT%'].uri, `${pathToFileURL(realpathSync(repo.dir)).href}/`);
      assert.deepEqual(run.results.map((r: any) => r.locations[0].physicalLocation.artifactLocation.uri), ['notebooks/explore.ipynb']);
      const gh = runCli(['scan', '.', '--format', 'github', '--now', NOW], { cwd: nb });
      assert.match(gh.stdout, /^::error file=notebooks\/explore\.ipynb,line=/m);
    } finally {
      repo.cleanup();
    }
  });

  test('configuration and baseline are found at the repository root from a subdirectory; several configurations: the one used is named', () => {
    const repo = ciRepo();
    try {
      const nb = path.join(repo.dir, 'notebooks');
      repo.write('sasquatch.config.yaml', 'failOn: never\n');
      assert.equal(runCli(['scan', '.', '--now', NOW], { cwd: nb }).code, 0, 'failOn: never from the root configuration');

      const created = runCli(['baseline', 'create', '..', '--now', NOW], { cwd: nb });
      assert.equal(created.code ?? 0, 0, created.stderr);
      assert.ok(existsSync(path.join(repo.dir, '.sasquatch-baseline')), 'written at the repository root');
      assert.ok(!existsSync(path.join(nb, '.sasquatch-baseline')));
      for (const [args, cwd] of [[['notebooks'], repo.dir], [['.'], nb], [['notebooks', 'other'], repo.dir], [['.'], repo.dir]] as const) {
        const r = scanJson([...args, '--fail-on', 'low'], cwd);
        assert.equal(r.report.findings.length, 0, `${args.join(' ')} from ${cwd}: ${JSON.stringify(r.report.findings.map((f: any) => f.location.path))}`);
        assert.ok(r.report.summary.suppressed.baseline >= 1);
        assert.equal(r.code, 0);
      }
      // a new secret in the subdirectory is reported, and only it
      writeFileSync(path.join(nb, 'new.py'), `URL = "https://newacct.blob.core.windows.net/c/b?${sasQuery({ sv: '2022-11-02', sr: 'b', sp: 'r', se: '2030-01-01' }, 'new')}"\n`);
      const after = scanJson(['.', '--fail-on', 'low'], nb);
      assert.deepEqual(after.report.findings.map((f: any) => f.location.path), ['notebooks/new.py']);
      assert.equal(after.code, 1);

      writeFileSync(path.join(nb, 'sasquatch.config.json'), '{"failOn": "low"}');
      const two = runCli(['scan', '.', '--now', NOW], { cwd: nb });
      assert.match(two.stderr, /configuration sasquatch\.config\.json is used; also found, and ignored: \.\.\/sasquatch\.config\.yaml/);
    } finally {
      repo.cleanup();
    }
  });

  test('outside any repository: relative to the current directory, consistently', () => {
    const tree = tempTree({ 'notebooks/explore.ipynb': notebook(INCIDENT.urlB()), 'other/a.txt': `${INCIDENT.urlA()}\n` });
    try {
      const one = scanJson(['notebooks'], tree.dir);
      const two = scanJson(['notebooks', 'other'], tree.dir);
      assert.deepEqual([...byPath(one.report).keys()], ['notebooks/explore.ipynb']);
      assert.equal(byPath(two.report).get('notebooks/explore.ipynb'), byPath(one.report).get('notebooks/explore.ipynb'));
    } finally {
      tree.cleanup();
    }
  });

  test('a report written with -o is never read back by the run that writes it', () => {
    const tree = tempTree({ 'a.txt': `${INCIDENT.urlB()}\n` });
    try {
      for (let i = 0; i < 2; i++) {
        const r = runCli(['scan', '.', '--show-secrets', '--format', 'json', '--output', 'out.json', '--now', NOW], { cwd: tree.dir });
        assert.equal(r.code, 1, r.stderr);
        const report = JSON.parse(readFileSync(path.join(tree.dir, 'out.json'), 'utf8'));
        assert.deepEqual(report.findings.map((f: any) => f.location.path), ['a.txt'], `run ${i + 1}`);
        if (i === 1) assert.ok(report.notices.some((n: any) => n.path === 'out.json' && n.skipped === 'excluded' && /written by this run/.test(n.message)));
      }
    } finally {
      tree.cleanup();
    }
  });
});

interface StepRun {
  name: string;
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The Action's `run` steps, executed the way a runner does (`bash --noprofile --norc -eo
 * pipefail`), with GITHUB_* and RUNNER_TEMP set to temp directories and `${{ … }}` expressions
 * of the step environments evaluated from the inputs and earlier steps' outputs. `uses` steps
 * are not run; their `with:` values are evaluated and returned.
 */
function runAction(workspace: string, given: Record<string, string>, PATH: string): { steps: StepRun[]; uses: Record<string, Record<string, string>>; runnerTemp: string; cleanup: () => void } {
  const action = parseYaml(readFileSync(path.join(PROJECT, 'action.yml'), 'utf8'));
  const inputs: Record<string, string> = {};
  for (const [k, v] of Object.entries(action.inputs as Record<string, { default?: string }>)) inputs[k] = String(given[k] ?? v.default ?? '');
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'sasquatch-runner-'));
  const runnerTemp = path.join(tmp, 'temp');
  mkdirSync(runnerTemp);
  const outputs: Record<string, Record<string, string>> = {};
  const term = (e: string): string => {
    const input = /^inputs\.([\w-]+)$/.exec(e);
    if (input) return inputs[input[1]!] ?? '';
    const out = /^steps\.([\w-]+)\.outputs\.([\w-]+)$/.exec(e);
    if (out) return outputs[out[1]!]?.[out[2]!] ?? '';
    // the event payload of a plain run (no pull request, no push base): every field empty
    if (/^github\.event(\.[\w-]+)+$/.test(e)) return '';
    throw new Error(`expression not understood by the test runner: ${e}`);
  };
  // `a || b`: the first operand that is not empty, as the runner evaluates it
  const expr = (s: string) =>
    String(s).replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_m, e: string) => {
      for (const part of e.split('||')) {
        const v = term(part.trim());
        if (v) return v;
      }
      return '';
    });
  const steps: StepRun[] = [];
  const uses: Record<string, Record<string, string>> = {};
  for (const [i, step] of (action.runs.steps as any[]).entries()) {
    const name = step.name ?? step.uses ?? `step ${i}`;
    if (step.uses) {
      uses[step.uses] = Object.fromEntries(Object.entries(step.with ?? {}).map(([k, v]) => [k, expr(String(v))]));
      continue;
    }
    assert.ok(!/\$\{\{/.test(step.run), `${name}: no expression inside a run script (inputs go through env)`);
    const outFile = path.join(tmp, `output-${i}`);
    writeFileSync(outFile, '');
    const script = path.join(tmp, `step-${i}.sh`);
    writeFileSync(script, step.run);
    const env: NodeJS.ProcessEnv = {
      ...gitTestEnv('2026-01-01T00:00:00Z'),
      PATH,
      NO_COLOR: '1',
      GITHUB_ACTIONS: 'true',
      GITHUB_ACTION_PATH: PROJECT,
      GITHUB_WORKSPACE: workspace,
      GITHUB_OUTPUT: outFile,
      RUNNER_TEMP: runnerTemp,
    };
    for (const [k, v] of Object.entries(step.env ?? {})) env[k] = expr(String(v));
    const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], { cwd: workspace, env, encoding: 'utf8' });
    steps.push({ name, code: r.status, stdout: r.stdout, stderr: r.stderr });
    if (step.id) outputs[step.id] = Object.fromEntries(readFileSync(outFile, 'utf8').split('\n').filter((l) => l.includes('=')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
  }
  return { steps, uses, runnerTemp, cleanup: () => rmSync(tmp, { recursive: true, force: true }) };
}

describe('the GitHub Action, run step by step', () => {
  test('SARIF goes to RUNNER_TEMP and is never scanned; failOn from the configuration decides unless fail-on is set; annotations carry root paths', () => {
    // dated while the notebook's link was still valid: committed live, expired since (low)
    const repo = TestRepo.init('action-workspace', '2021-01-01T00:00:00Z');
    const bin = cliOnPath();
    try {
      repo.write('sasquatch.config.yaml', 'failOn: critical\n');
      repo.write('notebooks/explore.ipynb', notebook(INCIDENT.urlA()));
      repo.write('demo/docs/x.md', `${INCIDENT.urlB('c/x.md')}\n`);
      repo.commit('2021-01-02T00:00:00Z', 'an expired link in the notebooks, a live one in the demo; a configuration');
      const status = () => repo.git('2021-01-03T00:00:00Z', 'status', '--porcelain');

      const first = runAction(repo.dir, { path: 'notebooks' }, bin.path());
      try {
        const [install, scan, check] = first.steps;
        assert.equal(install!.code, 0, install!.stderr);
        assert.ok(!/npm ci/.test(install!.stdout + install!.stderr), 'a built checkout is not reinstalled');
        assert.equal(scan!.code, 0, scan!.stderr);
        const sarifFile = first.uses['github/codeql-action/upload-sarif@v3']!['sarif_file']!;
        assert.equal(sarifFile, path.join(first.runnerTemp, 'sasquatch.sarif'));
        const sarif = JSON.parse(readFileSync(sarifFile, 'utf8'));
        assert.deepEqual(sarif.runs[0].results.map((r: any) => r.locations[0].physicalLocation.artifactLocation.uri), ['notebooks/explore.ipynb']);
        assert.equal(status(), '', 'nothing written into the workspace');
        assert.equal(check!.code, 0, `a low finding passes failOn: critical from the configuration: ${check!.stdout}${check!.stderr}`);
        assert.match(check!.stdout, /^::notice file=notebooks\/explore\.ipynb,line=\d+/m);
        assert.match(check!.stdout, /sasquatch: 1 finding/);
      } finally {
        first.cleanup();
      }

      // fail-on set by the workflow wins; a second run finds exactly the same
      const strict = runAction(repo.dir, { path: 'notebooks', 'fail-on': 'low' }, bin.path());
      try {
        const check = strict.steps[2]!;
        assert.equal(check.code, 1, check.stderr);
        assert.match(check.stdout, /sasquatch: 1 finding/);
      } finally {
        strict.cleanup();
      }

      // a SARIF file the workflow puts in the workspace is left out of the check scan
      const inside = runAction(repo.dir, { path: '.', 'sarif-file': 'results.sarif', args: '--show-secrets' }, bin.path());
      try {
        assert.ok(existsSync(path.join(repo.dir, 'results.sarif')));
        const check = inside.steps[2]!;
        assert.ok(!/results\.sarif/.test(check.stdout), check.stdout);
        assert.equal(check.code, 1, 'the critical link in demo/ fails at failOn: critical');
      } finally {
        inside.cleanup();
        rmSync(path.join(repo.dir, 'results.sarif'), { force: true });
      }
    } finally {
      repo.cleanup();
      bin.cleanup();
    }
  });
});

function commit(repo: TestRepo, message: string, PATH: string): { status: number | null; out: string } {
  const r = spawnSync('git', ['commit', '-q', '-m', message], { cwd: repo.dir, env: { ...gitTestEnv('2026-01-05T00:00:00Z'), NO_COLOR: '1', PATH }, encoding: 'utf8' });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('the pre-commit hook', () => {
  test('calls sasquatch from PATH, honours failOn from the configuration, names the command that works', () => {
    const repo = TestRepo.init('hooked', '2026-01-01T00:00:00Z');
    const bin = cliOnPath();
    try {
      repo.write('sasquatch.config.yaml', 'failOn: high\n');
      repo.write('README.md', '# project\n');
      repo.commit('2026-01-01T00:00:00Z', 'initial');
      const installed = runCli(['hook', 'install'], { cwd: repo.dir });
      assert.equal(installed.code ?? 0, 0, installed.stderr);
      const script = readFileSync(path.join(repo.dir, '.git', 'hooks', 'pre-commit'), 'utf8');
      assert.ok(!script.includes(process.execPath) && !script.includes(CLI) && !script.includes(PROJECT), 'no path of the installing machine');
      assert.ok(!/--fail-on/.test(script), 'no --fail-on unless given');

      repo.write('old.txt', `${INCIDENT.urlA()}\n`);
      repo.git('2026-01-05T00:00:00Z', 'add', '-A');
      assert.equal(commit(repo, 'an expired link (low)', bin.path()).status, 0, 'low passes failOn: high');

      repo.write('src/config.py', `URL = "${INCIDENT.urlB()}"\n`);
      repo.git('2026-01-05T00:00:00Z', 'add', '-A');
      const blocked = commit(repo, 'a critical link', bin.path());
      assert.equal(blocked.status, 1, blocked.out);
      assert.match(blocked.out, /src\/config\.py/);
      assert.match(blocked.out, /with `sasquatch baseline create`/, 'no baseline yet: create it');
      assert.match(blocked.out, /`sasquatch explain <link>`/);

      assert.equal(runCli(['baseline', 'create', '--now', NOW], { cwd: repo.dir }).code ?? 0, 0);
      repo.write('src/other.py', `URL = "${INCIDENT.urlB('c/other')}"\n`);
      repo.git('2026-01-05T00:00:00Z', 'add', '-A');
      assert.match(commit(repo, 'another', bin.path()).out, /with `sasquatch baseline update`/);
    } finally {
      repo.cleanup();
      bin.cleanup();
    }
  });

  test('without sasquatch on PATH: the project\'s own through npx --no-install; neither: blocked with a clear message', () => {
    const repo = TestRepo.init('npx-hooked', '2026-01-01T00:00:00Z');
    try {
      repo.write('.gitignore', 'node_modules/\n');
      repo.write('package.json', '{"name":"app","version":"1.0.0","private":true}\n');
      repo.commit('2026-01-01T00:00:00Z', 'initial');
      assert.equal(runCli(['hook', 'install', '--fail-on', 'critical'], { cwd: repo.dir }).code ?? 0, 0);
      assert.match(readFileSync(path.join(repo.dir, '.git', 'hooks', 'pre-commit'), 'utf8'), /scan --staged --fail-on critical/);
      // PATH with node (and npx) and git, but no sasquatch
      const PATH = [path.dirname(process.execPath), '/usr/bin', '/bin'].join(path.delimiter);
      repo.write('a.txt', `${INCIDENT.urlB()}\n`);
      repo.git('2026-01-05T00:00:00Z', 'add', '-A');
      const missing = commit(repo, 'nothing to run the scan', PATH);
      assert.notEqual(missing.status, 0, missing.out);
      assert.equal(repo.git('2026-01-05T00:00:00Z', 'rev-list', '--count', 'HEAD'), '1', 'nothing committed');
      assert.match(missing.out, /sasquatch: not found on PATH nor in this project/);

      const local = path.join(repo.dir, 'node_modules', '.bin', 'sasquatch');
      mkdirSync(path.dirname(local), { recursive: true });
      writeFileSync(local, `#!/bin/sh\nexec '${process.execPath}' '${CLI}' "$@"\n`);
      chmodSync(local, 0o755);
      const blocked = commit(repo, 'a critical link', PATH);
      assert.equal(blocked.status, 1, blocked.out);
      assert.match(blocked.out, /`npx --no-install sasquatch explain <link>`/);
    } finally {
      repo.cleanup();
    }
  });

  test('hook install --fail-on bogus is refused (exit 2), and no hook is written', () => {
    const repo = TestRepo.init('bogus', '2026-01-01T00:00:00Z');
    try {
      const r = runCli(['hook', 'install', '--fail-on', 'bogus'], { cwd: repo.dir });
      assert.equal(r.code, 2);
      assert.match(r.stderr, /expected one of: critical, high, medium, low, info, never/);
      assert.ok(!readdirSync(path.join(repo.dir, '.git', 'hooks')).includes('pre-commit'));
      for (const args of [['scan', '.', '--fail-on', 'bogus'], ['scan', '.', '--min-severity', 'urgent'], ['scan', '.', '--exit-code', '300']]) {
        assert.equal(runCli(args, { cwd: repo.dir }).code, 2, args.join(' '));
      }
    } finally {
      repo.cleanup();
    }
  });
});
