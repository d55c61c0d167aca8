import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runCli, tempTree } from '../testing/cli.js';
import { INCIDENT } from '../testing/tokens.js';
import { validateReport } from '../testing/schemas.js';

const NOW = '2026-11-29T00:00:00Z';

function notebook(url: string): string {
  return JSON.stringify(
    {
      cells: [
        { cell_type: 'markdown', metadata: {}, source: ['# Download the models'] },
        { cell_type: 'code', execution_count: 1, metadata: {}, outputs: [], source: ['import urllib.request\n', `URL = "${url}"\n`, 'urllib.request.urlretrieve(URL, "m.ckpt")'] },
      ],
      metadata: { kernelspec: { name: 'python3' } },
      nbformat: 4,
      nbformat_minor: 5,
    },
    null,
    1,
  );
}

describe('scan: the 2023 tokens in the files real repositories hold', () => {
  let tree: ReturnType<typeof tempTree>;
  before(() => {
    tree = tempTree({
      'README.md': `# Robust models\n\nDownload: ${INCIDENT.urlA()}\n\n[All models](${INCIDENT.urlB('public-datasets/')})\n`,
      'src/download.py': `import requests\n\nBASE = "${INCIDENT.urlB()}"\n`,
      'notebooks/demo.ipynb': notebook(INCIDENT.urlB()),
      'config/models.json': JSON.stringify({ models: { url: INCIDENT.urlB() } }, null, 2),
      'notes.txt': 'nothing to see here\n',
    });
  });
  after(() => tree.cleanup());

  test('JSON report: right kind, services, resource types, permissions, expiry and severity; matches the contract', () => {
    const r = runCli(['scan', tree.dir, '--format', 'json', '--now', NOW]);
    assert.equal(r.code, 1, r.stderr);
    const report = JSON.parse(r.stdout);
    assert.deepEqual(validateReport(report), []);
    const byPath = new Map<string, any[]>();
    for (const f of report.findings) byPath.set(f.location.path, [...(byPath.get(f.location.path) ?? []), f]);
    assert.deepEqual([...byPath.keys()].sort(), ['README.md', 'config/models.json', 'notebooks/demo.ipynb', 'src/download.py']);
    const [a, b] = byPath.get('README.md')!;
    assert.equal(a.location.line, 3);
    assert.equal(a.grant.kind, 'account-sas');
    assert.deepEqual(a.grant.services, ['blob']);
    assert.equal(a.grant.expiry, '2021-10-05T15:06:23Z');
    assert.equal(a.severity, 'low');
    assert.equal(b.location.line, 5);
    for (const f of [b, ...byPath.get('src/download.py')!, ...byPath.get('notebooks/demo.ipynb')!, ...byPath.get('config/models.json')!]) {
      assert.equal(f.grant.kind, 'account-sas');
      assert.deepEqual(f.grant.services, ['blob', 'file', 'queue', 'table']);
      assert.deepEqual(f.grant.resourceTypes, ['container', 'object', 'service']);
      assert.equal(f.grant.permissions.length, 12);
      assert.equal(f.grant.expiry, '2051-10-06T07:09:59Z');
      assert.equal(f.severity, 'critical');
      assert.ok(f.secret.endsWith('…'), 'redacted');
    }
    assert.equal(byPath.get('notebooks/demo.ipynb')![0].location.cell, 1);
    assert.equal(report.summary.bySeverity.critical, 4);
  });

  test('text report: grouped by file, grant lines, closing count, no colour off a TTY', () => {
    const r = runCli(['scan', tree.dir, '--now', NOW]);
    assert.equal(r.code, 1);
    assert.ok(!r.stdout.includes('\x1b['));
    assert.match(r.stdout, /^README\.md$/m);
    assert.match(r.stdout, /3:11 +LOW +azure-sas/);
    assert.match(r.stdout, /account-sas · robustnessws4285631339 · whole account · read, write, delete/);
    assert.match(r.stdout, /5 findings \(4 critical, 0 high, 0 medium, 1 low, 0 info\) in 5 files/);
  });

  test("SARIF passes the official 2.1.0 schema and Microsoft's SARIF validator", () => {
    const out = `${tree.dir}.sarif`;
    const r = runCli(['scan', tree.dir, '--format', 'sarif', '--output', out, '--now', NOW]);
    assert.equal(r.code, 1, r.stderr);
    const sarif = JSON.parse(readFileSync(out, 'utf8'));
    assert.deepEqual(validateReport(sarif, 'sarif'), []);
    const run = sarif.runs[0];
    const ids = run.tool.driver.rules.map((x: { id: string }) => x.id);
    assert.equal(new Set(ids).size, ids.length, 'unique rule ids');
    assert.equal(run.results.length, 5);
    for (const res of run.results) {
      assert.ok(res.locations[0].physicalLocation.artifactLocation.uri);
      assert.ok(res.locations[0].physicalLocation.region.startLine >= 1);
      assert.match(res.partialFingerprints['sasquatch/v1'], /^[0-9a-f]{32}$/);
    }
    assert.deepEqual(multitoolErrors(out), []);
  });

  test('exit codes follow --fail-on', () => {
    assert.equal(runCli(['scan', tree.dir, '--fail-on', 'never', '--now', NOW]).code, 0);
    assert.equal(runCli(['scan', path.join(tree.dir, 'README.md'), '--fail-on', 'critical', '--now', '2020-08-01']).code, 1, 'token B is critical');
    assert.equal(runCli(['scan', path.join(tree.dir, 'src'), '--fail-on', 'critical', '--now', '2052-01-01']).code, 0, 'expired: low');
    assert.equal(runCli(['scan', path.join(tree.dir, 'notes.txt')]).code, 0);
    assert.equal(runCli(['scan', tree.dir, '--format', 'xml']).code, 2);
    assert.equal(runCli(['scan', path.join(tree.dir, 'missing')]).code, 2);
  });

  test('explain prints the grant of each 2023 token', () => {
    const a = runCli(['explain', INCIDENT.urlA(), '--now', NOW]);
    assert.equal(a.code, 0, a.stderr);
    assert.match(a.stdout, /Azure account SAS — LOW/);
    assert.match(a.stdout, /permissions +read, list, delete-version +\(sp=rlx\)/);
    const b = runCli(['explain', INCIDENT.urlB(), '--format', 'json', '--now', NOW]);
    const j = JSON.parse(b.stdout);
    assert.equal(j.severity, 'critical');
    assert.equal(j.grant.kind, 'account-sas');
    assert.equal(j.grant.revocation, 'rotate-account-key');
    assert.match(j.explanation, /until 2051-10-06 — 24 years from now — over plain HTTP too/);
    assert.equal(runCli(['explain', 'https://example.org/nothing']).code, 2);
  });
});

describe('scan: what is not scanned is reported, and the scan goes on', () => {
  test('binary, too large, symlinks, loops, special files, .git, excluded paths', () => {
    const tree = tempTree({
      'a.txt': `x ${INCIDENT.urlA()}\n`,
      'bin/blob.bin': Buffer.from([0, 1, 2, 3, 0, 0, 0]),
      'big/large.txt': `${'y'.repeat(4096)}\n${INCIDENT.urlA()}\n`,
      '.git/config': `url = ${INCIDENT.urlA()}\n`,
      'vendor/lib.js': `// ${INCIDENT.urlA()}\n`,
    });
    try {
      symlinkSync(tree.dir, path.join(tree.dir, 'loop'));
      symlinkSync(path.join(tree.dir, 'nowhere'), path.join(tree.dir, 'dangling'));
      execFileSync('mkfifo', [path.join(tree.dir, 'fifo')]);
      const r = runCli(['scan', tree.dir, '--format', 'json', '--max-file-size', '2KB', '--exclude', 'vendor', '--now', NOW]);
      const rep = JSON.parse(r.stdout);
      assert.deepEqual(rep.findings.map((f: any) => f.location.path), ['a.txt']);
      // .git is not a skip (its objects are history, never files): only vendor/ counts as excluded
      assert.deepEqual(rep.summary.skipped, { binary: 1, excluded: 1, symlink: 2, 'too-large': 1, 'special-file': 1 });
      assert.ok(rep.notices.some((n: any) => n.path === '.git' && !n.skipped), 'still said, with --verbose');
      const followed = JSON.parse(runCli(['scan', tree.dir, '--format', 'json', '--follow-symlinks', '--now', NOW]).stdout);
      assert.equal(followed.summary.skipped['symlink-loop'], 1);
      assert.equal(followed.summary.skipped.unreadable, 1, 'the dangling link is a warning');
      const text = runCli(['scan', tree.dir, '--follow-symlinks', '--now', NOW]);
      assert.match(text.stdout, /error: dangling: broken symbolic link/);
      assert.match(text.stdout, /Not scanned: .*1 symlink-loop/);
    } finally {
      tree.cleanup();
    }
  });

  test('stdin with -, globs and several targets', () => {
    const tree = tempTree({ 'docs/a.md': `${INCIDENT.urlA()}\n`, 'docs/b.txt': `${INCIDENT.urlA()}\n`, 'src/c.py': `u = "${INCIDENT.urlB()}"\n` });
    try {
      const piped = JSON.parse(runCli(['scan', '-', '--format', 'json', '--now', NOW], { input: `hello\n${INCIDENT.urlB()}\n` }).stdout);
      assert.deepEqual(piped.findings.map((f: any) => [f.location.path, f.location.line]), [['<stdin>', 2]]);
      const globbed = JSON.parse(runCli(['scan', 'docs/*.md', 'src', '--format', 'json', '--now', NOW], { cwd: tree.dir }).stdout);
      assert.deepEqual(globbed.findings.map((f: any) => f.location.path).sort(), ['docs/a.md', 'src/c.py']);
    } finally {
      tree.cleanup();
    }
  });

  test('worker threads give the same findings as a single thread', () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 120; i++) files[`d${i % 7}/f${i}.txt`] = i % 5 === 0 ? `k\n${i % 2 ? INCIDENT.urlA() : INCIDENT.urlB()}\n` : `plain ${i}\n`;
    const tree = tempTree(files);
    try {
      const one = JSON.parse(runCli(['scan', tree.dir, '--format', 'json', '--threads', '1', '--now', NOW]).stdout);
      const two = JSON.parse(runCli(['scan', tree.dir, '--format', 'json', '--threads', '2', '--now', NOW]).stdout);
      assert.equal(one.findings.length, 24);
      assert.deepEqual(two.findings, one.findings);
    } finally {
      tree.cleanup();
    }
  });
});

/** Runs Microsoft's SARIF multitool and returns its error-level results. */
function multitoolErrors(file: string): string[] {
  const out = `${file}.validation.sarif`;
  const bin = path.join(process.cwd(), 'node_modules', '.bin', 'sarif-multitool');
  execFileSync(bin, ['validate', file, '--output', out, '--log', 'ForceOverwrite'], { stdio: 'pipe' });
  const log = JSON.parse(readFileSync(out, 'utf8'));
  return log.runs.flatMap((r: any) => (r.results ?? []).filter((x: any) => x.level === 'error').map((x: any) => `${x.ruleId}: ${x.message?.text ?? ''}`));
}
