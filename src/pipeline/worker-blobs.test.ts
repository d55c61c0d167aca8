import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Detector } from '../detect/engine.js';
import { BUILTIN_RULES } from '../detect/rules/index.js';
import { TestRepo } from '../testing/git-repo.js';
import { INCIDENT } from '../testing/tokens.js';
import { DEFAULT_BLOB_OPTIONS } from './blob-scanner.js';
import { blobReader, type BlobOutcome, type BlobRequest } from './worker-blobs.js';

describe('history blobs read and scanned in a worker', () => {
  let t: TestRepo;
  let requests: BlobRequest[];
  const detector = new Detector(BUILTIN_RULES);
  before(() => {
    t = TestRepo.init();
    t.write('leak.md', `models: ${INCIDENT.urlB()}\n`)
      .write('clean.txt', 'nothing here\n')
      .write('large.txt', 'a'.repeat(5000))
      .write('bin.dat', '\0\x01\x02binary\0');
    t.commit('2022-01-01T00:00:00Z', 'files');
    const id = (p: string) => t.head(`HEAD:${p}`);
    requests = [
      { id: id('leak.md'), path: 'leak.md' },
      { id: id('clean.txt'), path: 'clean.txt' },
      { id: '0123456789012345678901234567890123456789', path: 'gone.txt' },
      { id: id('large.txt'), path: 'large.txt' },
      { id: id('bin.dat'), path: 'bin.dat' },
    ];
  });
  after(() => t.cleanup());

  const summary = (outcomes: BlobOutcome[]) =>
    outcomes.map((o) => [o.id.slice(0, 7), o.size, o.missing ?? false, o.tooLarge ?? false, o.clean ?? false, o.result?.matches.map((m) => m.rule) ?? null, o.result?.skipped ?? null]);

  const readers = { 'named pipes': undefined, "Node's streams (no named pipes)": () => null } as const;

  for (const [name, pipes] of Object.entries(readers)) {
    it(`through ${name}: every outcome, in request order, for batches sent before the ones before are answered`, async () => {
      const reader = blobReader(detector, DEFAULT_BLOB_OPTIONS, pipes);
      try {
        const [a, b] = await Promise.all([reader.read(t.dir, 1000, requests), reader.read(t.dir, 1000, [...requests].reverse())]);
        const want = [
          [requests[0]!.id.slice(0, 7), INCIDENT.urlB().length + 9, false, false, false, ['azure-sas'], null],
          [requests[1]!.id.slice(0, 7), 13, false, false, true, null, null],
          ['0123456', 0, true, false, false, null, null],
          [requests[3]!.id.slice(0, 7), 5000, false, true, false, null, null],
          [requests[4]!.id.slice(0, 7), 10, false, false, false, [], 'binary'],
        ];
        assert.deepEqual(summary(a), want);
        assert.deepEqual(summary(b), [...want].reverse());
      } finally {
        await reader.close();
      }
    });

    it(`through ${name}: a repository git cannot read fails its batch; the next repository gets a git of its own`, async () => {
      const reader = blobReader(detector, DEFAULT_BLOB_OPTIONS, pipes);
      try {
        await assert.rejects(reader.read(path.join(t.dir, 'nowhere'), 0, requests.slice(0, 2)), /stopped early|cannot change|nowhere/);
        assert.deepEqual(
          summary(await reader.read(t.dir, 0, requests.slice(0, 2))).map((s) => s[4]),
          [false, true],
        );
      } finally {
        await reader.close();
      }
    });
  }
});
