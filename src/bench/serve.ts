import os from 'node:os';
import { buildApp } from '../serve/app.js';
import { refreshStatistics } from '../store/maintenance.js';
import { openStore } from '../store/store.js';
import { freshStoreDir } from '../testing/embedded-store.js';
import { scanDemoRepository, seedSynthetic, storedTemplates } from '../testing/console-fixture.js';

/**
 * bench:serve — the console's latency on 100,000 findings in an embedded (PGlite) store: a
 * real scan's findings made into 100,000 across 200 repositories (first sightings over four
 * months, 30% triaged), the console listening on loopback, each page and API query asked
 * for over HTTP several times; p50 and p95 of the full response (query, render, transfer).
 * BENCH_FINDINGS and BENCH_REPEATS change the size and the number of requests.
 */
const FINDINGS = Number(process.env['BENCH_FINDINGS'] ?? 100_000);
const REPEATS = Number(process.env['BENCH_REPEATS'] ?? 20);

interface Row {
  name: string;
  path: string;
}

const PAGES: Row[] = [
  { name: 'findings page, first page (open, by severity)', path: '/findings' },
  { name: 'overview page', path: '/' },
  { name: 'finding page', path: '/findings/{fp}' },
  { name: 'repositories page', path: '/repositories' },
];

const FILTERS: Row[] = [
  { name: 'critical, still valid', path: '/api/findings?severity=critical&valid=yes' },
  { name: 'one rule, high confidence', path: '/api/findings?rule=github-token&confidence=high' },
  { name: 'free text (part of a path)', path: '/api/findings?q=module12' },
  { name: 'one repository', path: '/api/findings?repository=acme/service-007' },
  { name: 'expires in 90 days, soonest first', path: '/api/findings?valid=yes&expires_before={90d}&sort=expiry' },
  { name: 'every status, newest first', path: '/api/findings?status=all&sort=first-seen' },
  { name: 'critical + high, free text, page 3', path: '/api/findings?severity=critical,high&q=src&page=3' },
  { name: 'findings page, filtered (critical, valid, text)', path: '/findings?severity=critical&valid=yes&q=deploy' },
];

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function main(): Promise<void> {
  const started = Date.now();
  const dir = await freshStoreDir();
  await scanDemoRepository(dir);
  let db = await openStore(dir);
  await seedSynthetic(db, await storedTemplates(db), { count: FINDINGS, repositories: 200 });
  const seeded = (Date.now() - started) / 1000;
  await db.close();
  // as `sasquatch serve` does it: open, statistics, listen
  const t0 = Date.now();
  db = await openStore(dir);
  await refreshStatistics(db);
  const app = await buildApp(db, { host: '127.0.0.1', tokens: [], userHeader: null, localUser: 'bench', readOnly: false });
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  const startup = (Date.now() - t0) / 1000;
  const [{ fp }] = await db.query<{ fp: string }>(`SELECT fingerprint AS fp FROM findings WHERE kind IS NOT NULL ORDER BY severity_rank DESC, fingerprint LIMIT 1`);
  const in90 = new Date(Date.now() + 90 * 86_400_000).toISOString().slice(0, 10);
  const load = os.loadavg()[0]!;
  const lines: string[] = [];
  const say = (s: string) => {
    lines.push(s);
    process.stdout.write(`${s}\n`);
  };
  say(`serve benchmark — ${FINDINGS.toLocaleString('en-US')} findings in 200 repositories, embedded PGlite store; ${os.cpus().length} cores, load ${load.toFixed(1)} at start, node ${process.version}`);
  say(`seeding: ${seeded.toFixed(0)} s; console start (open, VACUUM ANALYZE, listen): ${startup.toFixed(1)} s; ${REPEATS} requests each, after one warm-up`);
  say('');
  say(`${'request'.padEnd(52)}${'p50 ms'.padStart(9)}${'p95 ms'.padStart(9)}${'bytes'.padStart(10)}`);
  const measure = async (row: Row) => {
    const url = base + row.path.replace('{fp}', fp).replace('{90d}', in90);
    const times: number[] = [];
    let size = 0;
    for (let i = 0; i <= REPEATS; i++) {
      const s = performance.now();
      const r = await fetch(url, { headers: { accept: 'text/html,application/json' } });
      const body = await r.arrayBuffer();
      const ms = performance.now() - s;
      if (r.status !== 200) throw new Error(`${row.path}: HTTP ${r.status}`);
      size = body.byteLength;
      if (i > 0) times.push(ms);
    }
    times.sort((a, b) => a - b);
    say(`${row.name.padEnd(52)}${pct(times, 50).toFixed(0).padStart(9)}${pct(times, 95).toFixed(0).padStart(9)}${String(size).padStart(10)}`);
  };
  say('pages (HTML)');
  for (const r of PAGES) await measure(r);
  say('filtered queries (JSON API, first 50 with the total)');
  for (const r of FILTERS) await measure(r);
  await app.close();
  await db.close();
}

await main();
