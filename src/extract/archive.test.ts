import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import type { Notice } from '../sources/types.js';
import { makeTar, makeTarGz, makeZip } from '../testing/archives.js';
import { archiveKind, archiveMembers, DEFAULT_ARCHIVE_LIMITS, newBudget, type ArchiveLimits } from './archive.js';

function read(bytes: Buffer, path: string, limits: Partial<ArchiveLimits> = {}) {
  const l = { ...DEFAULT_ARCHIVE_LIMITS, ...limits };
  const notices: Notice[] = [];
  const kind = archiveKind(path, bytes);
  assert.ok(kind, `${path} not recognised as an archive`);
  const members = [...archiveMembers(kind, path, bytes, l, newBudget(l), notices)].map((m) => [m.name, m.bytes.toString('utf8')]);
  return { kind, members, notices };
}

test('zip: stored and deflated members, UTF-8 names, directories skipped', () => {
  const zip = makeZip([
    { name: 'a.txt', data: 'alpha', method: 0 },
    { name: 'dir/', data: '' },
    { name: 'dir/βeta.env', data: 'KEY=value\n'.repeat(100) },
  ]);
  const r = read(zip, 'bundle.zip');
  assert.equal(r.kind, 'zip');
  assert.deepEqual(r.members.map((m) => m[0]), ['a.txt', 'dir/βeta.env']);
  assert.equal(r.members[1]![1], 'KEY=value\n'.repeat(100));
  assert.deepEqual(r.notices, []);
});

test('zip: ZIP64 sizes and offsets are read from the extra field', () => {
  const r = read(makeZip([{ name: 'x.txt', data: 'sixty-four' }, { name: 'y.txt', data: 'bits' }], { zip64: true }), 'big.zip');
  assert.deepEqual(r.members, [['x.txt', 'sixty-four'], ['y.txt', 'bits']]);
});

test('zip: encrypted and unsupported members become notices, the rest is read', () => {
  const r = read(
    makeZip([
      { name: 'locked.txt', data: 'x', encrypted: true },
      { name: 'bz.txt', data: 'x', method: 12 },
      { name: 'ok.txt', data: 'fine' },
    ]),
    'mixed.zip',
  );
  assert.deepEqual(r.members, [['ok.txt', 'fine']]);
  assert.deepEqual(r.notices.map((n) => [n.path, n.skipped]), [
    ['mixed.zip!locked.txt', 'decode-error'],
    ['mixed.zip!bz.txt', 'decode-error'],
  ]);
  assert.match(r.notices[1]!.message, /bzip2/);
});

test('zip bomb: a member declared too large is skipped unread; one that lies is cut off while inflating', () => {
  const honest = read(makeZip([{ name: 'big.txt', data: Buffer.alloc(8 << 20, 0x41) }]), 'big.zip', { maxMemberBytes: 1 << 20 });
  assert.deepEqual(honest.members, []);
  assert.match(honest.notices[0]!.message, /exceeds the 1048576-byte member limit/);
  const bomb = makeZip([{ name: 'zeros.txt', data: Buffer.alloc(8 << 20, 0x41), declaredSize: 1000 }]);
  assert.ok(bomb.length < 64 << 10);
  const r = read(bomb, 'bomb.zip', { maxMemberBytes: 1 << 20 });
  assert.deepEqual(r.members, []);
  assert.equal(r.notices[0]!.skipped, 'archive-limit');
  assert.match(r.notices[0]!.message, /inflates to more than 1048576 bytes/);
});

test('limits: member count and total bytes stop reading with one notice', () => {
  const many = makeZip(Array.from({ length: 10 }, (_, i) => ({ name: `f${i}.txt`, data: `file ${i}` })));
  const byCount = read(many, 'many.zip', { maxMembers: 3 });
  assert.equal(byCount.members.length, 3);
  assert.equal(byCount.notices.length, 1);
  assert.match(byCount.notices[0]!.message, /3 members/);
  const bySize = read(makeZip([{ name: 'a', data: 'x'.repeat(100) }, { name: 'b', data: 'y'.repeat(100) }, { name: 'c', data: 'z' }]), 'sz.zip', { maxTotalBytes: 150 });
  assert.equal(bySize.members.length, 1);
  assert.match(bySize.notices.at(-1)!.message, /extracted bytes/);
});

test('truncated zip: a warning, not a crash', () => {
  const zip = makeZip([{ name: 'a.txt', data: 'hello' }]);
  const notices: Notice[] = [];
  const cut = zip.subarray(0, zip.length - 30);
  const kind = archiveKind('cut.zip', cut)!;
  assert.deepEqual([...archiveMembers(kind, 'cut.zip', cut, DEFAULT_ARCHIVE_LIMITS, newBudget(DEFAULT_ARCHIVE_LIMITS), notices)], []);
  assert.equal(notices[0]!.skipped, 'decode-error');
});

test('tar, tar.gz and plain gzip: members under the archive path', () => {
  const long = `${'deep/'.repeat(30)}secret.env`;
  const tar = makeTar([
    { name: 'a.txt', data: 'alpha' },
    { name: long, data: 'long name' },
  ]);
  assert.deepEqual(read(tar, 'x.tar').members, [['a.txt', 'alpha'], [long, 'long name']]);
  const tgz = read(makeTarGz([{ name: 'conf/app.env', data: 'A=1' }]), 'release.tgz');
  assert.equal(tgz.kind, 'gzip');
  assert.deepEqual(tgz.members, [['conf/app.env', 'A=1']]);
  const gz = read(gzipSync(Buffer.from('log line')), 'logs/app.log.gz');
  assert.deepEqual(gz.members, [['app.log', 'log line']]);
});

test('recognised by content, not name: a random binary is not an archive', () => {
  assert.equal(archiveKind('data.zip', Buffer.from('not a zip at all')), null);
  assert.equal(archiveKind('x.bin', makeZip([{ name: 'a', data: 'b' }])), 'zip');
  const noise = Buffer.alloc(2048, 7);
  assert.equal(archiveKind('noise.tar', noise), null);
});
