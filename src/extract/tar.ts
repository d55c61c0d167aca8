/**
 * A small tar reader: POSIX ustar, pax extended headers (long names) and GNU long names.
 * Every header's checksum is verified, so a random binary is never mistaken for an archive.
 * Only regular files are returned; links, devices and directories are skipped.
 *
 * It is pushed bytes as they come (from a buffer, or from a gzip stream as it inflates) and
 * hands out each member as soon as its data is complete, so a damaged or cut archive still
 * yields every member before the damage: a bad header is skipped to the next valid one, a
 * member cut by the end of the archive is handed out with what is there, and a size no
 * archive of this length could hold is read up to the next valid header.
 * (The format is 512-byte blocks with fixed-width fields: a dependency would add more than
 * it saves, and would not run synchronously over buffers.)
 */
const BLOCK = 512;

export function isTar(b: Uint8Array): boolean {
  // "ustar" at 257, compared byte by byte: this runs on every file scanned
  return b.length >= BLOCK && b[257] === 0x75 && b[258] === 0x73 && b[259] === 0x74 && b[260] === 0x61 && b[261] === 0x72 && checksumOk(b);
}

/** A 512-byte block whose header checksum holds (and is not all zeros). */
export function tarHeaderValid(b: Uint8Array): boolean {
  return b.length >= BLOCK && !isZeroBlock(b) && checksumOk(b);
}

function isZeroBlock(b: Uint8Array): boolean {
  for (let i = 0; i < BLOCK; i++) if (b[i] !== 0) return false;
  return true;
}

function checksumOk(h: Uint8Array): boolean {
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

/** A ustar header with a good checksum: where reading resumes after damage. */
function resumable(b: Uint8Array): boolean {
  return b[257] === 0x75 && b[258] === 0x73 && b[259] === 0x74 && b[260] === 0x61 && b[261] === 0x72 && checksumOk(b);
}

export type TarEvent =
  /** A regular file; `cut` says why it has fewer bytes than it claims (the archive ended, or damage). */
  | { kind: 'member'; name: string; size: number; data: Buffer; cut?: string }
  /** A member left unread because the reader's `want` said so (its data was skipped). */
  | { kind: 'skipped'; name: string; size: number }
  /** Damage: what was lost and where reading went on. */
  | { kind: 'damage'; message: string };

export interface TarReaderOptions {
  /**
   * Asked at each regular file's header: how many of its bytes to read (0 = skip it). A
   * member whose size claim cannot be true is asked with the most the archive could hold.
   */
  want(name: string, size: number): number;
  /**
   * No archive this reader can be given is longer than this (the buffer's length; for a
   * gzip stream, what its compressed bytes could inflate to): a size claim beyond it is damage.
   */
  bound: number;
}

interface Current {
  name: string;
  size: number;
  type: string;
  /** Data bytes still to come (then padding). */
  remaining: number;
  padding: number;
  /** Bytes of data to keep (the rest is read past). */
  collect: number;
  parts: Uint8Array[];
  got: number;
  /** The size claim cannot be true: watch the data for the next valid header. */
  suspect: boolean;
}

export class TarReader {
  /** Bytes of the stream consumed so far (offset of `pending`'s first byte). */
  private offset = 0;
  private pending: Uint8Array = new Uint8Array(0);
  private current: Current | null = null;
  private longName: string | null = null;
  private paxPath: string | null = null;
  /** After a bad header: looking for the next valid one. */
  private resyncFrom = -1;
  private ended = false;
  /** Members handed out. */
  members = 0;

  constructor(private readonly opts: TarReaderOptions) {}

  /** Feeds bytes; events for what they complete are appended to `out`. */
  push(chunk: Uint8Array, out: TarEvent[]): void {
    if (this.ended) return;
    this.pending = this.pending.length ? concat(this.pending, chunk) : chunk;
    let p = 0;
    const buf = this.pending;
    while (!this.ended) {
      const cur = this.current;
      if (cur && cur.remaining > 0) {
        if (cur.suspect) {
          // a claim no archive this long holds: its data ends at the next valid header
          if (buf.length - p < BLOCK) break;
          if (resumable(buf.subarray(p, p + BLOCK))) {
            this.finishMember(out, `claims ${cur.size} bytes, more than the archive holds: read up to the next valid header at offset ${this.offset + p}`);
            continue;
          }
          this.take(cur, buf.subarray(p, p + BLOCK), BLOCK);
          p += BLOCK;
          continue;
        }
        const n = Math.min(cur.remaining, buf.length - p);
        if (n === 0) break;
        this.take(cur, buf.subarray(p, p + n), n);
        p += n;
        if (cur.remaining === 0) this.finishMember(out);
        continue;
      }
      if (cur && cur.padding > 0) {
        const n = Math.min(cur.padding, buf.length - p);
        if (n === 0) break;
        cur.padding -= n;
        p += n;
        if (cur.padding === 0) this.current = null;
        continue;
      }
      if (buf.length - p < BLOCK) break;
      const h = buf.subarray(p, p + BLOCK);
      if (this.resyncFrom >= 0) {
        if (!resumable(h)) {
          p += BLOCK;
          continue;
        }
        out.push({ kind: 'damage', message: `bad header at offset ${this.resyncFrom}: skipped to the next valid header at offset ${this.offset + p}` });
        this.resyncFrom = -1;
      }
      if (isZeroBlock(h)) {
        this.ended = true; // end of archive
        break;
      }
      if (!checksumOk(h)) {
        this.resyncFrom = this.offset + p;
        p += BLOCK;
        continue;
      }
      this.header(h, this.offset + p);
      p += BLOCK;
      if (this.current && this.current.remaining === 0) this.finishMember(out);
    }
    this.offset += p;
    this.pending = p === buf.length ? new Uint8Array(0) : buf.subarray(p);
  }

  /** The stream ended: a member still being read was cut; damage not yet reported is. */
  end(out: TarEvent[]): void {
    const cur = this.current;
    if (!this.ended && cur && cur.remaining > 0) {
      // a suspect member is read a block at a time: what is left of the last block is its too
      if (cur.suspect && this.pending.length) this.take(cur, this.pending, this.pending.length);
      this.finishMember(out, `cut at the end of the archive: ${cur.got} of the ${cur.size} bytes it claims could be read`);
    } else if (!this.ended && this.resyncFrom >= 0) {
      out.push({ kind: 'damage', message: `bad header at offset ${this.resyncFrom}: nothing readable after it` });
    } else if (!this.ended && this.pending.length) {
      out.push({ kind: 'damage', message: `archive ends inside a header at offset ${this.offset}` });
    }
    this.ended = true;
  }

  private header(h: Uint8Array, at: number): void {
    const size = parseOctal(h.subarray(124, 136)) ?? 0;
    const type = String.fromCharCode(h[156]!);
    const padding = (BLOCK - (size % BLOCK)) % BLOCK;
    const suspect = at + BLOCK + size > this.opts.bound;
    const cur: Current = { name: '', size, type, remaining: size, padding, collect: 0, parts: [], got: 0, suspect };
    if (type === 'L' || type === 'x') {
      cur.collect = Math.min(size, 1 << 20);
    } else if (type === 'g' || type === 'K') {
      /* global pax header, GNU long link name: nothing to scan */
    } else {
      const prefix = Buffer.from(h.subarray(257, 262)).toString('latin1') === 'ustar' ? cString(h.subarray(345, 500)) : '';
      const base = cString(h.subarray(0, 100));
      cur.name = (this.paxPath ?? this.longName ?? (prefix ? `${prefix}/${base}` : base)).replace(/^\.\//, '');
      this.longName = null;
      this.paxPath = null;
      if (type === '0' || type === '\0' || type === '7') cur.collect = this.opts.want(cur.name, suspect ? Math.max(0, Math.min(size, this.opts.bound - at - BLOCK)) : size);
      else cur.type = 'other';
    }
    this.current = cur;
  }

  private take(cur: Current, bytes: Uint8Array, n: number): void {
    const keep = Math.min(n, cur.collect - cur.got);
    cur.remaining -= n;
    if (keep > 0) {
      const part = keep < n ? bytes.subarray(0, keep) : bytes;
      const last = cur.parts[cur.parts.length - 1];
      // blocks read one at a time from one buffer are one part
      if (last && last.buffer === part.buffer && last.byteOffset + last.byteLength === part.byteOffset) cur.parts[cur.parts.length - 1] = new Uint8Array(part.buffer, last.byteOffset, last.byteLength + part.byteLength);
      else cur.parts.push(part);
    }
    cur.got += n;
  }

  private finishMember(out: TarEvent[], cut?: string): void {
    const cur = this.current!;
    const data = cur.parts.length === 1 ? Buffer.from(cur.parts[0]!.buffer, cur.parts[0]!.byteOffset, cur.parts[0]!.byteLength) : Buffer.concat(cur.parts);
    if (cur.type === 'L') this.longName = cString(data);
    else if (cur.type === 'x') this.paxPath = paxValue(data, 'path');
    else if (cur.name && cur.type !== 'other' && cur.type !== 'g' && cur.type !== 'K') {
      if (cur.collect > 0 || cur.size === 0) {
        this.members++;
        const short = cut ?? (cur.got > cur.collect ? `only the first ${cur.collect} of its ${cur.got} bytes were read` : undefined);
        out.push(short ? { kind: 'member', name: cur.name, size: cur.size, data, cut: short } : { kind: 'member', name: cur.name, size: cur.size, data });
      } else out.push({ kind: 'skipped', name: cur.name, size: cur.size });
    }
    cur.parts = [];
    // a suspect claim ends where the next header was found: no padding to skip
    if (cur.suspect && cur.remaining > 0) this.current = null;
    else if (cur.remaining === 0 && cur.padding === 0) this.current = null;
    cur.remaining = 0;
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
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
