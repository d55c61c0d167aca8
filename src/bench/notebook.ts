/**
 * Benchmark for notebook parsing (npm run bench:notebook): builds large notebooks in memory
 * — 16 MB of code cells with text, HTML and image outputs, and one of 100,000 small cells —
 * and times the structure-aware walk (readNotebook) and the whole blob scan. Not a test:
 * numbers depend on the machine (and its load; say so when quoting them).
 *
 *   npm run bench:notebook                 # 16 MB and 100,000 cells
 *   npm run bench:notebook -- --mb 64      # a larger notebook
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Detector } from '../detect/engine.js';
import { BUILTIN_RULES } from '../detect/rules/index.js';
import { readNotebook } from '../extract/notebook.js';
import { scanBytes } from '../pipeline/blob-scanner.js';
import { INCIDENT } from '../testing/tokens.js';

const args = process.argv.slice(2);
const mb = Number(args[args.indexOf('--mb') + 1] ?? NaN) || 16;

function codeCell(i: number): object {
  const png = randomBytes(3000).toString('base64');
  return {
    cell_type: 'code',
    execution_count: i,
    metadata: {},
    source: [`df_${i} = load("part-${i}.csv")\n`, `df_${i}.describe()\n`],
    outputs: [
      { output_type: 'stream', name: 'stdout', text: [`rows: ${i * 17}\n`, 'done\n'] },
      { output_type: 'display_data', metadata: {}, data: { 'text/html': [`<p>chart ${i}</p><img src="data:image/png;base64,${png.slice(0, 800)}"/>`], 'image/png': png } },
    ],
  };
}

function build(cells: object[]): string {
  return JSON.stringify({ cells, metadata: { kernelspec: { name: 'python3' } }, nbformat: 4, nbformat_minor: 5 }, null, 1);
}

function time(label: string, text: string): void {
  const t0 = performance.now();
  const view = readNotebook(text);
  const t1 = performance.now();
  const r = scanBytes(new Detector(BUILTIN_RULES), 'bench.ipynb', Buffer.from(text, 'latin1'));
  const t2 = performance.now();
  const mbs = (text.length / 1e6).toFixed(1);
  process.stdout.write(`${label}: ${mbs} MB, ${view?.cells.length ?? 0} cells — walk ${((t1 - t0) / 1000).toFixed(3)} s, whole scan ${((t2 - t1) / 1000).toFixed(3)} s, ${r.matches.length} matches\n`);
}

const big: object[] = [];
let size = 0;
for (let i = 0; size < mb * 1e6; i++) {
  const c = codeCell(i);
  size += JSON.stringify(c).length + 2;
  big.push(c);
}
big.push({ cell_type: 'code', execution_count: null, metadata: {}, source: [`url = "${INCIDENT.urlB()}"\n`], outputs: [] });
time(`${mb} MB notebook`, build(big));
// one inlined image at the very end: the walk used to search to it from every string (27 s here)
const many: object[] = Array.from({ length: 100_000 }, (_, i) => ({ cell_type: 'markdown', metadata: {}, source: [`note ${i}\n`] }));
many.push({ cell_type: 'markdown', metadata: {}, source: [`![chart](data:image/png;base64,${randomBytes(600).toString('base64')})`] });
time('100,000 cells', build(many));
