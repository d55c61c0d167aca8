import assert from 'node:assert/strict';
import { test } from 'node:test';
import { exitCode } from '../cli/commands/scan.js';
import type { ScanStats } from '../pipeline/scan.js';
import type { Notice } from '../sources/types.js';
import { validateReport } from '../testing/schemas.js';
import { render } from './render.js';
import type { ReportFormat, ReportInput } from './types.js';

const NOTICES: Notice[] = [
  { level: 'warning', path: 'backup.tar.gz', skipped: 'archive-cut', message: 'gzip stream cut or damaged (unexpected EOF)' },
  { level: 'warning', path: 'secrets.txt', skipped: 'unreadable', message: 'cannot read: EACCES: permission denied' },
  { level: 'warning', path: 'huge.log', skipped: 'too-large', message: '200 bytes is over the 100-byte limit (--max-file-size)' },
  { level: 'info', path: 'logo.png', skipped: 'binary', message: 'binary file (NUL bytes), not scanned' },
  { level: 'info', path: 'repo', skipped: 'binary', count: 40, message: '40 binary blobs in history not scanned' },
];

function input(notices: Notice[]): ReportInput {
  const skipped: ScanStats['skipped'] = {};
  for (const n of notices) if (n.skipped) skipped[n.skipped] = (skipped[n.skipped] ?? 0) + (n.count ?? 1);
  const stats: ScanStats = {
    startedAt: '2026-01-01T00:00:00.000Z',
    durationMs: 12,
    filesScanned: 3,
    bytesScanned: 300,
    threads: 1,
    skipped,
    findingsBySeverity: { critical: 0, high: 0, medium: 0, low: 0, info: 0 },
    findingsByRule: {},
    suppressed: {},
  };
  return { findings: [], suppressed: [], notices, stats, targets: ['.'], now: new Date('2026-01-01T00:00:00Z') };
}

const out = (format: ReportFormat, notices = NOTICES) => render(format, input(notices), { color: false, verbose: false });

test('text: what could not be scanned is an error line each and the scan is INCOMPLETE; choices are counted apart', () => {
  const text = out('text');
  assert.match(text, /^error: backup\.tar\.gz: gzip stream cut/m);
  assert.match(text, /^error: secrets\.txt: cannot read/m);
  assert.match(text, /^warning: huge\.log: 200 bytes is over/m);
  assert.doesNotMatch(text, /logo\.png/, 'notes only with --verbose');
  assert.match(text, /^Not scanned: 1 too-large, 41 binary \(by choice or limit; --verbose lists them\)$/m);
  assert.match(text, /INCOMPLETE: 2 items could not be scanned \(1 archive-cut, 1 unreadable\)/);
  assert.doesNotMatch(out('text', NOTICES.slice(2)), /INCOMPLETE|^error:/m);
});

test('json: errors and skipped listed apart, summary.complete false, the schema holds', () => {
  const j = JSON.parse(out('json'));
  assert.deepEqual(j.errors.map((n: Notice) => n.path), ['backup.tar.gz', 'secrets.txt']);
  assert.deepEqual(j.skipped.map((n: Notice) => n.path), ['huge.log', 'logo.png', 'repo']);
  assert.deepEqual(j.summary.errors, { 'archive-cut': 1, unreadable: 1 });
  assert.equal(j.summary.complete, false);
  assert.equal(j.notices.length, NOTICES.length);
  assert.deepEqual(validateReport(j), []);
  assert.equal(JSON.parse(out('json', NOTICES.slice(2))).summary.complete, true);
});

test('sarif: executionSuccessful is false, each error and warning is a notification, the schema holds', () => {
  const s = JSON.parse(out('sarif'));
  const inv = s.runs[0].invocations[0];
  assert.equal(inv.executionSuccessful, false);
  const levels = inv.toolExecutionNotifications.map((n: { level: string; message: { text: string } }) => `${n.level} ${n.message.text.split(':')[0]}`);
  assert.deepEqual(levels, ['error backup.tar.gz', 'error secrets.txt', 'warning huge.log', 'note Not scanned (by choice or limit)', 'error INCOMPLETE']);
  assert.deepEqual(validateReport(s, 'sarif'), []);
  assert.equal(JSON.parse(out('sarif', NOTICES.slice(2))).runs[0].invocations[0].executionSuccessful, true);
});

test('github: ::error for what could not be scanned, ::warning for limits, and the closing line says so', () => {
  const g = out('github');
  assert.match(g, /^::error title=could not scan backup\.tar\.gz::error: backup\.tar\.gz: gzip stream cut/m);
  assert.match(g, /^::error title=could not scan secrets\.txt::/m);
  assert.match(g, /^::warning title=sasquatch warning%3A huge\.log::warning: huge\.log/m);
  assert.match(g, /^::error title=sasquatch%3A scan incomplete::INCOMPLETE: 2 items/m);
  assert.match(g, /; 2 could not be scanned$/m);
});

test('junit and html: errors are errors, and an incomplete scan never reads as a clean one', () => {
  const x = out('junit');
  assert.match(x, /<testsuites name="sasquatch" tests="2" failures="0" errors="2"/);
  assert.match(x, /<error type="unreadable" message="cannot read: EACCES: permission denied">/);
  const h = out('html');
  assert.match(h, /<p class="verdict" id="verdict">No leaked storage links or credentials found\. INCOMPLETE: 2 items could not be scanned/);
  assert.match(h, /<h2 id="h-notscanned">Could not be scanned<\/h2>/);
  assert.match(h, /<li>error: secrets\.txt: cannot read: EACCES: permission denied<\/li>/);
});

test('exit code: a missing target is 2; with --fail-on-skip what could not be scanned is 2 (before findings); else findings decide', () => {
  const high = [{ severity: 'high' as const }];
  const errors = { notices: NOTICES, findings: [] };
  assert.equal(exitCode({ ...errors, findings: [] } as never, 'low', false), 0);
  assert.equal(exitCode({ ...errors, findings: [] } as never, 'low', true), 2);
  assert.equal(exitCode({ notices: NOTICES, findings: high } as never, 'low', true), 2);
  assert.equal(exitCode({ notices: NOTICES, findings: high } as never, 'low', false), 1);
  assert.equal(exitCode({ notices: NOTICES.slice(2), findings: [] } as never, 'low', true), 0, 'choices and limits are not errors');
  const missing: Notice = { level: 'warning', path: 'nope', skipped: 'not-found', message: 'cannot scan nope: no such file' };
  assert.equal(exitCode({ notices: [missing], findings: high } as never, 'low', false), 2);
});
