import { constants, inflateRawSync } from 'node:zlib';

/**
 * A small ZIP reader over a buffer (zip, jar, whl, nupkg, docx…): the central directory
 * (ZIP64 included) lists the members; stored and deflated members are extracted with
 * Node's zlib, whose `maxOutputLength` stops a decompression bomb before it allocates.
 * Written here rather than taken from a library because the blob scanner is synchronous
 * and works on buffers (blobs from git history never touch the disk), while the
 * well-kept ZIP libraries are stream- or file-oriented and asynchronous (yauzl) or inflate
 * without an output cap (fflate).
 */
export interface ZipMember {
  name: string;
  method: number;
  flags: number;
  compressedSize: number;
  size: number;
  localHeaderOffset: number;
  isDirectory: boolean;
  encrypted: boolean;
  /** Found by walking local headers (the central directory was lost): its data may end early. */
  recovered?: boolean;
}

export class ArchiveError extends Error {}

const EOCD = 0x06054b50;
const EOCD64_LOCATOR = 0x07064b50;
const EOCD64 = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

export function isZip(b: Uint8Array): boolean {
  return b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && ((b[2] === 3 && b[3] === 4) || (b[2] === 5 && b[3] === 6));
}

export function listZip(buf: Buffer): ZipMember[] {
  const eocd = findEocd(buf);
  let count = buf.readUInt16LE(eocd + 10);
  let dirSize = buf.readUInt32LE(eocd + 12);
  let dirOffset = buf.readUInt32LE(eocd + 16);
  if (count === 0xffff || dirOffset === 0xffffffff || dirSize === 0xffffffff) {
    const loc = eocd - 20;
    if (loc >= 0 && buf.readUInt32LE(loc) === EOCD64_LOCATOR) {
      const at = Number(buf.readBigUInt64LE(loc + 8));
      if (at + 56 > buf.length || buf.readUInt32LE(at) !== EOCD64) throw new ArchiveError('ZIP64 end record missing');
      count = Number(buf.readBigUInt64LE(at + 32));
      dirSize = Number(buf.readBigUInt64LE(at + 40));
      dirOffset = Number(buf.readBigUInt64LE(at + 48));
    }
  }
  if (dirOffset + dirSize > buf.length) throw new ArchiveError('central directory outside the file (truncated archive)');
  const members: ZipMember[] = [];
  let p = dirOffset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== CENTRAL) throw new ArchiveError('corrupt central directory');
    const flags = buf.readUInt16LE(p + 8);
    const method = buf.readUInt16LE(p + 10);
    let compressedSize = buf.readUInt32LE(p + 20);
    let size = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    let localHeaderOffset = buf.readUInt32LE(p + 42);
    const nameBytes = buf.subarray(p + 46, p + 46 + nameLen);
    // bit 11: UTF-8 names; older tools wrote code page 437, which is ASCII for the names that matter
    const name = nameBytes.toString(flags & 0x800 ? 'utf8' : 'latin1');
    const extra = buf.subarray(p + 46 + nameLen, p + 46 + nameLen + extraLen);
    ({ size, compressedSize, localHeaderOffset } = zip64Sizes(extra, size, compressedSize, localHeaderOffset));
    members.push({ name, method, flags, compressedSize, size, localHeaderOffset, isDirectory: name.endsWith('/'), encrypted: (flags & 1) === 1 });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return members;
}

function findEocd(buf: Buffer): number {
  const min = Math.max(0, buf.length - 22 - 0xffff);
  for (let i = buf.length - 22; i >= min; i--) if (buf.readUInt32LE(i) === EOCD) return i;
  throw new ArchiveError('no end of central directory (truncated or not a ZIP)');
}

function zip64Sizes(extra: Buffer, size: number, compressedSize: number, offset: number) {
  let q = 0;
  while (q + 4 <= extra.length) {
    const id = extra.readUInt16LE(q);
    const len = extra.readUInt16LE(q + 2);
    if (id === 0x0001) {
      let r = q + 4;
      if (size === 0xffffffff && r + 8 <= q + 4 + len) (size = Number(extra.readBigUInt64LE(r))), (r += 8);
      if (compressedSize === 0xffffffff && r + 8 <= q + 4 + len) (compressedSize = Number(extra.readBigUInt64LE(r))), (r += 8);
      if (offset === 0xffffffff && r + 8 <= q + 4 + len) offset = Number(extra.readBigUInt64LE(r));
      break;
    }
    q += 4 + len;
  }
  return { size, compressedSize, localHeaderOffset: offset };
}

/**
 * Where a member's data is, from its local header checked against the central directory:
 * when the two disagree on the compressed size (a damaged header), the larger span the file
 * holds is read, and `damage` says so.
 */
export function memberSpan(buf: Buffer, m: ZipMember): { start: number; compressedSize: number; damage?: string } {
  const p = m.localHeaderOffset;
  if (p + 30 > buf.length || buf.readUInt32LE(p) !== LOCAL) throw new ArchiveError('bad local header');
  const nameLen = buf.readUInt16LE(p + 26);
  const extraLen = buf.readUInt16LE(p + 28);
  const start = p + 30 + nameLen + extraLen;
  if (start > buf.length) throw new ArchiveError('member data outside the file (truncated archive)');
  const flags = buf.readUInt16LE(p + 6);
  let local = buf.readUInt32LE(p + 18);
  if (local === 0xffffffff) local = zip64Sizes(buf.subarray(p + 30 + nameLen, start), 0xffffffff, 0xffffffff, 0).compressedSize;
  // sizes in a data descriptor leave the local header's at zero: nothing to compare
  if (flags & 0x08 || m.recovered || local === m.compressedSize || local === 0xffffffff) return { start, compressedSize: m.compressedSize };
  // the size after which the next record begins is the true one; else the local header's (written next to the data)
  const fits = (n: number) => start + n === buf.length || (start + n + 4 <= buf.length && RECORDS.has(buf.readUInt32LE(start + n)));
  const size = fits(m.compressedSize) && !fits(local) ? m.compressedSize : local;
  return { start, compressedSize: size, damage: `its local header says ${local} compressed bytes, the central directory ${m.compressedSize}; read ${size}` };
}

/**
 * A member's bytes; `cut` says why they may be fewer or other than the member holds (the
 * archive ends inside its data, or its headers disagree: what is there is returned). Throws
 * ArchiveError when it cannot be read at all or exceeds maxBytes once inflated.
 */
export function readZipMember(buf: Buffer, m: ZipMember, maxBytes: number): { data: Buffer; cut?: string } {
  const span = memberSpan(buf, m);
  const start = span.start;
  const end = Math.min(start + span.compressedSize, buf.length);
  const short = start + span.compressedSize > buf.length ? 'the archive ends inside its data' : undefined;
  const cut = [span.damage, short].filter(Boolean).join('; ') || undefined;
  const data = buf.subarray(start, end);
  // a method the directory got wrong: the local header's, when it is one we read
  const localMethod = buf.readUInt16LE(m.localHeaderOffset + 8);
  const method = m.method !== 0 && m.method !== 8 && (localMethod === 0 || localMethod === 8) ? localMethod : m.method;
  if (method === 0) {
    if (data.length > maxBytes) throw new ArchiveError(`larger than ${maxBytes} bytes`);
    return cut ? { data: Buffer.from(data), cut } : { data: Buffer.from(data) };
  }
  if (method === 8) {
    try {
      // a cut or doubtful stream inflates as far as it goes instead of failing whole
      const out = inflateRawSync(data, { maxOutputLength: maxBytes, finishFlush: cut || m.recovered ? constants.Z_SYNC_FLUSH : constants.Z_FINISH });
      return cut ? { data: out, cut } : { data: out };
    } catch (e) {
      const code = (e as { code?: string }).code;
      throw new ArchiveError(code === 'ERR_BUFFER_TOO_LARGE' ? `inflates to more than ${maxBytes} bytes` : `cannot inflate (${(e as Error).message})`);
    }
  }
  throw new ArchiveError(`compression method ${m.method} (${METHOD_NAMES[m.method] ?? 'unknown'}) not supported`);
}

const DESCRIPTOR = 0x08074b50;
/** Signatures a member's data can be followed by. */
const RECORDS = new Set([LOCAL, CENTRAL, DESCRIPTOR, EOCD, EOCD64]);

/**
 * Members found by walking the local headers from the start, for an archive whose central
 * directory is lost (it is at the end: a cut archive loses it first). A member whose sizes
 * are in a data descriptor ends at the next signature; a damaged header is skipped to the
 * next local header.
 */
export function* localZipMembers(buf: Buffer, known: ReadonlyMap<number, ZipMember> = new Map()): Generator<ZipMember> {
  let p = 0;
  while (p + 30 <= buf.length) {
    if (buf.readUInt32LE(p) !== LOCAL) {
      const next = buf.indexOf(LOCAL_SIG, p + 1);
      if (next < 0) return;
      p = next;
      continue;
    }
    const listed = known.get(p);
    if (listed) {
      // the central directory knows where its data ends (even when a data descriptor follows)
      yield listed;
      const start = p + 30 + buf.readUInt16LE(p + 26) + buf.readUInt16LE(p + 28);
      p = Math.max(start + listed.compressedSize, p + 1);
      if (p + 4 <= buf.length && buf.readUInt32LE(p) === DESCRIPTOR) p += listed.compressedSize >= 0xffffffff || listed.size >= 0xffffffff ? 24 : 16;
      continue;
    }
    const flags = buf.readUInt16LE(p + 6);
    const method = buf.readUInt16LE(p + 8);
    let compressedSize = buf.readUInt32LE(p + 18);
    let size = buf.readUInt32LE(p + 22);
    const nameLen = buf.readUInt16LE(p + 26);
    const extraLen = buf.readUInt16LE(p + 28);
    const start = p + 30 + nameLen + extraLen;
    if (start > buf.length) return;
    const name = buf.toString(flags & 0x800 ? 'utf8' : 'latin1', p + 30, p + 30 + nameLen);
    const extra = buf.subarray(p + 30 + nameLen, start);
    ({ size, compressedSize } = zip64Sizes(extra, size, compressedSize, 0));
    let end: number;
    if (flags & 0x08 && compressedSize === 0) {
      // sizes follow the data: it ends where the next record begins
      const next = nextSignature(buf, start);
      end = next < 0 ? buf.length : next;
      // the size is unknown: the member limit still caps what is inflated
      compressedSize = end - start;
      size = compressedSize;
    } else end = start + compressedSize;
    yield { name, method, flags, compressedSize, size, localHeaderOffset: p, isDirectory: name.endsWith('/'), encrypted: (flags & 1) === 1, recovered: true };
    p = Math.max(end, p + 1);
    if (p + 4 <= buf.length && buf.readUInt32LE(p) === DESCRIPTOR) p += 16;
  }
}

const LOCAL_SIG = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

/** The next local header, central directory entry or data descriptor at or after `from`. */
function nextSignature(buf: Buffer, from: number): number {
  for (let at = buf.indexOf(0x50, from); at >= 0 && at + 4 <= buf.length; at = buf.indexOf(0x50, at + 1)) {
    if (buf[at + 1] !== 0x4b) continue;
    const sig = buf.readUInt32LE(at);
    if (sig === LOCAL || sig === CENTRAL || sig === DESCRIPTOR || sig === EOCD) return at;
  }
  return -1;
}

const METHOD_NAMES: Record<number, string> = { 9: 'deflate64', 12: 'bzip2', 14: 'lzma', 93: 'zstd', 95: 'xz', 98: 'ppmd', 99: 'AES-encrypted' };
