import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { Finding } from '../model/finding.js';
import { runCli } from '../testing/cli.js';
import { TestRepo } from '../testing/git-repo.js';
import { INCIDENT, sasQuery } from '../testing/tokens.js';
import { buildIncidentRepo, EXPIRY, type IncidentRepo } from './history-fixture.js';

interface Report {
  findings: Finding[];
  notices: { level: string; path: string; message: string }[];
  summary: { history?: { commits: number; blobs: number; shallow: boolean; bare: boolean }[] };
}

const NOW = '2024-01-01T00:00:00Z';

function scanJson(args: string[], env?: NodeJS.ProcessEnv): Report {
  const r = runCli(['scan', ...args, '--format', 'json', '--now', NOW, '--fail-on', 'never'], { env });
  assert.equal(r.code, 0, `exit ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout) as Report;
}

function byExpiry(report: Report, expiry: string): Finding[] {
  return report.findings.filter((f) => f.grant?.expiry === expiry);
}

function one(report: Report, expiry: string): Finding {
  const found = byExpiry(report, expiry);
  assert.equal(found.length, 1, `expected one finding expiring ${expiry}, got ${found.length}: ${found.map((f) => f.location.path).join(', ')}`);
  return found[0]!;
}

describe('history scan of the re-enacted 2023 incident', () => {
  let fx: IncidentRepo;
  let report: Report;
  before(() => {
    fx = buildIncidentRepo();
    report = scanJson([fx.repo.dir]);
  });
  after(() => fx.repo.cleanup());

  it('reports each link once per path', () => {
    const keys = report.findings.map((f) => `${f.location.path} ${f.grant?.expiry}`).sort();
    assert.deepEqual(keys, [
      `README.md ${EXPIRY.a}`,
      `README.md ${EXPIRY.b}`,
      `config/settings.json ${EXPIRY.leak}`,
      `docs/data.md ${EXPIRY.data}`,
      `notes.txt ${EXPIRY.notes}`,
    ]);
  });

  it('token A: introduced by the 2020 commit, replaced (removed) by the 2021 one, at its line in that blob', () => {
    const a = one(report, EXPIRY.a);
    assert.equal(a.history?.introduced.commit, fx.c.c1);
    assert.equal(a.history?.introduced.date, '2020-07-20T10:00:00Z');
    assert.equal(a.history?.introduced.author, 'Alice <alice@example.org>');
    assert.equal(a.history?.presentAtHead, false);
    assert.equal(a.history?.removed?.commit, fx.c.c2);
    assert.deepEqual([a.location.commit, a.location.date, a.location.line, a.location.column], [fx.c.c1, '2020-07-20T10:00:00Z', 5, 11]);
    assert.equal(a.severity, 'low');
    assert.equal(a.history?.exposure?.stillValidAfterRemoval, false);
    assert.equal(a.history?.exposure?.until, '2021-10-05T15:06:23Z');
  });

  it('token B: introduced 2021, removed 2023, still valid — said plainly, and still in the tag and the old branch', () => {
    const b = one(report, EXPIRY.b);
    assert.equal(b.history?.introduced.commit, fx.c.c2);
    assert.equal(b.history?.introduced.date, '2021-10-06T09:00:00Z');
    assert.equal(b.history?.presentAtHead, false);
    assert.equal(b.history?.removed?.commit, fx.c.c3);
    assert.equal(b.history?.removed?.date, '2023-07-07T12:00:00Z');
    assert.deepEqual([b.location.line, b.location.column], [7, 11], 'line and column of token B in the 2021 blob');
    assert.ok(b.reasons.includes('removed 2023-07-07, still valid until 2051-10-06: removing it from the repository did not revoke it'), b.reasons.join('\n'));
    assert.equal(b.history?.exposure?.stillValidAfterRemoval, true);
    assert.equal(b.history?.exposure?.from, '2021-10-06T09:00:00Z');
    // the feature branch forked from the 2021 commit: its tip still has the README with token B
    assert.deepEqual(b.history?.presentInRefs, ['refs/heads/feature', 'refs/tags/v1.0']);
    assert.equal(b.severity, 'critical');
  });

  it('a link added on a branch and merged: introduced by the branch commit, present at HEAD, found on disk', () => {
    const d = one(report, EXPIRY.data);
    assert.equal(d.location.path, 'docs/data.md');
    assert.equal(d.history?.introduced.commit, fx.c.f1, 'the branch commit, not the merge');
    assert.equal(d.history?.introduced.author, 'Bob <bob@example.org>');
    assert.equal(d.history?.presentAtHead, true);
    assert.equal(d.history?.removed, null);
    assert.equal(d.location.commit, undefined, 'location is the file on disk');
    assert.deepEqual([d.location.line, d.location.column], [3, 11]);
    assert.equal(d.severity, 'medium');
  });

  it('a file added then deleted: removed by the deletion, and raised because the link is still valid', () => {
    const n = one(report, EXPIRY.notes);
    assert.equal(n.history?.introduced.commit, fx.c.n1);
    assert.equal(n.history?.removed?.commit, fx.c.n2);
    assert.equal(n.history?.presentAtHead, false);
    assert.deepEqual([n.location.commit, n.location.line, n.location.column], [fx.c.n1, 2, 1]);
    // medium on its own (see the merged link above, same shape): one level up for "removed but valid"
    assert.equal(n.severity, 'high');
    assert.ok(n.reasons.some((r) => r.startsWith('removed 2022-03-02, still valid until 2035-01-01')));
    assert.equal(n.history?.exposure?.from, '2022-03-01T08:00:00Z');
  });

  it('a link on an unmerged branch: not at HEAD, not removed, still at the tip of that branch', () => {
    const l = one(report, EXPIRY.leak);
    assert.equal(l.history?.introduced.commit, fx.c.l1);
    assert.equal(l.history?.introduced.author, 'Mallory <mallory@example.org>');
    assert.equal(l.history?.presentAtHead, false);
    assert.equal(l.history?.removed, null);
    assert.deepEqual(l.history?.presentInRefs, ['refs/heads/leak']);
    assert.deepEqual([l.location.line, l.location.column], [2, 15]);
  });

  it('fingerprints do not depend on commits: the same as a scan of the files alone', () => {
    const filesOnly = scanJson([fx.repo.dir, '--no-history']);
    assert.deepEqual(
      filesOnly.findings.map((f) => f.fingerprint),
      [one(report, EXPIRY.data).fingerprint],
    );
    assert.equal(filesOnly.findings[0]!.history, undefined);
    assert.equal(filesOnly.summary.history, undefined);
  });

  it('text and SARIF show the history', () => {
    const text = runCli(['scan', fx.repo.dir, '--now', NOW, '--fail-on', 'never']);
    assert.match(text.stdout, /history: introduced 2021-10-06 in [0-9a-f]{10} by Alice <alice@example.org> · removed 2023-07-07 in [0-9a-f]{10}, STILL VALID until 2051-10-06/);
    assert.match(text.stdout, /history: 8 commits, \d+ unique blobs/);
    const sarif = JSON.parse(runCli(['scan', fx.repo.dir, '--now', NOW, '--fail-on', 'never', '--format', 'sarif']).stdout) as {
      runs: { results: { partialFingerprints: Record<string, string>; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[]; properties: { history?: unknown; commit?: string }; message: { text: string } }[] }[];
    };
    const results = sarif.runs[0]!.results;
    assert.equal(results.length, 5);
    for (const r of results) {
      assert.ok(r.partialFingerprints['sasquatch/v1']);
      assert.ok(r.locations[0]!.physicalLocation.artifactLocation.uri);
      assert.ok(r.locations[0]!.physicalLocation.region.startLine >= 1);
      assert.ok(r.properties.history);
    }
    const notes = results.find((r) => r.locations[0]!.physicalLocation.artifactLocation.uri === 'notes.txt')!;
    assert.equal(notes.properties.commit, fx.c.n1);
    assert.match(notes.message.text, /Line 2 of notes.txt as of commit [0-9a-f]{12}/);
  });
});

describe('history scan: repository shapes and selections', () => {
  let fx: IncidentRepo;
  before(() => {
    fx = buildIncidentRepo();
  });
  after(() => fx.repo.cleanup());

  it('a bare repository: history only, the same findings', () => {
    const bare = fx.repo.sibling('bare.git');
    fx.repo.git('2024-01-01T00:00:00Z', 'clone', '-q', '--bare', fx.repo.dir, bare);
    const r = scanJson([bare]);
    assert.equal(r.findings.length, 5);
    const d = one(r, EXPIRY.data);
    assert.equal(d.history?.presentAtHead, true);
    assert.equal(d.location.commit, fx.c.f1, 'no work tree: the location is the introducing blob');
    assert.equal(r.summary.history?.[0]?.bare, true);
    assert.deepEqual(one(r, EXPIRY.leak).history?.presentInRefs, ['refs/heads/leak']);
  });

  it('a shallow clone says so, and marks introductions at its boundary', () => {
    const shallow = fx.repo.sibling('shallow');
    fx.repo.git('2024-01-01T00:00:00Z', 'clone', '-q', '--depth', '1', '--no-local', pathToFileURL(fx.repo.dir).href, shallow);
    const r = scanJson([shallow]);
    assert.ok(r.notices.some((n) => n.level === 'warning' && /shallow clone/.test(n.message)), JSON.stringify(r.notices));
    assert.equal(r.summary.history?.[0]?.shallow, true);
    const d = one(r, EXPIRY.data);
    assert.equal(d.history?.introduced.commit, fx.c.c3, 'the boundary commit is as far back as the clone goes');
    assert.equal(d.history?.introduced.atShallowBoundary, true);
    assert.equal(d.history?.presentAtHead, true);
    const text = runCli(['scan', shallow, '--now', NOW, '--fail-on', 'never']);
    assert.match(text.stdout, /warning: .*shallow clone: history starts at 1 boundary commit/);
    assert.match(text.stdout, /shallow clone boundary: may be older/);
  });

  it('a file:// URL is cloned as a temporary mirror and removed afterwards', () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'sasquatch-tmpdir-'));
    try {
      const r = scanJson([pathToFileURL(fx.repo.dir).href], { TMPDIR: tmp });
      assert.equal(r.findings.length, 5);
      assert.equal(one(r, EXPIRY.b).history?.introduced.commit, fx.c.c2);
      assert.equal(one(r, EXPIRY.data).history?.presentAtHead, true);
      assert.deepEqual(readdirSync(tmp), [], 'the temporary clone is gone');
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('a URL that cannot be cloned is an error, and leaves nothing behind', () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'sasquatch-tmpdir-'));
    try {
      const r = runCli(['scan', pathToFileURL(fx.repo.sibling('nope')).href, '--now', NOW], { env: { TMPDIR: tmp } });
      assert.equal(r.code, 2);
      assert.match(r.stdout, /cannot clone/);
      assert.deepEqual(readdirSync(tmp), []);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('--since: only secrets introduced by later commits; the files on disk are not walked', () => {
    const r = scanJson([fx.repo.dir, '--since', '2022-01-01']);
    const keys = r.findings.map((f) => f.location.path).sort();
    assert.deepEqual(keys, ['config/settings.json', 'docs/data.md', 'notes.txt']);
    assert.equal(one(r, EXPIRY.data).location.commit, fx.c.f1);
    assert.equal(one(r, EXPIRY.data).history?.presentAtHead, true);
  });

  it('--branch: that ref only; presentAtHead is judged at its tip', () => {
    const r = scanJson([fx.repo.dir, '--branch', 'v1.0']);
    assert.deepEqual(r.findings.map((f) => f.grant?.expiry).sort(), [EXPIRY.a, EXPIRY.b].sort());
    assert.equal(one(r, EXPIRY.b).history?.presentAtHead, true);
    assert.equal(one(r, EXPIRY.b).history?.removed, null);
    assert.equal(one(r, EXPIRY.a).history?.removed?.commit, fx.c.c2);

    const leak = scanJson([fx.repo.dir, '--branch', 'leak']);
    assert.equal(one(leak, EXPIRY.leak).history?.presentAtHead, true);
    assert.equal(one(leak, EXPIRY.b).history?.removed?.commit, fx.c.c3);
  });

  it('--branch with an unknown ref is a usage error', () => {
    const r = runCli(['scan', fx.repo.dir, '--branch', 'no-such-branch']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--branch no-such-branch: no such branch, tag or commit/);
  });

  it('--since-commit: only what came after that commit', () => {
    const r = scanJson([fx.repo.dir, '--since-commit', fx.c.c3]);
    assert.deepEqual(r.findings.map((f) => f.location.path), ['config/settings.json']);
    const r2 = scanJson([fx.repo.dir, '--since-commit', fx.c.n1]);
    assert.deepEqual(r2.findings.map((f) => f.location.path), ['config/settings.json'], 'notes.txt was introduced by n1 itself, before the range');
  });

  it('--no-history with a history selector is a usage error', () => {
    const r = runCli(['scan', fx.repo.dir, '--no-history', '--since', '2022-01-01']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--since selects history; it cannot be combined with --no-history/);
  });

  it('a directory inside a work tree: that part of history, paths from the repository root', () => {
    const r = scanJson([path.join(fx.repo.dir, 'docs')]);
    assert.deepEqual(r.findings.map((f) => f.location.path), ['docs/data.md']);
    assert.equal(r.findings[0]!.history?.introduced.commit, fx.c.f1);
    assert.equal(r.findings[0]!.location.commit, undefined);
  });

  it('the repository among other targets: paths carry where each is (from the directory they share), and git internals are not walked', () => {
    const bareTarget = fx.repo.sibling('bare2.git');
    fx.repo.git('2024-01-01T00:00:00Z', 'clone', '-q', '--bare', fx.repo.dir, bareTarget);
    const r = scanJson([fx.repo.dir, bareTarget]);
    const paths = r.findings.map((f) => f.location.path);
    assert.equal(paths.length, 10);
    assert.ok(paths.includes(`${path.basename(fx.repo.dir)}/docs/data.md`), paths.join('\n'));
    assert.ok(paths.includes('bare2.git/docs/data.md'), paths.join('\n'));
    assert.ok(!paths.some((p) => p.includes('/objects/')));
  });
});

describe('history scan on worker threads (more blobs than the main thread reads alone)', () => {
  let t: TestRepo;
  const url = (i: number) => `${INCIDENT.host}/c${i}/m.bin?${sasQuery({ sv: '2020-08-04', sr: 'c', sp: 'rl', se: `20${30 + (i % 20)}-01-01T00:00:00Z`, spr: 'https' }, `w${i}`)}`;
  before(() => {
    t = TestRepo.init();
    // 320 files in the first commit (the workers take over after 256 blobs), links in every tenth
    for (let i = 0; i < 320; i++) t.write(`d${i % 9}/f${i}.md`, i % 10 === 0 ? `data: ${url(i)}\n` : `notes ${i}\n${'lorem ipsum '.repeat(i)}\n`);
    t.commit('2021-01-01T00:00:00Z', 'many files');
    t.write('d1/f10.md', 'moved out\n').write('late.md', `late: ${url(999)}\n`);
    t.commit('2022-01-01T00:00:00Z', 'one link removed, one added');
  });
  after(() => t.cleanup());

  it('the same findings, introductions and presence at HEAD as one thread', () => {
    const one = scanJson([t.dir, '--threads', '1']);
    const two = scanJson([t.dir, '--threads', '2']);
    assert.equal(two.summary.history?.[0]?.blobs, 322);
    assert.deepEqual(two.findings, one.findings);
    const shape = (f: Finding) => [f.location.path, f.history?.presentAtHead];
    assert.equal(one.findings.length, 33);
    assert.deepEqual(one.findings.filter((f) => f.location.path === 'd1/f10.md').map(shape), [['d1/f10.md', false]]);
    assert.deepEqual(one.findings.filter((f) => f.location.path === 'late.md').map(shape), [['late.md', true]]);
  });
});
