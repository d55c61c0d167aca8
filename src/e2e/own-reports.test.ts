import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { runCli, tempTree } from '../testing/cli.js';
import { INCIDENT } from '../testing/tokens.js';
import type { Finding } from '../model/finding.js';
import type { Notice } from '../sources/types.js';

/**
 * A tree that holds sasquatch's own reports (a committed SARIF file, a saved JSON scan, an
 * HTML page…) must not report them: they list every secret in its redacted form. Reports are
 * recognised by what they contain, and a report written with --show-secrets is still a leak.
 */
const FORMATS = ['text', 'json', 'sarif', 'github', 'junit', 'html'] as const;
const MAKE_DEMO = fileURLToPath(new URL('../../scripts/make-demo.mjs', import.meta.url));

let dir: string;
let cleanup: () => void;
let reports: string;

interface Report {
  findings: Finding[];
  notices: Notice[];
}

function scanJson(target: string, extra: string[] = []): Report {
  const r = runCli(['scan', target, '--no-config', '--format', 'json', '--fail-on', 'never', '-q', '--now', '2026-11-29T00:00:00Z', ...extra]);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as Report;
}

before(() => {
  ({ dir, cleanup } = tempTree({}));
  const demo = path.join(dir, 'demo');
  // the project's demo: SAS links, presigned and signed URLs, AWS key ids and pairs, a connection string, tokens
  execFileSync(process.execPath, [MAKE_DEMO, demo], { cwd: fileURLToPath(new URL('../../', import.meta.url)), stdio: 'ignore' });
  reports = path.join(dir, 'reports');
  mkdirSync(reports);
  for (const format of FORMATS) {
    const r = runCli(['scan', demo, '--format', format, '--output', path.join(reports, `scan.${format}`), '--fail-on', 'never', '-q', '--now', '2026-11-29T00:00:00Z']);
    assert.equal(r.code, 0, r.stderr);
  }
});
after(() => cleanup());

describe('scanning sasquatch’s own reports', () => {
  it('adds nothing above info, in any format, and says which files it recognised as reports', () => {
    const r = scanJson(reports);
    const above = r.findings.filter((f) => f.severity !== 'info');
    assert.deepEqual(above.map((f) => `${f.location.path}:${f.location.line} ${f.rule} ${f.secret}`), []);
    const recognised = r.notices.filter((n) => /a sasquatch \S+ report/.test(n.message)).map((n) => n.path);
    // every report that holds any secret-like text is named (JSON, SARIF, text and JUnit list the secrets)
    for (const format of ['text', 'json', 'sarif', 'junit']) assert.ok(recognised.includes(`scan.${format}`), `scan.${format} in ${recognised.join(', ')}`);
  });

  it('recognises a report by its content, not its name; a file named like a report is scanned as any other', () => {
    const renamed = path.join(dir, 'renamed');
    mkdirSync(renamed);
    copyFileSync(path.join(reports, 'scan.text'), path.join(renamed, 'notes.md'));
    copyFileSync(path.join(reports, 'scan.sarif'), path.join(renamed, 'data.json'));
    writeFileSync(path.join(renamed, 'sasquatch.sarif'), `download: ${INCIDENT.urlB()}\n`);
    const r = scanJson(renamed);
    assert.deepEqual(
      r.findings.filter((f) => f.severity !== 'info').map((f) => `${f.location.path} ${f.rule} ${f.severity}`),
      ['sasquatch.sarif azure-sas critical'],
    );
  });

  it('a report written with --show-secrets is a leak: its full values are findings', () => {
    const shown = path.join(dir, 'shown');
    mkdirSync(shown);
    const r = runCli(['scan', path.join(dir, 'demo'), '--show-secrets', '--output', path.join(shown, 'scan.txt'), '--fail-on', 'never', '-q', '--now', '2026-11-29T00:00:00Z']);
    assert.equal(r.code, 0, r.stderr);
    const report = scanJson(shown);
    const critical = report.findings.filter((f) => f.severity === 'critical' && f.rule === 'azure-sas');
    assert.ok(critical.length >= 3, `${critical.length} critical SAS found in the unredacted report`);
    assert.ok(report.notices.some((n) => n.path === 'scan.txt' && /values? written in full still/.test(n.message)));
  });

  it('reports show ids that are findings on their own (AWS key ids, HMAC access ids) redacted', () => {
    for (const format of FORMATS) {
      const text = readFileSync(path.join(reports, `scan.${format}`), 'utf8');
      assert.doesNotMatch(text, /(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])|GOOG[A-Z0-9]{20}/, format);
    }
  });
});
