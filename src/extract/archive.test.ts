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

test('truncated zip: the central directory is lost, the members are recovered from their local headers', () => {
  const zip = makeZip([
    { name: 'a.txt', data: 'hello' },
    { name: 'b.txt', data: 'world '.repeat(50) },
  ]);
  const cut = read(zip.subarray(0, zip.length - 30), 'cut.zip');
  assert.deepEqual(cut.members, [
    ['a.txt', 'hello'],
    ['b.txt', 'world '.repeat(50)],
  ]);
  assert.deepEqual(cut.notices.map((n) => [n.path, n.skipped]), [['cut.zip', 'archive-cut']]);
  assert.match(cut.notices[0]!.message, /central directory unreadable.*recovered from their local headers/);
});

test('zip cut inside a member: the members before it whole, that one as far as it goes, each cut said', () => {
  const tail = 'SECRET-AT-THE-START '.repeat(5) + 'x'.repeat(5000);
  const zip = makeZip([
    { name: 'first.txt', data: 'first member' },
    { name: 'stored.txt', data: tail, method: 0 },
  ]);
  const r = read(zip.subarray(0, zip.indexOf('SECRET-AT-THE-START') + 400), 'cut.zip');
  assert.deepEqual(r.members[0], ['first.txt', 'first member']);
  assert.equal(r.members[1]![0], 'stored.txt');
  assert.match(r.members[1]![1]!, /^SECRET-AT-THE-START/);
  assert.ok(r.notices.some((n) => n.path === 'cut.zip!stored.txt' && n.skipped === 'archive-cut'), JSON.stringify(r.notices));
  // deflated: inflated as far as the bytes go
  const deflated = makeZip([{ name: 'd.txt', data: `${'line of text\n'.repeat(2000)}` }]);
  const d = read(deflated.subarray(0, 300), 'd.zip');
  assert.equal(d.members[0]![0], 'd.txt');
  assert.ok(d.members[0]![1]!.startsWith('line of text\nline of text'));
});

test('zip: a damaged local header costs that member, not the others', () => {
  const zip = makeZip([
    { name: 'a.txt', data: 'alpha' },
    { name: 'b.txt', data: 'bravo' },
    { name: 'c.txt', data: 'charlie' },
  ]);
  const bad = Buffer.from(zip);
  bad.writeUInt32LE(0xdeadbeef, bad.indexOf('b.txt') - 30);
  const r = read(bad, 'bad.zip');
  assert.deepEqual(r.members, [
    ['a.txt', 'alpha'],
    ['c.txt', 'charlie'],
  ]);
  assert.deepEqual(r.notices.map((n) => [n.path, n.skipped]), [['bad.zip!b.txt', 'archive-cut']]);
});

test('tar: members before a bad header are read, reading goes on at the next valid header', () => {
  const tar = makeTar([
    { name: 'one.txt', data: 'first' },
    { name: 'two.txt', data: 'second' },
    { name: 'three.txt', data: 'third' },
  ]);
  const bad = Buffer.from(tar);
  bad.write('garbage!', 512 * 2 + 148); // two.txt's header checksum
  const r = read(bad, 'bad.tar');
  assert.deepEqual(r.members, [
    ['one.txt', 'first'],
    ['three.txt', 'third'],
  ]);
  assert.equal(r.notices.length, 1);
  assert.equal(r.notices[0]!.skipped, 'archive-cut');
  assert.match(r.notices[0]!.message, /bad header at offset 1024: skipped to the next valid header at offset 2048/);
});

test('tar: a header claiming 2^33 bytes is damage, not the end: the members around it are read', () => {
  const tar = makeTar([
    { name: 'one.txt', data: 'first' },
    { name: 'huge.bin', data: 'claims too much' },
    { name: 'three.txt', data: 'third' },
  ]);
  const bad = Buffer.from(tar);
  const h = 512 * 2;
  // GNU base-256 size: 2^33
  bad.fill(0, h + 124, h + 136);
  bad[h + 124] = 0x80;
  bad[h + 131] = 0x02;
  let sum = 0;
  bad.fill(0x20, h + 148, h + 156);
  for (let i = h; i < h + 512; i++) sum += bad[i]!;
  bad.write(`${sum.toString(8).padStart(6, '0')}\0 `, h + 148);
  const r = read(bad, 'huge.tar');
  assert.deepEqual(r.members.map((m) => m[0]), ['one.txt', 'huge.bin', 'three.txt']);
  assert.match(r.members[1]![1]!, /^claims too much/);
  assert.equal(r.members[2]![1], 'third');
  assert.deepEqual(r.notices.map((n) => [n.path, n.skipped]), [['huge.tar!huge.bin', 'archive-cut']]);
  assert.match(r.notices[0]!.message, /claims 8589934592 bytes, more than the archive holds: read up to the next valid header at offset 2048/);
});

test('truncated tar, .tar.gz and .gz: what was read before the cut is yielded, the cut is said', () => {
  const big = 'filler line\n'.repeat(20000);
  const entries = [
    { name: 'first.env', data: 'FIRST=1' },
    { name: 'big.txt', data: big },
  ];
  const tar = makeTar(entries);
  const cutTar = read(tar.subarray(0, 512 * 3 + 1000), 'cut.tar');
  assert.deepEqual(cutTar.members[0], ['first.env', 'FIRST=1']);
  assert.equal(cutTar.members[1]![0], 'big.txt');
  assert.ok(cutTar.notices.some((n) => n.path === 'cut.tar!big.txt' && n.skipped === 'archive-cut' && /1000 of the 240000 bytes/.test(n.message)), JSON.stringify(cutTar.notices));

  const tgz = makeTarGz(entries);
  const cutTgz = read(tgz.subarray(0, tgz.length - 200), 'cut.tar.gz');
  assert.deepEqual(cutTgz.members[0], ['first.env', 'FIRST=1']);
  assert.ok(cutTgz.notices.some((n) => n.path === 'cut.tar.gz' && n.skipped === 'archive-cut' && /gzip stream cut or damaged/.test(n.message)), JSON.stringify(cutTgz.notices));

  const gz = gzipSync(Buffer.from(`TOKEN=abc\n${big}`));
  const cutGz = read(gz.subarray(0, gz.length - 100), 'log.txt.gz');
  assert.equal(cutGz.members[0]![0], 'log.txt');
  assert.ok(cutGz.members[0]![1]!.startsWith('TOKEN=abc\nfiller line'));
  assert.ok(cutGz.notices.some((n) => n.skipped === 'archive-cut'));
});

test('a .tar.gz larger than the member limit is read member by member, never inflated whole', () => {
  const entries = Array.from({ length: 5 }, (_, i) => ({ name: `part${i}.txt`, data: `part ${i} `.repeat(60_000) }));
  const r = read(makeTarGz(entries), 'big.tgz', { maxMemberBytes: 1 << 20 });
  assert.deepEqual(r.members.map((m) => m[0]), ['part0.txt', 'part1.txt', 'part2.txt', 'part3.txt', 'part4.txt']);
  assert.deepEqual(r.notices, []);
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
