import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { afterEach, describe, it } from 'node:test';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Finding } from '../model/finding.js';
import { makeTarGz } from '../testing/archives.js';
import { runCli } from '../testing/cli.js';
import { gitTestEnv, TestRepo } from '../testing/git-repo.js';
import { sasQuery } from '../testing/tokens.js';

interface Report {
  findings: Finding[];
  notices: { level: string; path: string; message: string }[];
  summary: { history?: { mode: string; commits: number; blobs: number }[] };
}

const NOW = '2024-01-01T00:00:00Z';

function link(seed: string, account = 'caseacct', expiry = '2030-01-01T00:00:00Z'): string {
  return `https://${account}.blob.core.windows.net/c?${sasQuery({ sv: '2021-08-06', sr: 'c', sp: 'rl', se: expiry, spr: 'https' }, seed)}`;
}

function scan(dir: string, ...args: string[]): Report {
  const r = runCli(['scan', dir, ...args, '--format', 'json', '--now', NOW, '--fail-on', 'never']);
  assert.equal(r.code, 0, `exit ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout) as Report;
}

describe('history scan: secrets across commits, paths, the stash and the index', () => {
  let repo: TestRepo;
  afterEach(() => repo.cleanup());

  it('the same secret in two files is two findings, each naming the other path', () => {
    repo = TestRepo.init();
    const secret = link('shared');
    repo.write('a.md', `see ${secret}\n`).write('sub/b.md', `x\n\n${secret}\n`);
    const c = repo.commit('2022-01-01T00:00:00Z', 'two copies');
    const r = scan(repo.dir);
    assert.deepEqual(r.findings.map((f) => [f.location.path, f.location.line, f.location.column]), [['a.md', 1, 5], ['sub/b.md', 3, 1]]);
    assert.notEqual(r.findings[0]!.fingerprint, r.findings[1]!.fingerprint);
    for (const f of r.findings) assert.equal(f.history?.introduced.commit, c);
    assert.deepEqual(r.findings[0]!.history?.otherPaths, ['sub/b.md']);
    assert.deepEqual(r.findings[1]!.history?.otherPaths, ['a.md']);
  });

  it('the same secret kept through many commits is one finding with its occurrences collapsed', () => {
    repo = TestRepo.init();
    const secret = link('kept');
    const commits: string[] = [];
    for (let i = 0; i < 12; i++) {
      repo.write('config.md', `# revision ${i}\n${'\n'.repeat(i)}storage: ${secret}\n`);
      commits.push(repo.commit(`2022-01-${String(i + 1).padStart(2, '0')}T00:00:00Z`, `revision ${i}`));
    }
    repo.remove('config.md');
    repo.commit('2022-02-01T00:00:00Z', 'gone');
    const r = scan(repo.dir);
    assert.equal(r.findings.length, 1);
    const f = r.findings[0]!;
    assert.equal(f.history?.introduced.commit, commits[0]);
    assert.equal(f.history?.commits, 12);
    assert.deepEqual(f.history?.occurrences?.map((o) => o.commit), commits.slice(1));
    assert.deepEqual([f.location.commit, f.location.line, f.location.column], [commits[0], 2, 10], 'line in the introducing blob');
    assert.equal(f.history?.presentAtHead, false);
  });

  it('copies of one secret in a file that only history held are folded into the first copy, for every rule', () => {
    repo = TestRepo.init();
    const sas = link('copies');
    const url = 'postgres://app:Vq7Lm2Xz9Kp4Rt8W@db-main.corp.internal:5432/orders';
    const text = (n: number) => `${Array.from({ length: n }, (_, i) => `sas${i}: ${sas}\ndb${i}: ${url}\n`).join('')}`;
    repo.write('config.yml', text(4));
    const first = repo.commit('2022-01-01T00:00:00Z', 'four copies');
    repo.write('config.yml', text(2));
    repo.commit('2022-02-01T00:00:00Z', 'two left');
    const r = scan(repo.dir);
    // HEAD holds two copies of each: two findings each, as a scan of the files would give; the
    // third and fourth copies lived only in history and are the first copy's story again
    assert.deepEqual(r.findings.map((f) => [f.rule, f.location.line]).sort(), [['azure-sas', 1], ['azure-sas', 3], ['basic-auth-url', 2], ['basic-auth-url', 4]]);
    for (const f of r.findings) assert.equal(f.history?.introduced.commit, first);
    assert.equal(r.findings.find((f) => f.location.line === 1)!.history?.commits, 2);
  });

  it('copies of a file under another directory or in a release archive, only in history, fold into the file HEAD holds', () => {
    repo = TestRepo.init();
    const secret = link('copied');
    repo.write('conf/app.yml', `storage: ${secret}\n`);
    const first = repo.commit('2022-01-01T00:00:00Z', 'config');
    repo.write('attic/conf/app.yml', `storage: ${secret}\n`);
    writeFileSync(path.join(repo.dir, 'app-1.0.tar.gz'), makeTarGz([{ name: 'app-1.0/conf/app.yml', data: `storage: ${secret}\n` }]));
    const copy = repo.commit('2022-02-01T00:00:00Z', 'a copy of the tree and a release');
    repo.remove('attic/conf/app.yml').remove('app-1.0.tar.gz');
    repo.commit('2022-03-01T00:00:00Z', 'drop the copies');
    const r = scan(repo.dir);
    assert.deepEqual(r.findings.map((f) => f.location.path), ['conf/app.yml']);
    const h = r.findings[0]!.history!;
    assert.equal(h.introduced.commit, first);
    assert.deepEqual(h.occurrences?.map((o) => [o.commit, o.path]).sort(), [[copy, 'app-1.0.tar.gz!app-1.0/conf/app.yml'], [copy, 'attic/conf/app.yml']]);
    assert.equal(h.commits, 2);
    assert.deepEqual(h.otherPaths, ['app-1.0.tar.gz!app-1.0/conf/app.yml', 'attic/conf/app.yml']);
    // a different file with the same secret is not a copy: it stays its own finding
    repo.write('notes.md', `old link: ${secret}\n`);
    repo.commit('2022-04-01T00:00:00Z', 'notes');
    repo.remove('notes.md');
    repo.commit('2022-05-01T00:00:00Z', 'no notes');
    assert.deepEqual(scan(repo.dir).findings.map((f) => f.location.path).sort(), ['conf/app.yml', 'notes.md']);
  });

  it('a secret removed and put back later is still one finding, introduced by the first commit', () => {
    repo = TestRepo.init();
    const secret = link('again');
    repo.write('a.txt', `${secret}\n`);
    const first = repo.commit('2021-01-01T00:00:00Z', 'add');
    repo.write('a.txt', 'nothing\n');
    repo.commit('2021-02-01T00:00:00Z', 'remove');
    repo.write('a.txt', `back\n${secret}\n`);
    const again = repo.commit('2021-03-01T00:00:00Z', 'put back');
    const f = scan(repo.dir).findings;
    assert.equal(f.length, 1);
    assert.equal(f[0]!.history?.introduced.commit, first);
    assert.deepEqual(f[0]!.history?.occurrences?.map((o) => o.commit), [again]);
    assert.equal(f[0]!.history?.presentAtHead, true);
    assert.deepEqual([f[0]!.location.line, f[0]!.location.commit], [2, undefined], 'on disk: the line where it is now');
  });

  it('two identical links in one file stay two findings while HEAD holds both; a copy only history held is folded', () => {
    repo = TestRepo.init();
    const secret = link('twice');
    repo.write('a.txt', `one ${secret}\ntwo ${secret}\n`);
    const add = repo.commit('2021-01-01T00:00:00Z', 'add');
    assert.deepEqual(scan(repo.dir).findings.map((x) => [x.location.line, x.history?.presentAtHead]), [[1, true], [2, true]]);
    repo.write('a.txt', `one ${secret}\n`);
    const drop = repo.commit('2021-02-01T00:00:00Z', 'drop the second');
    const f = scan(repo.dir).findings;
    assert.deepEqual(f.map((x) => [x.location.line, x.history?.presentAtHead, x.history?.introduced.commit]), [[1, true, add]]);
    assert.deepEqual(f[0]!.history?.occurrences?.map((o) => o.commit), [drop]);
  });

  it('the stash, including an older entry, is scanned', () => {
    repo = TestRepo.init();
    repo.write('app.yaml', 'storage: none\n');
    repo.commit('2022-01-01T00:00:00Z', 'config');
    repo.write('app.yaml', `storage: ${link('stash-old')}\n`);
    repo.git('2022-01-02T00:00:00Z', 'stash', 'push', '-q', '-m', 'old');
    repo.write('app.yaml', `storage: ${link('stash-new')}\n`);
    repo.git('2022-01-03T00:00:00Z', 'stash', 'push', '-q', '-m', 'new');
    const r = scan(repo.dir);
    assert.equal(r.findings.length, 2);
    const refs = r.findings.map((f) => f.history?.presentInRefs).sort();
    assert.deepEqual(refs, [['refs/stash'], ['stash@{1}']]);
    for (const f of r.findings) {
      assert.equal(f.history?.presentAtHead, false);
      assert.equal(f.history?.removed, null);
    }
  });

  it('a file never committed is marked uncommitted; a committed secret deleted on disk is reported from history', () => {
    repo = TestRepo.init();
    repo.write('kept.md', `${link('committed')}\n`);
    const c = repo.commit('2022-01-01T00:00:00Z', 'add');
    repo.write('kept.md', 'edited away, not committed yet\n');
    repo.write('local.yaml', `x: ${link('local-only')}\n`);
    const r = scan(repo.dir);
    const local = r.findings.find((f) => f.location.path === 'local.yaml')!;
    assert.equal(local.location.uncommitted, true);
    assert.equal(local.history, undefined);
    const kept = r.findings.find((f) => f.location.path === 'kept.md')!;
    assert.equal(kept.history?.presentAtHead, true);
    assert.equal(kept.location.commit, c, 'not on disk: the location is the committed blob');
    const text = runCli(['scan', repo.dir, '--now', NOW, '--fail-on', 'never']).stdout;
    assert.match(text, /local\.yaml\n {2}1:4 .*\(not committed\)/);
  });

  it('--reflog finds a secret amended away; the default scan does not', () => {
    repo = TestRepo.init();
    repo.write('a.md', `${link('amended')}\n`);
    const leaked = repo.commit('2022-01-01T00:00:00Z', 'oops');
    repo.write('a.md', 'clean\n');
    repo.git('2022-01-01T00:05:00Z', 'commit', '-q', '-a', '--amend', '-m', 'clean');
    assert.equal(scan(repo.dir).findings.length, 0);
    const r = scan(repo.dir, '--reflog');
    assert.equal(r.findings.length, 1);
    assert.equal(r.findings[0]!.history?.introduced.commit, leaked);
    assert.equal(r.findings[0]!.history?.presentAtHead, false);
  });

  it('--exclude applies to history as it does to files on disk', () => {
    repo = TestRepo.init();
    repo.write('test/fixtures/links.md', `${link('fixture')}\n`).write('docs/real.md', `${link('real')}\n`).write('notes.txt', `${link('txt')}\n`);
    repo.commit('2022-01-01T00:00:00Z', 'add');
    repo.remove('test/fixtures/links.md').remove('notes.txt');
    repo.commit('2022-01-02T00:00:00Z', 'remove');
    assert.deepEqual(scan(repo.dir).findings.map((f) => f.location.path), ['docs/real.md', 'notes.txt', 'test/fixtures/links.md']);
    assert.deepEqual(scan(repo.dir, '--exclude', 'fixtures', '--exclude', '*.txt').findings.map((f) => f.location.path), ['docs/real.md']);
  });

  it('a partial clone: nothing is downloaded to read its history', () => {
    repo = TestRepo.init();
    repo.git('2022-01-01T00:00:00Z', 'config', 'uploadpack.allowFilter', 'true');
    repo.write('old.md', `${link('partial')}\n`);
    repo.commit('2022-01-01T00:00:00Z', 'add');
    repo.remove('old.md');
    repo.commit('2022-01-02T00:00:00Z', 'remove');
    const clone = repo.sibling('partial');
    repo.git('2022-01-03T00:00:00Z', 'clone', '-q', '--filter=blob:none', pathToFileURL(repo.dir).href, clone);
    const objects = () => execFileSync('git', ['-C', clone, 'count-objects', '-v'], { encoding: 'utf8' });
    const before = objects();
    const r = scan(clone);
    assert.equal(objects(), before, 'no object was fetched');
    assert.ok(r.notices.some((n) => n.level === 'warning' && /partial clone/.test(n.message)), JSON.stringify(r.notices));
  });

  it('--history is accepted (it is the default)', () => {
    repo = TestRepo.init();
    repo.write('a.md', `${link('flag')}\n`);
    repo.commit('2022-01-01T00:00:00Z', 'add');
    assert.equal(scan(repo.dir, '--history').findings[0]!.history?.presentAtHead, true);
  });

  it('an empty repository (no commits yet) scans its files and says they are uncommitted', () => {
    repo = TestRepo.init();
    repo.write('a.md', `${link('unborn')}\n`);
    const r = scan(repo.dir);
    assert.equal(r.findings.length, 1);
    assert.equal(r.findings[0]!.location.uncommitted, true);
    assert.equal(r.summary.history?.[0]?.commits, 0);
  });
});

describe('scan --staged (pre-commit)', () => {
  let repo: TestRepo;
  afterEach(() => repo.cleanup());

  it('reports what the staged changes add, at its line in the staged file', () => {
    repo = TestRepo.init();
    const old = link('already-committed');
    repo.write('settings.md', `# settings\n${old}\n`);
    repo.commit('2022-01-01T00:00:00Z', 'settings');
    const added = link('newly-staged');
    repo.write('settings.md', `# settings\n${old}\n\nbackup: ${added}\n`);
    repo.write('new.md', `${link('new-file')}\n`);
    repo.git('2022-01-02T00:00:00Z', 'add', 'settings.md', 'new.md');
    // what is on disk differs from what is staged: the staged lines count
    repo.write('settings.md', `moved down\n\n\n# settings\n${old}\n\nbackup: ${added}\n`);
    repo.write('unstaged.md', `${link('not-staged')}\n`);
    const r = scan(repo.dir, '--staged');
    assert.deepEqual(r.findings.map((f) => [f.location.path, f.location.line, f.location.column]), [['new.md', 1, 1], ['settings.md', 4, 9]]);
    for (const f of r.findings) assert.equal(f.history, undefined);
    assert.equal(r.summary.history?.[0]?.mode, 'staged');
  });

  it('exits 1 on findings so a hook blocks the commit, 0 when clean', () => {
    repo = TestRepo.init();
    repo.write('a.md', 'clean\n');
    repo.git('2022-01-01T00:00:00Z', 'add', 'a.md');
    assert.equal(runCli(['scan', repo.dir, '--staged', '--now', NOW]).code, 0);
    repo.write('a.md', `${link('hook')}\n`);
    repo.git('2022-01-01T00:00:00Z', 'add', 'a.md');
    const r = runCli(['scan', repo.dir, '--staged', '--now', NOW]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /a\.md\n {2}1:1 /);
  });

  it('works as a pre-commit hook: git commit is refused while a secret is staged', () => {
    repo = TestRepo.init();
    repo.write('a.md', 'clean\n');
    repo.commit('2022-01-01T00:00:00Z', 'init');
    const cli = new URL('../bundle/main.js', import.meta.url).pathname;
    repo.write('.git/hooks/pre-commit', `#!/bin/sh\nexec "${process.execPath}" "${cli}" scan . --staged --quiet --now ${NOW}\n`);
    execFileSync('chmod', ['+x', `${repo.dir}/.git/hooks/pre-commit`]);
    repo.write('a.md', `${link('blocked')}\n`);
    assert.throws(() =>
      execFileSync('git', ['commit', '-q', '-am', 'leak'], { cwd: repo.dir, env: { ...gitTestEnv('2022-01-02T00:00:00Z'), NO_COLOR: '1' }, stdio: 'pipe' }),
    );
    assert.equal(repo.git('2022-01-02T00:00:00Z', 'log', '--format=%s'), 'init');
  });

  it('--staged with a history selector is a usage error', () => {
    repo = TestRepo.init();
    const r = runCli(['scan', repo.dir, '--staged', '--branch', 'main']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--staged scans the index/);
  });
});
