import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { chromiumAvailable, launchChromium } from '../testing/browser.js';
import { runCli, tempTree } from '../testing/cli.js';
import { PROD_HOST, startLeakyAccount } from '../testing/storage-fixture.js';
import { sasQuery } from '../testing/tokens.js';
import { buildIncidentRepo } from './history-fixture.js';

const NOW = '2026-11-29T00:00:00Z';
const ARTIFACTS = path.resolve('test-artifacts');

// Without Chromium the browser tests are skipped with a notice — except in CI, which installs it
// and sets SASQUATCH_REQUIRE_BROWSER=1 so a missing browser fails instead of passing silently.
const skip = !chromiumAvailable() && !process.env['SASQUATCH_REQUIRE_BROWSER'] && 'Chromium not installed (apt-get install chromium; .ci/run does)';

/** Opens a report and records every request the page makes and every console error. */
async function open(browser: Browser, file: string): Promise<{ page: Page; requests: string[]; errors: string[] }> {
  const page = await browser.newPage();
  const requests: string[] = [];
  const errors: string[] = [];
  page.on('request', (req) => requests.push(req.url()));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`file://${file}`);
  await page.waitForSelector('html[data-ready="1"]');
  return { page, requests, errors };
}

describe('HTML report in a real browser', { skip }, () => {
  let browser: Browser;
  before(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
  });

  test('the incident repository: verdict, filters, grant card, timeline, no network, injected markup stays text', async () => {
    const { repo } = buildIncidentRepo();
    try {
      repo.write('evil<script>window.__pwned=1</script>.md', `${`https://evil1acct.blob.core.windows.net/c/x.txt?${sasQuery({ sv: '2022-11-02', sr: 'b', sp: 'r', se: '2023-01-01' }, 'evil')}`}\n`);
      repo.commit('2024-01-01T00:00:00Z', 'a file named to inject markup');
      const file = `${repo.dir}.html`;
      const r = runCli(['scan', repo.dir, '--format', 'html', '--output', file, '--now', NOW]);
      assert.equal(r.code, 1, r.stderr);
      const html = readFileSync(file, 'utf8');
      assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; script-src &#39;sha256-/);
      assert.ok(!/<script[^>]+src=|<link[^>]+href=/i.test(html), 'no external script or style');

      const { page, requests, errors } = await open(browser, file);
      assert.equal(await page.textContent('#verdict'), '6 credentials found, 4 of them still valid; 2 writable and account-wide; 2 removed from the code but still valid.');
      assert.equal(await page.locator('#rows tr.row').count(), 6);
      await page.screenshot({ path: path.join(ARTIFACTS, 'report-overview.png'), fullPage: true });

      await page.selectOption('#f-sev', 'critical');
      assert.equal(await page.locator('#rows tr.row').count(), 2);
      await page.selectOption('#f-sev', '');
      await page.fill('#f-path', 'notes');
      assert.equal(await page.locator('#rows tr.row').count(), 1);
      await page.fill('#f-path', '');
      await page.selectOption('#f-status', 'expired');
      assert.equal(await page.locator('#rows tr.row').count(), 2);
      await page.selectOption('#f-status', '');

      await page.click('#findings th[data-sort="expiry"]');
      await page.locator('#rows tr.row', { hasText: 'README.md:7' }).click();
      const card = page.locator('#rows tr.card');
      assert.equal(await card.count(), 1);
      const text = (await card.textContent()) ?? '';
      assert.match(text, /Anyone holding this link can read, write, delete/);
      assert.match(text, /removed\s*2023-07-07/);
      assert.match(text, /still valid after removal/);
      assert.deepEqual(await card.locator('.scope .node').allTextContents(), ['account robustnessws4285631339', 'blob + file + queue + table', 'every container (container, object, service)']);
      const warn = await card.locator('.chip.warn').allTextContents();
      assert.ok(warn.includes('write') && warn.includes('delete'));
      assert.ok((await card.locator('.chip:not(.warn)').allTextContents()).includes('read'));
      assert.match(text, /rotate the account key/);
      assert.ok((await card.locator('ol.playbook li').count()) >= 3);
      await page.screenshot({ path: path.join(ARTIFACTS, 'report-grant-card.png'), fullPage: true });

      // one bar per exposed span; removed-but-valid links also get a "still valid" bar
      assert.ok((await page.locator('#timeline svg rect.bar-exposed').count()) >= 5);
      assert.ok((await page.locator('#timeline svg rect.bar-valid').count()) >= 2);
      assert.equal(await page.locator('#timeline svg line.now').count(), 1);
      // rows start at the token's own start: both incident tokens were valid weeks/hours before their commit
      const before = page.locator('#timeline svg rect.bar-before');
      assert.ok((await before.count()) >= 2);
      const rows = await page.locator('#timeline svg rect.bar').evaluateAll((rs) => rs.map((r) => ({ cls: r.getAttribute('class') ?? '', x: Number(r.getAttribute('x')), w: Number(r.getAttribute('width')), y: r.getAttribute('y') })));
      for (const b of rows.filter((r) => r.cls.includes('bar-before'))) {
        const exposed = rows.find((r) => r.y === b.y && /bar-exposed|bar-live/.test(r.cls));
        assert.ok(exposed && exposed.x > b.x && exposed.x <= b.x + b.w + 0.5, `row ${b.y}: starts at the token's start, exposed from the commit: ${JSON.stringify([b, exposed])}`);
      }

      assert.equal(await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned), undefined);
      assert.equal(await page.locator('#rows td.loc', { hasText: '<script>window.__pwned=1</script>' }).count(), 1);
      assert.deepEqual(requests.filter((u) => !u.startsWith('file://')), [], 'no request leaves the page');
      assert.deepEqual(errors, []);
      await page.close();
    } finally {
      repo.cleanup();
    }
  });

  test('with --verify --exposure: live links, bytes per container and the sensitive objects', async () => {
    const acct = await startLeakyAccount();
    const tree = tempTree({ 'README.md': `weights: ${acct.prodRoot}/models/resnet50/checkpoint.pt?${acct.accountSas({ permissions: 'rwdl' })}\n` });
    try {
      const file = `${tree.dir}.html`;
      const r = runCli(['scan', tree.dir, '--verify', '--exposure', '--allow-private-hosts', '--resolve', `${PROD_HOST}:127.0.0.1`, '--format', 'html', '--output', file, '--fail-on', 'never']);
      assert.equal(r.code, 0, r.stderr);
      const { page, requests, errors } = await open(browser, file);
      assert.match((await page.textContent('#verdict')) ?? '', /^1 live credential exposes [\d.]+ KB, writable and account-wide\.$/);
      assert.equal(await page.locator('#rows td .status-live').count(), 1);
      const bars = await page.locator('#exposure svg text').allTextContents();
      assert.ok(bars.some((t) => /leakyacct\/backups/.test(t)) && bars.some((t) => /leakyacct\/models/.test(t)), bars.join(' | '));
      const sensitive = await page.locator('#sensitive tr').allTextContents();
      assert.ok(sensitive.some((t) => /disk0\.vhd.*disk-image/.test(t)), sensitive.join(' | '));
      assert.ok(sensitive.some((t) => /id_rsa.*private-key/.test(t)));
      assert.ok(sensitive.some((t) => /checkpoint\.pt.*model-checkpoint.*yes/.test(t)));
      await page.screenshot({ path: path.join(ARTIFACTS, 'report-exposure.png'), fullPage: true });
      assert.deepEqual(requests.filter((u) => !u.startsWith('file://')), []);
      assert.deepEqual(errors, []);
      await page.close();
    } finally {
      tree.cleanup();
      await acct.stop();
    }
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
      const t0 = Date.now();
      const { page } = await open(browser, out);
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
