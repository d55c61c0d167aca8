import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readNotebook } from './notebook.js';

/** Characters the walker's `;base64,` searches pass over (String.prototype.indexOf, counted). */
function searchWork(text: string): number {
  const original = String.prototype.indexOf;
  let work = 0;
  String.prototype.indexOf = function (this: string, needle: string, from?: number) {
    const at = original.call(this, needle, from);
    if (needle === ';base64,') work += (at < 0 ? this.length : at + needle.length) - (from ?? 0);
    return at;
  };
  try {
    assert.ok(readNotebook(text));
  } finally {
    String.prototype.indexOf = original;
  }
  return work;
}

function notebook(cells: number): string {
  const cell = { cell_type: 'markdown', metadata: {}, source: ['some text\n', 'more text'] };
  const last = { cell_type: 'markdown', metadata: {}, source: ['![img](data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAAB)'] };
  return JSON.stringify({ cells: [...Array.from({ length: cells }, () => cell), last], metadata: {}, nbformat: 4 });
}

test('notebook walk: the data-URI search is linear in the document, not in strings × document', () => {
  for (const cells of [1000, 4000]) {
    const text = notebook(cells);
    const work = searchWork(text);
    // each character is searched over at most once (plus the needle at each hit)
    assert.ok(work <= text.length + 64, `${cells} cells: ${work} characters searched for a ${text.length}-character notebook`);
  }
});

test('notebook walk: images in data URIs are still blanked, deep nesting still walks', () => {
  const text = notebook(3);
  const view = readNotebook(text)!;
  assert.equal(view.cells.length, 4);
  assert.ok(view.masked > 16);
  assert.ok(!view.text.includes('iVBORw0KGgo'));
  const deep = `{"cells": [], "metadata": ${'{"a": '.repeat(2000)}1${'}'.repeat(2000)}}`;
  assert.ok(readNotebook(deep));
});
