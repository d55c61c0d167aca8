import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { chromiumAvailable, launchChromium } from '../testing/browser.js';
import { runCliAsync } from '../testing/cli.js';
import { startConsole, type RunningConsole } from '../testing/console.js';
import { scanDemoRepository, seedSynthetic, storedTemplates } from '../testing/console-fixture.js';
import { skipWithoutPostgres, startPostgres, type PgServer } from '../testing/postgres.js';
import { withStore } from '../testing/stores.js';

/**
 * The console in Debian's Chromium, served by the real `sasquatch serve` over a PostgreSQL
 * store, with `sasquatch findings` reading the same store while the console runs: filter,
 * open a finding, triage it, see the decision in the CLI; keyboard moves through the table;
 * the table without JavaScript; no request leaves the console's own origin.
 */
const skipBrowser = !chromiumAvailable() && !process.env['SASQUATCH_REQUIRE_BROWSER'] && 'Chromium not installed (apt-get install chromium; .ci/run does)';
const skip = skipBrowser || skipWithoutPostgres();
const USER = 'dana.browser';

interface Shown {
  fingerprint: string;
  status: string;
  store: { status: string; triage?: unknown };
}

describe('the triage console in a real browser', { skip }, () => {
  let server: PgServer;
  let store: string;
  let app: RunningConsole;
  let browser: Browser;
  const foreign: string[] = [];
  const errors: string[] = [];

  before(async () => {
    server = await startPostgres();
    store = await server.createDatabase();
    await scanDemoRepository(store);
    await withStore(store, async (db) => {
      await seedSynthetic(db, await storedTemplates(db), { count: 150, repositories: 4 });
    });
    app = await startConsole(store, { env: { SASQUATCH_USER: USER } });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await app?.stop();
    server?.stop();
  });

  async function open(path: string, js = true): Promise<Page> {
    const context = await browser.newContext({ javaScriptEnabled: js });
    const page = await context.newPage();
    page.on('request', (r) => {
      if (!r.url().startsWith(app.url)) foreign.push(r.url());
    });
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(new URL(path, app.url).href);
    return page;
  }

  const cli = async (...args: string[]) => {
    const r = await runCliAsync(['findings', ...args, '--store', store]);
    assert.equal(r.code, 0, r.stderr);
    return r.stdout;
  };

  test('filter, open a finding, triage it — and the CLI shows the decision at once', async () => {
    const page = await open('/findings');
    await page.waitForSelector('html[data-ready="1"]');
    const all = await page.locator('#rows tr.row').count();
    assert.equal(all, 50, 'a first page of 50');
    // checking a severity applies the filter (the script submits the form)
    await Promise.all([page.waitForURL(/severity=critical/), page.check('input[name=severity][value=critical]')]);
    const sevs = await page.locator('#rows tr.row .sev').allTextContents();
    assert.ok(sevs.length > 0 && sevs.every((s) => s === 'critical'), sevs.join());
    await page.fill('#f-text', 'upload');
    await Promise.all([page.waitForURL(/q=upload/), page.press('#f-text', 'Enter')]);
    assert.match(page.url(), /severity=critical&q=upload|q=upload.*severity=critical|severity=critical.*q=upload/);
    const rows = page.locator('#rows tr.row');
    assert.equal(await rows.count(), 1, 'the checkpoint upload link in train/upload.py');
    assert.match((await rows.first().locator('td.loc').textContent()) ?? '', /web-app train\/upload\.py:1/);
    // the URL holds the view: opening it anew shows the same
    const again = await open(page.url().replace(app.url, '/'));
    assert.equal(await again.locator('#rows tr.row').count(), 1);
    await again.context().close();

    await Promise.all([page.waitForURL(/\/findings\/[0-9a-f]{32}$/), rows.first().locator('a.open').click()]);
    const fp = page.url().split('/').pop()!;
    assert.match((await page.textContent('.grant')) ?? '', /account mltraining7x.*checkpoints/s);
    assert.match((await page.textContent('.grant')) ?? '', /racwdl|read.*write.*delete/s);
    assert.equal(await page.locator('svg[aria-label="exposure timeline"]').count(), 1);
    assert.match((await page.textContent('#events')) ?? '', /written to web-app train\/upload\.py:1/);

    await page.selectOption('#t-status', 'revoked');
    await page.fill('#t-note', 'rotated the account key in the portal');
    await Promise.all([page.waitForURL(new RegExp(`/findings/${fp}$`)), page.click('#triage-one button[type=submit]')]);
    assert.equal(await page.textContent('#status'), 'revoked');
    assert.match((await page.textContent('.flash')) ?? '', new RegExp(`Marked revoked by ${USER}`));
    assert.match((await page.textContent('#triage-history')) ?? '', new RegExp(`${USER}\\s*open → revoked\\s*rotated the account key in the portal`));

    // the CLI reads the same store while the console runs
    const shown = JSON.parse(await cli('show', fp, '--format', 'json')) as { status: string; triage: { actor: string; status: string; note: string }[] };
    assert.equal(shown.status, 'revoked');
    assert.deepEqual(
      shown.triage.map((t) => [t.actor, t.status, t.note]),
      [[USER, 'revoked', 'rotated the account key in the portal']],
    );
    assert.match(await cli('list', '--status', 'revoked', '--rule', 'azure-sas'), /train\/upload\.py/);
    await page.context().close();
  });

  test('keyboard: j and k move through the rows, x selects, / searches, Enter opens', async () => {
    const page = await open('/findings?sort=first-seen');
    await page.waitForSelector('html[data-ready="1"]');
    const fps = await page.locator('#rows tr.row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-fp')));
    // (page functions run in the browser: the DOM's globals, reached through globalThis)
    const focused = () => page.evaluate(() => (globalThis as unknown as { document: { activeElement: { closest(s: string): { getAttribute(a: string): string | null } | null } | null } }).document.activeElement?.closest('tr.row')?.getAttribute('data-fp') ?? null);
    await page.keyboard.press('j');
    assert.equal(await focused(), fps[0]);
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    assert.equal(await focused(), fps[2]);
    await page.keyboard.press('k');
    assert.equal(await focused(), fps[1]);
    await page.keyboard.press('x');
    assert.equal(await page.locator(`tr[data-fp="${fps[1]}"] input[type=checkbox]`).isChecked(), true);
    await Promise.all([page.waitForURL(new RegExp(`/findings/${fps[1]}$`)), page.keyboard.press('Enter')]);
    await page.goBack();
    await page.waitForSelector('html[data-ready="1"]');
    await page.keyboard.press('/');
    assert.equal(await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { id: string } | null } }).document.activeElement?.id), 'f-text');
    await page.context().close();
  });

  test('without JavaScript the table filters, sorts, pages and triages in bulk', async () => {
    const page = await open('/findings', false);
    assert.equal(await page.locator('html[data-ready]').count(), 0, 'no script ran');
    await page.check('input[name=severity][value=low]');
    await page.check('input[name=confidence][value=high]');
    await Promise.all([page.waitForURL(/severity=low/), page.click('#filters button[type=submit]')]);
    assert.match(page.url(), /severity=low&confidence=high/);
    const sev = await page.locator('#rows tr.row .sev').allTextContents();
    assert.ok(sev.length > 0 && sev.every((s) => s === 'low'));
    assert.ok((await page.locator('#rows td.conf').allTextContents()).every((c) => c === 'high'));
    await Promise.all([page.waitForURL(/sort=expiry/), page.click('thead a:text-is("expires")')]);
    const expiries = (await page.locator('#rows tr.row td:nth-child(8)').allTextContents()).filter((e) => e !== '—');
    assert.deepEqual(expiries, [...expiries].sort(), 'soonest expiry first');
    const chosen = await page.locator('#rows tr.row').evaluateAll((rows) => rows.slice(0, 2).map((r) => r.getAttribute('data-fp')!));
    for (const fp of chosen) await page.check(`tr[data-fp="${fp}"] input[name=fp]`);
    await page.selectOption('#t-status', 'false-positive');
    await page.fill('#t-note', 'generated test data');
    await Promise.all([page.waitForURL(/sort=expiry/), page.click('#triage button[type=submit]')]);
    assert.match((await page.textContent('.flash')) ?? '', new RegExp(`2 findings marked false-positive by ${USER}`));
    for (const fp of chosen) assert.equal(await page.locator(`tr[data-fp="${fp}"]`).count(), 0, 'no longer open');
    const listed = await cli('list', '--status', 'false-positive', '--format', 'json');
    const ids = (JSON.parse(listed) as { findings: Shown[] }).findings.map((f) => f.fingerprint);
    for (const fp of chosen) assert.ok(ids.includes(fp));
    await page.context().close();
  });

  test('every page: no request to another origin, no script error', async () => {
    for (const path of ['/', '/findings', '/repositories', '/status']) {
      const page = await open(path);
      await page.waitForSelector('html[data-ready="1"]');
      await page.context().close();
    }
    assert.deepEqual(foreign, []);
    assert.deepEqual(errors, []);
  });
});
