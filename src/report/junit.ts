import type { Finding } from '../model/finding.js';
import { historyLine } from './history-summary.js';
import type { ReportInput } from './types.js';

/**
 * JUnit XML for CI systems without SARIF support: one test case per scanned file with
 * findings (a failure each) and one passing case when nothing was found.
 */
export function renderJunit(input: ReportInput): string {
  const byFile = new Map<string, Finding[]>();
  for (const f of input.findings) byFile.set(f.location.path, [...(byFile.get(f.location.path) ?? []), f]);
  const cases: string[] = [];
  for (const [file, findings] of byFile) {
    for (const f of findings) {
      const name = `${file}:${f.location.line}:${f.location.column} ${f.rule}`;
      const history = f.history ? `history: ${historyLine(f.history, f.grant?.expiry ?? null)}` : '';
      const body = [f.reasons.join('; '), f.explanation ?? '', history, `confidence: ${f.confidence}`, `secret: ${f.secret}`, `fingerprint: ${f.fingerprint}`].filter(Boolean).join('\n');
      cases.push(`    <testcase classname="${attr(file)}" name="${attr(name)}" file="${attr(file)}" line="${f.location.line}">\n      <failure type="${attr(f.severity)}" message="${attr(`${f.severity}: ${f.title}`)}">${text(body)}</failure>\n    </testcase>`);
    }
  }
  if (!cases.length) cases.push(`    <testcase classname="sasquatch" name="no leaked credentials in ${input.stats.filesScanned} files"/>`);
  const failures = input.findings.length;
  const seconds = (input.stats.durationMs / 1000).toFixed(3);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="sasquatch" tests="${Math.max(failures, 1)}" failures="${failures}" time="${seconds}">`,
    `  <testsuite name="sasquatch scan" tests="${Math.max(failures, 1)}" failures="${failures}" errors="0" skipped="${input.suppressed.length}" time="${seconds}" timestamp="${input.stats.startedAt}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

function text(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/[\x00-\x08\x0b\x0c\x0e-\x1f]/g, '');
}

function attr(s: string): string {
  return text(s).replace(/"/g, '&quot;').replace(/\n/g, '&#10;');
}
