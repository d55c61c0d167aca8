import { decodedOnly } from '../decode/variants.js';
import { toOriginal, type MappedText } from '../decode/mapped-text.js';
import { anchoredRegex, ANCHOR_GROUP, innerAnchor, keywordInEveryMatch } from './anchor.js';
import { KeywordMatcher, PassResult } from './keyword-matcher.js';
import { isLinear, linearPattern } from './linear.js';
import type { RawMatch, Rule } from './types.js';

const DEFAULT_WINDOW = { before: 256, after: 512 };

/**
 * Most bytes one merged window spans (more when one hit's own window is larger). Hits close
 * together merge into one window; without a cap a flood of hits (a million `sig=` lines)
 * made one window of the whole region, whose every decoded reading and every match was held
 * at once. Capped windows overlap by a hit's reach, so a match is still found whole.
 */
export const MAX_WINDOW = 64 << 10;

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
  /**
   * For rules whose every match contains one of their keywords (anchor.ts): the sticky form
   * tried only from `before` ahead of each hit, instead of the whole window.
   */
  private readonly anchored: (RegExp | null)[];
  /** How far each rule's anchored regex skips ahead of its start (`before` plus the longest keyword). */
  private readonly anchorSkip: number[];
  /** For the other rules, when the regex requires a part near its start: that part, and the rule's regex anchored before it (anchor.ts). */
  private readonly inner: ({ finder: RegExp; anchored: RegExp; prefix: number } | null)[];
  private readonly reach: { before: number; after: number }[];
  /** Each rule's search, built once: its regexes and Rule.stops (see Search). */
  private readonly searches: Search[];
  /** Rule.hitNeeds as byte tables, or null: hits that cannot begin a match open no window. */
  private readonly needs: ({ char: number; stops: Uint8Array } | null)[];
  /** Rule.hitNeedsRun (0: none). */
  private readonly runNeeds: number[];
  /** Scratch for collectHits: the kept hits as (rule, start, end). */
  private kept = new Int32Array(3 * 256);
  /**
   * Set by the pipeline: false for a match the rule's analyzer will reject (a look-alike),
   * so it is dropped where it was found instead of being positioned and sent on.
   */
  keep?: (m: RawMatch, path: string) => boolean;

  /** `anchoring: false` scans whole windows for every rule (the reference the anchored search must agree with; tests). */
  constructor(rules: readonly Rule[], options: { anchoring?: boolean } = {}) {
    this.rules = rules;
    const anchoring = options.anchoring ?? true;
    const { keywords, owners } = ruleKeywords(rules);
    this.matcher = new KeywordMatcher(keywords);
    this.keywordRules = keywords.map((k) => owners.get(k)!);
    this.patterns = rules.map((r) => compilePattern(r.pattern));
    this.reach = rules.map(reachOf);
    this.anchorSkip = rules.map((r, i) => this.reach[i]!.before + r.keywords.reduce((n, k) => Math.max(n, k.length), 0));
    this.anchored = rules.map((r, i) => {
      // anchoring wraps the pattern in a JavaScript regex: not for RE2 patterns
      if (!anchoring || isLinear(r.pattern)) return null;
      if (!keywordInEveryMatch(r.pattern, r.keywords, Boolean(r.keywordsCaseSensitive))) return null;
      return anchoredRegex(r.pattern, this.anchorSkip[i]!);
    });
    this.inner = rules.map((r, i) => {
      if (!anchoring || this.anchored[i] || isLinear(r.pattern)) return null;
      const a = innerAnchor(r.pattern);
      const anchored = a ? anchoredRegex(r.pattern, a.prefix) : null;
      return a && anchored ? { finder: a.finder, anchored, prefix: a.prefix } : null;
    });
    this.searches = rules.map((r, i) => ({
      re: this.patterns[i]!,
      anchored: this.anchored[i]!,
      inner: this.inner[i]!,
      before: this.reach[i]!.before,
      skip: this.anchorSkip[i]!,
      stops: this.anchored[i] && r.stops ? byteSet(r.stops) : null,
      shorter: new Map(),
      textNeeds: anchoring ? (r.textNeeds ?? null) : null,
    }));
    this.needs = rules.map((r) => (anchoring && r.hitNeeds && r.stops && !r.splitLiterals ? { char: r.hitNeeds.char.charCodeAt(0), stops: byteSet(r.stops + r.hitNeeds.stops) } : null));
    this.runNeeds = rules.map((r) => (anchoring && r.hitNeedsRun && !r.splitLiterals ? r.hitNeedsRun : 0));
  }

  /** Reused pass results, one per nesting level of views (a Base64 view is scanned while its parent's result is in use). */
  private readonly passResults: PassResult[] = [];

  /**
   * The one pass over bytes[from, to): keyword hits, and Base64 runs of at least minRun
   * (0 = none). The result is reused by the next pass at the same `level`.
   */
  pass(bytes: Uint8Array, from: number, to: number, minRun = 0, level = 0): PassResult {
    const out = (this.passResults[level] ??= new PassResult());
    this.matcher.pass(bytes, from, to, out, minRun);
    return out;
  }

  /**
   * Finds matches in a latin1 string (one char per byte). Only matches that start inside
   * [reportFrom, reportTo) are returned: callers scanning overlapping chunks use that to
   * report each match exactly once.
   */
  scan(text: string, reportFrom = 0, reportTo = text.length): RawMatch[] {
    const bytes = Buffer.from(text, 'latin1');
    return this.matchHits(bytes, this.pass(bytes, 0, bytes.length, 0, 99), reportFrom, reportTo, text);
  }

  /**
   * Runs the rules on the windows around a pass's hits over `bytes` (the pass must have
   * covered the whole buffer). Window text is cut from the bytes as latin1; `text` may be
   * given when the caller already holds that string. `keep`, when given, judges each
   * window's matches as they are found (after the readings of one credential are resolved):
   * what it rejects is never held, so memory follows what is kept, not the number of hits.
   */
  matchHits(bytes: Buffer, pass: PassResult, reportFrom: number, reportTo: number, text?: string, keep?: (m: RawMatch) => boolean): RawMatch[] {
    const hits = this.collectHits(bytes, pass);
    const out: RawMatch[] = [];
    const length = bytes.length;
    hits.forEach((positions, ri) => {
      const rule = this.rules[ri]!;
      const reach = this.reach[ri]!;
      const search = this.searches[ri]!;
      for (const [ws, we, firstHit, lastHit] of windowsAround(positions, reach, length)) {
        const windowText = text !== undefined ? text.slice(ws, we) : bytes.toString('latin1', ws, we);
        const found = matchWindow(rule, search, windowText, ws, positions, firstHit, lastHit);
        const inRange = found.filter((m) => m.start >= reportFrom && m.start < reportTo);
        // windows of one rule do not overlap (unless capped), so resolving the readings of
        // each credential here is the same as resolving them over the whole blob
        for (const m of inRange.length > 1 ? dedupeMatches(inRange) : inRange) if (!keep || keep(m)) out.push(m);
      }
    });
    // capped windows overlap: a credential in the overlap is found from both sides
    return dedupeMatches(out);
  }

  /**
   * Rule index → its hits as a flat list of start, end pairs. Counted first, then written
   * into arrays of the exact size: a flood of hits (a million keyword lines) used to grow
   * JS arrays by doubling, leaving several times their size behind as garbage.
   */
  private collectHits(bytes: Uint8Array, pass: PassResult): ReadonlyMap<number, Int32Array> {
    // most files of a tree hold no keyword at all (two in three of 50,000 small source files)
    if (!pass.hitCount) return NO_HITS;
    const h = pass.hits;
    const counts = new Int32Array(this.rules.length);
    // the hits each rule keeps, as (rule, start, end) in a reused scratch array: judged once
    let kept = this.kept;
    let n = 0;
    for (let i = 0; i < pass.hitCount; i++) {
      const kw = h[2 * i]!;
      const start = h[2 * i + 1]!;
      const end = start + this.matcher.keywords[kw]!.length;
      for (const { rule, exact } of this.keywordRules[kw]!) {
        if (exact !== null && !startsWithExact(bytes, start, exact)) continue;
        const needs = this.needs[rule];
        if (needs && !mayHold(bytes, end, this.reach[rule]!.after, needs)) continue;
        const run = this.runNeeds[rule]!;
        if (run && !holdsRun(bytes, Math.max(0, start - this.reach[rule]!.before), Math.min(bytes.length, end + this.reach[rule]!.after), run)) continue;
        if (n + 3 > kept.length) {
          const grown = new Int32Array(kept.length * 2);
          grown.set(kept);
          kept = this.kept = grown;
        }
        kept[n++] = rule;
        kept[n++] = start;
        kept[n++] = end;
        counts[rule]!++;
      }
    }
    const hits = new Map<number, Int32Array>();
    const filled = new Int32Array(this.rules.length);
    for (let r = 0; r < counts.length; r++) if (counts[r]) hits.set(r, new Int32Array(2 * counts[r]!));
    for (let k = 0; k < n; k += 3) {
      const rule = kept[k]!;
      const list = hits.get(rule)!;
      const at = 2 * filled[rule]!++;
      list[at] = kept[k + 1]!;
      list[at + 1] = kept[k + 2]!;
    }
    return hits;
  }
}

/** The rules' keywords, lower-cased, once each in order of first use, with the rules each one opens windows for. */
export function ruleKeywords(rules: readonly Rule[]): { keywords: string[]; owners: Map<string, { rule: number; exact: string | null }[]> } {
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
  return { keywords, owners };
}

const NO_HITS: ReadonlyMap<number, Int32Array> = new Map();

/**
 * Key characters and those of their encoded forms (JSON, HTML and percent escapes): an encoded
 * key is a run of these as long as the key, at least.
 */
const RUN_CHARS = byteSet('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/\\%&#;');

/**
 * Whether bytes[from, to) hold `need` RUN_CHARS in a row. Looks at the byte `need − 1` ahead
 * first: when it is not one, no run of `need` starts before it, and the search jumps past it
 * (code is mostly short words: a few bytes read per jump, not every byte).
 */
function holdsRun(bytes: Uint8Array, from: number, to: number, need: number): boolean {
  let i = from;
  while (i + need <= to) {
    const last = i + need - 1;
    if (!RUN_CHARS[bytes[last]!]) {
      i = last + 1;
      continue;
    }
    let j = last - 1;
    while (j >= i && RUN_CHARS[bytes[j]!]) j--;
    if (j < i) return true;
    i = j + 1;
  }
  return false;
}

function startsWithExact(bytes: Uint8Array, at: number, s: string): boolean {
  if (at + s.length > bytes.length) return false;
  for (let i = 0; i < s.length; i++) if (bytes[at + i] !== s.charCodeAt(i)) return false;
  return true;
}

function compilePattern(p: RegExp): RegExp {
  let flags = p.flags;
  if (!flags.includes('g')) flags += 'g';
  if (!flags.includes('d')) flags += 'd';
  // a custom rule's RE2 pattern stays RE2 (linear time); never rebuilt as a backtracking regex
  return isLinear(p) ? linearPattern(p.source, flags) : new RegExp(p.source, flags);
}

function reachOf(rule: Rule): { before: number; after: number } {
  const w = rule.window ?? DEFAULT_WINDOW;
  // the analyzer's context is cut from the window, so the window must reach at least as far
  return { before: Math.max(w.before, rule.context?.before ?? 0), after: Math.max(w.after, rule.context?.after ?? 0) };
}

/**
 * Merged [start, end) windows around keyword hits (positions is a flat list of start,end
 * pairs), each with the index range [first, last] of the hits (pairs) it holds. A window
 * grows to MAX_WINDOW at most (or one hit's reach); the next then starts again a reach
 * before its first hit, overlapping the last.
 */
function windowsAround(positions: Int32Array, reach: { before: number; after: number }, length: number): [number, number, number, number][] {
  const n = positions.length / 2;
  let ordered = true;
  for (let i = 1; i < n && ordered; i++) ordered = positions[2 * i - 2]! <= positions[2 * i]!;
  if (!ordered) {
    // hits arrive in order of their end; sort by start (stable for equal starts)
    const order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    order.sort((a, b) => positions[2 * a]! - positions[2 * b]! || a - b);
    const sorted = new Int32Array(positions.length);
    for (let i = 0; i < n; i++) {
      sorted[2 * i] = positions[2 * order[i]!]!;
      sorted[2 * i + 1] = positions[2 * order[i]! + 1]!;
    }
    positions.set(sorted);
  }
  const merged: [number, number, number, number][] = [];
  for (let i = 0; i < n; i++) {
    const s = Math.max(0, positions[2 * i]! - reach.before);
    const e = Math.min(length, positions[2 * i + 1]! + reach.after);
    const last = merged[merged.length - 1];
    if (last && s <= last[1] && e - last[0] <= MAX_WINDOW) {
      last[1] = Math.max(last[1], e);
      last[3] = i;
    } else merged.push([s, e, i, i]);
  }
  return merged;
}

/** How a rule's regex is searched: inside-out from a required part, from its keyword hits, or over all the text. */
interface Search {
  re: RegExp;
  anchored: RegExp | null;
  inner: { finder: RegExp; anchored: RegExp; prefix: number } | null;
  before: number;
  /** How far the anchored regex skips ahead of where it is started. */
  skip: number;
  /** Rule.stops by character code (below 256), or null. */
  stops: Uint8Array | null;
  /** The anchored regex with shorter skips (SHORTER_SKIPS), built when first needed. */
  shorter: Map<number, RegExp>;
  /** Rule.textNeeds, or null. */
  textNeeds: RegExp | null;
}

/** The skips of the shorter anchored regexes: a search that starts after a stop needs only to reach its hit. */
const SHORTER_SKIPS = [64, 256, 1024];

function byteSet(chars: string): Uint8Array {
  const set = new Uint8Array(256);
  for (const ch of chars) if (ch.charCodeAt(0) < 256) set[ch.charCodeAt(0)] = 1;
  return set;
}

/**
 * Whether bytes from `from` on may still hold the character a match needs before a stop:
 * it is there, or a `\`, `%` or `&` comes first (a decoded reading may turn one into it).
 */
function mayHold(bytes: Uint8Array, from: number, within: number, needs: { char: number; stops: Uint8Array }): boolean {
  const end = Math.min(bytes.length, from + within);
  for (let i = from; i < end; i++) {
    const c = bytes[i]!;
    if (c === needs.char || c === 0x5c || c === 0x25 || c === 0x26) return true;
    if (needs.stops[c]) return false;
  }
  return false;
}

/**
 * The rule's matches in one window: on the text as written, then on each decoded reading of
 * it, each searched the same way (anchored at the keyword hits when the rule allows it, else
 * from its required part, else over the whole text).
 */
function matchWindow(rule: Rule, search: Search, text: string, ws: number, positions: Int32Array, firstHit: number, lastHit: number): RawMatch[] {
  const out: RawMatch[] = [];
  const hits: number[] = [];
  if (search.anchored) for (let h = firstHit; h <= lastHit; h++) hits.push(positions[2 * h]! - ws);
  matchText(rule, search, text, hits, ws, null, out);
  for (const variant of decodedOnly(text, Boolean(rule.splitLiterals))) {
    // a decoded reading has its own keyword occurrences (`sig\u003d` reads `sig=`)
    const variantHits = search.anchored ? keywordStarts(variant.text, rule) : hits;
    matchText(rule, search, variant.text, variantHits, ws, variant, out);
  }
  return out;
}

/** Where the rule's keywords occur in text (ascending), as the keyword pass would find them. */
function keywordStarts(text: string, rule: Rule): number[] {
  const exact = Boolean(rule.keywordsCaseSensitive);
  const hay = exact ? text : text.toLowerCase();
  const starts: number[] = [];
  for (const kw of rule.keywords) {
    const k = exact ? kw : kw.toLowerCase();
    for (let i = hay.indexOf(k); i >= 0; i = hay.indexOf(k, i + 1)) starts.push(i);
  }
  return starts.sort((x, y) => x - y);
}

/** The rule's matches in one reading of a window (`variant` maps it to the window; null = as written). */
function matchText(rule: Rule, search: Search, text: string, hits: readonly number[], ws: number, variant: MappedText | null, out: RawMatch[]): void {
  if (search.textNeeds && !search.textNeeds.test(text)) return;
  if (search.inner) innerMatches(rule, search.inner, text, ws, variant, out);
  else if (search.anchored) anchoredMatches(rule, search, text, hits, ws, variant, out);
  else {
    const re = search.re;
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      if (m[0].length === 0) {
        re.lastIndex++;
        continue;
      }
      out.push(toMatch(rule, m, m.index, text, ws, variant)!);
    }
  }
}

/**
 * Every match holds the required part at most `prefix` characters in: find the part (every
 * occurrence, overlapping ones too), then try the rule only just ahead of it.
 */
function innerMatches(rule: Rule, inner: NonNullable<Search['inner']>, text: string, ws: number, variant: MappedText | null, out: RawMatch[]): void {
  let floor = 0;
  const { finder, anchored: re2, prefix } = inner;
  finder.lastIndex = 0;
  for (let f = finder.exec(text); f; f = finder.exec(text)) {
    const q = f.index;
    finder.lastIndex = q + 1;
    if (q < floor) continue;
    // matches ending before q hold an earlier occurrence: go on past them
    while (floor <= q) {
      const start = Math.max(floor, q - prefix);
      const found = attempt(rule, re2, text, start, ws, variant, out);
      if (!found) {
        // every start in [start, start + prefix] was tried and failed: never again (a
        // dense run of occurrences would otherwise retry the same starts, quadratically)
        floor = start + prefix + 1;
        break;
      }
      floor = found.end > found.at ? found.end : found.at + 1;
      if (found.at > q) break;
    }
  }
}

/**
 * The anchored regex tried only from `before` ahead of each keyword hit (ascending offsets in
 * text), or from just after the last stop before it (Rule.stops) with a skip that reaches the hit.
 */
function anchoredMatches(rule: Rule, search: Search, text: string, hits: readonly number[], ws: number, variant: MappedText | null, out: RawMatch[]): void {
  // attempts never restart inside a match already found, nor at a start already tried
  let floor = 0;
  for (const hit of hits) {
    // a window cut by the size cap can start inside an earlier credential: the first match
    // after `from` may then end before this hit, so search on until a match reaches it
    for (;;) {
      let from = Math.max(floor, hit - search.before, 0);
      if (search.stops) from = afterLastStop(text, from, hit, search.stops);
      if (from > hit) break;
      const { re: anchored, skip } = skipFor(search, hit - from);
      const found = attempt(rule, anchored, text, from, ws, variant, out);
      if (!found) {
        // the regex tried every start in [from, from + skip]: none matches
        floor = from + skip + 1;
        break;
      }
      floor = found.end > found.at ? found.end : found.at + 1;
      if (found.end > hit) break;
    }
  }
}

/** Just after the last stop in text[from, hit), or `from` when there is none. */
function afterLastStop(text: string, from: number, hit: number, stops: Uint8Array): number {
  for (let i = hit - 1; i >= from; i--) {
    const c = text.charCodeAt(i);
    if (c < 256 && stops[c]) return i + 1;
  }
  return from;
}

/** The anchored regex with the shortest skip that still reaches `span` characters ahead. */
function skipFor(search: Search, span: number): { re: RegExp; skip: number } {
  if (!search.stops) return { re: search.anchored!, skip: search.skip };
  for (const skip of SHORTER_SKIPS) {
    if (skip >= search.skip) break;
    if (span > skip) continue;
    let re = search.shorter.get(skip);
    if (!re) search.shorter.set(skip, (re = anchoredRegex(search.re, skip)!));
    return { re, skip };
  }
  return { re: search.anchored!, skip: search.skip };
}

/**
 * One run of a sticky anchored regex from `from` (its bounded lazy skip tries every start up to
 * its reach): the match it found is added to `out`; where the rule's match begins and ends, or
 * null when no start matched.
 */
function attempt(rule: Rule, re: RegExp, text: string, from: number, ws: number, variant: MappedText | null, out: RawMatch[]): { at: number; end: number } | null {
  re.lastIndex = from;
  const m = re.exec(text);
  if (!m) return null;
  const at = m.indices!.groups![ANCHOR_GROUP]![0];
  const end = m.index + m[0].length;
  const match = toMatch(rule, m, at, text, ws, variant);
  if (match) out.push(match);
  return { at, end };
}

/**
 * A RawMatch from a regex result whose rule match begins at `at` in `text` (a window at
 * `ws` in the blob, or a decoded reading of it mapped by `variant`). Null for an empty match.
 */
function toMatch(rule: Rule, m: RegExpExecArray, at: number, text: string, ws: number, variant: MappedText | null): RawMatch | null {
  const end = m.index + m[0].length;
  if (end === at) return null;
  const matched = at === m.index ? m[0] : text.slice(at, end);
  const span = variant ? toOriginal(variant, at, end) : { start: at, end };
  const match: RawMatch = {
    rule: rule.id,
    start: ws + span.start,
    end: ws + span.end,
    text: matched,
    groups: namedGroups(m),
    encoding: variant ? variant.encoding : 'plain',
  };
  const secret = m.indices?.groups?.['secret'];
  if (secret) {
    const s = variant ? toOriginal(variant, secret[0], Math.max(secret[1], secret[0] + 1)) : { start: secret[0], end: Math.max(secret[1], secret[0] + 1) };
    match.secretStart = ws + s.start;
    match.secretEnd = ws + s.end;
  }
  if (rule.context) {
    match.context = {
      before: text.slice(Math.max(0, at - rule.context.before), at),
      after: text.slice(end, end + rule.context.after),
    };
  }
  return match;
}

function namedGroups(m: RegExpExecArray): Record<string, string> {
  const g: Record<string, string> = {};
  if (m.groups) for (const [k, v] of Object.entries(m.groups)) if (v !== undefined && k !== ANCHOR_GROUP) g[k] = v;
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
    for (const m of kept) out.push(m);
  }
  return out.sort((a, b) => a.start - b.start || a.rule.localeCompare(b.rule));
}

function better(a: RawMatch, b: RawMatch): boolean {
  if (a.text.length !== b.text.length) return a.text.length > b.text.length;
  return a.encoding === 'plain' && b.encoding !== 'plain';
}
