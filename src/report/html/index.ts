import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describeFiltered, filteredCount } from '../../analyze/listing.js';
import { SEVERITIES } from '../../model/severity.js';
import { configLine } from '../../config/trust.js';
import { TOOL } from '../../version.js';
import type { ReportInput } from '../types.js';
import { incompleteText, noticeText, summarizeNotices } from '../notices.js';
import type { Notice } from '../../sources/types.js';
import { pageData } from './data.js';
import { verdict } from './verdict.js';

/**
 * One self-contained HTML file: inline style and script (no network, no CDN), a strict
 * Content-Security-Policy that admits exactly those two by hash, and the findings as a JSON
 * data block the script renders with text nodes only.
 */
const ASSETS = new URL('./assets/', import.meta.url);
const asset = (name: string) => readFileSync(new URL(name, ASSETS), 'utf8');

export function renderHtml(input: ReportInput): string {
  const css = asset('report.css');
  // the shared components (also rendered by the console on the server), then the report's own script
  const js = `${asset('components.js')}\n${asset('client.js')}`;
  const data = pageData(input, { name: TOOL.name, version: TOOL.version });
  const csp = [
    "default-src 'none'",
    `script-src '${sha256(js)}'`,
    `style-src '${sha256(css)}'`,
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  const counts = SEVERITIES.slice()
    .reverse()
    .map((s) => `<span class="count sev-${s}">${data.counts[s]} ${s}</span>`)
    .join('');
  // an incomplete scan never reads as a clean one, even before the script runs
  const summary = summarizeNotices(input.notices);
  const headline = summary.errorTotal ? `${verdict(input.findings)} ${incompleteText(summary)}.` : verdict(input.findings);
  const meta = `${esc(TOOL.name)} ${esc(TOOL.version)} · ${esc(input.targets.join(' '))} · ${input.stats.filesScanned} files · generated ${esc(input.now.toISOString().slice(0, 16).replace('T', ' '))} UTC${input.suppressed.length ? ` · ${input.suppressed.length} suppressed` : ''}${input.config?.path ? ` · configuration ${esc(configLine(input.config) ?? '')}` : ''}${notListed(input)}`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${esc(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="generator" content="${esc(TOOL.name)} ${esc(TOOL.version)}">
<title>sasquatch report — ${esc(headline)}</title>
<style>${css}</style>
</head>
<body>
<header>
<h1>sasquatch report</h1>
<p class="verdict" id="verdict">${esc(headline)}</p>
<div class="counts" id="counts">${counts}</div>
<div class="meta">${meta}</div>
</header>
<main>
${notScannedSection(input)}<noscript><p>This report draws its table and charts with a script; open it in a browser with JavaScript enabled.</p></noscript>
<section aria-labelledby="h-findings">
<h2 id="h-findings">Findings <span class="muted" id="shown"></span></h2>
<div class="filters">
<label>severity <select id="f-sev" data-key="sev"><option value="">all</option></select></label>
<label>confidence <select id="f-conf" data-key="conf"><option value="">all</option></select></label>
<label>rule <select id="f-rule" data-key="rule"><option value="">all</option></select></label>
<label>provider <select id="f-provider" data-key="provider"><option value="">all</option></select></label>
<label>status <select id="f-status" data-key="status"><option value="">all</option></select></label>
<label>path <input id="f-path" type="search" placeholder="filter by path"></label>
</div>
<table id="findings">
<thead><tr><th data-sort="sev">severity</th><th data-sort="conf">confidence</th><th data-sort="status">status</th><th data-sort="rule">rule</th><th data-sort="provider">provider</th><th data-sort="loc">location</th><th data-sort="account">account / resource</th><th data-sort="expiry">expires</th></tr></thead>
<tbody id="rows"></tbody>
</table>
</section>
<section aria-labelledby="h-timeline">
<h2 id="h-timeline">Exposure timeline</h2>
<div class="legend"><span><i class="l-exposed"></i>in the code and valid</span><span><i class="l-valid"></i>removed (or not yet) but still valid</span><span><i class="l-expired"></i>expired</span></div>
<div id="timeline"></div>
</section>
<section aria-labelledby="h-exposure">
<h2 id="h-exposure">Exposed data</h2>
<div id="exposure"></div>
</section>
</main>
<script type="application/json" id="sasquatch-data">${jsonForScript(data)}</script>
<script>${js}</script>
</body>
</html>
`;
}

/** What could not be scanned (errors) and the warnings, listed server-side (escaped): most 200 of each. */
function notScannedSection(input: ReportInput): string {
  const { errors, warnings } = summarizeNotices(input.notices);
  if (!errors.length && !warnings.length) return '';
  const list = (items: readonly Notice[]) => {
    const shown = items.slice(0, 200).map((n) => `<li>${esc(noticeText(n))}</li>`);
    if (items.length > 200) shown.push(`<li>… and ${items.length - 200} more (the JSON report lists them all)</li>`);
    return `<ul>${shown.join('')}</ul>`;
  };
  const parts = ['<section aria-labelledby="h-notscanned">', `<h2 id="h-notscanned">${errors.length ? 'Could not be scanned' : 'Warnings'}</h2>`];
  if (errors.length) parts.push(list(errors));
  if (errors.length && warnings.length) parts.push('<h3>Warnings</h3>');
  if (warnings.length) parts.push(list(warnings));
  parts.push('</section>\n');
  return parts.join('\n');
}

function notListed(input: ReportInput): string {
  const held = filteredCount(input.stats.filtered);
  return held ? ` · ${held} not listed (${esc(describeFiltered(input.stats.filtered, input.stats.minConfidence))}; --all lists them)` : '';
}

function sha256(text: string): string {
  return `sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}`;
}

/** HTML text/attribute escaping for everything that came from scanned data. */
export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** JSON inside a script element: nothing in it may close the element or start markup. */
function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}
