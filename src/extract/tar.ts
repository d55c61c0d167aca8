/**
 * A small tar reader over a buffer: POSIX ustar, pax extended headers (long names) and GNU
 * long names. Every header's checksum is verified, so a random binary is never mistaken for
 * an archive. Only regular files are returned; links, devices and directories are skipped.
 * (The format is 512-byte blocks with fixed-width fields: a dependency would add more than
 * it saves, and would not run synchronously over buffers.)
 */
export interface TarMember {
  name: string;
  size: number;
  /** Offset of the member's data in the buffer. */
  offset: number;
}

const BLOCK = 512;

export function isTar(b: Uint8Array): boolean {
  if (b.length < BLOCK) return false;
  const magic = Buffer.from(b.subarray(257, 262)).toString('latin1');
  return magic === 'ustar' && checksumOk(Buffer.from(b.subarray(0, BLOCK)));
}

/** A 512-byte block whose header checksum holds (and is not all zeros). */
export function tarHeaderValid(b: Uint8Array): boolean {
  return b.length >= BLOCK && !b.subarray(0, BLOCK).every((x) => x === 0) && checksumOk(Buffer.from(b.subarray(0, BLOCK)));
}

function checksumOk(h: Buffer): boolean {
  const stored = parseOctal(h.subarray(148, 156));
  if (stored === null) return false;
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : h[i]!;
  return sum === stored;
}

function parseOctal(field: Uint8Array): number | null {
  const b = Buffer.from(field);
  if (b[0]! & 0x80) {
    // GNU base-256 for sizes of 8 GiB and more
    let v = 0;
    for (let i = 1; i < b.length; i++) v = v * 256 + b[i]!;
    return v;
  }
  const s = b.toString('latin1').replace(/\0.*$/s, '').trim();
  if (s === '') return 0;
  return /^[0-7]+$/.test(s) ? parseInt(s, 8) : null;
}

function cString(b: Uint8Array): string {
  const s = Buffer.from(b);
  const nul = s.indexOf(0);
  return s.toString('utf8', 0, nul < 0 ? s.length : nul);
}

export class TarError extends Error {}

export function listTar(buf: Buffer): TarMember[] {
  const out: TarMember[] = [];
  let p = 0;
  let longName: string | null = null;
  let paxPath: string | null = null;
  while (p + BLOCK <= buf.length) {
    const h = buf.subarray(p, p + BLOCK);
    if (h.every((x) => x === 0)) break; // end of archive
    if (!checksumOk(h)) throw new TarError(`bad header checksum at offset ${p}`);
    const size = parseOctal(h.subarray(124, 136)) ?? 0;
    const type = String.fromCharCode(h[156]!);
    const dataStart = p + BLOCK;
    const next = dataStart + Math.ceil(size / BLOCK) * BLOCK;
    if (dataStart + size > buf.length) throw new TarError('member data beyond the end of the archive (truncated)');
    const data = buf.subarray(dataStart, dataStart + size);
    if (type === 'L') longName = cString(data);
    else if (type === 'x') paxPath = paxValue(data, 'path');
    else if (type === 'g' || type === 'K') {
      /* global pax header, GNU long link name: nothing to scan */
    } else {
      const prefix = Buffer.from(h.subarray(257, 262)).toString('latin1') === 'ustar' ? cString(h.subarray(345, 500)) : '';
      const base = cString(h.subarray(0, 100));
      const name = paxPath ?? longName ?? (prefix ? `${prefix}/${base}` : base);
      if (type === '0' || type === '\0' || type === '7') out.push({ name: name.replace(/^\.\//, ''), size, offset: dataStart });
      longName = null;
      paxPath = null;
    }
    p = next;
  }
  return out;
}

function paxValue(data: Buffer, key: string): string | null {
  const text = data.toString('utf8');
  for (const line of text.split('\n')) {
    const m = /^\d+ ([^=]+)=(.*)$/s.exec(line);
    if (m && m[1] === key) return m[2]!;
  }
  return null;
}
