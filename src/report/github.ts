import { describeFiltered, filteredCount } from '../analyze/listing.js';
import type { Finding } from '../model/finding.js';
import { historyLine } from './history-summary.js';
import type { ReportInput } from './types.js';

/**
 * GitHub Actions workflow commands: one `::error`/`::warning`/`::notice` annotation per
 * finding, shown on the pull request's diff. Messages carry no secret beyond the redacted form.
 */
const LEVEL = { critical: 'error', high: 'error', medium: 'warning', low: 'notice', info: 'notice' } as const;

export function renderGithub(input: ReportInput): string {
  const lines = input.findings.map(annotation);
  const n = input.findings.length;
  const held = filteredCount(input.stats.filtered);
  const notListed = held ? `; ${held} not listed (${describeFiltered(input.stats.filtered, input.stats.minConfidence)}: --all lists them)` : '';
  lines.push(`sasquatch: ${n} finding${n === 1 ? '' : 's'} (${Object.entries(input.stats.findingsBySeverity).reverse().map(([s, c]) => `${c} ${s}`).join(', ')}); ${input.suppressed.length} suppressed${notListed}`);
  return `${lines.join('\n')}\n`;
}

function annotation(f: Finding): string {
  const props = [`file=${prop(f.location.path)}`, `line=${f.location.line}`, `col=${f.location.column}`];
  if (f.location.endLine) props.push(`endLine=${f.location.endLine}`);
  props.push(`title=${prop(`${f.severity.toUpperCase()} ${f.rule}: ${f.title}`)}`);
  const history = f.history ? `history: ${historyLine(f.history, f.grant?.expiry ?? null)}` : '';
  const message = [f.reasons.join('; '), f.explanation ?? '', history, `${f.confidence} confidence · fingerprint ${f.fingerprint}`].filter(Boolean).join('\n');
  return `::${LEVEL[f.severity]} ${props.join(',')}::${data(message)}`;
}

/** Escaping defined by the workflow-command format. */
function data(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function prop(s: string): string {
  return data(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
