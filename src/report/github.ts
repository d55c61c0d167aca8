import { describeFiltered, filteredCount } from '../analyze/listing.js';
import type { Finding } from '../model/finding.js';
import { configLine } from '../config/trust.js';
import { printable } from './printable.js';
import { historyLine } from './history-summary.js';
import type { ReportInput } from './types.js';
import { incompleteText, noticeText, summarizeNotices } from './notices.js';
import { couldNotScan, type Notice } from '../sources/types.js';

/**
 * GitHub Actions workflow commands: one `::error`/`::warning`/`::notice` annotation per
 * finding, shown on the pull request's diff. Messages carry no secret beyond the redacted form.
 */
const LEVEL = { critical: 'error', high: 'error', medium: 'warning', low: 'notice', info: 'notice' } as const;

export function renderGithub(input: ReportInput): string {
  const lines = input.findings.map(annotation);
  // what could not be scanned is an ::error, a limit or other warning a ::warning: never a silent pass
  for (const n of input.notices) if (couldNotScan(n) || n.level === 'warning') lines.push(noticeAnnotation(n));
  const summary = summarizeNotices(input.notices);
  if (summary.errorTotal) lines.push(`::error title=${prop('sasquatch: scan incomplete')}::${data(incompleteText(summary))}`);
  const config = input.config ? configLine(input.config) : null;
  if (config) lines.unshift(`::notice title=${prop('sasquatch configuration')}::${data(printable(config))}`);
  const n = input.findings.length;
  const held = filteredCount(input.stats.filtered);
  const notListed = held ? `; ${held} not listed (${describeFiltered(input.stats.filtered, input.stats.minConfidence)}: --all lists them)` : '';
  lines.push(`sasquatch: ${n} finding${n === 1 ? '' : 's'} (${Object.entries(input.stats.findingsBySeverity).reverse().map(([s, c]) => `${c} ${s}`).join(', ')}); ${input.suppressed.length} suppressed${notListed}${summary.errorTotal ? `; ${summary.errorTotal} could not be scanned` : ''}`);
  return `${lines.join('\n')}\n`;
}

function noticeAnnotation(n: Notice): string {
  const error = couldNotScan(n);
  const title = error ? `could not scan ${n.path}` : `sasquatch warning: ${n.path}`;
  return `::${error ? 'error' : 'warning'} title=${prop(title)}::${data(noticeText(n))}`;
}

function annotation(f: Finding): string {
  const props = [`file=${prop(f.location.path)}`, `line=${f.location.line}`, `col=${f.location.column}`];
  if (f.location.endLine) props.push(`endLine=${f.location.endLine}`);
  props.push(`title=${prop(`${f.severity.toUpperCase()} ${f.rule}: ${f.title}`)}`);
  // the message's own line breaks separate its parts; a break inside a part is data
  const history = f.history ? `history: ${historyLine(f.history, f.grant?.expiry ?? null)}` : '';
  const message = [f.reasons.join('; '), f.explanation ?? '', history, `${f.confidence} confidence · fingerprint ${f.fingerprint}`].filter(Boolean).map(printable).join('\n');
  return `::${LEVEL[f.severity]} ${props.join(',')}::${data(message)}`;
}

/** Escaping defined by the workflow-command format for the message. */
function data(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/**
 * Properties (file, title): the format's escapes (% CR LF : ,), which the runner decodes, so
 * `file=` names the file exactly; every other control or bidirectional character, which the
 * format leaves alone but a log viewer would act on, as a visible escape.
 */
function prop(s: string): string {
  const escaped = s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A').replace(/:/g, '%3A').replace(/,/g, '%2C');
  return printable(escaped);
}
