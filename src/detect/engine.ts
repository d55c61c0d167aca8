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
  /** keyword index → rule indexes that listed it */
  private readonly keywordRules: number[][];

  constructor(rules: readonly Rule[]) {
    this.rules = rules;
    const keywords: string[] = [];
    const owners = new Map<string, number[]>();
    rules.forEach((rule, ri) => {
      for (const kw of rule.keywords) {
        const k = kw.toLowerCase();
        if (!owners.has(k)) {
          owners.set(k, []);
          keywords.push(k);
        }
        owners.get(k)!.push(ri);
      }
    });
    this.matcher = new KeywordMatcher(keywords);
    this.keywordRules = keywords.map((k) => owners.get(k)!);
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
        const found = matchWindow(rule, text, ws, we);
        for (const m of found) if (m.start >= reportFrom && m.start < reportTo) out.push(m);
      }
    });
    return dedupe(out);
  }

  private collectHits(text: string): Map<number, number[]> {
    const hits = new Map<number, number[]>();
    this.matcher.scanString(text, (kw, start) => {
      for (const ri of this.keywordRules[kw]!) {
        let list = hits.get(ri);
        if (!list) hits.set(ri, (list = []));
        list.push(start, start + this.matcher.keywords[kw]!.length);
      }
    });
    return hits;
  }
}

/** Merged [start, end) windows around keyword hits (positions is a flat list of start,end pairs). */
function windowsAround(positions: number[], rule: Rule, length: number): [number, number][] {
  const { before, after } = rule.window ?? DEFAULT_WINDOW;
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

function matchWindow(rule: Rule, text: string, ws: number, we: number): RawMatch[] {
  const out: RawMatch[] = [];
  const re = new RegExp(rule.pattern.source, rule.pattern.flags.includes('g') ? rule.pattern.flags : rule.pattern.flags + 'g');
  for (const variant of decodedVariants(text.slice(ws, we))) {
    re.lastIndex = 0;
    for (let m = re.exec(variant.text); m; m = re.exec(variant.text)) {
      if (m[0].length === 0) {
        re.lastIndex++;
        continue;
      }
      const span = toOriginal(variant, m.index, m.index + m[0].length);
      out.push({
        rule: rule.id,
        start: ws + span.start,
        end: ws + span.end,
        text: m[0],
        groups: namedGroups(m),
        encoding: variant.encoding,
      });
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
function dedupe(matches: RawMatch[]): RawMatch[] {
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
