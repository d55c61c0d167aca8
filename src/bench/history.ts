/**
 * History scan benchmark (`npm run bench:history`; not a test; `npm run bench` includes it).
 *
 * Uses the generated 5,000-commit repository (history-repo.ts) and times:
 *   - `git cat-file --batch-all-objects --batch > /dev/null`: git emitting every object, the
 *     floor for anything that reads the whole history;
 *   - `git cat-file --batch` on exactly the blobs the scan reads, in its order;
 *   - `sasquatch scan <repo> --format json` in a child process (wall time, MB/s over the blob
 *     bytes, peak RSS from /usr/bin/time -v and from the node process itself);
 *   - the same scan limited to the first fifth of the commits, to show memory against history size;
 * and checks the report: every planted link found once, with the right introducing commit.
 */
import { rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { streamLog } from '../sources/git/log-stream.js';
import { openRepository } from '../sources/git/repo.js';
import { allObjectBytes, COMMITS, EARLY_TAG, historyRepo, REPO, verifyHistory, type HistoryReport } from './history-repo.js';
import { CLI, fmt, HAS_TIME, RUNS, run, scanCli, table, timed } from './measure.js';
import { existsSync } from 'node:fs';

/** The blob ids the scan reads, in its order, one per line: for timing git alone on the same work. */
async function scanOrderIds(): Promise<string> {
  const file = path.join(os.tmpdir(), `sasquatch-bench-${process.pid}.ids`);
  const seen = new Set<string>();
  const ids: string[] = [];
  const repo = (await openRepository(REPO))!;
  for await (const { changes } of streamLog(repo, ['--all'])) {
    for (const c of changes) if (c.newBlob && !seen.has(c.newBlob)) seen.add(c.newBlob), ids.push(c.newBlob);
  }
  writeFileSync(file, `${ids.join('\n')}\n`);
  return file;
}

async function main(): Promise<void> {
  if (!existsSync(CLI)) throw new Error('build first: npm run build');
  const meta = await historyRepo((s) => process.stderr.write(s));
  const allBytes = allObjectBytes(REPO);
  const idsFile = await scanOrderIds();
  // warm the page cache so no row pays for the first read
  run('git', ['-C', REPO, 'cat-file', '--batch-all-objects', '--batch-check']);
  const gitAll = timed('git', ['-C', REPO, 'cat-file', '--batch-all-objects', '--batch']);
  const gitSame = timed('git', ['-C', REPO, 'cat-file', '--batch', '--buffer'], { stdin: idsFile });
  rmSync(idsFile, { force: true });
  const full = scanCli<HistoryReport>(REPO);
  const early = scanCli<HistoryReport>(REPO, ['--branch', EARLY_TAG]);

  const h = full.report.summary.history![0]!;
  const e = early.report.summary.history![0]!;
  const mb = (x: number | null) => (x ? `${fmt(x, 0)} MB` : '?');
  const rows: string[][] = [
    ['', 'wall (median)', 'MB', 'MB/s', 'peak RSS', 'peak RSS incl. git'],
    ['git cat-file --batch-all-objects --batch', `${fmt(gitAll.seconds, 2)} s`, fmt(allBytes / 1e6), fmt(allBytes / 1e6 / gitAll.seconds), '', mb(gitAll.treeRssMb)],
    ['git cat-file --batch (the scanned blobs, scan order)', `${fmt(gitSame.seconds, 2)} s`, fmt(h.bytes / 1e6), fmt(h.bytes / 1e6 / gitSame.seconds), '', mb(gitSame.treeRssMb)],
    [`sasquatch scan (all refs, ${h.commits} commits, ${h.blobs} blobs)`, `${fmt(full.t.seconds, 2)} s`, fmt(h.bytes / 1e6), fmt(h.bytes / 1e6 / full.t.seconds), mb(full.t.nodeRssMb), mb(full.t.treeRssMb)],
    [`sasquatch scan --branch ${EARLY_TAG} (${e.commits} commits, ${e.blobs} blobs)`, `${fmt(early.t.seconds, 2)} s`, fmt(e.bytes / 1e6), fmt(e.bytes / 1e6 / early.t.seconds), mb(early.t.nodeRssMb), mb(early.t.treeRssMb)],
  ];
  console.log(`\nhistory benchmark — ${COMMITS} commits, ${h.blobs} unique blobs, ${fmt(h.bytes / 1e6)} MB of blob content (${os.cpus().length} cores, node ${process.version}, ${run('git', ['version']).trim()}, median of ${RUNS} runs)\n`);
  console.log(table(rows));
  console.log(`\nsasquatch / git cat-file --batch-all-objects: ${fmt(full.t.seconds / gitAll.seconds, 2)}× the wall time; / the same blobs in scan order: ${fmt(full.t.seconds / gitSame.seconds, 2)}×`);
  if (!HAS_TIME) console.log('(peak RSS incl. git unavailable: /usr/bin/time not installed)');

  const check = verifyHistory(meta, full.report);
  console.log(`planted links: ${meta.planted.length}; reported: ${check.found}; with the right introducing commit: ${check.rightCommit}; presentAtHead right: ${check.rightPresence}; other findings: ${check.unexpected}`);
  if (!check.ok) process.exitCode = 1;
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
});
