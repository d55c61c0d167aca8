import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { findingsForBlob } from '../analyze/findings.js';
import { DEFAULT_POLICY } from '../analyze/policy.js';
import { Detector } from '../detect/engine.js';
import { BUILTIN_RULES } from '../detect/rules/index.js';
import type { Finding } from '../model/finding.js';
import { flattenBlobResult, scanBytes, type BlobResult } from '../pipeline/blob-scanner.js';
import { explainText } from '../pipeline/explain.js';
import { lookAlikeFilter } from '../pipeline/match-filter.js';
import { makeTar, makeZip } from '../testing/archives.js';
import { credentials, damaged, planted, poisons, type Planted } from './arbitraries.js';
import { fuzzParams, withinLimit } from './settings.js';

/**
 * Properties of the scan on hostile input: it never throws, it takes bounded time, and the
 * good SAS planted next to the poison is always found (or, inside a damaged archive, found
 * whenever the bytes that hold it are intact — and the damage is said).
 */
const NOW = new Date('2026-01-01T00:00:00Z');
const detector = new Detector(BUILTIN_RULES);
detector.keep = lookAlikeFilter(BUILTIN_RULES, { now: NOW, policy: DEFAULT_POLICY });
const ruleMap = new Map(BUILTIN_RULES.map((r) => [r.id, r]));

function scan(path: string, bytes: Buffer): { blob: BlobResult; findings: Finding[] } {
  const blob = withinLimit(() => scanBytes(detector, path, bytes, { chunkSize: 256 << 10, overlap: 16 << 10 }));
  const findings = [...flattenBlobResult(blob)].flatMap((b) => findingsForBlob(b.path, b.matches, ruleMap, { now: NOW, policy: DEFAULT_POLICY, showSecrets: false, includeExamples: false }));
  return { blob, findings };
}

function found(findings: Finding[], p: Planted): boolean {
  return findings.some((f) => f.rule === 'azure-sas' && f.grant?.account === p.account);
}

test('fuzz: a SAS between two runs of poison is always found', (t) => {
  fc.assert(
    fc.property(poisons, planted, poisons, (before, p, after) => {
      const bytes = Buffer.concat([before, Buffer.from(`\n${p.url}\n`), after]);
      const { blob, findings } = scan('poisoned.txt', bytes);
      assert.ok(found(findings, p), `planted SAS not found; notices: ${JSON.stringify(blob.notices)}`);
    }),
    fuzzParams(t, 15),
  );
});

test('fuzz: credentials of every kind, generated and mutated, never make the scan or explain throw', (t) => {
  fc.assert(
    fc.property(fc.array(credentials, { minLength: 1, maxLength: 6 }), planted, (creds, p) => {
      const text = `${creds.join('\n')}\n${p.url}\n`;
      const { findings } = scan('creds.txt', Buffer.from(text));
      assert.ok(found(findings, p));
      withinLimit(() => explainText(creds.join('\n'), BUILTIN_RULES, { now: NOW, policy: DEFAULT_POLICY, showSecrets: false }));
    }),
    fuzzParams(t, 40),
  );
});

test('fuzz: notebooks with hostile outputs and structure still yield the SAS in their cells', (t) => {
  const output = fc.oneof(
    fc.string({ maxLength: 300 }).map((s) => ({ output_type: 'stream', name: 'stdout', text: [s] })),
    fc.nat({ max: 3000 }).map((n) => ({ output_type: 'display_data', data: { 'image/png': 'iVBORw0KGgo'.repeat(n + 1) }, metadata: {} })),
    fc.nat({ max: 3000 }).map((n) => ({ output_type: 'display_data', data: { 'text/html': [`<img src="data:image/png;base64,${'QUJD'.repeat(n + 5)}">`] }, metadata: {} })),
  );
  const cell = fc.record({ cell_type: fc.constantFrom('code', 'markdown', 'raw'), metadata: fc.constant({}), source: fc.array(fc.string({ maxLength: 80 }), { maxLength: 4 }), outputs: fc.array(output, { maxLength: 3 }) });
  fc.assert(
    fc.property(fc.array(cell, { maxLength: 60 }), fc.nat(), planted, fc.nat({ max: 30_000 }), fc.boolean(), (cells, at, p, depth, cut) => {
      const all: object[] = [...cells];
      all.splice(at % (cells.length + 1), 0, { cell_type: 'code', metadata: {}, outputs: [], source: [`url = "${p.url}"\n`] });
      // nesting deeper than any recursive walker goes (written as text: JSON.stringify would overflow)
      let text = `${JSON.stringify({ cells: all, nbformat: 4 }).slice(0, -1)}, "metadata": {"deep": ${'['.repeat(depth)}1${']'.repeat(depth)}}}`;
      // a notebook cut short is not JSON any more: it is scanned as text, with a warning
      if (cut) text = text.slice(0, text.indexOf(p.url) + p.url.length + 3);
      const { findings } = scan('nb.ipynb', Buffer.from(text));
      assert.ok(found(findings, p));
    }),
    fuzzParams(t, 15),
  );
});

test('fuzz: zip, tar and gzip archives damaged after the member holding the SAS still yield it, and say what was cut', (t) => {
  const kinds = fc.constantFrom('zip', 'zip-stored', 'tar', 'tar.gz', 'gz');
  fc.assert(
    fc.property(kinds, planted, fc.array(fc.string({ maxLength: 3000 }), { maxLength: 4 }), fc.nat(), (kind, p, others, seed) => {
      const first = `SAS=${p.url}\n`;
      const rest = others.map((s, i) => ({ name: `m${i}.txt`, data: s.repeat(3) }));
      let bytes: Buffer;
      let intact: number; // the bytes up to here hold the first member whole
      if (kind.startsWith('zip')) {
        bytes = makeZip([{ name: 'first.env', data: first, method: kind === 'zip' ? 8 : 0 }, ...rest.map((r) => ({ ...r, method: 0 as const }))]);
        intact = bytes.indexOf('first.env') + 9 + (kind === 'zip' ? 400 : first.length) + 1;
      } else if (kind === 'tar') {
        bytes = makeTar([{ name: 'first.env', data: first }, ...rest]);
        intact = 1024;
      } else if (kind === 'tar.gz') {
        bytes = gzipSync(makeTar([{ name: 'first.env', data: first }, ...rest]));
        intact = bytes.length; // any cut of a deflate stream can lose what came before it in the same block
      } else {
        bytes = gzipSync(Buffer.from(first + rest.map((r) => r.data).join('')));
        intact = bytes.length;
      }
      const name = kind === 'gz' ? 'data.txt.gz' : `a.${kind.replace('-stored', '')}`;
      const mutations = fc.sample(damaged(bytes, Math.min(intact, bytes.length)), { numRuns: 1, seed })[0]!;
      for (const b of [bytes, mutations]) {
        const { blob, findings } = scan(name, b);
        const notices = [...flattenBlobResult(blob)].flatMap((x) => x.notices);
        if (b === bytes || intact < bytes.length) assert.ok(found(findings, p), `${kind}: SAS lost; ${JSON.stringify(notices)}`);
      }
    }),
    fuzzParams(t, 30),
  );
});

test('fuzz: arbitrary bytes (NULs, archives signatures, byte-order marks) never make the scan throw', (t) => {
  const heads = fc.constantFrom(Buffer.alloc(0), Buffer.from('PK\x03\x04'), Buffer.from([0x1f, 0x8b, 8]), Buffer.from([0xff, 0xfe]), Buffer.from('{"cells": ['), Buffer.from('ustar'));
  fc.assert(
    fc.property(heads, fc.uint8Array({ maxLength: 5000 }), fc.constantFrom('x.bin', 'x.zip', 'x.tar', 'x.ipynb', 'x.gz', 'x.txt'), (head, body, path) => {
      const r = scan(path, Buffer.concat([head, Buffer.from(body)]));
      assert.ok(r.blob);
    }),
    fuzzParams(t, 60),
  );
});
