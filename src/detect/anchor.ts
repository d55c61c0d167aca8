/**
 * Anchored matching. Most rules' regexes cannot match without one of the rule's keywords
 * inside the match (`://` in a URL with a password, `password` in an assignment). For those,
 * a match must start at most `before` characters ahead of a keyword hit, so the regex only
 * needs to be tried at those starting points — not at every character of a 600-character
 * window, which is where V8 spends its time on regexes that do not begin with a literal.
 *
 * `keywordInEveryMatch` decides this from the regex source, conservatively: it reads the
 * pattern's alternatives and accepts only when each has a keyword among the literal text it
 * must match (case-insensitively; exactly for case-sensitive rules). Anything it does not
 * understand counts as "not proven", and such rules keep the plain window scan.
 */
interface Lit {
  kind: 'lit';
  /** The character as written (lower-cased when it matches either case). */
  ch: string;
  /** The regex requires exactly this character (not either case). */
  exact: boolean;
  min: number;
  max: number;
}
interface Group {
  kind: 'group';
  alts: Item[][];
  /** Lookarounds match nothing. */
  zeroWidth: boolean;
  min: number;
  max: number;
  /** Source of the group's body (between its opening syntax and `)`). */
  body?: string;
}
interface Other {
  kind: 'other';
  min: number;
  max: number;
}
type Item = Lit | Group | Other;

class Unsupported extends Error {}

/** Parses a regex source into alternatives of items (enough structure for the proof). */
function parse(src: string, ignoreCase: boolean): Item[][] {
  let i = 0;
  const alternation = (): Item[][] => {
    const alts: Item[][] = [[]];
    while (i < src.length && src[i] !== ')') {
      if (src[i] === '|') {
        i++;
        alts.push([]);
        continue;
      }
      const item = atom();
      if (!item) continue;
      quantify(item);
      alts[alts.length - 1]!.push(item);
    }
    return alts;
  };
  const atom = (): Item | null => {
    const c = src[i]!;
    if (c === '(') {
      i++;
      let zeroWidth = false;
      if (src.startsWith('?:', i)) i += 2;
      else if (src.startsWith('?=', i) || src.startsWith('?!', i)) (i += 2), (zeroWidth = true);
      else if (src.startsWith('?<=', i) || src.startsWith('?<!', i)) (i += 3), (zeroWidth = true);
      else if (src.startsWith('?<', i)) i = src.indexOf('>', i) + 1;
      else if (src[i] === '?') throw new Unsupported('group modifier');
      const bodyStart = i;
      const alts = alternation();
      if (src[i] !== ')') throw new Unsupported('unbalanced group');
      const body = src.slice(bodyStart, i);
      i++;
      return { kind: 'group', alts, zeroWidth, min: 1, max: 1, body };
    }
    if (c === '[') return charClass();
    if (c === '\\') return escape();
    i++;
    if (c === '^' || c === '$') return { kind: 'group', alts: [[]], zeroWidth: true, min: 1, max: 1 };
    if (c === '.') return { kind: 'other', min: 1, max: 1 };
    if ('*+?{'.includes(c)) throw new Unsupported('quantifier without atom');
    return literal(c);
  };
  const literal = (c: string): Lit => {
    const cased = c.toLowerCase() !== c.toUpperCase();
    const either = ignoreCase && cased;
    return { kind: 'lit', ch: either ? c.toLowerCase() : c, exact: !either, min: 1, max: 1 };
  };
  const escape = (): Item => {
    const n = src[i + 1];
    if (n === undefined) throw new Unsupported('trailing backslash');
    i += 2;
    if ('dDwWsS'.includes(n)) return { kind: 'other', min: 1, max: 1 };
    if (n === 'b' || n === 'B') return { kind: 'group', alts: [[]], zeroWidth: true, min: 1, max: 1 };
    if (n === 'k') {
      i = src.indexOf('>', i) + 1;
      return { kind: 'other', min: 0, max: Infinity };
    }
    if (/[1-9]/.test(n)) throw new Unsupported('numbered back-reference');
    if (n === 'x') {
      const code = parseInt(src.slice(i, i + 2), 16);
      i += 2;
      return literal(String.fromCharCode(code));
    }
    if (n === 'u' || n === 'c' || n === 'p' || n === 'P' || n === '0') throw new Unsupported(`escape \\${n}`);
    if ('nrtfv'.includes(n)) return literal(({ n: '\n', r: '\r', t: '\t', f: '\f', v: '\v' } as Record<string, string>)[n]!);
    return literal(n);
  };
  /** `[Pp]` is one letter in either case; `[x]` is x; any other class is not a literal. */
  const charClass = (): Item => {
    let j = i + 1;
    const chars: string[] = [];
    let simple = src[j] !== '^';
    while (j < src.length && src[j] !== ']') {
      if (src[j] === '\\') {
        const n = src[j + 1]!;
        if (/[a-zA-Z0-9]/.test(n)) simple = false;
        chars.push(n);
        j += 2;
      } else {
        if (src[j] === '-' && chars.length && src[j + 1] !== ']') simple = false;
        chars.push(src[j]!);
        j++;
      }
    }
    if (j >= src.length) throw new Unsupported('unterminated class');
    i = j + 1;
    const set = [...new Set(chars)];
    if (simple && set.length === 1) return literal(set[0]!);
    if (simple && set.length === 2 && set[0]!.toLowerCase() === set[1]!.toLowerCase() && set[0] !== set[1]) {
      return { kind: 'lit', ch: set[0]!.toLowerCase(), exact: false, min: 1, max: 1 };
    }
    return { kind: 'other', min: 1, max: 1 };
  };
  const quantify = (item: Item): void => {
    const c = src[i];
    let min = 1;
    let max = 1;
    if (c === '*') (min = 0), (max = Infinity), i++;
    else if (c === '+') (min = 1), (max = Infinity), i++;
    else if (c === '?') (min = 0), (max = 1), i++;
    else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(src.slice(i));
      if (!m) return;
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] ? Number(m[3]) : Infinity;
      i += m[0].length;
    } else return;
    if (src[i] === '?') i++; // lazy: same set of matches
    item.min *= min;
    item.max *= max;
  };
  const alts = alternation();
  if (i !== src.length) throw new Unsupported('unbalanced parenthesis');
  return alts;
}

/** Whether every alternative must contain one of the keywords in its literal text. */
function everyAltHasKeyword(alts: Item[][], keywords: readonly string[], caseSensitive: boolean): boolean {
  return alts.every((alt) => altHasKeyword(alt, keywords, caseSensitive));
}

function altHasKeyword(items: Item[], keywords: readonly string[], caseSensitive: boolean): boolean {
  // flatten single-alternative groups that occur exactly once into the sequence, so their
  // literal text joins the text around them
  const flat: Item[] = [];
  const push = (list: Item[]) => {
    for (const it of list) {
      if (it.kind === 'group' && !it.zeroWidth && it.alts.length === 1 && it.min === 1 && it.max === 1) push(it.alts[0]!);
      else flat.push(it);
    }
  };
  push(items);
  let run = '';
  const runs: string[] = [];
  const cut = () => {
    if (run) runs.push(run);
    run = '';
  };
  for (const it of flat) {
    if (it.kind === 'lit' && it.min >= 1 && (!caseSensitive || it.exact)) {
      run += (caseSensitive ? it.ch : it.ch.toLowerCase()).repeat(it.min);
      if (it.max !== it.min) cut();
      continue;
    }
    if (it.kind === 'group' && !it.zeroWidth && it.min >= 1 && everyAltHasKeyword(it.alts, keywords, caseSensitive)) return true;
    cut();
  }
  cut();
  return runs.some((r) => keywords.some((k) => r.includes(caseSensitive ? k : k.toLowerCase())));
}

/** True when no match of `pattern` can avoid containing one of `keywords`; false when not proven. */
export function keywordInEveryMatch(pattern: RegExp, keywords: readonly string[], caseSensitive: boolean): boolean {
  let alts: Item[][];
  try {
    alts = parse(pattern.source, pattern.flags.includes('i'));
  } catch (e) {
    if (e instanceof Unsupported) return false;
    throw e;
  }
  // keywords are matched case-insensitively by the prefilter; exactly when the rule says so
  const kws = caseSensitive ? keywords : keywords.map((k) => k.toLowerCase());
  return everyAltHasKeyword(alts, kws, caseSensitive);
}

/** Name of the empty group marking where the rule's own match begins in an anchored regex. */
export const ANCHOR_GROUP = 'sasquatchAt';

/**
 * The anchored form of a rule's regex: sticky, it skips at most `reach` characters from
 * where it is started and then matches the rule's pattern; the empty group tells where the
 * pattern's match begins. Null when the pattern cannot be wrapped (numbered back-references
 * would change meaning, or it already uses the group name).
 */
export function anchoredRegex(pattern: RegExp, reach: number): RegExp | null {
  if (/\\[1-9]/.test(pattern.source) || pattern.source.includes(`<${ANCHOR_GROUP}>`)) return null;
  const flags = [...new Set((pattern.flags + 'yd').replace(/g/g, ''))].join('');
  return new RegExp(`[\\s\\S]{0,${reach}}?(?<${ANCHOR_GROUP}>)(?:${pattern.source})`, flags);
}

/** Longest text an item can match (Infinity when unbounded). */
function maxLength(it: Item): number {
  if (it.kind === 'group') {
    if (it.zeroWidth) return 0;
    // bounded: the alternatives of one group of a rule's regex
    const alt = Math.max(0, ...it.alts.map((a) => a.reduce((n, x) => n + maxLength(x), 0)));
    return alt * it.max;
  }
  return it.max;
}

/**
 * For a rule whose matches need not contain a keyword but must contain, close to their
 * start, a text the regex itself requires (generic-secret: a name such as `password` or
 * `accessToken`, at most 40 characters in; the account-key rule: one of its key names, or
 * `+ASt` 76 characters in): that required part as a regex of its own (one part per top-level
 * alternative, joined), and how far ahead of it a match can begin. Windows are then searched
 * for the required part first, and the rule's regex tried only just before each occurrence —
 * which finds exactly what a scan of the whole window finds. Null when some alternative has
 * no such part.
 */
export function innerAnchor(pattern: RegExp, maxPrefix = 128): { finder: RegExp; prefix: number } | null {
  let alts: Item[][];
  try {
    alts = parse(pattern.source, pattern.flags.includes('i'));
  } catch (e) {
    if (e instanceof Unsupported) return null;
    throw e;
  }
  const parts: string[] = [];
  let prefix = 0;
  for (const alt of alts) {
    const found = requiredPart(alt, maxPrefix);
    if (!found) return null;
    parts.push(found.part);
    prefix = Math.max(prefix, found.prefix);
  }
  const flags = [...new Set((pattern.flags + 'g').replace(/[yd]/g, ''))].join('');
  return { finder: new RegExp(parts.length === 1 ? parts[0]! : parts.map((p) => `(?:${p})`).join('|'), flags), prefix };
}

/** The first required part of one alternative: a group of alternatives, or a literal run of 3+ characters. */
function requiredPart(alt: Item[], maxPrefix: number): { part: string; prefix: number } | null {
  const flat: Item[] = [];
  const push = (list: Item[]) => {
    for (const it of list) {
      if (it.kind === 'group' && !it.zeroWidth && it.alts.length === 1 && it.min === 1 && it.max === 1) push(it.alts[0]!);
      else flat.push(it);
    }
  };
  push(alt);
  let prefix = 0;
  for (let i = 0; i < flat.length; i++) {
    const it = flat[i]!;
    if (it.kind === 'group' && !it.zeroWidth && it.min >= 1 && it.alts.length > 1 && it.body && !/\\k<|\\[1-9]/.test(it.body)) return { part: it.body, prefix };
    if (it.kind === 'lit' && it.min === 1 && it.max === 1) {
      let j = i;
      let run = '';
      while (j < flat.length) {
        const x = flat[j]!;
        if (x.kind !== 'lit' || x.min !== 1 || x.max !== 1) break;
        run += x.exact ? escapeChar(x.ch) : `[${escapeClass(x.ch)}${escapeClass(x.ch.toUpperCase())}]`;
        j++;
      }
      if (j - i >= 3) return { part: run, prefix };
    }
    prefix += maxLength(it);
    if (!(prefix <= maxPrefix)) return null;
  }
  return null;
}

function escapeChar(ch: string): string {
  return ch.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

function escapeClass(ch: string): string {
  return ch.replace(/[\]\\^-]/g, '\\$&');
}
