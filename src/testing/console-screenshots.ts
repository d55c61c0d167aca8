import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from './browser.js';
import { startConsole } from './console.js';
import { scanDemoRepository, seedSynthetic, storedTemplates } from './console-fixture.js';
import { freshStoreDir } from './embedded-store.js';
import { withStore } from './stores.js';

/**
 * `npm run screenshots`: the README's pictures of the console, taken in Debian's Chromium
 * from a real `sasquatch serve` over a store holding a scanned repository and 3,000
 * generated findings. Writes docs/images/console-*.png.
 */
const OUT = fileURLToPath(new URL('../../docs/images/', import.meta.url));

async function main(): Promise<void> {
  const store = await freshStoreDir();
  await scanDemoRepository(store);
  await withStore(store, async (db) => {
    await seedSynthetic(db, await storedTemplates(db), { count: 3000, repositories: 40 });
  });
  const app = await startConsole(store, { env: { SASQUATCH_USER: 'dana' } });
  const browser = await launchChromium();
  try {
    mkdirSync(OUT, { recursive: true });
    const page = await browser.newPage({ viewport: { width: 1360, height: 900 }, deviceScaleFactor: 1 });
    const shot = async (url: string, file: string, full = false) => {
      await page.goto(new URL(url, app.url).href);
      await page.waitForSelector('html[data-ready="1"]');
      await page.screenshot({ path: path.join(OUT, file), fullPage: full });
      process.stdout.write(`docs/images/${file}\n`);
    };
    await shot('/', 'console-overview.png', true);
    await shot('/findings?severity=critical,high&valid=yes&sort=expiry', 'console-findings.png');
    // the 2023 incident's account SAS, from the scanned repository
    await page.goto(new URL('/findings?repository=web-app&q=robustnessws&status=all', app.url).href);
    const link = page.locator('#rows tr.row a.open').first();
    await Promise.all([page.waitForURL(/\/findings\/[0-9a-f]{32}$/), link.click()]);
    await page.selectOption('#t-status', 'accepted-risk');
    await page.fill('#t-note', 'public models; rotation planned for Friday');
    await Promise.all([page.waitForLoadState('load'), page.click('#triage-one button[type=submit]')]);
    await page.waitForSelector('html[data-ready="1"]');
    await page.screenshot({ path: path.join(OUT, 'console-finding.png'), fullPage: true });
    process.stdout.write('docs/images/console-finding.png\n');
  } finally {
    await browser.close();
    await app.stop();
  }
}

await main();
