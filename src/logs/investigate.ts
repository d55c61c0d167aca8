import type { Notice } from '../sources/types.js';
import { Aggregator, windowSide, type LogsSummary } from './aggregate.js';
import { MatchCsv } from './csv-out.js';
import type { LinkTarget, TimeWindow } from './link.js';
import { LinkMatcher } from './match.js';
import { newSourceStats, readLogSource, redactSig, type SourceStats } from './reader.js';
import type { HttpGuard } from '../verify/http.js';
import { logSources } from './sources.js';
import { RecentSet, Tally } from './tally.js';

/**
 * The whole investigation: read every log source once, in order, as a stream; match each
 * record against the leaked link (or any SAS); fold matches into bounded aggregates and
 * stream them to the CSV. Nothing but the aggregates outlives a line.
 */
export interface InvestigateOptions {
  inputs: string[];
  /** The leaked link; null to report every SAS-authenticated request. */
  target: LinkTarget | null;
  window: TimeWindow | null;
  revokedAt: number | null;
  top: number;
  maxDistinct: number;
  /** Blob-name prefix for container URLs. */
  prefix?: string;
  /** The guarded client container URLs are read through (default: private addresses refused). */
  guard?: HttpGuard;
  /** Write matched rows here as CSV. */
  csvPath?: string;
  showSecrets: boolean;
  /** Called for each malformed line as it is met (for --verbose). */
  onMalformed?: (m: MalformedLine) => void;
  /** Called now and then with the running totals (for a progress line). */
  onProgress?: (p: { sources: number; bytes: number; records: number; matched: number }) => void;
}

export interface MalformedLine {
  source: string;
  line: number;
  error: string;
  /** The start of the line, signature redacted. */
  excerpt: string;
}

export interface LogsInputs {
  sources: SourceStats[];
  files: number;
  bytes: number;
  lines: number;
  records: number;
  malformed: number;
  malformedByReason: Record<string, number>;
  malformedSamples: MalformedLine[];
  notices: Notice[];
}

export interface LogsResult {
  target: LinkTarget | null;
  inputs: LogsInputs;
  summary: LogsSummary;
  csv: { path: string; rows: number } | null;
  startedAt: string;
  durationMs: number;
}

const PROBE_PREFIX = 'sasquatch-';
const MALFORMED_SAMPLES = 20;

export async function investigate(opts: InvestigateOptions): Promise<LogsResult> {
  const started = Date.now();
  const agg = new Aggregator({ target: opts.target, window: opts.window, revokedAt: opts.revokedAt, top: opts.top, maxDistinct: opts.maxDistinct });
  const matcher = new LinkMatcher(opts.target);
  const recent = new RecentSet();
  const csv = opts.csvPath ? await MatchCsv.open(opts.csvPath, opts.showSecrets) : null;
  const notices: Notice[] = [];
  const sources: SourceStats[] = [];
  const reasons = new Tally<{ n: number }>(50, () => ({ n: 0 }));
  const samples: MalformedLine[] = [];
  let records = 0;
  let matched = 0;
  let nextProgress = Date.now() + 1000;

  let complete = false;
  try {
    for await (const source of logSources(opts.inputs, { prefix: opts.prefix, guard: opts.guard }, (n) => notices.push(n))) {
      const stats = newSourceStats(source.name);
      sources.push(stats);
      for await (const batch of readLogSource(source, stats)) {
        for (const ev of batch) {
          if (ev.kind === 'malformed') {
            const m: MalformedLine = { source: source.name, line: ev.line, error: ev.error, excerpt: excerptOf(ev.text) };
            const reason = reasons.get(reasonKey(ev.error));
            if (reason) reason.n++;
            if (samples.length < MALFORMED_SAMPLES) samples.push(m);
            opts.onMalformed?.(m);
            continue;
          }
          const r = ev.record;
          records++;
          agg.scanned(r);
          const method = matcher.match(r);
          if (!method) continue;
          if (r.requestId && recent.seen(`${r.requestId}|${r.operationCount}|${r.operation}`)) {
            agg.duplicate();
            continue;
          }
          matched++;
          const probe = r.clientRequestId.startsWith(PROBE_PREFIX);
          const judged = probe ? agg.probe(r) : agg.use(r, method, { source: source.name, line: ev.line });
          if (csv) {
            const window = opts.window && !probe ? windowSide(r.time, opts.window) : '';
            if (csv.add({ record: r, source: source.name, line: ev.line, method, probe, window, cls: judged.cls, failure: judged.failure })) await csv.flush();
          }
        }
        if (opts.onProgress && Date.now() >= nextProgress) {
          nextProgress = Date.now() + 1000;
          opts.onProgress({ sources: sources.length, bytes: totalBytes(sources), records, matched });
        }
      }
      for (const w of stats.warnings) notices.push({ level: 'warning', path: source.name, message: w });
    }
    complete = true;
  } finally {
    // a failed run leaves no half-written CSV
    await (complete ? csv?.close() : csv?.discard());
  }
  opts.onProgress?.({ sources: sources.length, bytes: totalBytes(sources), records, matched });

  return {
    target: opts.target,
    inputs: {
      sources,
      files: sources.length,
      bytes: totalBytes(sources),
      lines: sources.reduce((n, s) => n + s.lines, 0),
      records,
      malformed: sources.reduce((n, s) => n + s.malformed, 0),
      malformedByReason: Object.fromEntries(reasons.top(50, (a, b) => b.n - a.n).map(([k, v]) => [k, v.n])),
      malformedSamples: samples,
      notices,
    },
    summary: agg.summary(),
    csv: csv && opts.csvPath ? { path: opts.csvPath, rows: csv.rows } : null,
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
  };
}

function totalBytes(sources: SourceStats[]): number {
  return sources.reduce((n, s) => n + s.bytes, 0);
}

/** Groups malformed lines by the kind of problem, not by the values quoted in the message. */
function reasonKey(error: string): string {
  return error.replace(/"[^"]*"/g, '"…"').replace(/\b\d+\b/g, 'N');
}

function excerptOf(text: string): string {
  const clipped = text.length > 160 ? `${text.slice(0, 160)}…` : text;
  return redactSig(clipped);
}
