import { TOOL } from '../../version.js';
import { html, type Html } from '../html.js';

/** What every page knows about the request it answers. */
export interface PageContext {
  user: string;
  /** A CSRF token for the page's forms (null: read-only, no forms). */
  csrf: string | null;
  readOnly: boolean;
  /** Signed in with a session (a sign-out button is shown). */
  session: boolean;
  store: string;
  now: Date;
}

const NAV: [string, string][] = [
  ['/', 'Overview'],
  ['/findings', 'Findings'],
  ['/repositories', 'Repositories'],
  ['/status', 'Scans'],
];

/** The page around its content: one stylesheet pair, one deferred script, no inline code. */
export function layout(ctx: PageContext, opts: { title: string; active: string; body: Html; flash?: string | null }): Html {
  return html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<title>${opts.title} — sasquatch</title>
<link rel="stylesheet" href="/assets/report.css">
<link rel="stylesheet" href="/assets/console.css">
<script src="/assets/console.js" defer></script>
</head>
<body>
<header class="bar">
<a class="brand" href="/">sasquatch <span>triage console</span></a>
<nav aria-label="sections">${NAV.map(([href, label]) => html`<a href="${href}"${opts.active === href ? html` aria-current="page"` : ''}>${label}</a>`)}</nav>
<div class="who"><span title="recorded with every decision">${ctx.user}</span>${ctx.readOnly ? html` <span class="badge">read-only</span>` : ''} <span class="muted" title="the store">${ctx.store}</span>${
    ctx.session && ctx.csrf ? html`<form method="post" action="/logout" class="inline"><input type="hidden" name="_csrf" value="${ctx.csrf}"><button type="submit" class="link">sign out</button></form>` : ''
  }</div>
</header>
<main>
${opts.flash ? html`<p class="flash" role="status">${opts.flash}</p>` : ''}${opts.body}
</main>
<footer class="muted">${TOOL.name} ${TOOL.version} · <a href="/api/openapi.json">API</a></footer>
</body>
</html>
`;
}

export function errorPage(ctx: PageContext, status: number, message: string): Html {
  return layout(ctx, { title: `${status}`, active: '', body: html`<h1>${status === 404 ? 'Not found' : 'Cannot show this'}</h1><p class="error">${message}</p><p><a href="/findings">Back to the findings</a></p>` });
}

export function day(d: Date | string | null | undefined): string {
  if (!d) return '—';
  return (typeof d === 'string' ? d : d.toISOString()).slice(0, 10);
}

export function when(d: Date | string | null | undefined): string {
  if (!d) return '—';
  return (typeof d === 'string' ? d : d.toISOString()).slice(0, 16).replace('T', ' ');
}

export function plural(n: number, word: string): string {
  return `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
}
