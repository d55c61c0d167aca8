import { configLine } from '../config/trust.js';
import { SEVERITIES, severityRank } from '../model/severity.js';
import { elide, fit } from './layout.js';
import { describeFiltered, filteredCount } from '../analyze/listing.js';
import type { Finding } from '../model/finding.js';
import type { HistoryStats } from '../pipeline/history.js';
import { detailLine, grantLines } from './grant-summary.js';
import { historyLine } from './history-summary.js';
import { printableDeep } from './printable.js';
import { makeStyle, type Style } from './style.js';
import { exposureLines, verificationLines } from './verification.js';
import type { RenderOptions, ReportInput } from './types.js';
import { incompleteText, noticeText, summarizeNotices } from './notices.js';
import { couldNotScan, SCAN_ERRORS, type SkipReason } from '../sources/types.js';

/**
 * Text for people: grouped by file, one line per finding plus its grant, a closing count.
 * Laid out for the terminal's width when given (long lines wrapped under their indent, long
 * paths elided at the start). Findings below --min-severity are counted, not listed; by
 * default info findings (emulator keys, examples) fold into one line.
 */
export function renderText(raw: ReportInput, opts: RenderOptions): string {
  const style = makeStyle(opts.color);
  // names and values in a report are data: escaped before the styling adds its own escapes
  const input: ReportInput = { ...raw, findings: printableDeep(raw.findings), suppressed: printableDeep(raw.suppressed), notices: printableDeep(raw.notices), stats: printableDeep(raw.stats), config: printableDeep(raw.config) };
  const { listed, folded } = listing(input.findings, opts.minSeverity);
  const out: string[] = [];
  let currentPath: string | null = null;
  for (const f of listed) {
    if (f.location.path !== currentPath) {
      if (currentPath !== null) out.push('');
      currentPath = f.location.path;
      out.push(style.bold(elide(currentPath, opts.width)));
    }
    for (const l of findingLines(f, input.now, style)) out.push(l);
  }
  if (listed.length) out.push('');
  if (folded.length) out.push(foldedLine(folded, opts.minSeverity));
  for (const l of noticeLines(input, opts, style)) out.push(l);
  for (const l of suppressedLines(input, opts, style)) out.push(l);
  const config = input.config ? configLine(input.config) : null;
  if (config) out.push(`${style.dim('configuration:')} ${config}`);
  out.push(summaryLine(input, style));
  const lines = opts.width ? out.flatMap((l) => fit(l, opts.width!)) : out;
  return `${lines.join('\n')}\n`;
}

function listing(findings: Finding[], min: RenderOptions['minSeverity']): { listed: Finding[]; folded: Finding[] } {
  if (min === 'all') return { listed: findings, folded: [] };
  const floor = severityRank(min ?? 'low');
  const listed: Finding[] = [];
  const folded: Finding[] = [];
  for (const f of findings) (severityRank(f.severity) >= floor && !(min === undefined && f.grant?.emulator) ? listed : folded).push(f);
  return { listed, folded };
}

/** `3 findings below low not listed (2 azure-connection-string, 1 aws-access-key): --min-severity all lists them` */
function foldedLine(folded: Finding[], min: RenderOptions['minSeverity']): string {
  const byRule = new Map<string, number>();
  for (const f of folded) byRule.set(f.rule, (byRule.get(f.rule) ?? 0) + 1);
  const rules = [...byRule].sort((a, b) => b[1] - a[1]).map(([r, n]) => `${n} ${r}`).join(', ');
  const what = min === undefined ? `info finding${folded.length === 1 ? '' : 's'} (emulator keys, examples)` : `finding${folded.length === 1 ? '' : 's'} below ${min}`;
  return `${folded.length} ${what} not listed: ${rules} (--min-severity all lists them)`;
}

function findingLines(f: Finding, now: Date, style: Style): string[] {
  const loc = `${f.location.line}:${f.location.column}`;
  const sev = style.severity(f.severity, f.severity.toUpperCase().padEnd(8));
  const where = f.location.commit ? ` ${style.dim(`@${f.location.commit.slice(0, 10)}`)}` : f.location.uncommitted ? ` ${style.dim('(not committed)')}` : '';
  const cell = f.location.cell !== undefined ? style.dim(` [cell ${f.location.cell}]`) : '';
  const lines = [`  ${loc.padEnd(8)} ${sev} ${f.rule}  ${f.title}${cell}${where} ${style.dim(`(${f.confidence} confidence)`)}`];
  const indent = ' '.repeat(11);
  if (f.grant) for (const l of grantLines(f.grant, now)) lines.push(`${indent}${l}`);
  else if (f.details && detailLine(f.details)) lines.push(`${indent}${detailLine(f.details)}`);
  if (f.verification) for (const l of verificationLines(f.verification, style)) lines.push(`${indent}${l}`);
  if (f.exposure) for (const l of exposureLines(f.exposure, style)) lines.push(`${indent}${l}`);
  if (f.history) lines.push(`${indent}${style.dim('history:')} ${historyLine(f.history, f.grant?.expiry ?? null)}`);
  if (f.reasons.length) lines.push(`${indent}${style.dim('why:')} ${f.reasons.join('; ')}`);
  lines.push(`${indent}${style.dim('secret:')} ${f.secret}`);
  return lines;
}

/** Errors (could not be scanned) and warnings always, notes with --verbose; then the counts of what was not scanned. */
function noticeLines(input: ReportInput, opts: RenderOptions, style: Style): string[] {
  const lines: string[] = [];
  for (const n of input.notices) {
    if (!opts.verbose && n.level !== 'warning' && !couldNotScan(n)) continue;
    const line = noticeText(n);
    const colon = line.indexOf(':') + 1;
    lines.push(`${couldNotScan(n) ? style.severity('critical', line.slice(0, colon)) : style.dim(line.slice(0, colon))}${line.slice(colon)}`);
  }
  const errors = new Set(SCAN_ERRORS);
  const skips = Object.entries(input.stats.skipped ?? {}).filter(([reason]) => !errors.has(reason as SkipReason));
  if (skips.length) lines.push(`Not scanned: ${skips.map(([reason, n]) => `${n} ${reason}`).join(', ')} (by choice or limit${opts.verbose ? '' : '; --verbose lists them'})`);
  const summary = summarizeNotices(input.notices);
  if (summary.errorTotal) lines.push(style.bold(incompleteText(summary)));
  return lines;
}

const SUPPRESSED_BY: Record<string, string> = { inline: 'by inline comment', baseline: 'in the baseline', gitleaksignore: 'by .gitleaksignore' };

function suppressedLines(input: ReportInput, opts: RenderOptions, style: Style): string[] {
  if (!input.suppressed.length) return [];
  const by = Object.entries(input.stats.suppressed).map(([k, n]) => `${n} ${SUPPRESSED_BY[k] ?? 'by configuration'}`);
  const lines = [`Suppressed (not failing): ${input.suppressed.length} — ${by.join(', ')}`];
  if (opts.verbose) for (const f of input.suppressed) lines.push(style.dim(`  ${f.location.path}:${f.location.line} ${f.rule} ${f.severity} (${f.suppressed?.by}${f.suppressed?.reason ? `: ${f.suppressed.reason}` : ''})`));
  return lines;
}

function summaryLine(input: ReportInput, style: Style): string {
  const s = input.stats;
  const counts = SEVERITIES.slice()
    .reverse()
    .map((sev) => `${s.findingsBySeverity[sev]} ${sev}`)
    .join(', ');
  const n = input.findings.length;
  const rules = Object.entries(s.findingsByRule).sort((a, b) => b[1] - a[1]);
  const byRule = rules.length > 1 ? `; by rule: ${rules.map(([r, c]) => `${r} ${c}`).join(', ')}` : '';
  // a pre-commit scan reads staged files from the index, not files on disk: count those
  const staged = (s.history ?? []).filter((h) => h.mode === 'staged');
  const onlyStaged = staged.length > 0 && staged.length === s.history!.length && s.filesScanned === 0;
  const files = onlyStaged ? staged.reduce((a, h) => a + h.blobs, 0) : s.filesScanned;
  const bytes = onlyStaged ? staged.reduce((a, h) => a + h.bytes, 0) : s.bytesScanned;
  const mb = (bytes / 1e6).toFixed(bytes < 1e5 ? 3 : 1);
  const history = onlyStaged ? '' : (s.history ?? []).map(historySummary).join('; ');
  const what = `${files} ${onlyStaged ? 'staged ' : ''}file${files === 1 ? '' : 's'}`;
  const held = filteredCount(s.filtered);
  const notListed = held ? `; ${held} not listed (${describeFiltered(s.filtered, s.minConfidence)}: --all lists them)` : '';
  return style.bold(`${n} finding${n === 1 ? '' : 's'} (${counts}) in ${what}, ${mb} MB${history ? `; ${history}` : ''}, ${(s.durationMs / 1000).toFixed(2)} s${byRule}${notListed}`);
}

function historySummary(h: HistoryStats): string {
  const mb = (h.bytes / 1e6).toFixed(h.bytes < 1e5 ? 3 : 1);
  if (h.mode === 'staged') return `${h.blobs} staged file${h.blobs === 1 ? '' : 's'}`;
  return `history: ${h.commits} commit${h.commits === 1 ? '' : 's'}, ${h.blobs} unique blob${h.blobs === 1 ? '' : 's'}, ${mb} MB`;
}
