import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_POLICY } from '../analyze/policy.js';
import { BUILTIN_RULES } from '../detect/rules/index.js';
import { tempTree } from '../testing/cli.js';
import { TestRepo } from '../testing/git-repo.js';
import { INCIDENT, sasQuery } from '../testing/tokens.js';
import { runScan, type ScanOptions } from './scan.js';

const base = (targets: string[]): ScanOptions => ({
  targets,
  exclude: [],
  maxFileSize: 0,
  followSymlinks: false,
  threads: 1,
  showSecrets: false,
  includeExamples: false,
  now: new Date('2026-11-29T00:00:00Z'),
  policy: DEFAULT_POLICY,
  rules: BUILTIN_RULES,
});

describe('findings streamed as they are final (JSON Lines)', () => {
  it('files outside git: each finding is handed on while the walk goes on, suppressions applied', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 40; i++) files[`f${String(i).padStart(2, '0')}.txt`] = i % 10 === 0 ? `https://s${i}acct.blob.core.windows.net/c/b?${sasQuery({ sv: '2022-11-02', sr: 'b', sp: 'r', se: '2030-01-01' }, `s${i}`)}${i === 30 ? ' # sasquatch:allow' : ''}\n` : 'nothing\n';
    const tree = tempTree(files);
    try {
      let scanned = 0;
      const seenAt: number[] = [];
      const streamed: string[] = [];
      const result = await runScan({
        ...base([tree.dir]),
        onFileProgress: (p) => (scanned = p.files),
        onFinding: (f) => {
          seenAt.push(scanned);
          streamed.push(`${f.location.path}${f.suppressed ? ' (suppressed)' : ''}`);
        },
      });
      assert.deepEqual(streamed, ['f00.txt', 'f10.txt', 'f20.txt', 'f30.txt (suppressed)']);
      // handed on as each file is scanned, not when the walk of 40 files is over
      assert.deepEqual(seenAt, [0, 10, 20, 30]);
      assert.deepEqual(result.findings.map((f) => f.location.path), ['f00.txt', 'f10.txt', 'f20.txt']);
    } finally {
      tree.cleanup();
    }
  });

  it('a git work tree: each finding once, after its history is known', async () => {
    const repo = TestRepo.init('stream', '2026-01-01T00:00:00Z');
    try {
      repo.write('a.txt', `${INCIDENT.urlB()}\n`);
      repo.commit('2026-01-01T00:00:00Z', 'a');
      const streamed: { path: string; history: boolean }[] = [];
      const result = await runScan({ ...base([repo.dir]), onFinding: (f) => streamed.push({ path: f.location.path, history: Boolean(f.history) }) });
      assert.deepEqual(streamed, [{ path: 'a.txt', history: true }]);
      assert.equal(result.findings.length, 1);
    } finally {
      repo.cleanup();
    }
  });
});
