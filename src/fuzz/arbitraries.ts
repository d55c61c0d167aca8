import fc from 'fast-check';
import { BUILTIN_RULES } from '../detect/rules/index.js';
import { fakeSig, sasQuery } from '../testing/tokens.js';

/**
 * Generators for the fuzz suite: the credentials the scanner must find (generated and
 * mutated), and the poison an attacker or a careless user puts next to them.
 */

/** One of a list (which can be long: not spread into arguments). */
function pick<T>(list: readonly T[]): fc.Arbitrary<T> {
  return fc.nat({ max: list.length - 1 }).map((i) => list[i]!);
}

/** Words the rules key on, and the characters decoders act on: the most work per byte. */
const KEYWORDS = ['sig=', 'sig%3d', 'AKIA', 'ghp_', 'xoxb-', '-----BEGIN', '://', 'eyJ', 'password=', 'AccountKey=', 'SharedAccessSignature=', '&amp;', '\\u0026', '%26', '%253D', ';base64,', 'hf_', 'SG.', 'sv=2020-08-04&', '?', '&', '"', '\\'];

/** A valid, account-wide SAS URL (until 2051) with a unique account: the needle every property looks for. */
export interface Planted {
  url: string;
  account: string;
  sig: string;
}

export const planted: fc.Arbitrary<Planted> = fc.nat({ max: 1e9 }).map((n) => {
  const account = `fuzz${n.toString(36)}acct`;
  const sig = fakeSig(`fuzz-${n}`);
  const url = `https://${account}.blob.core.windows.net/data/file.bin?${sasQuery({ sv: '2022-11-02', ss: 'bf', srt: 'sco', sp: 'rwdl', se: '2051-01-01T00:00:00Z', spr: 'https' }, `fuzz-${n}`)}`;
  return { url, account, sig };
});

/** Text without NUL bytes (a NUL in the first 8 KB makes a blob binary, skipped by choice). */
const noNul = (s: string) => s.replace(/\0/g, ' ');

/** Poison: keyword floods, long lines, stray decoders' characters, odd Unicode, control characters, byte-order marks. */
export const poison: fc.Arbitrary<Buffer> = fc
  .oneof(
    fc.tuple(pick(KEYWORDS), fc.integer({ min: 1, max: 40_000 }), fc.constantFrom('\n', '', ' ', '&', '\r\n')).map(([k, n, sep]) => Buffer.from(`${k}a${sep}`.repeat(n))),
    fc.string({ unit: 'grapheme', maxLength: 2000 }).map((s) => Buffer.from(noNul(s))),
    fc.string({ unit: 'binary-ascii', maxLength: 4000 }).map((s) => Buffer.from(noNul(s))),
    fc.array(pick(KEYWORDS), { maxLength: 400 }).map((ws) => Buffer.from(ws.join(''))),
    fc.integer({ min: 1, max: 200_000 }).map((n) => Buffer.from('x'.repeat(n))),
    fc.constantFrom(Buffer.from([0xff, 0xfe]), Buffer.from([0xfe, 0xff]), Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('\r'), Buffer.from('\u2028')),
    fc.uint8Array({ maxLength: 3000 }).map((b) => Buffer.from(b.map((x) => x || 1))),
  )
  .map((b) => b);

/** Several pieces of poison in a row. */
export const poisons: fc.Arbitrary<Buffer> = fc.array(poison, { maxLength: 4 }).map((parts) => Buffer.concat(parts));

/** SAS URLs in the shapes repositories hold them, generated: parameters, order, case, encodings, wrappers. */
export const sasVariants: fc.Arbitrary<string> = fc
  .record({
    sv: fc.constantFrom('2019-10-10', '2020-08-04', '2022-11-02', '2015-04-05', 'x', ''),
    ss: fc.constantFrom('b', 'bfqt', 'q', '', 'zz'),
    srt: fc.constantFrom('sco', 'o', 'c', ''),
    sp: fc.stringMatching(/^[rwdlacupitfxyme]{0,12}$/),
    se: fc.constantFrom('2051-10-06T07:09:59Z', '2020-01-01', 'not-a-date', '9999-99-99T99:99:99Z', ''),
    spr: fc.constantFrom('https', 'https,http', 'http', ''),
    sip: fc.constantFrom('', '10.0.0.1-10.0.0.9', '1.2.3.4', 'x-y'),
    order: fc.boolean(),
    seed: fc.nat(),
    wrap: fc.constantFrom('plain', 'percent', 'percent2', 'html', 'json', 'quoted', 'markdown', 'connection-string', 'bare', 'base64'),
    host: fc.constantFrom('acct1.blob.core.windows.net', 'acct1.dfs.core.windows.net', 'localhost:10000', '127.0.0.1:10000/devstoreaccount1', 'acct1.blob.core.chinacloudapi.cn', 'example.org'),
  })
  .map((p) => {
    const params: Record<string, string> = {};
    for (const k of ['sv', 'ss', 'srt', 'sp', 'se', 'spr', 'sip'] as const) if (p[k]) params[k] = p[k];
    let query = sasQuery(params, `v-${p.seed}`);
    if (p.order) query = query.split('&').reverse().join('&');
    const url = `https://${p.host}/c/b.txt?${query}`;
    switch (p.wrap) {
      case 'percent':
        return encodeURIComponent(url);
      case 'percent2':
        return encodeURIComponent(encodeURIComponent(url));
      case 'html':
        return `<a href="${url.replace(/&/g, '&amp;')}">x</a>`;
      case 'json':
        return JSON.stringify({ url: url.replace(/&/g, '\u0026') }).replace(/&/g, '\\u0026');
      case 'quoted':
        return `"${url}"`;
      case 'markdown':
        return `[link](${url})`;
      case 'connection-string':
        return `BlobEndpoint=https://${p.host}/;SharedAccessSignature=${query}`;
      case 'bare':
        return `?${query}`;
      case 'base64':
        return `data: ${Buffer.from(url).toString('base64')}`;
      default:
        return url;
    }
  });

/** Every rule's own examples (connection strings, JWTs, PEM keys, tokens…), as seeds to mutate. */
const EXAMPLES = BUILTIN_RULES.flatMap((r) => r.examples);

/** A string with a few random edits: characters replaced, cut, duplicated or inserted (never a NUL: that makes a blob binary, by design). */
export function mutated(base: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc
    .tuple(base, fc.array(fc.tuple(fc.nat(), fc.nat({ max: 3 }), fc.string({ unit: 'binary-ascii', maxLength: 8 })), { maxLength: 6 }))
    .map(([s, edits]) => {
      let out = s;
      for (const [at, kind, text] of edits) {
        const i = out.length ? at % out.length : 0;
        if (kind === 0) out = out.slice(0, i) + text + out.slice(i + 1);
        else if (kind === 1) out = out.slice(0, i);
        else if (kind === 2) out = out.slice(0, i) + out.slice(i, i + 40).repeat(3) + out.slice(i);
        else out = out.slice(0, i) + text + out.slice(i);
      }
      return noNul(out);
    });
}

/** Credentials of every kind the rules know, generated from their examples and then mutated. */
export const credentials: fc.Arbitrary<string> = fc.oneof(mutated(pick(EXAMPLES)), mutated(sasVariants), sasVariants, pick(EXAMPLES));

/** Bytes with a few random edits (a damaged file): bytes flipped, the end cut, a run zeroed. */
export function damaged(bytes: Buffer, from = 0): fc.Arbitrary<Buffer> {
  return fc.array(fc.tuple(fc.nat(), fc.nat({ max: 2 }), fc.nat({ max: 255 })), { minLength: 1, maxLength: 5 }).map((edits) => {
    let out = Buffer.from(bytes);
    const span = Math.max(1, out.length - from);
    for (const [at, kind, value] of edits) {
      const i = from + (at % span);
      if (kind === 0) out[i] = value;
      else if (kind === 1) out = out.subarray(0, Math.max(from, i));
      else out.fill(0, i, Math.min(out.length, i + value));
    }
    return out;
  });
}
