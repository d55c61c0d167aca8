import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { runCli, tempTree } from '../testing/cli.js';
import { INCIDENT } from '../testing/tokens.js';

/**
 * The baseline is written where the user says: a configuration inside the scanned repository
 * (or a symbolic link in it) cannot send `baseline create` out of the repository, and file
 * names cannot inject lines into the baseline file.
 */
let root: string;
let repo: string;
let outside: string;
let cleanup: () => void;

beforeEach(() => {
  ({ dir: root, cleanup } = tempTree({}));
  repo = path.join(root, 'repo');
  outside = path.join(root, 'outside');
  mkdirSync(repo);
  execFileSync('git', ['init', '-q'], { cwd: repo });
  mkdirSync(outside);
  writeFileSync(path.join(outside, '.bash_profile'), 'export PATH=/usr/bin\n');
  writeFileSync(path.join(repo, 'README.md'), `model: ${INCIDENT.urlB()}\n`);
});
afterEach(() => cleanup());

describe('baseline paths', () => {
  it('a configuration naming a baseline outside the repository is refused; nothing is written there', () => {
    writeFileSync(path.join(repo, 'sasquatch.config.yaml'), 'baseline: ../outside/.bash_profile\n');
    const r = runCli(['baseline', 'create', '.', '--force'], { cwd: repo });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /invalid configuration: sasquatch\.config\.yaml: baseline: .*outside.*\.bash_profile is outside the repository/);
    assert.equal(readFileSync(path.join(outside, '.bash_profile'), 'utf8'), 'export PATH=/usr/bin\n');
    // the same configuration makes a scan fail too: it is not silently ignored
    assert.equal(runCli(['scan', '.', '--no-history'], { cwd: repo }).code, 2);
  });

  it('a baseline that is a symbolic link out of the repository is not written through', () => {
    symlinkSync(path.join(outside, '.bash_profile'), path.join(repo, '.sasquatch-baseline'));
    const r = runCli(['baseline', 'create', '.', '--force', '--no-config'], { cwd: repo });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /leads outside the repository/);
    assert.equal(readFileSync(path.join(outside, '.bash_profile'), 'utf8'), 'export PATH=/usr/bin\n');
  });

  it('a path given on the command line goes where the user says, inside the repository or not', () => {
    const target = path.join(outside, 'accepted.baseline');
    const r = runCli(['baseline', 'create', '.', '--no-config', '--output', target], { cwd: repo });
    assert.equal(r.code, 0, r.stderr);
    assert.match(readFileSync(target, 'utf8'), /azure-sas README\.md/);
    // and a configuration may name a baseline in a subdirectory of the repository
    writeFileSync(path.join(repo, 'sasquatch.config.yaml'), 'baseline: ci/.sasquatch-baseline\n');
    mkdirSync(path.join(repo, 'ci'));
    assert.equal(runCli(['baseline', 'create', '.'], { cwd: repo }).code, 0);
    assert.ok(existsSync(path.join(repo, 'ci', '.sasquatch-baseline')));
  });

  it('a file name with newlines cannot inject lines into the baseline, and is suppressed by it', () => {
    const evil = 'x\necho pwned\n# .md';
    writeFileSync(path.join(repo, evil), `link: ${INCIDENT.urlA()}\n`);
    assert.equal(runCli(['baseline', 'create', '.', '--no-config'], { cwd: repo }).code, 0);
    const lines = readFileSync(path.join(repo, '.sasquatch-baseline'), 'utf8').split('\n').filter(Boolean);
    assert.ok(!lines.some((l) => l.startsWith('echo')), lines.join('\n'));
    assert.equal(lines.filter((l) => !l.startsWith('#')).length, 2);
    const scan = runCli(['scan', '.', '--no-config', '--format', 'json'], { cwd: repo });
    assert.equal(scan.code, 0, scan.stderr);
    assert.equal((JSON.parse(scan.stdout) as { findings: unknown[]; suppressed: unknown[] }).suppressed.length, 2);
  });
});
