import { CONFIDENCES } from '../../model/confidence.js';
import { SEVERITIES } from '../../model/severity.js';
import { TRIAGE_STATUSES, type FindingSort } from '../../store/types.js';
import { html, type Html } from '../html.js';
import { PER_PAGE, queryString, type TableQuery } from '../query.js';
import type { FindingRow } from '../view.js';
import { day, layout, plural, type PageContext } from './layout.js';

/**
 * The findings table: filtered, sorted and paged on the server, so it works without a script
 * (a GET form for the filters, links for sorting and paging, a POST form for triage). The
 * script only adds keyboard moves and submits the filters as they change.
 */
export interface TablePage {
  query: TableQuery;
  rows: FindingRow[];
  total: number;
  rules: string[];
  error?: string | null;
  flash?: string | null;
}

const COLUMNS: [string, FindingSort | null][] = [
  ['severity', 'severity'],
  ['confidence', 'confidence'],
  ['status', 'status'],
  ['rule', 'rule'],
  ['where', null],
  ['account / resource', null],
  ['expires', 'expiry'],
  ['first seen', 'first-seen'],
];

export function findingsPage(ctx: PageContext, p: TablePage): Html {
  const q = p.query;
  const pages = Math.max(1, Math.ceil(p.total / q.perPage));
  const from = p.total ? (q.page - 1) * q.perPage + 1 : 0;
  const to = Math.min(p.total, q.page * q.perPage);
  const body = html`<h1>Findings <span class="muted" id="shown">${p.total ? `${from.toLocaleString('en-US')}–${to.toLocaleString('en-US')} of ${plural(p.total, 'finding')}` : 'none match'}</span></h1>
${filterForm(q, p.rules)}
${p.error ? html`<p class="error" role="alert">${p.error}</p>` : ''}
${triageForm(ctx, p, pages)}`;
  return layout(ctx, { title: 'Findings', active: '/findings', body, flash: p.flash ?? null });
}

function filterForm(q: TableQuery, rules: string[]): Html {
  const checks = (name: string, values: readonly string[], chosen: readonly string[]) =>
    values.map((v) => html`<label class="check"><input type="checkbox" name="${name}" value="${v}"${chosen.includes(v) ? html` checked` : ''}> ${v}</label>`);
  const statusValue = q.statuses === null ? 'all' : q.statuses.join(',');
  const statusOptions = ['open', 'all', ...TRIAGE_STATUSES.filter((s) => s !== 'open')];
  if (!statusOptions.includes(statusValue)) statusOptions.push(statusValue);
  const yesNo = (v: boolean | null) => (v === null ? '' : v ? 'yes' : 'no');
  const option = (value: string, label: string, chosen: string) => html`<option value="${value}"${value === chosen ? html` selected` : ''}>${label}</option>`;
  return html`<form method="get" action="/findings" class="filters" id="filters" role="search">
<fieldset><legend>severity</legend>${checks('severity', [...SEVERITIES].reverse(), q.severities)}</fieldset>
<fieldset><legend>confidence</legend>${checks('confidence', [...CONFIDENCES].reverse(), q.confidences)}</fieldset>
<label>status <select name="status" id="f-status">${statusOptions.map((s) => option(s, s, statusValue))}</select></label>
<label>rule <select name="rule" id="f-rule">${option('', 'any', q.rules.join(','))}${rules.map((r) => option(r, r, q.rules.join(',')))}${q.rules.length > 1 ? option(q.rules.join(','), q.rules.join(', '), q.rules.join(',')) : ''}</select></label>
<label>repository <input type="text" name="repository" id="f-repository" value="${q.repository}" placeholder="org/* or a URL" size="14"></label>
<label>still valid <select name="valid" id="f-valid">${option('', 'any', yesNo(q.valid))}${option('yes', 'yes', yesNo(q.valid))}${option('no', 'no', yesNo(q.valid))}</select></label>
<label>expires before <input type="date" name="expires_before" id="f-expires" value="${q.expiresBefore.slice(0, 10)}"></label>
<label>text <input type="search" name="q" id="f-text" value="${q.text}" placeholder="path, account, rule, id…" size="18"></label>
<label>per page <select name="per_page">${PER_PAGE.map((n) => option(String(n), String(n), String(q.perPage)))}</select></label>
${q.sort !== 'severity' ? html`<input type="hidden" name="sort" value="${q.sort}">` : ''}${q.present !== null ? html`<input type="hidden" name="present" value="${yesNo(q.present)}">` : ''}
<button type="submit">Apply</button> <a href="/findings" class="muted">reset</a>
</form>`;
}

function triageForm(ctx: PageContext, p: TablePage, pages: number): Html {
  const q = p.query;
  const head = COLUMNS.map(([label, sort]) => {
    if (!sort) return html`<th scope="col">${label}</th>`;
    const active = q.sort === sort;
    return html`<th scope="col"${active ? html` aria-sort="${sort === 'expiry' || sort === 'rule' || sort === 'status' ? 'ascending' : 'descending'}"` : ''}><a href="/findings${queryString(q, { sort, page: 1 })}">${label}</a></th>`;
  });
  const writable = !ctx.readOnly && ctx.csrf;
  const rows = p.rows.map((r, i) => {
    const place = r.repositories[0];
    const more = r.repositories.length > 1 ? html` <span class="muted">+${r.repositories.length - 1} more</span>` : '';
    return html`<tr class="row" data-fp="${r.fingerprint}">
${writable ? html`<td><input type="checkbox" name="fp" value="${r.fingerprint}" aria-label="select ${r.rule} in ${place?.path ?? ''}" id="sel-${i}"></td>` : ''}<td><span class="sev sev-${r.severity}">${r.severity}</span></td>
<td class="conf">${r.confidence}</td>
<td><span class="tstatus tstatus-${r.status}">${r.status}</span>${r.stillValid ? '' : html` <span class="muted" title="expired or revoked">· dead</span>`}</td>
<td><a class="open" href="/findings/${r.fingerprint}">${r.rule}</a></td>
<td class="loc">${place ? html`<span class="repo">${place.name}</span> ${place.path}${place.line ? `:${place.line}` : ''}${place.presentAtHead ? '' : html` <span class="muted">(removed from HEAD)</span>`}` : '—'}${more}</td>
<td>${r.account ?? '—'}${r.resource ? html`<div class="muted">${r.resource}</div>` : ''}</td>
<td>${day(r.expiry)}</td>
<td>${day(r.firstSeen)}</td>
</tr>`;
  });
  const table = html`<table id="findings" class="findings">
<thead><tr>${writable ? html`<th scope="col"><span class="sr">select</span></th>` : ''}${head}</tr></thead>
<tbody id="rows">${rows.length ? rows : html`<tr><td colspan="${COLUMNS.length + (writable ? 1 : 0)}" class="empty">No finding matches these filters.</td></tr>`}</tbody>
</table>
${pager(q, pages)}`;
  if (!writable) return table;
  const match = queryString({ ...q, page: 1, perPage: 50, sort: 'severity' });
  return html`<form method="post" action="/findings/triage" id="triage" class="triage">
<input type="hidden" name="_csrf" value="${ctx.csrf}">
<input type="hidden" name="back" value="/findings${queryString(q)}">
<input type="hidden" name="match" value="${match}">
<input type="hidden" name="match_total" value="${p.total}">
<div class="bulk">
<label>mark <select name="status" id="t-status">${TRIAGE_STATUSES.map((s) => html`<option value="${s}"${s === 'fixed' ? html` selected` : ''}>${s}</option>`)}</select></label>
<label>note <input type="text" name="note" id="t-note" maxlength="2000" size="30" placeholder="why (kept with the decision)"></label>
<label class="check"><input type="radio" name="scope" value="selected" checked> the selected findings</label>
<label class="check"><input type="radio" name="scope" value="matching"> all ${plural(p.total, 'finding')} these filters match</label>
<button type="submit">Record</button>
</div>
${table}
</form>`;
}

function pager(q: TableQuery, pages: number): Html {
  if (pages <= 1) return html``;
  const link = (page: number, label: string, rel: string) => html`<a href="/findings${queryString(q, { page })}" rel="${rel}">${label}</a>`;
  return html`<nav class="pager" aria-label="pages">${q.page > 1 ? link(q.page - 1, '← previous', 'prev') : ''} <span>page ${q.page} of ${pages.toLocaleString('en-US')}</span> ${q.page < pages ? link(q.page + 1, 'next →', 'next') : ''}</nav>`;
}
