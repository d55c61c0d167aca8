import { deflateRawSync, gzipSync } from 'node:zlib';
import { crc32 } from '../analyze/checksum.js';

/**
 * Archive writers for tests: ZIP (stored or deflated, optionally with ZIP64 fields, an
 * encrypted flag or an unsupported method) and ustar tar, so extraction is tested on real
 * bytes in every shape without fixture files.
 */
export interface ZipEntry {
  name: string;
  data: Buffer | string;
  method?: 0 | 8 | 12;
  encrypted?: boolean;
  /** Uncompressed size written in the headers, when it should lie (a bomb). */
  declaredSize?: number;
}

export function makeZip(entries: ZipEntry[], opts: { zip64?: boolean } = {}): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const data = Buffer.isBuffer(e.data) ? e.data : Buffer.from(e.data, 'utf8');
    const method = e.method ?? 8;
    const body = method === 8 ? deflateRawSync(data) : data;
    const name = Buffer.from(e.name, 'utf8');
    const flags = 0x800 | (e.encrypted ? 1 : 0);
    const crc = crc32(data);
    const extra = opts.zip64 ? zip64Extra(data.length, body.length, offset) : Buffer.alloc(0);
    const size32 = opts.zip64 ? 0xffffffff : (e.declaredSize ?? data.length);
    const csize32 = opts.zip64 ? 0xffffffff : body.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(opts.zip64 ? 45 : 20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(csize32, 18);
    local.writeUInt32LE(size32, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(extra.length, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(opts.zip64 ? 45 : 20, 4);
    central.writeUInt16LE(opts.zip64 ? 45 : 20, 6);
    central.writeUInt16LE(flags, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(csize32, 20);
    central.writeUInt32LE(size32, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt16LE(extra.length, 30);
    central.writeUInt32LE(opts.zip64 ? 0xffffffff : offset, 42);
    locals.push(local, name, extra, body);
    centrals.push(central, name, extra);
    offset += local.length + name.length + extra.length + body.length;
  }
  const dir = Buffer.concat(centrals);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(entries.length, 8);
  eocd.writeUInt16LE(entries.length, 10);
  eocd.writeUInt32LE(dir.length, 12);
  eocd.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dir, eocd]);
}

function zip64Extra(size: number, csize: number, offset: number): Buffer {
  const b = Buffer.alloc(28);
  b.writeUInt16LE(0x0001, 0);
  b.writeUInt16LE(24, 2);
  b.writeBigUInt64LE(BigInt(size), 4);
  b.writeBigUInt64LE(BigInt(csize), 12);
  b.writeBigUInt64LE(BigInt(offset), 20);
  return b;
}

export interface TarEntry {
  name: string;
  data: Buffer | string;
}

/** A ustar archive; names longer than 100 bytes get a pax header, as GNU tar writes them. */
export function makeTar(entries: TarEntry[]): Buffer {
  const blocks: Buffer[] = [];
  for (const e of entries) {
    const data = Buffer.isBuffer(e.data) ? e.data : Buffer.from(e.data, 'utf8');
    if (Buffer.byteLength(e.name) > 100) {
      const record = paxRecord('path', e.name);
      blocks.push(header('PaxHeader/long', record.length, 'x'), pad(record));
    }
    blocks.push(header(e.name.slice(0, 100), data.length, '0'), pad(data));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

export function makeTarGz(entries: TarEntry[]): Buffer {
  return gzipSync(makeTar(entries));
}

function paxRecord(key: string, value: string): Buffer {
  const body = ` ${key}=${value}\n`;
  let len = Buffer.byteLength(body) + 1;
  while (String(len).length + Buffer.byteLength(body) !== len) len = String(len).length + Buffer.byteLength(body);
  return Buffer.from(`${len}${body}`, 'utf8');
}

function header(name: string, size: number, type: string): Buffer {
  const h = Buffer.alloc(512);
  h.write(name, 0, 100, 'utf8');
  h.write('0000644\0', 100);
  h.write('0000000\0', 108);
  h.write('0000000\0', 116);
  h.write(`${size.toString(8).padStart(11, '0')}\0`, 124);
  h.write('00000000000\0', 136);
  h.write('        ', 148);
  h.write(type, 156);
  h.write('ustar\0', 257);
  h.write('00', 263);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return h;
}

function pad(b: Buffer): Buffer {
  const rest = b.length % 512;
  return rest ? Buffer.concat([b, Buffer.alloc(512 - rest)]) : b;
}
