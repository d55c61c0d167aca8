import { readFileSync, writeFileSync } from 'node:fs';
import type { Finding } from '../model/finding.js';

/**
 * The baseline: accepted findings, one per line as `fingerprint rule path`, sorted. No line
 * numbers and no timestamps, so edits elsewhere in a file, moved lines and unrelated renames
 * never change it, and merges do not conflict on it.
 */
export const BASELINE_HEADER = [
  '# sasquatch baseline v1 — accepted findings: fingerprint rule path (one per line, sorted).',
  '# Update with `sasquatch baseline update`; review additions like code.',
];

export interface BaselineEntry {
  fingerprint: string;
  rule: string;
  path: string;
}

export function readBaseline(file: string): BaselineEntry[] {
  return parseBaseline(readFileSync(file, 'utf8'), file);
}

export function parseBaseline(text: string, file: string): BaselineEntry[] {
  const out: BaselineEntry[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    const t = line.trim();
    if (!t || t.startsWith('#')) return;
    const m = /^([0-9a-f]{32})\s+(\S+)\s+(.+)$/s.exec(t);
    if (!m) throw new Error(`${file}:${i + 1}: not a baseline entry (expected "fingerprint rule path")`);
    out.push({ fingerprint: m[1]!, rule: m[2]!, path: unquotePath(m[3]!) });
  });
  return out;
}

/**
 * A path is written as is when it is plain text; one holding a control character (a newline
 * would start a line of its own), a backslash, leading or trailing space, or starting with a
 * quote is written as a JSON string. Baselines written before keep reading: an unquoted path
 * is taken as written.
 */
export function quotePath(p: string): string {
  // eslint-disable-next-line no-control-regex
  return /[\x00-\x1f\x7f-\x9f\u2028\u2029\\]|^\s|\s$|^"/.test(p) ? JSON.stringify(p).replace(/[\u0080-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) : p;
}

function unquotePath(p: string): string {
  if (!p.startsWith('"')) return p;
  try {
    const v: unknown = JSON.parse(p);
    return typeof v === 'string' ? v : p;
  } catch {
    return p; // an old baseline's path that merely starts with a quote
  }
}

export function baselineText(entries: Iterable<BaselineEntry>): string {
  const unique = new Map<string, BaselineEntry>();
  for (const e of entries) unique.set(e.fingerprint, e);
  const lines = [...unique.values()]
    .sort((a, b) => cmp(a.path, b.path) || cmp(a.rule, b.rule) || cmp(a.fingerprint, b.fingerprint))
    .map((e) => `${e.fingerprint} ${e.rule} ${quotePath(e.path)}`);
  return `${[...BASELINE_HEADER, ...lines].join('\n')}\n`;
}

export function writeBaseline(file: string, entries: Iterable<BaselineEntry>): void {
  writeFileSync(file, baselineText(entries));
}

export function entriesOf(findings: readonly Finding[]): BaselineEntry[] {
  return findings.map((f) => ({ fingerprint: f.fingerprint, rule: f.rule, path: f.location.path }));
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
