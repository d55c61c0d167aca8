import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { splitLines } from './lines.js';

async function collect(chunks: (string | Buffer)[], max?: number): Promise<(string | null)[]> {
  const out: (string | null)[] = [];
  for await (const batch of splitLines(Readable.from(chunks.map((c) => (typeof c === 'string' ? Buffer.from(c) : c))), max)) out.push(...batch);
  return out;
}

describe('line splitter', () => {
  it('splits LF and CRLF, keeps blank lines, reads a last line without newline', async () => {
    assert.deepEqual(await collect(['a\r\nb\n\nc']), ['a', 'b', '', 'c']);
  });

  it('joins lines cut across chunks, also inside a multi-byte character', async () => {
    const bytes = Buffer.from('é€😀\nnext\n');
    const chunks = [bytes.subarray(0, 1), bytes.subarray(1, 4), bytes.subarray(4, 9), bytes.subarray(9)];
    assert.deepEqual(await collect(chunks), ['é€😀', 'next']);
  });

  it('does not keep an over-long line, and reports it once', async () => {
    const out = await collect(['short\n', 'x'.repeat(10), 'y'.repeat(10), '\nafter\n', 'z'.repeat(30)], 16);
    assert.deepEqual(out, ['short', null, 'after', null]);
  });
});
