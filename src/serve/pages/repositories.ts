import type { ScanRow } from '../../store/overview.js';
import type { RepositoryRecord } from '../../store/types.js';
import { html, type Html } from '../html.js';
import { DEFAULT_QUERY, queryString } from '../query.js';
import type { FindingRow } from '../view.js';
import { day, layout, plural, when, type PageContext } from './layout.js';

export interface RepositoryListItem {
  repository: RepositoryRecord;
  open: number;
  total: number;
}

export function repositoriesPage(ctx: PageContext, p: { items: RepositoryListItem[]; total: number; name: string; page: number; perPage: number }): Html {
  const pages = Math.max(1, Math.ceil(p.total / p.perPage));
  const qs = (page: number) => `?${new URLSearchParams({ ...(p.name ? { name: p.name } : {}), page: String(page) }).toString()}`;
  const body = html`<h1>Repositories <span class="muted">${plural(p.total, 'repository').replace('repositorys', 'repositories')}</span></h1>
<form method="get" action="/repositories" class="filters" role="search"><label>name <input type="search" name="name" value="${p.name}" placeholder="org/* or a URL"></label> <button type="submit">Filter</button></form>
<table id="repositories"><thead><tr><th scope="col">repository</th><th scope="col" class="num">open</th><th scope="col" class="num">all findings</th><th scope="col">last scan</th><th scope="col">scanned</th></tr></thead>
<tbody>${p.items.map(
    ({ repository: r, open, total }) =>
      html`<tr><td><a href="/repositories/${r.id}">${r.name}</a>${r.archived ? html` <span class="muted">archived</span>` : ''}</td><td class="num"><a href="/findings${queryString({ ...DEFAULT_QUERY, repository: r.name })}">${open}</a></td><td class="num">${total}</td><td>${r.scanState ?? '—'}</td><td>${when(r.lastScannedAt)}</td></tr>`,
  )}</tbody></table>
${pages > 1 ? html`<nav class="pager" aria-label="pages">${p.page > 1 ? html`<a rel="prev" href="/repositories${qs(p.page - 1)}">← previous</a>` : ''} page ${p.page} of ${pages} ${p.page < pages ? html`<a rel="next" href="/repositories${qs(p.page + 1)}">next →</a>` : ''}</nav>` : ''}`;
  return layout(ctx, { title: 'Repositories', active: '/repositories', body });
}

export function repositoryPage(ctx: PageContext, r: RepositoryRecord, counts: { open: number; total: number }, open: FindingRow[], scans: ScanRow[]): Html {
  const all = `/findings${queryString({ ...DEFAULT_QUERY, repository: r.name })}`;
  const body = html`<p class="crumbs"><a href="/repositories">Repositories</a> › ${r.name}</p>
<h1>${r.name} <span class="muted">${plural(counts.open, 'open finding')}</span></h1>
<dl class="facts">
<dt>URL</dt><dd>${r.url}</dd>
<dt>source</dt><dd>${r.source}${r.visibility ? ` · ${r.visibility}` : ''}${r.archived ? ' · archived' : ''}${r.fork ? ' · fork' : ''}</dd>
<dt>default branch</dt><dd>${r.defaultBranch ?? '—'}</dd>
<dt>last scan</dt><dd>${r.scanState ?? 'never'}${r.lastScannedAt ? ` · completed ${when(r.lastScannedAt)}` : ''}${r.head ? html` · HEAD <code>${r.head.slice(0, 10)}</code>` : ''}</dd>
${r.scanError ? html`<dt>error</dt><dd class="error">${r.scanError}</dd>` : ''}
<dt>findings</dt><dd><a href="${all}">${counts.open} open</a> · <a href="/findings${queryString({ ...DEFAULT_QUERY, repository: r.name, statuses: null })}">${counts.total} in all</a></dd>
</dl>
<section aria-labelledby="h-open"><h2 id="h-open">Open findings</h2>
${open.length ? html`<table class="compact"><tbody>${open.map(
    (f) => html`<tr><td><span class="sev sev-${f.severity}">${f.severity}</span></td><td><a href="/findings/${f.fingerprint}">${f.rule}</a></td><td class="loc">${f.repositories.find((p) => p.id === r.id)?.path ?? ''}</td><td>${day(f.expiry)}</td></tr>`,
  )}</tbody></table>${counts.open > open.length ? html`<p><a href="${all}">All ${counts.open} →</a></p>` : ''}` : html`<p class="empty">No open finding.</p>`}</section>
<section aria-labelledby="h-scans"><h2 id="h-scans">Scans</h2>${scanTable(scans, false)}</section>`;
  return layout(ctx, { title: r.name, active: '/repositories', body });
}

export function scanTable(scans: ScanRow[], withRepository: boolean): Html {
  if (!scans.length) return html`<p class="empty">No scan recorded (scan --store records local scans; org scan queues them).</p>`;
  return html`<table class="scans"><thead><tr><th scope="col">scan</th>${withRepository ? html`<th scope="col">repository</th>` : ''}<th scope="col">state</th><th scope="col">parts</th><th scope="col">queued</th><th scope="col">finished</th><th scope="col" class="num">commits</th><th scope="col" class="num">blobs</th><th scope="col" class="num">findings</th></tr></thead><tbody>${scans.map(
    (s) => html`<tr><td>#${s.id}${s.runId ? html` <span class="muted">run ${s.runId}</span>` : ''}</td>${withRepository ? html`<td><a href="/repositories/${s.repositoryId}">${s.repository}</a></td>` : ''}<td class="state-${s.state}">${s.state}${s.attempts > 1 ? ` (${s.attempts} attempts)` : ''}${s.error ? html`<div class="error">${s.error.slice(0, 300)}</div>` : ''}</td><td>${s.partsDone}/${s.partsTotal}</td><td>${when(s.queuedAt)}</td><td>${when(s.finishedAt)}</td><td class="num">${s.commits}</td><td class="num">${s.blobs}</td><td class="num">${s.findings}</td></tr>`,
  )}</tbody></table>`;
}

export { day };
