import { gunzipSync } from 'node:zlib';
import type { Notice } from '../sources/types.js';
import { isTar, listTar, tarHeaderValid, TarError } from './tar.js';
import { ArchiveError, isZip, listZip, readZipMember } from './zip.js';

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

export function archiveKind(path: string, head: Uint8Array): ArchiveKind | null {
  if (isZip(head)) return 'zip';
  if (head.length >= 3 && head[0] === 0x1f && head[1] === 0x8b && head[2] === 8) return 'gzip';
  // pre-POSIX tar has no magic: accepted under a .tar name when the header checksum holds
  if (isTar(head) || (/\.tar$/i.test(path) && tarHeaderValid(head))) return 'tar';
  return null;
}

export interface Member {
  name: string;
  bytes: Buffer;
}

/**
 * The members of an archive, one at a time (so only one member is held in memory beyond
 * the archive itself). Skips are reported through `notices`.
 */
export function* archiveMembers(kind: ArchiveKind, path: string, bytes: Buffer, limits: ArchiveLimits, budget: ArchiveBudget, notices: Notice[]): Generator<Member> {
  try {
    if (kind === 'zip') yield* zipMembers(path, bytes, limits, budget, notices);
    else if (kind === 'tar') yield* tarMembers(path, bytes, limits, budget, notices);
    else yield* gzipMembers(path, bytes, limits, budget, notices);
  } catch (e) {
    if (!(e instanceof ArchiveError || e instanceof TarError)) throw e;
    notices.push({ level: 'warning', path, skipped: 'decode-error', message: `cannot read ${kind} archive: ${e.message}; members read so far were scanned` });
  }
}

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

function* zipMembers(path: string, bytes: Buffer, limits: ArchiveLimits, budget: ArchiveBudget, notices: Notice[]): Generator<Member> {
  for (const m of listZip(bytes)) {
    if (m.isDirectory) continue;
    if (m.encrypted) {
      notices.push({ level: 'warning', path: `${path}!${m.name}`, skipped: 'decode-error', message: 'encrypted archive member: not scanned' });
      continue;
    }
    if (!take(path, m.name, m.size, limits, budget, notices)) continue;
    let data: Buffer;
    try {
      data = readZipMember(bytes, m, Math.min(limits.maxMemberBytes, Math.max(0, budget.bytes)));
    } catch (e) {
      if (!(e instanceof ArchiveError)) throw e;
      const limit = /inflates to more|larger than/.test(e.message);
      notices.push({ level: 'warning', path: `${path}!${m.name}`, skipped: limit ? 'archive-limit' : 'decode-error', message: `archive member not scanned: ${e.message}` });
      continue;
    }
    spend(budget, data.length);
    yield { name: m.name, bytes: data };
  }
}

function* tarMembers(path: string, bytes: Buffer, limits: ArchiveLimits, budget: ArchiveBudget, notices: Notice[]): Generator<Member> {
  for (const m of listTar(bytes)) {
    if (!take(path, m.name, m.size, limits, budget, notices)) continue;
    spend(budget, m.size);
    yield { name: m.name, bytes: bytes.subarray(m.offset, m.offset + m.size) };
  }
}

function* gzipMembers(path: string, bytes: Buffer, limits: ArchiveLimits, budget: ArchiveBudget, notices: Notice[]): Generator<Member> {
  const cap = Math.min(Math.max(limits.maxMemberBytes, 0), Math.max(0, budget.bytes));
  let data: Buffer;
  try {
    data = gunzipSync(bytes, { maxOutputLength: cap });
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ERR_BUFFER_TOO_LARGE') {
      notices.push({ level: 'warning', path, skipped: 'archive-limit', message: `gzip data inflates to more than ${cap} bytes: not scanned` });
      return;
    }
    throw new ArchiveError(`cannot decompress gzip (${(e as Error).message})`);
  }
  // a .tar.gz is one archive: its members sit directly under the .tar.gz path
  if (isTar(data)) {
    yield* tarMembers(path, data, limits, budget, notices);
    return;
  }
  const name = gzipName(bytes) ?? path.split('!').pop()!.split('/').pop()!.replace(/\.t?gz$/i, (m) => (m.toLowerCase() === '.tgz' ? '.tar' : '')) ?? 'data';
  if (!take(path, name, data.length, limits, budget, notices)) return;
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
