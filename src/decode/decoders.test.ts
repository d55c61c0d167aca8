import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeHtmlEntities, unescapeHtml } from './decoders.js';

describe('unescapeHtml', () => {
  it('decodes exactly what decodeHtmlEntities decodes', () => {
    const samples = [
      'plain',
      'a&amp;b&amp;c',
      '&quot;0x8D9&quot;',
      '&amp;amp;',
      '&#59;&#x3B;&#X3b;&lt;&GT;',
      '&bogus; &amp &; &#; &#x; &#12345678; &#0; &#x110000;',
      'sig=abc&amp;se=2051-10-06T07%3A09%3A59Z&amp;',
      '&&amp;&&quot;;',
      'tail &am',
      '&averyveryverylongname;',
    ];
    for (const s of samples) assert.equal(unescapeHtml(s), decodeHtmlEntities(s)?.text ?? s, s);
  });
});

it('joins string literals that split a link, and leaves other adjacent strings alone', async () => {
  const { decodeStringJoins } = await import('./decoders.js');
  const py = 'u = ("https://a.example/x?"\n     "sv=1&sig=2")';
  const joined = decodeStringJoins(py)!;
  assert.equal(joined.text, 'u = ("https://a.example/x?sv=1&sig=2")');
  // every character keeps its offset in the original
  assert.equal(py[joined.map[joined.text.indexOf('sv=1')]!], 's');
  assert.equal(joined.map[joined.text.indexOf('sv=1')], py.indexOf('sv=1'));
  assert.equal(decodeStringJoins("u = 'https://a.example/x?' +\n  'sv=1'")!.text, "u = 'https://a.example/x?sv=1'");
  assert.equal(decodeStringJoins('"a","b"\n"c"'), null, 'words are not link pieces');
  assert.equal(decodeStringJoins('x = ""\ny = "https://a/?q=1"'), null, 'an empty literal is not glue');
  assert.equal(decodeStringJoins('no quotes here'), null);
});
