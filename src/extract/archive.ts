import { Gunzip } from 'fflate';
import type { Notice } from '../sources/types.js';
import { isTar, tarHeaderValid, TarReader, type TarEvent } from './tar.js';
import { ArchiveError, isZip, listZip, localZipMembers, memberSpan, readZipMember, type ZipMember } from './zip.js';

/**
 * Archives as blobs of blobs: zip (and jar, whl, nupkg, docx…), tar, gzip and tar.gz/tgz,
 * recognised by their bytes rather than their names. Members are named
 * `archive.zip!path/in/archive` (nested: `a.zip!b.tar.gz!c.txt`). Limits on nesting depth,
 * member size, total extracted bytes and member count bound memory and time against
 * archive bombs; every limit hit becomes a notice, never a silent skip.
 */
export interface ArchiveLimits {
  /** Archives inside archives: 1 = only the top-level archive's members are read. */
  maxDepth: number;
  /** Largest member extracted, in bytes (uncompressed). */
  maxMemberBytes: number;
  /** Bytes extracted from one top-level archive and everything nested in it. */
  maxTotalBytes: number;
  /** Members read from one top-level archive and everything nested in it. */
  maxMembers: number;
}

export const DEFAULT_ARCHIVE_LIMITS: ArchiveLimits = {
  maxDepth: 4,
  maxMemberBytes: 64 << 20,
  maxTotalBytes: 512 << 20,
  maxMembers: 50_000,
};

export type ArchiveKind = 'zip' | 'tar' | 'gzip';

/** What is left of the limits while reading one top-level archive. */
export interface ArchiveBudget {
  bytes: number;
  members: number;
  exhaustedNoticeGiven: boolean;
}

export function newBudget(limits: ArchiveLimits): ArchiveBudget {
  return { bytes: limits.maxTotalBytes, members: limits.maxMembers, exhaustedNoticeGiven: false };
}

/** By the first bytes of `head` (a file's start; the whole file will do, only its head is read). */
export function archiveKind(path: string, head: Uint8Array): ArchiveKind | null {
  if (isZip(head)) return 'zip';
  if (head.length >= 3 && head[0] === 0x1f && head[1] === 0x8b && head[2] === 8) return 'gzip';
  // pre-POSIX tar has no magic: accepted under a .tar name when the header checksum holds
  if (isTar(head) || (path.length >= 4 && path.slice(-4).toLowerCase() === '.tar' && tarHeaderValid(head))) return 'tar';
  return null;
}

export interface Member {
  name: string;
  bytes: Buffer;
}

/**
 * Where an archive's bytes come from: a buffer, or a file read a piece at a time (a tar or
 * gzip on disk is read front to back, never held whole, whatever its size).
 */
export interface ArchiveSource {
  size: number;
  /** The bytes in order, `step` at a time (each piece a buffer of its own: members may keep views of it). */
  chunks(step: number): Iterable<Uint8Array>;
  read(position: number, length: number): Buffer;
}

export function bufferSource(bytes: Buffer): ArchiveSource {
  return {
    size: bytes.length,
    chunks: (step) => (bytes.length <= step ? [bytes] : (function* () {
      for (let i = 0; i < bytes.length; i += step) yield bytes.subarray(i, i + step);
    })()),
    read: (position, length) => bytes.subarray(position, position + length),
  };
}

/** Bytes of a tar read per piece. */
const TAR_STEP = 1 << 20;

/**
 * The members of an archive, one at a time, as they are read (so only one member is held
 * in memory beyond the archive itself, and a damaged or cut archive still yields every
 * member before the damage). Skips and damage are reported through `notices`: a limit is
 * `archive-limit`, damage is `archive-cut` (something could not be read).
 */
export function* archiveMembers(kind: ArchiveKind, path: string, bytes: Buffer | ArchiveSource, limits: ArchiveLimits, budget: ArchiveBudget, notices: Notice[]): Generator<Member> {
  const source = Buffer.isBuffer(bytes) ? bufferSource(bytes) : bytes;
  try {
    // a zip is read where its directory says; tar and gzip front to back, a piece at a time
    if (kind === 'zip') yield* zipMembers(path, Buffer.isBuffer(bytes) ? bytes : source.read(0, source.size), limits, budget, notices);
    else if (kind === 'tar') yield* tarMembers(path, source.chunks(TAR_STEP), source.size, limits, budget, notices);
    else yield* gzipMembers(path, source, limits, budget, notices);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const code = (e as { code?: unknown } | null)?.code;
    const skipped = e instanceof ArchiveError ? 'archive-cut' : typeof code === 'string' && /^E[A-Z]+$/.test(code) ? 'unreadable' : 'internal-error';
    notices.push({ level: 'warning', path, skipped, message: `cannot read the rest of the ${kind} archive: ${message}; members read before it were scanned` });
  }
}

/** The flags of a member's local header (the central directory's when it cannot be read). */
function localFlags(bytes: Buffer, m: ZipMember): number {
  const p = m.localHeaderOffset;
  return p + 8 <= bytes.length && bytes.readUInt32LE(p) === 0x04034b50 ? bytes.readUInt16LE(p + 6) : m.flags;
}

/** Whether a member can be read within the limits (a notice when not); spends one member of the budget when it can. */
function take(path: string, name: string, size: number, limits: ArchiveLimits, budget: ArchiveBudget, notices: Notice[]): boolean {
  const memberPath = `${path}!${name}`;
  if (size <= limits.maxMemberBytes && size > budget.bytes) budget.bytes = 0; // the rest of the budget cannot hold it
  if (budget.members <= 0 || budget.bytes <= 0) {
    if (!budget.exhaustedNoticeGiven) {
      budget.exhaustedNoticeGiven = true;
      const which = budget.members <= 0 ? `${limits.maxMembers} members` : `${limits.maxTotalBytes} extracted bytes`;
      notices.push({ level: 'warning', path, skipped: 'archive-limit', message: `archive limit of ${which} reached at ${name}: the remaining members were not scanned` });
    }
    return false;
  }
  if (size > limits.maxMemberBytes) {
    notices.push({ level: 'warning', path: memberPath, skipped: 'archive-limit', message: `archive member of ${size} bytes exceeds the ${limits.maxMemberBytes}-byte member limit: not scanned` });
    return false;
  }
  budget.members--;
  return true;
}

function spend(budget: ArchiveBudget, n: number): void {
  budget.bytes -= n;
}

function cutNotice(path: string, message: string): Notice {
  return { level: 'warning', path, skipped: 'archive-cut', message };
}

/**
 * A zip's members: those its central directory lists, plus any whose local header it does
 * not list (a damaged directory can list none; a cut archive has lost it, as it sits at the
 * end) — found by walking the local headers, which the listed sizes let the walk jump over.
 */
function zipListing(path: string, bytes: Buffer, notices: Notice[]): ZipMember[] {
  let listed: ZipMember[] = [];
  try {
    listed = listZip(bytes);
  } catch (e) {
    if (!(e instanceof ArchiveError)) throw e;
    notices.push(cutNotice(path, `central directory unreadable (${e.message}): members recovered from their local headers`));
  }
  const known = new Map(listed.map((m) => [m.localHeaderOffset, m]));
  const unlisted: ZipMember[] = [];
  for (const m of localZipMembers(bytes, known)) if (!known.has(m.localHeaderOffset)) unlisted.push(m);
  if (unlisted.length && listed.length) {
    notices.push({ level: 'warning', path, message: `${unlisted.length} member${unlisted.length === 1 ? '' : 's'} not listed in the central directory (damaged, or left over from an update): scanned too` });
  }
  for (const m of unlisted) listed.push(m);
  return listed;
}

function* zipMembers(path: string, bytes: Buffer, limits: ArchiveLimits, budget: ArchiveBudget, notices: Notice[]): Generator<Member> {
  for (const m of zipListing(path, bytes, notices)) {
    if (m.isDirectory) continue;
    if (m.encrypted) {
      // the flag is in both headers: a damaged directory alone does not make a member unreadable
      if (localFlags(bytes, m) & 1) {
        notices.push({ level: 'warning', path: `${path}!${m.name}`, skipped: 'decode-error', message: 'encrypted archive member: not scanned' });
        continue;
      }
      notices.push({ level: 'warning', path: `${path}!${m.name}`, message: 'the central directory says encrypted, the local header does not (a damaged header): scanned' });
    }
    let data: Buffer;
    try {
      // a size its compressed bytes cannot produce is a damaged header, not a reason to skip the member
      const stored = memberSpan(bytes, m).compressedSize;
      const possible = m.method === 0 ? stored : stored * MAX_DEFLATE_RATIO + 64;
      if (m.size > possible) notices.push({ level: 'warning', path: `${path}!${m.name}`, message: `archive member claims ${m.size} bytes, more than its ${stored} stored bytes can hold (a damaged header): read as far as they go` });
      if (!take(path, m.name, Math.min(m.size, possible), limits, budget, notices)) continue;
      const read = readZipMember(bytes, m, Math.min(limits.maxMemberBytes, Math.max(0, budget.bytes)));
      data = read.data;
      if (read.cut) notices.push(cutNotice(`${path}!${m.name}`, `archive member damaged or cut short (${read.cut}): the ${data.length} bytes that could be read were scanned`));
    } catch (e) {
      if (!(e instanceof ArchiveError)) throw e;
      const limit = /inflates to more|larger than/.test(e.message);
      notices.push({ level: 'warning', path: `${path}!${m.name}`, skipped: limit ? 'archive-limit' : /not supported/.test(e.message) ? 'decode-error' : 'archive-cut', message: `archive member not scanned: ${e.message}` });
      continue;
    }
    spend(budget, data.length);
    yield { name: m.name, bytes: data };
  }
}

/**
 * Tar members from a sequence of chunks (one buffer, or a gzip stream as it inflates),
 * each handed out as soon as it is read. `bound` is the longest the archive can be.
 */
function* tarMembers(path: string, chunks: Iterable<Uint8Array>, bound: number, limits: ArchiveLimits, budget: ArchiveBudget, notices: Notice[]): Generator<Member> {
  const reader = new TarReader({
    bound,
    want: (name, size) => (take(path, name, size, limits, budget, notices) ? size : 0),
  });
  const events: TarEvent[] = [];
  const flush = function* (): Generator<Member> {
    for (const e of events) {
      if (e.kind === 'damage') notices.push(cutNotice(path, e.message));
      else if (e.kind === 'member') {
        spend(budget, e.data.length);
        if (e.cut) notices.push(cutNotice(`${path}!${e.name}`, `archive member ${e.cut}: the ${e.data.length} bytes read were scanned`));
        yield { name: e.name, bytes: e.data };
      }
    }
    events.length = 0;
  };
  for (const chunk of chunks) {
    reader.push(chunk, events);
    yield* flush();
  }
  reader.end(events);
  yield* flush();
}

/** Compressed bytes inflated per step: deflate's ratio is at most about 1032:1, so one step yields at most ~16 MB. */
const GZIP_STEP = 16 << 10;
const MAX_DEFLATE_RATIO = 1032;

/**
 * A gzip stream, inflated as it is read: a .tar.gz's members come out one at a time (so a
 * large one is never inflated whole, and a cut one still yields what came before the cut);
 * a plain .gz is one member, read up to the member limit.
 */
function* gzipMembers(path: string, source: ArchiveSource, limits: ArchiveLimits, budget: ArchiveBudget, notices: Notice[]): Generator<Member> {
  const size = source.size;
  const inflated = { bytes: 0, error: null as string | null, stopped: false };
  const maxInflated = limits.maxTotalBytes;
  const chunks = function* (): Generator<Uint8Array> {
    const out: Uint8Array[] = [];
    // bytes of the gzip member being inflated: its trailer must say as much (fflate does not check)
    let member = 0;
    const gunzip = new Gunzip((chunk) => {
      inflated.bytes += chunk.length;
      member += chunk.length;
      out.push(chunk);
    });
    gunzip.onmember = () => (member = 0);
    let i = 0;
    for (const piece of source.chunks(GZIP_STEP)) {
      i += piece.length;
      try {
        gunzip.push(piece, i >= size);
      } catch (e) {
        inflated.error = e instanceof Error ? e.message : String(e);
      }
      yield* out;
      out.length = 0;
      if (inflated.error) return;
      if (inflated.bytes > maxInflated) {
        // a bomb of skipped members costs time even when nothing is kept
        inflated.stopped = true;
        return;
      }
    }
    // a stream cut short can end without an error: its last 4 bytes are then not its length
    if (size < 18 || source.read(size - 4, 4).readUInt32LE(0) !== member >>> 0) inflated.error = 'the stream ends before its trailer';
  };
  const stream = chunks()[Symbol.iterator]();
  // the first block tells a .tar.gz from a plain .gz
  const head: Uint8Array[] = [];
  let headBytes = 0;
  for (let n = stream.next(); !n.done; n = stream.next()) {
    head.push(n.value);
    headBytes += n.value.length;
    if (headBytes >= 512) break;
  }
  const first = Buffer.concat(head);
  const rest = function* (): Generator<Uint8Array> {
    yield first;
    for (let n = stream.next(); !n.done; n = stream.next()) yield n.value;
  };
  if (isTar(first)) yield* tarMembers(path, rest(), size * MAX_DEFLATE_RATIO + 1024, limits, budget, notices);
  else yield* plainGzipMember(path, source.read(0, Math.min(size, 1024)), rest(), limits, budget, notices);
  if (inflated.error) notices.push(cutNotice(path, `gzip stream cut or damaged (${inflated.error}) after ${inflated.bytes} inflated bytes: what came before was scanned`));
  if (inflated.stopped) notices.push({ level: 'warning', path, skipped: 'archive-limit', message: `gzip data inflates to more than ${maxInflated} bytes: the rest was not read` });
}

function* plainGzipMember(path: string, head: Buffer, chunks: Iterable<Uint8Array>, limits: ArchiveLimits, budget: ArchiveBudget, notices: Notice[]): Generator<Member> {
  const name = gzipName(head) ?? path.split('!').pop()!.split('/').pop()!.replace(/\.t?gz$/i, (m) => (m.toLowerCase() === '.tgz' ? '.tar' : '')) ?? 'data';
  const cap = Math.min(Math.max(limits.maxMemberBytes, 0), Math.max(0, budget.bytes));
  const parts: Uint8Array[] = [];
  let got = 0;
  let total = 0;
  for (const c of chunks) {
    total += c.length;
    const keep = Math.min(c.length, cap - got);
    if (keep > 0) {
      parts.push(keep < c.length ? c.subarray(0, keep) : c);
      got += keep;
    }
    if (total > cap) break;
  }
  if (total > cap) notices.push({ level: 'warning', path, skipped: 'archive-limit', message: `gzip data inflates to more than ${cap} bytes: only the first ${cap} were scanned` });
  if (!take(path, name, got, limits, budget, notices)) return;
  const data = Buffer.concat(parts);
  spend(budget, data.length);
  yield { name, bytes: data };
}

/** The original file name stored in a gzip header (FNAME), if any. */
function gzipName(b: Buffer): string | null {
  const flags = b[3]!;
  if (!(flags & 0x08)) return null;
  let p = 10;
  if (flags & 0x04) p += 2 + b.readUInt16LE(10); // FEXTRA
  const end = b.indexOf(0, p);
  if (end < 0 || end - p > 255) return null;
  const name = b.toString('latin1', p, end).replace(/^.*[\\/]/, '');
  return name || null;
}
