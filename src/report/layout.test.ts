import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { elide, fit, visibleLength } from './layout.js';

describe('fitting text to a width', () => {
  it('wraps at spaces under the line\'s own indent, continuations two columns deeper', () => {
    const line = `           why: ${'word '.repeat(30).trim()}`;
    const out = fit(line, 40);
    assert.ok(out.length > 1);
    assert.ok(out.every((l) => l.length <= 40), JSON.stringify(out));
    assert.ok(out.slice(1).every((l) => l.startsWith('             ') && !l.startsWith('              ')));
    assert.equal(out.map((l) => l.trim()).join(' '), line.trim());
  });

  it('breaks a token wider than any line where the line ends, starting on the line it is on', () => {
    const token = 'sv=2020-08-04&ss=bfqt&srt=sco&sp=rwdlacupitfx&se=2051-10-06T07:09:59Z&sig=abcd';
    const out = fit(`  secret: ${token}`, 30);
    assert.ok(out.every((l) => l.length <= 30), JSON.stringify(out));
    assert.ok(out[0]!.startsWith('  secret: sv='));
    assert.equal(out.map((l) => l.trim()).join('').replace('secret: ', ''), token);
  });

  it('never counts nor splits ANSI styling; keeps short lines and the spacing inside them', () => {
    const styled = `\x1b[1;31mCRITICAL\x1b[0m ${'x'.repeat(10)}`;
    assert.equal(visibleLength(styled), 19);
    assert.deepEqual(fit(styled, 19), [styled]);
    assert.deepEqual(fit('  1:1      LOW      rule  title', 80), ['  1:1      LOW      rule  title']);
  });

  it('elides long paths at the start, keeping the file name', () => {
    assert.equal(elide('a/b.txt', 80), 'a/b.txt');
    const long = `${'dir/'.repeat(30)}file.md`;
    const short = elide(long, 40);
    assert.equal(short.length, 40);
    assert.ok(short.startsWith('…') && short.endsWith('/file.md'));
  });
});
