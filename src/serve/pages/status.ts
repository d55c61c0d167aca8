import type { ScanRow } from '../../store/overview.js';
import type { RunStatus } from '../../store/scans.js';
import { html, type Html } from '../html.js';
import { layout, when, type PageContext } from './layout.js';
import { scanTable } from './repositories.js';

/** The latest organisation run and the scans: queued, running, done, failed (with why). */
export function statusPage(ctx: PageContext, s: RunStatus, scans: ScanRow[]): Html {
  const run = s.run;
  const t = s.throughput;
  const body = html`<h1>Scans</h1>
${run
  ? html`<section aria-labelledby="h-run"><h2 id="h-run">Run ${run.id}: ${run.spec}</h2>
<p>started ${when(run.startedAt)} · ${run.listed} listed · ${run.queued} queued · ${run.unchanged} unchanged</p>
<ul class="statuses" id="scan-states">${(['queued', 'running', 'done', 'failed'] as const).map((k) => html`<li class="state-${k}">${k} ${s.scans[k]}</li>`)}</ul>
${t.seconds > 0 ? html`<p class="muted">${t.reposPerMinute.toFixed(1)} repositories a minute · ${(t.bytesPerSecond / 1e6).toFixed(1)} MB/s · ${t.commits} commits · ${t.blobs} blobs (${t.knownBlobs} known clean)</p>` : ''}
${s.failed.length ? html`<h3>Failed</h3><ul class="error">${s.failed.map((f) => html`<li>${f.repository}: ${f.error} (${f.attempts} attempts)</li>`)}</ul>` : ''}
${s.running.length ? html`<h3>Running</h3><ul>${s.running.map((r) => html`<li>${r.repository} since ${when(r.since)}</li>`)}</ul>` : ''}
</section>`
  : html`<p class="muted">No organisation run yet (sasquatch org scan … --store).</p>`}
<section aria-labelledby="h-scans"><h2 id="h-scans">Latest scans</h2>${scanTable(scans, true)}</section>`;
  return layout(ctx, { title: 'Scans', active: '/status', body });
}
