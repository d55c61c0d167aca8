import { components, markup } from '../../report/html/components.js';
import { SEVERITIES, type Severity } from '../../model/severity.js';
import type { DayCount, ExpiryBucket, RepositoryCount } from '../../store/overview.js';
import { TRIAGE_STATUSES } from '../../store/types.js';
import { html, trusted, type Html } from '../html.js';
import { DEFAULT_QUERY, queryString } from '../query.js';
import type { FindingRow } from '../view.js';
import { day, layout, plural, type PageContext } from './layout.js';

export interface OverviewData {
  open: { total: number; bySeverity: Record<Severity, number> };
  byStatus: Record<string, number>;
  expiry: ExpiryBucket[];
  newest: FindingRow[];
  repositories: RepositoryCount[];
  series: DayCount[];
}

const link = (change: Partial<typeof DEFAULT_QUERY>) => `/findings${queryString({ ...DEFAULT_QUERY, ...change })}`;

/** What is open and how bad, what is still valid and for how long, what is new, and where. */
export function overviewPage(ctx: PageContext, o: OverviewData): Html {
  const ui = components();
  const sev = [...SEVERITIES].reverse().map(
    (s) => html`<a class="tile sev-tile-${s}" href="${link({ severities: [s] })}"><span class="n">${o.open.bySeverity[s].toLocaleString('en-US')}</span><span class="sev sev-${s}">${s}</span></a>`,
  );
  const status = TRIAGE_STATUSES.map((s) => html`<li><a href="${link({ statuses: [s] })}"><span class="tstatus tstatus-${s}">${s}</span> ${(o.byStatus[s] ?? 0).toLocaleString('en-US')}</a></li>`);
  const expiry = o.expiry.map((b) => {
    const href = b.before ? link({ valid: true, expiresBefore: b.before.toISOString().slice(0, 10), sort: 'expiry' }) : link({ valid: true, sort: 'expiry' });
    return html`<tr><th scope="row">${b.label}</th><td class="num"><a href="${href}">${b.count.toLocaleString('en-US')}</a></td></tr>`;
  });
  const body = html`<h1>Overview <span class="muted">${plural(o.open.total, 'open finding')}</span></h1>
<section aria-labelledby="h-open"><h2 id="h-open">Open findings by severity</h2><div class="tiles" id="severity-tiles">${sev}</div>
<ul class="statuses" aria-label="findings by status">${status}</ul></section>
<div class="columns">
<section aria-labelledby="h-expiry"><h2 id="h-expiry">Still-valid links, by when they expire</h2>
<table class="compact" id="expiry"><tbody>${expiry}</tbody></table></section>
<section aria-labelledby="h-repos"><h2 id="h-repos">Repositories with the most open findings</h2>
${o.repositories.length ? html`<table class="compact" id="top-repositories"><thead><tr><th scope="col">repository</th><th scope="col" class="num">open</th><th scope="col" class="num">critical</th></tr></thead><tbody>${o.repositories.map(
      (r) => html`<tr><td><a href="/repositories/${r.id}">${r.name}</a></td><td class="num"><a href="${link({ repository: r.name })}">${r.open.toLocaleString('en-US')}</a></td><td class="num">${r.critical.toLocaleString('en-US')}</td></tr>`,
    )}</tbody></table>` : html`<p class="empty">No open finding.</p>`}</section>
</div>
<section aria-labelledby="h-chart"><h2 id="h-chart">Open findings over the last ${o.series.length} days</h2>
${trusted(markup(ui.lineChart(o.series.map((d) => ({ day: d.day, value: d.open })), 'open findings per day')))}</section>
<section aria-labelledby="h-newest"><h2 id="h-newest">Newest findings</h2>
<table class="compact" id="newest"><tbody>${o.newest.map(
    (r) => html`<tr><td><span class="sev sev-${r.severity}">${r.severity}</span></td><td><a href="/findings/${r.fingerprint}">${r.rule}</a></td><td class="loc">${r.repositories[0] ? html`<span class="repo">${r.repositories[0].name}</span> ${r.repositories[0].path}` : ''}</td><td>${day(r.firstSeen)}</td></tr>`,
  )}</tbody></table>
<p><a href="${link({ sort: 'first-seen' })}">All open findings, newest first →</a></p></section>`;
  return layout(ctx, { title: 'Overview', active: '/', body });
}
