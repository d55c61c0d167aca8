import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { join, sampleChars } from '../../detect/rules/samples.js';
import type { Finding } from '../../model/finding.js';
import { countBySeverity } from '../../model/severity.js';
import { jsonReport } from '../../report/json.js';
import { render } from '../../report/render.js';
import { REPORT_FORMATS } from '../../report/types.js';
import { findIn } from '../../testing/find.js';
import { runCli } from '../../testing/cli.js';
import { INCIDENT } from '../../testing/tokens.js';
import { UsageError } from '../output.js';
import { readReport } from './report.js';

const NOW = new Date('2026-01-01T00:00:00Z');

/** A saved report with every block a renderer reads: grants, details, history, verification, exposure, suppressed, notices. */
function richReport(): Record<string, unknown> {
  const text = [
    `model: ${INCIDENT.urlB()}`,
    `key_id: ${join('AK', 'IA', sampleChars('report-test', 16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'))}`,
    'conn = "Server=db.example.net;Database=orders;User ID=app;Password=Vq8#zL2m!Kp4Tx;"',
  ].join('\n');
  const findings: Finding[] = findIn(text, { now: NOW, path: 'README.md' });
  assert.ok(findings.length >= 3, 'the fixture yields findings of several kinds');
  const f0 = findings[0]!;
  f0.history = { introduced: { commit: 'a'.repeat(40), date: '2021-10-06T00:00:00Z', author: 'A <a@example.org>' }, presentAtHead: false, removed: { commit: 'b'.repeat(40), date: '2023-01-01T00:00:00Z' }, presentInRefs: ['refs/tags/v1'], otherPaths: ['docs/x.md'], commits: 2 };
  f0.verification = { status: 'live', reason: 'accepted', source: 'live', checkedAt: NOW.toISOString(), host: 'h', httpStatus: 200, errorCode: null, requests: [{ operation: 'list', method: 'GET', url: 'https://h/?sig=…', status: 200, errorCode: null, detail: null, server: null, clientRequestId: 'x', error: null }], permissions: [{ permission: 'read', result: 'confirmed', how: 'GET' }] };
  f0.exposure = {
    partial: true,
    partialReasons: ['limit'],
    enumerable: ['containers'],
    totals: { containers: 1, objects: 2, bytes: 3 },
    containers: [{ name: 'c', objects: 2, bytes: 3, partial: false }],
    largest: [{ container: 'c', name: 'o', bytes: 3 }],
    sensitive: [{ container: 'c', name: 'id_rsa', bytes: 3, category: 'private-key', reason: 'key', writable: true }],
    sensitiveCounts: { 'private-key': 1 },
    writable: true,
    content: { objectsScanned: 1, bytesDownloaded: 3, budgetBytes: 10, findings: [{ container: 'c', name: 'o', rule: 'x', severity: 'high', line: 1, secret: 'abcd…' }] },
    limits: { maxObjects: 10, maxSeconds: 10 },
    requests: 4,
    durationMs: 5,
  };
  const suppressed = { ...findings[1]!, suppressed: { by: 'inline', reason: 'sasquatch:allow' } };
  const report = jsonReport({
    findings: [f0, findings[2]!],
    suppressed: [suppressed],
    notices: [{ level: 'warning', path: 'big.bin', skipped: 'too-large', message: 'over the limit' }],
    targets: ['.'],
    now: NOW,
    stats: { startedAt: NOW.toISOString(), durationMs: 5, filesScanned: 3, bytesScanned: 100, threads: 1, skipped: { 'too-large': 1 }, findingsBySeverity: countBySeverity(findings), findingsByRule: {}, suppressed: { inline: 1 } },
  });
  return JSON.parse(JSON.stringify(report)) as Record<string, unknown>;
}

/** Every JSON pointer in a document, arrays cut to their first two elements. */
function pointers(v: unknown, at: string[] = []): string[][] {
  const out: string[][] = [at];
  if (Array.isArray(v)) v.slice(0, 2).forEach((x, i) => out.push(...pointers(x, [...at, String(i)])));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) out.push(...pointers(x, [...at, k]));
  return out;
}

function mutate(doc: unknown, at: string[], value: unknown): unknown {
  const copy = JSON.parse(JSON.stringify(doc)) as Record<string, unknown>;
  if (!at.length) return value === undefined ? null : value;
  let parent: Record<string, unknown> = copy;
  for (const k of at.slice(0, -1)) parent = parent[k] as Record<string, unknown>;
  const last = at[at.length - 1]!;
  if (value === undefined) {
    if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else delete parent[last];
  } else parent[last] = value;
  return copy;
}

test('report: any field missing or of the wrong type is refused with its JSON pointer, never a crash', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sasquatch-report-'));
  try {
    const good = richReport();
    const file = path.join(dir, 'scan.json');
    writeFileSync(file, JSON.stringify(good));
    const input = readReport(file);
    for (const format of REPORT_FORMATS) assert.ok(render(format, input, { color: false, verbose: true }).length > 0);
    let refused = 0;
    let rendered = 0;
    const replacements: unknown[] = [undefined, null, 'x', -1, [], {}];
    for (const at of pointers(good)) {
      for (const value of replacements) {
        writeFileSync(file, JSON.stringify(mutate(good, at, value)));
        let parsed;
        try {
          parsed = readReport(file);
        } catch (e) {
          assert.ok(e instanceof UsageError, `/${at.join('/')} = ${JSON.stringify(value)}: ${String(e)}`);
          assert.match(e.message, /scan\.json: (\/|unsupported|not a)/, e.message);
          refused++;
          continue;
        }
        for (const format of REPORT_FORMATS) {
          try {
            render(format, parsed, { color: false, verbose: true });
          } catch (e) {
            assert.fail(`/${at.join('/')} = ${JSON.stringify(value)} passed validation but crashed ${format}: ${e instanceof Error ? e.stack : String(e)}`);
          }
        }
        rendered++;
      }
    }
    assert.ok(refused > 100 && rendered > 100, `refused ${refused}, rendered ${rendered}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('report: the pointer names the field, and an unknown schemaVersion says so', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sasquatch-report-'));
  try {
    const file = path.join(dir, 'scan.json');
    const good = richReport();
    writeFileSync(file, JSON.stringify(mutate(good, ['findings', '0', 'location', 'line'], 'twelve')));
    assert.throws(() => readReport(file), /scan\.json: \/findings\/0\/location\/line: must be integer/);
    writeFileSync(file, JSON.stringify(mutate(good, ['findings', '1', 'location'], undefined)));
    assert.throws(() => readReport(file), /scan\.json: \/findings\/1\/location: missing/);
    writeFileSync(file, JSON.stringify(mutate(good, ['schemaVersion'], 7)));
    assert.throws(() => readReport(file), /unsupported schemaVersion 7/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('report on a report that does not match the schema: exit 2, the field named, no stack trace', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sasquatch-report-'));
  try {
    const file = path.join(dir, 'scan.json');
    writeFileSync(file, JSON.stringify(mutate(richReport(), ['findings', '0', 'location'], undefined)));
    for (const format of REPORT_FORMATS) {
      const r = runCli(['report', file, '--format', format]);
      assert.equal(r.code, 2, format);
      assert.match(r.stderr, /^sasquatch: .*scan\.json: \/findings\/0\/location: missing \(required\)\n$/);
      assert.equal(r.stdout, '');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
