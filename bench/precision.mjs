// Precision check on ordinary code: `npm run bench:precision [-- options]` (not part of npm test).
//
// Scans the full history of ordinary open-source repositories and an installed npm tree at
// default settings and prints, per target, the findings above info — each one a false alarm
// to explain or a real leak. The issue's bar: at most 10 above info in total.
//
//   --repo <dir|url>     a repository (bare mirror, clone or URL) to scan with its full history;
//                        repeatable (default: https://github.com/curl/curl.git and
//                        https://github.com/eslint/eslint.git, cloned by sasquatch as mirrors)
//   --node-modules <dir> an installed npm tree, scanned as files (default: ./node_modules)
//   --max <n>            exit 1 when more than n findings above info in total (default 10)
//   --json <file>        also write every target's findings (redacted) and counts
//   --show-secrets       print the secrets (to judge them; never in CI logs)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(root, 'dist', 'cli', 'main.js');

function parseArgs(argv) {
  const a = { repos: [], nodeModules: path.join(root, 'node_modules'), max: 10, json: null, showSecrets: false };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) throw new Error(`${k} needs a value`);
      return argv[++i];
    };
    if (k === '--repo') a.repos.push(next());
    else if (k === '--node-modules') a.nodeModules = path.resolve(next());
    else if (k === '--max') a.max = Number(next());
    else if (k === '--json') a.json = path.resolve(next());
    else if (k === '--show-secrets') a.showSecrets = true;
    else throw new Error(`unknown option ${k}`);
  }
  if (!a.repos.length) a.repos = ['https://github.com/curl/curl.git', 'https://github.com/eslint/eslint.git'];
  return a;
}

/** One scan at default settings (no configuration, no baseline), as a JSON report. */
function scan(target, extra, showSecrets) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sasquatch-precision-'));
  const out = path.join(dir, 'report.json');
  try {
    const args = [cli, 'scan', target, '--format', 'json', '--output', out, '--fail-on', 'never', '--no-config', '--no-baseline', '--quiet', ...extra];
    if (showSecrets) args.push('--show-secrets');
    const t0 = Date.now();
    const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 28 });
    if (r.status !== 0) throw new Error(`scan of ${target} failed (exit ${r.status}): ${r.stderr.trim().slice(-800)}`);
    return { report: JSON.parse(readFileSync(out, 'utf8')), seconds: (Date.now() - t0) / 1000 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function describeTarget(report) {
  const h = report.summary.history?.[0];
  return h ? `${h.commits} commits, ${h.blobs} unique blobs` : `${report.summary.filesScanned} files`;
}

function main() {
  const args = parseArgs(process.argv.slice(2));
  const targets = [...args.repos.map((r) => ({ label: r, target: r, extra: [] })), { label: args.nodeModules, target: args.nodeModules, extra: ['--no-history'] }];
  const results = [];
  let total = 0;
  for (const t of targets) {
    const { report, seconds } = scan(t.target, t.extra, args.showSecrets);
    const above = report.findings.filter((f) => f.severity !== 'info');
    total += above.length;
    const byRule = {};
    for (const f of report.findings) byRule[f.rule] = (byRule[f.rule] ?? 0) + 1;
    results.push({ target: t.label, scanned: describeTarget(report), seconds, aboveInfo: above.length, bySeverity: report.summary.bySeverity, byRule, filtered: report.summary.filtered ?? null, findings: above });
    console.log(`\n${t.label} (${describeTarget(report)}, ${seconds.toFixed(0)} s): ${above.length} above info`);
    console.log(`  listed by severity: ${JSON.stringify(report.summary.bySeverity)}; by rule (info included): ${JSON.stringify(byRule)}`);
    if (report.summary.filtered) console.log(`  not listed: ${JSON.stringify(report.summary.filtered)}`);
    for (const f of above) {
      const where = `${f.location.path}:${f.location.line}${f.location.commit ? ` @${f.location.commit.slice(0, 10)}` : ''}`;
      console.log(`  ${f.severity.padEnd(8)} ${f.confidence.padEnd(6)} ${f.rule.padEnd(24)} ${where}  ${f.secret.slice(0, 80)}`);
      console.log(`           ${f.reasons.join('; ').slice(0, 220)}`);
    }
  }
  console.log('\ntarget → findings above info');
  for (const r of results) console.log(`  ${r.aboveInfo.toString().padStart(4)}  ${r.target}`);
  console.log(`  ${total.toString().padStart(4)}  total (at most ${args.max})`);
  if (args.json) writeFileSync(args.json, `${JSON.stringify({ total, max: args.max, results }, null, 2)}\n`);
  process.exitCode = total > args.max ? 1 : 0;
}

main();
