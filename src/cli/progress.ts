import type { HistoryProgress } from '../pipeline/history.js';
import type { FileProgress } from '../pipeline/scan.js';
import { printable } from '../report/printable.js';

/**
 * One status line on stderr for long runs (history scans, verification, exposure walks),
 * rewritten in place. Only on a terminal (never in logs or pipes), never with --quiet,
 * at most ten updates a second; cleared before the report is written.
 */
export interface ProgressLine {
  /** The text, or a function that makes it: called only when the line is shown (not when silent or too soon). */
  update(text: string | (() => string)): void;
  done(): void;
}

type Stream = { isTTY?: boolean; columns?: number; write(s: string): boolean };

const SILENT: ProgressLine = { update() {}, done() {} };

export function progressLine(stream: Stream = process.stderr, quiet = false): ProgressLine {
  if (quiet || !stream.isTTY) return SILENT;
  let shown = false;
  let last = 0;
  return {
    update(text) {
      const now = Date.now();
      if (now - last < 100) return;
      last = now;
      const width = Math.max(20, (stream.columns || 100) - 1);
      stream.write(`\r${printable(typeof text === 'function' ? text() : text).slice(0, width)}\x1b[K`);
      shown = true;
    },
    done() {
      if (shown) stream.write('\r\x1b[K');
      shown = false;
    },
  };
}

/** `history repo: 1234/5678 blobs · 890 commits · 412.3 MB · 95.1 MB/s` */
export function describeProgress(p: HistoryProgress): string {
  const name = p.repository.length > 32 ? `…${p.repository.slice(-31)}` : p.repository;
  const head = `history ${name}:`;
  if (p.phase === 'clone') return `cloning ${name} (mirror, into a temporary directory)…`;
  if (p.phase === 'provenance') return `${head} tracing commits and paths of the secrets found…`;
  const total = p.listingDone ? `${p.blobsListed}` : `${p.blobsListed}+`;
  const mb = p.bytesRead / 1e6;
  const rate = p.elapsedMs > 0 ? mb / (p.elapsedMs / 1000) : 0;
  const commits = p.phase === 'staged' ? 'staged files' : `${p.commits} commits`;
  return `${head} ${p.blobsRead}/${total} blobs · ${commits} · ${mb.toFixed(1)} MB · ${rate.toFixed(1)} MB/s`;
}

/** `scanning files: 1,234 files · 56.7 MB · 3 findings` */
export function describeFileProgress(p: FileProgress): string {
  return `scanning files: ${p.files.toLocaleString('en-US')} file${p.files === 1 ? '' : 's'} · ${(p.bytes / 1e6).toFixed(1)} MB · ${p.findings} finding${p.findings === 1 ? '' : 's'}`;
}
