import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { JsonArrayElements, jsonLayout, valuesOfJsonLine, type JsonElement } from './json.js';

function split(text: string): JsonElement[] {
  const s = new JsonArrayElements();
  const lines = text.split('\n');
  const out: JsonElement[] = [];
  lines.forEach((l, i) => out.push(...s.push(l, i + 1)));
  out.push(...s.end(lines.length));
  return out;
}

describe('JSON log layouts', () => {
  it('chooses the element scanner only for an array or an open records wrapper', () => {
    assert.equal(jsonLayout('[{"a":1},'), 'array');
    assert.equal(jsonLayout('['), 'array');
    assert.equal(jsonLayout('{'), 'array');
    assert.equal(jsonLayout('{ "records": ['), 'array');
    assert.equal(jsonLayout('{"time":"2023-06-22T10:00:00Z","operationName":"GetBlob"}'), 'lines');
    assert.equal(jsonLayout('{"records":[{"time":"x"}]}'), 'lines');
    assert.equal(jsonLayout('{"time": "2023-06-22T10:0'), 'lines');
  });

  it('unwraps a one-line records object', () => {
    assert.deepEqual(valuesOfJsonLine('{"records":[{"time":1},{"time":2}]}'), [{ time: 1 }, { time: 2 }]);
    assert.deepEqual(valuesOfJsonLine('{"time":1}'), [{ time: 1 }]);
    const bad = valuesOfJsonLine('{"time":');
    assert.ok(!Array.isArray(bad) && bad.error.startsWith('not valid JSON'));
  });

  it('splits a pretty-printed array into elements with their first line', () => {
    const text = ['[', '  {', '    "a": "x]}\\"{[",', '    "b": [1, {"c": 2}]', '  },', '  {"d": 4}', ']'].join('\n');
    assert.deepEqual(split(text), [
      { line: 2, text: '{\n    "a": "x]}\\"{[",\n    "b": [1, {"c": 2}]\n  }' },
      { line: 6, text: '{"d": 4}' },
    ]);
    for (const el of split(text)) assert.doesNotThrow(() => JSON.parse((el as { text: string }).text));
  });

  it('splits a single-line array and scalars', () => {
    assert.deepEqual(split('[{"a":1},{"b":2}, 3, "s"]'), [
      { line: 1, text: '{"a":1}' },
      { line: 1, text: '{"b":2}' },
      { line: 1, text: '3' },
      { line: 1, text: '"s"' },
    ]);
  });

  it('reads a records wrapper over several lines', () => {
    assert.deepEqual(split('{\n  "records": [\n    {"time": 1},\n    {"time": 2}\n  ]\n}'), [
      { line: 3, text: '{"time": 1}' },
      { line: 4, text: '{"time": 2}' },
    ]);
  });

  it('reports an unclosed array, an unclosed element and trailing text', () => {
    assert.deepEqual(split('[{"a":1},\n{"b":'), [
      { line: 1, text: '{"a":1}' },
      { line: 2, error: 'JSON array element not closed at end of file' },
    ]);
    assert.deepEqual(split('[{"a":1}\n'), [
      { line: 1, text: '{"a":1}' },
      { line: 2, error: 'JSON array not closed at end of file' },
    ]);
    assert.deepEqual(split('[{"a":1}] x'), [
      { line: 1, text: '{"a":1}' },
      { line: 1, error: 'text after the end of the JSON array' },
    ]);
    assert.deepEqual(split('{"nope": ['), [{ line: 1, error: 'expected {"records": [...]}' }]);
  });

  it('does not buffer an oversized element', () => {
    const big = `[{"a":"${'x'.repeat((1 << 20) + 10)}"},{"b":1}]`;
    assert.deepEqual(split(big), [
      { line: 1, error: 'JSON array element larger than 1 MiB' },
      { line: 1, text: '{"b":1}' },
    ]);
  });
});
