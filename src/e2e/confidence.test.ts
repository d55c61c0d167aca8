import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { githubStyle, sampleChars } from '../detect/rules/samples.js';
import type { Finding } from '../model/finding.js';
import { runCli, tempTree } from '../testing/cli.js';
import { validateReport } from '../testing/schemas.js';

interface Report {
  findings: Finding[];
  summary: { filtered?: { belowConfidence: number; lowConfidenceInfo: number }; minConfidence?: string };
}

const NOW = '2026-11-29T00:00:00Z';

describe('confidence: shown in every format, filtered with --min-confidence and the configuration, --all lists everything', () => {
  let tree: ReturnType<typeof tempTree>;
  before(() => {
    tree = tempTree({
      // generic (low confidence): a finding in configuration, info in a test fixture
      'config/prod.env': 'DB_PASSWORD=Vq7Lm2Xz9Kp4Rt8W\n',
      'tests/fixtures/app.env': 'DB_PASSWORD=Hx3Kp9Qw2Lm7Zt4R\n',
      // checksum (high), distinctive prefix (medium)
      'deploy/token.txt': `GH_TOKEN=${githubStyle('ghp_', 'conf-e2e')}\n`,
      'billing/keys.yml': `stripe: sk_live_${sampleChars('conf-e2e', 24)}\n`,
    });
  });
  after(() => tree.cleanup());

  const scan = (...args: string[]) => runCli(['scan', tree.dir, '--now', NOW, '--no-config', ...args]);
  const json = (...args: string[]) => JSON.parse(scan('--format', 'json', ...args).stdout) as Report;
  const listed = (r: Report) => r.findings.map((f) => [f.location.path, f.severity, f.confidence]).sort();

  test('default: a low-confidence info finding is counted, not listed; the rest show their confidence', () => {
    const r = json();
    assert.deepEqual(validateReport(r), []);
    assert.deepEqual(listed(r), [
      ['billing/keys.yml', 'high', 'medium'],
      ['config/prod.env', 'medium', 'low'],
      ['deploy/token.txt', 'high', 'high'],
    ]);
    assert.deepEqual(r.summary.filtered, { belowConfidence: 0, lowConfidenceInfo: 1 });
    const text = scan();
    assert.equal(text.code, 1);
    assert.match(text.stdout, /MEDIUM +generic-secret .*\(low confidence\)/);
    assert.match(text.stdout, /HIGH +github-token .*\(high confidence\)/);
    assert.doesNotMatch(text.stdout, /tests\/fixtures/);
    assert.match(text.stdout, /; 1 not listed \(1 low-confidence info: --all lists them\)/);
  });

  test('--all lists the test fixture as info with the reason; --fail-on info lists it too', () => {
    for (const args of [['--all'], ['--fail-on', 'info']]) {
      const f = json(...args).findings.find((x) => x.location.path === 'tests/fixtures/app.env');
      assert.deepEqual([f?.severity, f?.confidence], ['info', 'low'], args.join(' '));
      assert.match(f!.reasons.join(' '), /in test code: a match known only by its surroundings is most often sample data there \(was medium\)/);
    }
  });

  test('--min-confidence and minConfidence in the configuration: below it counted, not listed, never failing', () => {
    const medium = json('--min-confidence', 'medium');
    assert.deepEqual(listed(medium).map((x) => x[0]), ['billing/keys.yml', 'deploy/token.txt']);
    assert.deepEqual([medium.summary.filtered, medium.summary.minConfidence], [{ belowConfidence: 2, lowConfidenceInfo: 0 }, 'medium']);
    const cfg = path.join(tree.dir, 'sasquatch.config.yaml');
    writeFileSync(cfg, 'minConfidence: high\n');
    try {
      const r = JSON.parse(runCli(['scan', tree.dir, '--now', NOW, '--config', cfg, '--format', 'json']).stdout) as Report;
      assert.deepEqual(listed(r).map((x) => x[0]), ['deploy/token.txt']);
      assert.deepEqual(r.summary.filtered, { belowConfidence: 3, lowConfidenceInfo: 0 });
      assert.equal(runCli(['scan', path.join(tree.dir, 'config'), '--now', NOW, '--config', cfg]).code, 0, 'a filtered finding does not fail');
      assert.equal(JSON.parse(runCli(['scan', tree.dir, '--now', NOW, '--config', cfg, '--format', 'json', '--all']).stdout).findings.length, 4, '--all lists everything');
      writeFileSync(cfg, 'minConfidence: sure\n');
      const bad = runCli(['scan', tree.dir, '--config', cfg]);
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /minConfidence: must be one of: low, medium, high/);
    } finally {
      writeFileSync(cfg, '');
    }
    const usage = scan('--min-confidence', 'certain');
    assert.equal(usage.code, 2);
  });

  test('SARIF: confidence and rank per result, GitHub precision per rule, the count of what was not listed', () => {
    const sarif = JSON.parse(scan('--format', 'sarif').stdout);
    assert.deepEqual(validateReport(sarif, 'sarif'), []);
    const run = sarif.runs[0];
    const byRule = new Map(run.results.map((x: { ruleId: string }) => [x.ruleId, x]));
    const gh = byRule.get('github-token') as { rank: number; properties: { confidence: string }; message: { text: string } };
    assert.deepEqual([gh.properties.confidence, gh.rank], ['high', 90]);
    assert.match(gh.message.text, /\(high, high confidence\)/);
    const generic = byRule.get('generic-secret') as { rank: number; properties: { confidence: string } };
    assert.deepEqual([generic.properties.confidence, generic.rank], ['low', 20]);
    const precision = Object.fromEntries(run.tool.driver.rules.map((r: { id: string; properties: { precision: string } }) => [r.id, r.properties.precision]));
    assert.deepEqual(precision, { 'generic-secret': 'low', 'github-token': 'very-high', 'stripe-key': 'high' });
    assert.deepEqual(run.properties.filtered, { belowConfidence: 0, lowConfidenceInfo: 1 });
  });

  test('GitHub annotations, JUnit and HTML carry the confidence too', () => {
    const gh = scan('--format', 'github').stdout;
    assert.match(gh, /^::error file=deploy\/token\.txt,.*title=HIGH github-token%3A .*%0Ahigh confidence · fingerprint [0-9a-f]{32}$/m);
    assert.match(gh, /1 not listed \(1 low-confidence info: --all lists them\)$/m);
    const junit = scan('--format', 'junit').stdout;
    assert.match(junit, /<failure type="medium" message="medium: Secret assigned to DB_PASSWORD">[^<]*\nconfidence: low\n/);
    const html = readFileSync(runHtml(), 'utf8');
    const data = JSON.parse(/<script type="application\/json" id="sasquatch-data">(.*?)<\/script>/s.exec(html)![1]!) as { findings: { conf: string }[] };
    assert.deepEqual(data.findings.map((f) => f.conf).sort(), ['high', 'low', 'medium']);
    assert.match(html, /<th data-sort="conf">confidence<\/th>/);
    assert.match(html, /1 not listed \(1 low-confidence info; --all lists them\)/);
    // a saved JSON report rendered later says the same
    const saved = `${tree.dir}.json`;
    writeFileSync(saved, scan('--format', 'json').stdout);
    assert.match(runCli(['report', saved, '--format', 'text']).stdout, /; 1 not listed \(1 low-confidence info: --all lists them\)/);
  });

  function runHtml(): string {
    const out = `${tree.dir}.html`;
    assert.equal(scan('--format', 'html', '--output', out).code, 1);
    return out;
  }
});
