import type { Readable } from 'node:stream';

/**
 * Splits a byte stream into lines (LF or CRLF) without ever holding more than one line:
 * memory stays bounded whatever the file size. A line longer than `maxLineBytes` is not
 * kept; it comes out as `{ tooLong: true }` so the caller can report it by number.
 */
export type Line = { text: string; tooLong?: false } | { text: ''; tooLong: true };

export async function* splitLines(input: Readable, maxLineBytes = 4 << 20): AsyncGenerator<Line> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let tooLong = false;
  for await (const chunk of input as AsyncIterable<Buffer | string>) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    let start = 0;
    for (let nl = buf.indexOf(10, start); nl >= 0; nl = buf.indexOf(10, start)) {
      if (tooLong) {
        tooLong = false;
        yield { text: '', tooLong: true };
      } else if (pendingBytes + nl - start > maxLineBytes) {
        yield { text: '', tooLong: true };
      } else {
        const piece = buf.subarray(start, nl);
        const whole = pending.length ? Buffer.concat([...pending, piece]) : piece;
        yield { text: decodeLine(whole) };
      }
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
  }
  if (tooLong) yield { text: '', tooLong: true };
  else if (pendingBytes > 0) yield { text: decodeLine(Buffer.concat(pending)) };
}

function decodeLine(b: Buffer): string {
  const end = b.length > 0 && b[b.length - 1] === 13 ? b.length - 1 : b.length;
  return b.toString('utf8', 0, end);
}
