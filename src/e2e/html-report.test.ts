import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { chromiumAvailable, launchChromium } from '../testing/browser.js';
import { runCli, tempTree } from '../testing/cli.js';
import { INCIDENT, sasQuery } from '../testing/tokens.js';

const NOW = '2026-11-29T00:00:00Z';
const ARTIFACTS = path.resolve('test-artifacts');

// Without Chromium the browser tests are skipped with a notice — except in CI, which installs it
// and sets SASQUATCH_REQUIRE_BROWSER=1 so a missing browser fails instead of passing silently.
const skip = !chromiumAvailable() && !process.env['SASQUATCH_REQUIRE_BROWSER'] && 'Chromium not installed (apt-get install chromium; .ci/run does)';

describe('HTML report in a real browser', { skip }, () => {
  let browser: Browser;
  let tree: ReturnType<typeof tempTree>;
  before(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    browser = await launchChromium();
    tree = tempTree({
      'README.md': `# Models\n\n${INCIDENT.urlA()}\n\n${INCIDENT.urlB()}\n`,
      'evil<script>window.__pwned=1</script>.md': `${INCIDENT.urlB('x/model.pt')}\n`,
      'train/upload.py': `U = "https://mltraining7x.blob.core.windows.net/checkpoints?${sasQuery({ sv: '2022-11-02', sr: 'c', sp: 'racwdl', se: '2049-03-01T00:00:00Z' }, 'h')}"\n`,
      'old.env': `X=https://old1.blob.core.windows.net/c/b.txt?${sasQuery({ sv: '2022-11-02', sr: 'b', sp: 'r', st: '2023-01-01', se: '2023-03-01' }, 'o')}\n`,
    });
  });
  after(async () => {
    await browser?.close();
    tree?.cleanup();
  });

  test('verdict, filters, grant card, timeline, no network, injected markup stays text', async () => {
    const file = `${tree.dir}.html`;
    const r = runCli(['scan', tree.dir, '--format', 'html', '--output', file, '--now', NOW]);
    assert.equal(r.code, 1, r.stderr);
    const html = readFileSync(file, 'utf8');
    assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; script-src &#39;sha256-/);
    assert.ok(!/https?:\/\/(?!robustness|mltraining|old1)[^"'\s]*\.(?:js|css)/.test(html), 'no external script or style');

    const page = await browser.newPage();
    const requests: string[] = [];
    page.on('request', (req) => requests.push(req.url()));
    const consoleErrors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
    await page.goto(`file://${file}`);
    await page.waitForSelector('html[data-ready="1"]');

    assert.equal(await page.textContent('#verdict'), '4 links found, 2 of them still valid; 1 writable and account-wide.');
    assert.equal(await page.locator('#rows tr.row').count(), 5);
    await page.screenshot({ path: path.join(ARTIFACTS, 'report-overview.png'), fullPage: true });

    await page.selectOption('#f-sev', 'critical');
    assert.equal(await page.locator('#rows tr.row').count(), 3);
    await page.selectOption('#f-sev', '');
    await page.fill('#f-path', 'train/');
    assert.equal(await page.locator('#rows tr.row').count(), 1);
    await page.fill('#f-path', '');
    await page.selectOption('#f-status', 'expired');
    assert.equal(await page.locator('#rows tr.row').count(), 2);
    await page.selectOption('#f-status', '');

    await page.click('#findings th[data-sort="loc"]');
    await page.locator('#rows tr.row', { hasText: 'README.md:5' }).click();
    const card = page.locator('#rows tr.card');
    assert.equal(await card.count(), 1);
    assert.match((await card.textContent()) ?? '', /Anyone holding this link can read, write, delete/);
    assert.deepEqual(await card.locator('.scope .node').allTextContents(), ['account robustnessws4285631339', 'blob + file + queue + table', 'every container (container, object, service)']);
    const warnChips = await card.locator('.chip.warn').allTextContents();
    assert.ok(warnChips.includes('write') && warnChips.includes('delete'));
    assert.ok((await card.locator('.chip:not(.warn)').allTextContents()).includes('read'));
    assert.match((await card.textContent()) ?? '', /rotate the account key/);
    assert.ok((await card.locator('ol.playbook li').count()) >= 3);
    await page.screenshot({ path: path.join(ARTIFACTS, 'report-grant-card.png'), fullPage: true });

    assert.ok((await page.locator('#timeline svg rect.bar').count()) >= 5);
    assert.equal(await page.locator('#timeline svg line.now').count(), 1);

    assert.equal(await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned), undefined);
    assert.equal(await page.locator('#rows td.loc', { hasText: '<script>window.__pwned=1</script>' }).count(), 1);
    assert.deepEqual(requests.filter((u) => !u.startsWith('file://')), [], 'no request leaves the page');
    assert.deepEqual(consoleErrors, []);
    await page.close();
  });

  test('sasquatch report renders a saved JSON report; 1,000 findings stay under 1 MB and render quickly', async () => {
    const lines: string[] = [];
    for (let i = 0; i < 1000; i++) {
      const q = sasQuery({ sv: '2022-11-02', sr: i % 2 ? 'b' : 'c', sp: ['r', 'rl', 'rw', 'racwdl'][i % 4]!, st: '2024-01-01', se: `20${30 + (i % 20)}-01-01` }, `bulk-${i}`);
      lines.push(`L${i} https://bulk${i % 37}acct.blob.core.windows.net/data${i % 11}/f${i}.csv?${q}`);
    }
    const big = tempTree({ 'links.txt': lines.join('\n') });
    try {
      const json = `${big.dir}.json`;
      runCli(['scan', big.dir, '--format', 'json', '--output', json, '--now', NOW]);
      const out = `${big.dir}.html`;
      const r = runCli(['report', json, '--output', out]);
      assert.equal(r.code ?? 0, 0, r.stderr);
      const size = statSync(out).size;
      assert.ok(size < 1_000_000, `${size} bytes`);
      const page = await browser.newPage();
      const t0 = Date.now();
      await page.goto(`file://${out}`);
      await page.waitForSelector('html[data-ready="1"]');
      const wall = Date.now() - t0;
      const ms = Number(await page.getAttribute('html', 'data-render-ms'));
      assert.equal(await page.locator('#rows tr.row').count(), 1000);
      const summary = `HTML report: 1000 findings, ${(size / 1024).toFixed(0)} KB, ready ${ms} ms after navigation start (${wall} ms including page load by the test driver, headless Chromium)`;
      console.log(summary);
      writeFileSync(path.join(ARTIFACTS, 'report-1000-findings.txt'), `${summary}\n`);
      await page.screenshot({ path: path.join(ARTIFACTS, 'report-1000-findings.png') });
      await page.close();
    } finally {
      big.cleanup();
    }
  });
});
