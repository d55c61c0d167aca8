import { html, type Html } from '../html.js';

/** Signing in with the console's token (the link printed at start carries it, too). */
export function loginPage(opts: { next: string; error?: string | null; askName: boolean }): Html {
  return html`<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="referrer" content="same-origin">
<title>Sign in — sasquatch</title><link rel="stylesheet" href="/assets/report.css"><link rel="stylesheet" href="/assets/console.css"></head>
<body><main class="login">
<h1>sasquatch triage console</h1>
${opts.error ? html`<p class="error" role="alert">${opts.error}</p>` : ''}
<form method="post" action="/login">
<input type="hidden" name="next" value="${opts.next}">
<label>token <input type="password" name="token" id="token" autocomplete="current-password" required autofocus></label>
${opts.askName ? html`<label>your name <input type="text" name="name" id="name" maxlength="100" required placeholder="recorded with your decisions"></label>` : ''}
<button type="submit">Sign in</button>
</form>
<p class="muted">The token is the one the console was started with (SASQUATCH_SERVE_TOKEN).</p>
</main></body></html>
`;
}
