import { components, markup } from '../../report/html/components.js';
import { pageData } from '../../report/html/data.js';
import type { Finding } from '../../model/finding.js';
import type { FindingDetail } from '../../store/types.js';
import { TRIAGE_STATUSES } from '../../store/types.js';
import { TOOL } from '../../version.js';
import { html, trusted, type Html } from '../html.js';
import { browserSafe } from '../view.js';
import { day, layout, when, type PageContext } from './layout.js';

/**
 * One finding: the report's grant card and timeline (the same components, rendered here on
 * the server), its history across repositories, verification and exposure, the playbook,
 * and its triage — with the form that records the next decision.
 */
export function findingPage(ctx: PageContext, d: FindingDetail, flash?: string | null): Html {
  const f = browserSafe(d.finding);
  const ui = components();
  const data = ui.resolve(pageData({ findings: [f], now: ctx.now }, { name: TOOL.name, version: TOOL.version }));
  const pf = data.findings[0]!;
  const body = html`<p class="crumbs"><a href="/findings">Findings</a> › <code>${d.fingerprint}</code></p>
<h1><span class="sev sev-${f.severity}">${f.severity}</span> ${f.title} <span class="tstatus tstatus-${d.status}" id="status">${d.status}</span></h1>
<p class="muted">${f.rule} · ${f.confidence} confidence · ${d.stillValid ? 'not known to be expired or revoked' : 'expired or revoked'} · ${d.presentAtHead ? 'still at HEAD' : 'removed from HEAD everywhere'} · first seen ${day(d.firstSeen)} · last seen ${day(d.lastSeen)}</p>
<div class="columns">
<section aria-labelledby="h-grant" class="card-box"><h2 id="h-grant">What it grants</h2>${trusted(markup(ui.grant(pf, data)))}</section>
<section aria-labelledby="h-triage" class="triage-box">${triageSection(ctx, d)}</section>
</div>
<section aria-labelledby="h-timeline"><h2 id="h-timeline">Timeline</h2>
<div class="legend"><span><i class="l-exposed"></i>in the code and valid</span><span><i class="l-valid"></i>removed (or not yet) but still valid</span><span><i class="l-expired"></i>expired</span></div>
${trusted(markup(ui.timeline([pf], data.now, 1)))}
${events(d, f)}
</section>
<section aria-labelledby="h-places"><h2 id="h-places">Where it lives</h2>${places(d)}</section>
<section aria-labelledby="h-checks"><h2 id="h-checks">Verification and exposure</h2>${checks(f)}</section>`;
  return layout(ctx, { title: `${f.rule} ${d.fingerprint.slice(0, 10)}`, active: '/findings', body, flash: flash ?? null });
}

function triageSection(ctx: PageContext, d: FindingDetail): Html {
  const form =
    !ctx.readOnly && ctx.csrf
      ? html`<form method="post" action="/findings/${d.fingerprint}/triage" class="triage-one" id="triage-one">
<input type="hidden" name="_csrf" value="${ctx.csrf}">
<label>status <select name="status" id="t-status">${TRIAGE_STATUSES.map((s) => html`<option value="${s}"${s === d.status ? html` selected` : ''}>${s}</option>`)}</select></label>
<label>note <textarea name="note" id="t-note" maxlength="2000" rows="2" placeholder="why (kept with the decision)"></textarea></label>
<button type="submit">Record as ${ctx.user}</button>
</form>`
      : html`<p class="muted">${ctx.readOnly ? 'Read-only console: decisions are recorded with `sasquatch findings triage`.' : ''}</p>`;
  const history = d.triage.length
    ? html`<ol class="events triage-history" id="triage-history">${[...d.triage].reverse().map(
        (t) => html`<li><time>${when(t.at)}</time> <strong>${t.actor}</strong> ${t.previous} → <span class="tstatus tstatus-${t.status}">${t.status}</span>${t.note ? html`<div class="note">${t.note}</div>` : ''}</li>`,
      )}</ol>`
    : html`<p class="muted">No decision yet.</p>`;
  return html`<h2 id="h-triage">Triage</h2>${d.statusNote ? html`<p class="note">${d.statusNote}</p>` : ''}${form}<h3>History</h3>${history}`;
}

interface Event {
  at: string;
  text: Html;
}

/** Everything that happened to it, oldest first: commits that wrote it, its removal, people's decisions. */
function events(d: FindingDetail, f: Finding): Html {
  const list: Event[] = [];
  const start = f.grant?.start;
  if (start) list.push({ at: start, text: html`the link became valid` });
  for (const o of d.occurrences) {
    if (!o.date) continue;
    list.push({ at: o.date.toISOString(), text: html`written to <span class="repo">${o.repository}</span> ${o.path}${o.line ? `:${o.line}` : ''} in <code>${o.commit.slice(0, 10)}</code>` });
  }
  for (const p of d.places) if (p.removedAt) list.push({ at: p.removedAt.toISOString(), text: html`removed from HEAD of <span class="repo">${p.repository}</span>${p.removedCommit ? html` in <code>${p.removedCommit.slice(0, 10)}</code>` : ''}` });
  list.push({ at: d.firstSeen.toISOString(), text: html`first seen by the store` });
  for (const t of d.triage) list.push({ at: t.at.toISOString(), text: html`<strong>${t.actor}</strong> marked it ${t.status}${t.note ? ` (${t.note})` : ''}` });
  if (f.grant?.expiry) list.push({ at: f.grant.expiry, text: html`the link ${Date.parse(f.grant.expiry) < Date.now() ? 'expired' : 'expires'}` });
  list.sort((a, b) => a.at.localeCompare(b.at));
  return html`<ol class="events" id="events">${list.map((e) => html`<li><time>${when(e.at)}</time> ${e.text}</li>`)}</ol>`;
}

function places(d: FindingDetail): Html {
  if (!d.places.length) return html`<p class="muted">No repository recorded.</p>`;
  return html`<table class="places"><thead><tr><th scope="col">repository</th><th scope="col">path</th><th scope="col">introduced</th><th scope="col">at HEAD</th></tr></thead><tbody>${d.places.map(
    (p) => html`<tr><td><a href="/repositories/${p.repositoryId}">${p.repository}</a></td><td class="loc">${p.path}${p.line ? `:${p.line}` : ''}</td><td>${day(p.introducedAt)}${p.introducedCommit ? html` <code>${p.introducedCommit.slice(0, 10)}</code>` : ''}</td><td>${p.presentAtHead ? 'yes' : html`removed ${day(p.removedAt)}`}</td></tr>`,
  )}</tbody></table>
<p class="muted">${d.occurrences.length} recorded commit${d.occurrences.length === 1 ? '' : 's'} wrote it.</p>`;
}

function checks(f: Finding): Html {
  const v = f.verification as { status?: string; reason?: string; checkedAt?: string } | undefined;
  const x = f.exposure as { totals?: { objects: number; bytes: number; containers: number }; writable?: boolean } | undefined;
  const ui = components();
  return html`<dl class="facts">
<dt>verification</dt><dd>${v?.status ? html`<span class="status status-${v.status}">${v.status}</span> ${v.reason ?? ''}` : 'not checked (sasquatch scan --verify checks a link live, read-only)'}</dd>
<dt>exposure</dt><dd>${x?.totals ? `${x.totals.objects} objects, ${ui.bytes(x.totals.bytes)} in ${x.totals.containers} containers${x.writable ? ', writable' : ''}` : 'not measured (--verify --exposure lists what a live link reaches)'}</dd>
</dl>`;
}
