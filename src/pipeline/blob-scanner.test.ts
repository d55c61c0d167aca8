import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { Detector } from '../detect/engine.js';
import { BUILTIN_RULES } from '../detect/rules/index.js';
import { INCIDENT } from '../testing/tokens.js';
import { scanBytes, scanFile } from './blob-scanner.js';

const detector = new Detector(BUILTIN_RULES);

function withFile(content: Buffer, fn: (file: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sasquatch-blob-'));
  const file = path.join(dir, 'big.txt');
  writeFileSync(file, content);
  return fn(file).finally(() => rmSync(dir, { recursive: true, force: true }));
}

test('chunked reading finds every token exactly once, with the same positions as a whole read', async () => {
  const url = INCIDENT.urlB();
  const lines: string[] = [];
  for (let i = 0; i < 400; i++) lines.push(i % 37 === 0 ? `line ${i} é ${url}` : `line ${i} ${'x'.repeat(i % 90)} ünï`);
  const content = Buffer.from(lines.join('\n'));
  const whole = scanBytes(detector, 'big.txt', content).matches.map((m) => [m.start, m.line, m.column]);
  assert.equal(whole.length, 11);
  await withFile(content, async (file) => {
    // chunk sizes that cut tokens, lines and multi-byte characters at many places
    for (const chunkSize of [997, 1500, 4096, 7919]) {
      const r = await scanFile(detector, 'big.txt', file, { chunkSize, overlap: 600 });
      assert.deepEqual(r.matches.map((m) => [m.start, m.line, m.column]), whole, `chunk ${chunkSize}`);
    }
  });
});

test('a token on a line longer than the overlap keeps an exact column', async () => {
  const url = INCIDENT.urlA();
  const content = Buffer.from(`a\n${'é'.repeat(5000)} ${url}\nb`);
  await withFile(content, async (file) => {
    const r = await scanFile(detector, 'big.txt', file, { chunkSize: 2048, overlap: 512 });
    assert.deepEqual(r.matches.map((m) => [m.line, m.column]), [[2, 5002]]);
  });
});

test('binary content is skipped with a notice, never silently', () => {
  const r = scanBytes(detector, 'x.bin', Buffer.from([0x50, 0x4b, 0, 1, 2, 3, 0, 0, 9]));
  assert.equal(r.skipped, 'binary');
  assert.equal(r.notices[0]?.skipped, 'binary');
});

test('a notebook that is not JSON is scanned as text with a warning', () => {
  const r = scanBytes(detector, 'broken.ipynb', Buffer.from(`{ "cells": [ oops ${INCIDENT.urlA()}`));
  assert.equal(r.matches.length, 1);
  assert.match(r.notices[0]!.message, /not a valid JSON notebook/);
});
