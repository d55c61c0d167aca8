import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { scanOptions } from '../cli/scan-options.js';
import { emptyConfig } from '../config/load.js';
import { TestRepo } from '../testing/git-repo.js';
import { sasQuery } from '../testing/tokens.js';
import { fingerprintsAt } from './revision.js';
import { runScan, type ScanOptions } from './scan.js';

/**
 * What an organisation scan needs from the history pipeline: read only the commits after
 * the tips an earlier scan read, or one part of a history, with presence still judged at
 * HEAD; skip blobs a store already scanned clean and say which blobs were clean; and tell
 * which findings a revision holds at some paths.
 */
const link = (seed: string, expiry = '2040-01-01T00:00:00Z') => `https://acct${seed}.blob.core.windows.net/c?${sasQuery({ sv: '2021-08-06', sr: 'c', sp: 'rl', se: expiry, spr: 'https' }, seed)}`;

function options(target: string, extra: Partial<ScanOptions> = {}): ScanOptions {
  const base = scanOptions([target], { exclude: [], threads: 1, now: new Date('2024-01-01T00:00:00Z') }, emptyConfig(), { useBaseline: false });
  return { ...base, history: { branches: [], reflog: false }, ...extra };
}

describe('history reads for incremental and split scans', () => {
  let repo: TestRepo;
  let bare: string;
  const c: Record<string, string> = {};
  before(() => {
    repo = TestRepo.init('inc', '2020-01-01T00:00:00Z');
    repo.write('a.txt', `first ${link('one')}\n`).write('clean.txt', 'nothing here\n');
    c['c1'] = repo.commit('2020-01-01T00:00:00Z', 'one');
    repo.write('b.txt', `second ${link('two')}\n`);
    c['c2'] = repo.commit('2020-02-01T00:00:00Z', 'two');
    repo.write('a.txt', 'first, removed\n').write('other.txt', 'still nothing\n');
    c['c3'] = repo.commit('2020-03-01T00:00:00Z', 'three');
    repo.write('c.txt', `third ${link('three')}\n`);
    c['c4'] = repo.commit('2020-04-01T00:00:00Z', 'four');
    bare = repo.sibling('inc.git');
    repo.git('2020-05-01T00:00:00Z', 'clone', '-q', '--bare', repo.dir, bare);
  });
  after(() => repo.cleanup());

  const files = (r: Awaited<ReturnType<typeof runScan>>) => r.findings.map((f) => f.location.path).sort();

  it('exclude: only secrets introduced after the earlier tips; a full read finds all', async () => {
    assert.deepEqual(files(await runScan(options(bare))), ['a.txt', 'b.txt', 'c.txt']);
    const after2 = await runScan(options(bare, { history: { branches: [], reflog: false, exclude: [c['c2']!] } }));
    assert.deepEqual(files(after2), ['c.txt']);
    assert.equal(after2.stats.history![0]!.commits, 2);
    const nothing = await runScan(options(bare, { history: { branches: [], reflog: false, exclude: [c['c4']!] } }));
    assert.deepEqual(files(nothing), []);
    assert.equal(nothing.stats.history![0]!.commits, 0);
  });

  it('within: one part of the history, presence judged at HEAD (a.txt was removed by a later commit)', async () => {
    const part = await runScan(options(bare, { history: { branches: [], reflog: false, within: [c['c2']!] } }));
    assert.deepEqual(files(part), ['a.txt', 'b.txt']);
    const a = part.findings.find((f) => f.location.path === 'a.txt')!;
    assert.equal(a.history?.presentAtHead, false);
    assert.equal(part.findings.find((f) => f.location.path === 'b.txt')!.history?.presentAtHead, true);
    const second = await runScan(options(bare, { history: { branches: [], reflog: false, within: [c['c4']!], exclude: [c['c2']!] } }));
    assert.deepEqual(files(second), ['c.txt']);
  });

  it('known blobs are not read; every blob scanned clean is reported, and only those', async () => {
    const clean: string[] = [];
    const full = await runScan(options(bare, { onCleanBlob: (id) => clean.push(id) }));
    const all = repo.git('2020-05-01T00:00:00Z', 'rev-list', '--objects', '--all').split('\n');
    const blobIds = (name: string) => all.filter((l) => l.endsWith(` ${name}`)).map((l) => l.split(' ')[0]!);
    const expected = [...blobIds('clean.txt'), ...blobIds('other.txt')];
    // a.txt's second version holds no secret either
    expected.push(repo.git('2020-05-01T00:00:00Z', 'rev-parse', `${c['c3']}:a.txt`));
    assert.deepEqual(clean.sort(), [...new Set(expected)].sort());
    assert.equal(full.stats.history![0]!.blobs, 6);
    const known = new Set(clean);
    const again: string[] = [];
    const second = await runScan(options(bare, { knownBlobs: known, onCleanBlob: (id) => again.push(id) }));
    assert.deepEqual(files(second), ['a.txt', 'b.txt', 'c.txt'], 'blobs with findings are always read');
    assert.equal(second.stats.history![0]!.blobs, 3);
    assert.deepEqual(again, []);
  });

  it('fingerprintsAt: the findings a revision holds per path, with the fingerprints history gives them', async () => {
    const full = await runScan(options(bare));
    const fp = (p: string) => full.findings.find((f) => f.location.path === p)!.fingerprint;
    const at = await fingerprintsAt(bare, 'HEAD', ['a.txt', 'b.txt', 'c.txt', 'gone.txt'], options(bare));
    assert.deepEqual([...at.get('b.txt')!], [fp('b.txt')]);
    assert.deepEqual([...at.get('c.txt')!], [fp('c.txt')]);
    assert.deepEqual([...at.get('a.txt')!], []);
    assert.deepEqual([...at.get('gone.txt')!], []);
    const old = await fingerprintsAt(bare, c['c1']!, ['a.txt'], options(bare));
    assert.deepEqual([...old.get('a.txt')!], [fp('a.txt')]);
  });
});
