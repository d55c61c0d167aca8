import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeHtmlEntities, decodeStringJoins, unescapeHtml } from './decoders.js';

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

describe('decodeStringJoins: the glue of each language', () => {
  const q = 'sv=2022-11-02&sr=b&sp=r&se=2030-01-01';
  const joins: [string, string, string][] = [
    ['python, several lines, a comment line between', `u = (\n    "https://a.example/x?"\n    "${q}"\n    # signed for a year\n    "&sig=AB"\n)`, `https://a.example/x?${q}&sig=AB`],
    ['python adjacent literals on one line, meeting in the query', `u = "https://a.example/x?" "${q}&sig=AB"`, `https://a.example/x?${q}&sig=AB`],
    ['javascript +, at the end of the line', `const u = 'https://a.example/x?${q}' +\n  '&sig=AB';`, `https://a.example/x?${q}&sig=AB`],
    ['java +, at the start of the next line', `String u = "https://a.example/x?${q}"\n    + "&sig=AB";`, `https://a.example/x?${q}&sig=AB`],
    ['c# verbatim and interpolated prefixes', `var u = @"https://a.example/x?" +\n  $"${q}" + @"&sig=AB";`, `https://a.example/x?${q}&sig=AB`],
    ['php .', `$u = "https://a.example/x?${q}" . "&sig=AB";`, `https://a.example/x?${q}&sig=AB`],
    ['visual basic & with a line continuation', `Dim u = "https://a.example/x?${q}" & _\n    "&sig=AB"`, `https://a.example/x?${q}&sig=AB`],
    ['mixed quotes, a // comment after the operator', `u = "https://a.example/x?" + // query next\n  '${q}&sig=AB'`, `https://a.example/x?${q}&sig=AB`],
    ['statements appending to the string: python +=', `url = "https://a.example/x?"\nurl += "${q}"\nurl += "&sig=AB"\n`, `https://a.example/x?${q}&sig=AB`],
    ['statements appending to the string: c# += and php .=', `url = "https://a.example/x?${q}";\nurl += "&sig=AB";\n$u = 'https://a.example/x?${q}';\n$u .= '&sig=AB';`, `https://a.example/x?${q}&sig=AB`],
    ['an array joined in code', `"".join([\n  "https://a.example/x?",\n  "${q}",\n  "&sig=AB",\n])`, `https://a.example/x?${q}&sig=AB`],
    ['a YAML list joined in code', `parts:\n  - "https://a.example/x?"\n  - "${q}"\n  - "&sig=AB"\n`, `https://a.example/x?${q}&sig=AB`],
    ['a variable between two literals becomes an interpolation', `u = "https://" + account + ".blob.core.windows.net/c?" + "${q}&sig=AB"`, `https://{account}.blob.core.windows.net/c?${q}&sig=AB`],
    ['php variable between literals', `$u = 'https://' . $this->account . '.blob.core.windows.net/c?${q}&sig=AB';`, `https://{$this->account}.blob.core.windows.net/c?${q}&sig=AB`],
  ];
  for (const [name, code, link] of joins) {
    it(name, () => {
      const joined = decodeStringJoins(code);
      assert.ok(joined, name);
      assert.ok(joined.text.includes(link), `${name}: ${joined.text}`);
      // every character of the link maps back to a character of the original that reads the same (or the name it stands for)
      const at = joined.text.indexOf(link);
      for (let i = at; i < at + link.length; i++) {
        const ch: string = joined.text[i]!;
        if (ch === '{' || ch === '}') continue;
        assert.equal(code[joined.map[i]!], ch, `${name}: char ${i - at} of the link`);
      }
      // the link starts on the line it starts on in the original
      assert.equal(code.slice(0, joined.map[at]!).split('\n').length, code.slice(0, code.indexOf(link.slice(0, 8))).split('\n').length);
    });
  }
  const apart: [string, string][] = [
    ['two links, each a command argument', `azcopy copy "https://a.example/x?${q}&sig=AB" "https://b.example/y?${q}&sig=CD"`],
    ['a JSON array of whole links', `["https://a.example/x?${q}&sig=AB", "https://b.example/y?${q}&sig=CD"]`],
    ['array elements that do not meet at a query boundary', `["https://a.example/x", "y=1"]`],
    ['words', `print("hello", "world")`],
    ['a literal with spaces', `msg = "see https://a.example/?q=1 for more" + "details"`],
    ['a function call between literals', `u = "https://a.example/x?" + sign(q) + "&sig=AB"`],
    ['a method on a literal', `u = "https://a.example/x?a=1".join(parts)`],
    ['two statements assigning two strings', `a = "https://a.example/x?a=1";\nb = "&c=2";`],
    ['an empty literal', `u = "https://a.example/x?a=1" + ""`],
    ['escaped quotes of JSON inside a JSON string, and a // that is a URL, not a comment', `"before": "{\\"URL\\":\\"//localhost:5000/?a=1\\",\\"S3_",\n  "matching": "SECRET\\":\\"x"`],
    ['a whole link and another argument on one line', `curl "https://a.example/x?${q}&sig=AB" "-o" "out.bin"`],
  ];
  for (const [name, code] of apart) {
    it(`leaves apart: ${name}`, () => assert.equal(decodeStringJoins(code)?.text ?? null, null, name));
  }
});
