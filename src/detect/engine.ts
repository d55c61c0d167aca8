import { decodedVariants } from '../decode/variants.js';
import { toOriginal } from '../decode/mapped-text.js';
import { KeywordMatcher } from './keyword-matcher.js';
import type { RawMatch, Rule } from './types.js';

const DEFAULT_WINDOW = { before: 256, after: 512 };

/**
 * The detection engine: one keyword pass for all rules, then each rule's regex on the
 * (decoded) windows around its hits. Stateless between calls; safe to reuse per thread.
 */
export class Detector {
  readonly rules: readonly Rule[];
  private readonly matcher: KeywordMatcher;
  /** keyword index → the rules that listed it, with the exact spelling when case matters */
  private readonly keywordRules: { rule: number; exact: string | null }[][];
  /** each rule's pattern compiled once: global, with match indices for the `secret` group */
  private readonly patterns: RegExp[];

  constructor(rules: readonly Rule[]) {
    this.rules = rules;
    const keywords: string[] = [];
    const owners = new Map<string, { rule: number; exact: string | null }[]>();
    rules.forEach((rule, ri) => {
      for (const kw of rule.keywords) {
        const k = kw.toLowerCase();
        if (!owners.has(k)) {
          owners.set(k, []);
          keywords.push(k);
        }
        const list = owners.get(k)!;
        const exact = rule.keywordsCaseSensitive ? kw : null;
        if (!list.some((o) => o.rule === ri && o.exact === exact)) list.push({ rule: ri, exact });
      }
    });
    this.matcher = new KeywordMatcher(keywords);
    this.keywordRules = keywords.map((k) => owners.get(k)!);
    this.patterns = rules.map((r) => compilePattern(r.pattern));
  }

  /**
   * Finds matches in a latin1 string (one char per byte). Only matches that start inside
   * [reportFrom, reportTo) are returned: callers scanning overlapping chunks use that to
   * report each match exactly once.
   */
  scan(text: string, reportFrom = 0, reportTo = text.length): RawMatch[] {
    const hits = this.collectHits(text);
    const out: RawMatch[] = [];
    hits.forEach((positions, ri) => {
      const rule = this.rules[ri]!;
      for (const [ws, we] of windowsAround(positions, rule, text.length)) {
        const found = matchWindow(rule, this.patterns[ri]!, text, ws, we);
        for (const m of found) if (m.start >= reportFrom && m.start < reportTo) out.push(m);
      }
    });
    return dedupeMatches(out);
  }

  private collectHits(text: string): Map<number, number[]> {
    const hits = new Map<number, number[]>();
    this.matcher.scanString(text, (kw, start) => {
      const len = this.matcher.keywords[kw]!.length;
      for (const { rule, exact } of this.keywordRules[kw]!) {
        if (exact !== null && !text.startsWith(exact, start)) continue;
        let list = hits.get(rule);
        if (!list) hits.set(rule, (list = []));
        list.push(start, start + len);
      }
    });
    return hits;
  }
}

function compilePattern(p: RegExp): RegExp {
  let flags = p.flags;
  if (!flags.includes('g')) flags += 'g';
  if (!flags.includes('d')) flags += 'd';
  return new RegExp(p.source, flags);
}

/** Merged [start, end) windows around keyword hits (positions is a flat list of start,end pairs). */
function windowsAround(positions: number[], rule: Rule, length: number): [number, number][] {
  const w = rule.window ?? DEFAULT_WINDOW;
  // the analyzer's context is cut from the window, so the window must reach at least as far
  const before = Math.max(w.before, rule.context?.before ?? 0);
  const after = Math.max(w.after, rule.context?.after ?? 0);
  const spans: [number, number][] = [];
  for (let i = 0; i < positions.length; i += 2) {
    spans.push([Math.max(0, positions[i]! - before), Math.min(length, positions[i + 1]! + after)]);
  }
  spans.sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const s of spans) {
    const last = merged[merged.length - 1];
    if (last && s[0] <= last[1]) last[1] = Math.max(last[1], s[1]);
    else merged.push([s[0], s[1]]);
  }
  return merged;
}

function matchWindow(rule: Rule, re: RegExp, text: string, ws: number, we: number): RawMatch[] {
  const out: RawMatch[] = [];
  for (const variant of decodedVariants(text.slice(ws, we))) {
    re.lastIndex = 0;
    for (let m = re.exec(variant.text); m; m = re.exec(variant.text)) {
      if (m[0].length === 0) {
        re.lastIndex++;
        continue;
      }
      const span = toOriginal(variant, m.index, m.index + m[0].length);
      const match: RawMatch = {
        rule: rule.id,
        start: ws + span.start,
        end: ws + span.end,
        text: m[0],
        groups: namedGroups(m),
        encoding: variant.encoding,
      };
      const secret = m.indices?.groups?.['secret'];
      if (secret) {
        const s = toOriginal(variant, secret[0], Math.max(secret[1], secret[0] + 1));
        match.secretStart = ws + s.start;
        match.secretEnd = ws + s.end;
      }
      if (rule.context) {
        const end = m.index + m[0].length;
        match.context = {
          before: variant.text.slice(Math.max(0, m.index - rule.context.before), m.index),
          after: variant.text.slice(end, end + rule.context.after),
        };
      }
      out.push(match);
    }
  }
  return out;
}

function namedGroups(m: RegExpExecArray): Record<string, string> {
  const g: Record<string, string> = {};
  if (m.groups) for (const [k, v] of Object.entries(m.groups)) if (v !== undefined) g[k] = v;
  return g;
}

/**
 * The same credential seen through several decodings overlaps in the original: keep the
 * reading that captured the most (the longest decoded text), preferring plain text on ties.
 */
export function dedupeMatches(matches: RawMatch[]): RawMatch[] {
  const byRule = new Map<string, RawMatch[]>();
  for (const m of matches) {
    let l = byRule.get(m.rule);
    if (!l) byRule.set(m.rule, (l = []));
    l.push(m);
  }
  const out: RawMatch[] = [];
  for (const list of byRule.values()) {
    list.sort((a, b) => a.start - b.start || b.end - a.end);
    const kept: RawMatch[] = [];
    for (const m of list) {
      const last = kept[kept.length - 1];
      if (!last || m.start >= last.end) kept.push(m);
      else if (better(m, last)) kept[kept.length - 1] = m;
    }
    out.push(...kept);
  }
  return out.sort((a, b) => a.start - b.start || a.rule.localeCompare(b.rule));
}

function better(a: RawMatch, b: RawMatch): boolean {
  if (a.text.length !== b.text.length) return a.text.length > b.text.length;
  return a.encoding === 'plain' && b.encoding !== 'plain';
}
