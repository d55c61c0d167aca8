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
