import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AllowMarkers, allowMarkerAt } from './inline-allow.js';
import { PositionTracker } from './positions.js';

/** Line and column of each offset, counted from scratch (the definition the tracker must meet). */
function naive(text: string, offset: number): { line: number; column: number } {
  const before = Buffer.from(text.slice(0, offset), 'latin1').toString('utf8');
  const lines = before.split('\n');
  return { line: lines.length, column: lines[lines.length - 1]!.length + 1 };
}

test('positions of many matches on long lines, in any order, equal a count from scratch', () => {
  const utf8 = Buffer.from('é€ '.repeat(50) + 'key=a '.repeat(2000) + '\n' + 'x'.repeat(300) + '\n' + 'k=v '.repeat(500), 'utf8').toString('latin1');
  const offsets: number[] = [];
  for (let i = 0; i < utf8.length; i += 37) if ((utf8.charCodeAt(i) & 0xc0) !== 0x80) offsets.push(i);
  offsets.reverse();
  const got = new PositionTracker().locate(utf8, 0, offsets);
  assert.deepEqual(got, offsets.map((o) => naive(utf8, o)));
});

test('inline allow markers: own line within reach, else the line before; one reading per line', () => {
  const text = ['x = 1 # gitleaks:allow', 'secret = "abc"', 'other = "def" # pragma: allowlist secret', 'plain = "ghi"'].join('\n');
  const at = (needle: string) => text.indexOf(needle);
  const markers = new AllowMarkers(text);
  assert.equal(markers.at(at('"abc"'), 2), 'gitleaks:allow');
  assert.equal(markers.at(at('"def"'), 3), 'pragma: allowlist secret');
  assert.equal(markers.at(at('"ghi"'), 4), 'pragma: allowlist secret');
  assert.equal(allowMarkerAt(text, at('"abc"')), 'gitleaks:allow');
  assert.equal(allowMarkerAt('a\nb = "x"', 4), undefined);
  // both ours and a peer's on one line: ours wins, as the marker list orders them
  assert.equal(allowMarkerAt('k = "v" # gitleaks:allow sasquatch:allow', 4), 'sasquatch:allow');
});
