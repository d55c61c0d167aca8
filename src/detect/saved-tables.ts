import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import type { KeywordTables } from './keyword-matcher.js';

/**
 * The keyword automaton of the built-in rules, built once by `npm run build`
 * (scripts/save-keyword-tables.mjs) and shipped beside the code: every thread of every run
 * needs it, and reading it takes ~1 ms where building it took ~30 ms on a thread's cold code
 * (the main thread's start and each worker's). Used only when the keyword list is exactly the
 * one it was built from; custom rules or a missing or damaged file mean the tables are built.
 */
export const SAVED_TABLES = fileURLToPath(new URL('./keyword-tables.bin', import.meta.url));

let saved: KeywordTables | null | undefined;

/** The saved tables when they were built from exactly these (lower-cased) keywords, else null. */
export function savedTables(keywords: readonly string[]): KeywordTables | null {
  saved ??= readTables(SAVED_TABLES);
  return saved && sameList(saved.keywords, keywords) ? saved : null;
}

export function writeTables(file: string, tables: KeywordTables): void {
  writeFileSync(file, v8.serialize(tables));
}

/** The tables in `file`, or null when it is missing, unreadable or not tables of the expected shape. */
export function readTables(file: string): KeywordTables | null {
  let t: Partial<KeywordTables>;
  try {
    t = v8.deserialize(readFileSync(file)) as Partial<KeywordTables>;
  } catch {
    return null;
  }
  return wellFormed(t) ? t : null;
}

/**
 * Shape checks against a damaged or mismatched file. The file is part of the build like the
 * code beside it (a test compares it with tables built afresh), so its entries are not read
 * one by one here: that would cost about what building them does.
 */
function wellFormed(t: Partial<KeywordTables>): t is KeywordTables {
  if (!Array.isArray(t.keywords) || !t.keywords.every((k) => typeof k === 'string')) return false;
  if (!(t.table instanceof Uint16Array) || !(t.wasmTable instanceof Uint16Array) || !Array.isArray(t.outputs)) return false;
  if (typeof t.firstAccepting !== 'number' || typeof t.wasmFirstAccepting !== 'number') return false;
  const states = t.table.length / 256;
  if (!Number.isInteger(states) || t.wasmTable.length % 256 !== 0) return false;
  if (t.outputs.length !== states - t.firstAccepting || t.wasmTable.length / 256 !== t.wasmFirstAccepting + t.outputs.length) return false;
  const keywords = t.keywords.length;
  return t.outputs.every((o) => o instanceof Int32Array && o.every((k) => k >= 0 && k < keywords));
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((k, i) => k === b[i]);
}
