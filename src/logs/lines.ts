import type { Readable } from 'node:stream';

/**
 * Splits a byte stream into lines (LF or CRLF) without ever holding more than one line
 * besides the chunk being read: memory stays bounded whatever the file size. Lines come in
 * one batch per chunk (the per-line cost of async iteration would dominate otherwise). A
 * line longer than `maxLineBytes` is not kept: it comes out as `null`, so the caller can
 * report it by number.
 */
export async function* splitLines(input: Readable, maxLineBytes = 4 << 20): AsyncGenerator<(string | null)[]> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let tooLong = false;
  for await (const chunk of input as AsyncIterable<Buffer | string>) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    const batch: (string | null)[] = [];
    let start = 0;
    for (let nl = buf.indexOf(10, start); nl >= 0; nl = buf.indexOf(10, start)) {
      if (tooLong || pendingBytes + nl - start > maxLineBytes) batch.push(null);
      else if (pending.length) batch.push(decodeLine(Buffer.concat([...pending, buf.subarray(start, nl)])));
      else batch.push(decodeRange(buf, start, nl));
      tooLong = false;
      pending = [];
      pendingBytes = 0;
      start = nl + 1;
    }
    if (start < buf.length && !tooLong) {
      pendingBytes += buf.length - start;
      if (pendingBytes > maxLineBytes) {
        tooLong = true;
        pending = [];
      } else pending.push(buf.subarray(start));
    }
    if (batch.length) yield batch;
  }
  if (tooLong) yield [null];
  else if (pendingBytes > 0) yield [decodeLine(Buffer.concat(pending))];
}

function decodeLine(b: Buffer): string {
  return decodeRange(b, 0, b.length);
}

function decodeRange(b: Buffer, start: number, end: number): string {
  return b.toString('utf8', start, end > start && b[end - 1] === 13 ? end - 1 : end);
}
