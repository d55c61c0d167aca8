import { configLine } from '../config/trust.js';
import type { Finding } from '../model/finding.js';
import { severityRank, type Severity } from '../model/severity.js';
import { historyLine } from './history-summary.js';
import type { ReportInput } from './types.js';
import { noticeText } from './notices.js';
import { couldNotScan } from '../sources/types.js';

/**
 * JUnit XML for CI systems without SARIF support: one test case per finding. Only findings at or
 * above the failure threshold (--fail-on) are failures, so the XML agrees with the exit code;
 * the others are listed as skipped (below the threshold, or accepted) with their details. One
 * passing case when nothing was found.
 */
export function renderJunit(input: ReportInput, failOn: Severity | 'never' = 'low'): string {
  const cases: string[] = [];
  let failures = 0;
  let skipped = 0;
  for (const f of input.findings) {
    const fails = failOn !== 'never' && severityRank(f.severity) >= severityRank(failOn);
    if (fails) failures++;
    else skipped++;
    const outcome = fails
      ? `<failure type="${attr(f.severity)}" message="${attr(`${f.severity}: ${f.title}`)}">${text(body(f))}</failure>`
      : `<skipped message="${attr(`${f.severity}: ${f.title} (below --fail-on ${failOn})`)}"/>\n      <system-out>${text(body(f))}</system-out>`;
    cases.push(testCase(f, outcome));
  }
  for (const f of input.suppressed) {
    skipped++;
    cases.push(testCase(f, `<skipped message="${attr(`${f.severity}: ${f.title} (accepted: ${f.suppressed?.by ?? 'suppressed'}${f.suppressed?.reason ? ` — ${f.suppressed.reason}` : ''})`)}"/>`));
  }
  // what could not be scanned is an error test case each: a CI must not read it as a pass
  const errors = input.notices.filter(couldNotScan);
  for (const n of errors) {
    cases.push(`    <testcase classname="${attr(n.path)}" name="${attr(`could not scan ${n.path}`)}" file="${attr(n.path)}">\n      <error type="${attr(n.skipped ?? 'error')}" message="${attr(n.message)}">${text(noticeText(n))}</error>\n    </testcase>`);
  }
  if (!cases.length) cases.push(`    <testcase classname="sasquatch" name="no leaked credentials in ${input.stats.filesScanned} files"/>`);
  const tests = cases.length;
  const seconds = (input.stats.durationMs / 1000).toFixed(3);
  const config = input.config ? configLine(input.config) : null;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="sasquatch" tests="${tests}" failures="${failures}" errors="${errors.length}" skipped="${skipped}" time="${seconds}">`,
    `  <testsuite name="sasquatch scan" tests="${tests}" failures="${failures}" errors="${errors.length}" skipped="${skipped}" time="${seconds}" timestamp="${input.stats.startedAt}">`,
    ...(config ? [`    <properties>\n      <property name="sasquatch.configuration" value="${attr(config)}"/>\n    </properties>`] : []),
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

function testCase(f: Finding, outcome: string): string {
  const file = f.location.path;
  const name = `${file}:${f.location.line}:${f.location.column} ${f.rule}`;
  return `    <testcase classname="${attr(file)}" name="${attr(name)}" file="${attr(file)}" line="${f.location.line}">\n      ${outcome}\n    </testcase>`;
}

function body(f: Finding): string {
  const history = f.history ? `history: ${historyLine(f.history, f.grant?.expiry ?? null)}` : '';
  return [f.reasons.join('; '), f.explanation ?? '', history, `confidence: ${f.confidence}`, `secret: ${f.secret}`, `fingerprint: ${f.fingerprint}`].filter(Boolean).join('\n');
}

function text(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/[\x00-\x08\x0b\x0c\x0e-\x1f]/g, '');
}

function attr(s: string): string {
  return text(s).replace(/"/g, '&quot;').replace(/\n/g, '&#10;');
}
