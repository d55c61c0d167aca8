import { describeFiltered, filteredCount } from '../analyze/listing.js';
import { SEVERITIES } from '../model/severity.js';
import type { Finding } from '../model/finding.js';
import type { HistoryStats } from '../pipeline/history.js';
import { detailLine, grantLines } from './grant-summary.js';
import { historyLine } from './history-summary.js';
import { makeStyle, type Style } from './style.js';
import { exposureLines, verificationLines } from './verification.js';
import type { RenderOptions, ReportInput } from './types.js';

/** Text for people: grouped by file, one line per finding plus its grant, a closing count. */
export function renderText(input: ReportInput, opts: RenderOptions): string {
  const style = makeStyle(opts.color);
  const out: string[] = [];
  let currentPath: string | null = null;
  for (const f of input.findings) {
    if (f.location.path !== currentPath) {
      if (currentPath !== null) out.push('');
      currentPath = f.location.path;
      out.push(style.bold(currentPath));
    }
    out.push(...findingLines(f, input.now, style));
  }
  if (input.findings.length) out.push('');
  out.push(...noticeLines(input, opts, style));
  out.push(...suppressedLines(input, opts, style));
  out.push(summaryLine(input, style));
  return `${out.join('\n')}\n`;
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

function noticeLines(input: ReportInput, opts: RenderOptions, style: Style): string[] {
  const shown = input.notices.filter((n) => opts.verbose || n.level === 'warning');
  const lines = shown.map((n) => `${style.dim(n.level === 'warning' ? 'warning:' : 'note:')} ${n.path}: ${n.message}`);
  const skips = Object.entries(input.stats.skipped);
  if (skips.length) lines.push(`Not scanned: ${skips.map(([reason, n]) => `${n} ${reason}`).join(', ')}${opts.verbose ? '' : ' (--verbose lists them)'}`);
  return lines;
}

function suppressedLines(input: ReportInput, opts: RenderOptions, style: Style): string[] {
  if (!input.suppressed.length) return [];
  const by = Object.entries(input.stats.suppressed).map(([k, n]) => `${n} ${k === 'inline' ? 'by inline comment' : k === 'baseline' ? 'in the baseline' : 'by configuration'}`);
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
  const mb = (s.bytesScanned / 1e6).toFixed(s.bytesScanned < 1e5 ? 3 : 1);
  const rules = Object.entries(s.findingsByRule).sort((a, b) => b[1] - a[1]);
  const byRule = rules.length > 1 ? `; by rule: ${rules.map(([r, c]) => `${r} ${c}`).join(', ')}` : '';
  const history = (s.history ?? []).map(historySummary).join('; ');
  const held = filteredCount(s.filtered);
  const notListed = held ? `; ${held} not listed (${describeFiltered(s.filtered, s.minConfidence)}: --all lists them)` : '';
  return style.bold(`${n} finding${n === 1 ? '' : 's'} (${counts}) in ${s.filesScanned} file${s.filesScanned === 1 ? '' : 's'}, ${mb} MB${history ? `; ${history}` : ''}, ${(s.durationMs / 1000).toFixed(2)} s${byRule}${notListed}`);
}

function historySummary(h: HistoryStats): string {
  const mb = (h.bytes / 1e6).toFixed(h.bytes < 1e5 ? 3 : 1);
  if (h.mode === 'staged') return `${h.blobs} staged file${h.blobs === 1 ? '' : 's'}`;
  return `history: ${h.commits} commit${h.commits === 1 ? '' : 's'}, ${h.blobs} unique blob${h.blobs === 1 ? '' : 's'}, ${mb} MB`;
}
