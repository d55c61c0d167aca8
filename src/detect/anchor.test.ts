import assert from 'node:assert/strict';
import { test } from 'node:test';
import { anchoredRegex, ANCHOR_GROUP, innerAnchor, keywordInEveryMatch } from './anchor.js';
import { Detector } from './engine.js';
import { BUILTIN_RULES, ruleById } from './rules/index.js';

test('a keyword in every match is proved from the regex, not assumed', () => {
  assert.equal(keywordInEveryMatch(/(?<![a-z])[a-z]{1,24}:\/\/[^@\s]+@host/g, ['://'], false), true);
  assert.equal(keywordInEveryMatch(/(?:sig|[Ss]ignature)=[A-Za-z0-9%]+/g, ['sig='], false), false, 'Signature= needs no sig=');
  assert.equal(keywordInEveryMatch(/api[_-]?key=\w+/g, ['api_key'], false), false, 'apikey= has no api_key');
  assert.equal(keywordInEveryMatch(/(?:[Aa][Kk][Ii][Aa])[A-Z0-9]{16}/g, ['AKIA'], true), false, 'akia is not AKIA for a case-sensitive rule');
  assert.equal(keywordInEveryMatch(/AKIA[A-Z0-9]{16}/g, ['AKIA'], true), true);
  assert.equal(keywordInEveryMatch(/x(?:ab|cd)?y/g, ['ab'], false), false, 'an optional group proves nothing');
  assert.equal(keywordInEveryMatch(/\1(a)/g, ['a'], false), false, 'what the parser does not handle is not proved');
});

test('the required part near the start: the part and how far ahead of it a match can begin', () => {
  const generic = innerAnchor(ruleById('generic-secret')!.pattern)!;
  assert.equal(generic.prefix, 40);
  assert.ok(generic.finder.test('accessToken'));
  assert.equal(innerAnchor(/[a-z]*password/g), null, 'an unbounded prefix');
  const anchored = anchoredRegex(/b+c/, 3)!;
  anchored.lastIndex = 1;
  const m = anchored.exec('aaxbbc')!;
  assert.equal(m.indices!.groups![ANCHOR_GROUP]![0], 3);
});

test('anchored search finds exactly what a scan of whole windows finds', () => {
  const anchored = new Detector(BUILTIN_RULES);
  const reference = new Detector(BUILTIN_RULES, { anchoring: false });
  const filler = [
    'const password = process.env.DB_PASSWORD; // see https://example.com/docs',
    'accessToken: "Zx81mQpL0vTq7aRnYw3e" and "keyName": "key1"',
    'url = f"https://{account}.blob.core.windows.net/x?sig=" + sig',
    'secret_key = secrets["x"] # apikey=a1b2c3d4e5f6 api-key: q9w8e7r6t5y4',
  ].join('\n');
  for (const rule of BUILTIN_RULES) {
    for (const example of [...rule.examples, ...rule.negativeExamples]) {
      const text = Buffer.from(`${filler}\n${example}\n${filler} ${example.slice(0, 40)}\n${example}`, 'utf8').toString('latin1');
      const key = (d: Detector) => d.scan(text).map((m) => `${m.rule}@${m.start}-${m.end}:${m.encoding}`);
      assert.deepEqual(key(anchored), key(reference), `${rule.id}: ${example.slice(0, 80)}`);
    }
  }
});
