/**
 * One pass over the bytes for every rule's keywords at once: an Aho–Corasick automaton
 * compiled to a dense DFA over bytes, ASCII case-insensitive. Rules then run their exact
 * regexes only on windows around the hits, never over every byte.
 */
export interface KeywordHit {
  /** Index of the keyword in the list the matcher was built from. */
  keyword: number;
  /** Offset of the first byte of the keyword. */
  start: number;
}

const ALPHABET = 256;

export class KeywordMatcher {
  readonly keywords: readonly string[];
  private readonly delta: Int32Array;
  /** For each state: the keywords ending there (including via failure links), or undefined. */
  private readonly outputs: (number[] | undefined)[];
  private readonly lengths: Int32Array;

  constructor(keywords: readonly string[]) {
    this.keywords = keywords.map((k) => k.toLowerCase());
    this.lengths = Int32Array.from(this.keywords, (k) => k.length);
    const { delta, outputs } = build(this.keywords);
    this.delta = delta;
    this.outputs = outputs;
  }

  /** Scans a latin1 string (one char per byte). Calls onHit for every keyword occurrence. */
  scanString(text: string, onHit: (keyword: number, start: number) => void, from = 0, to = text.length): void {
    const delta = this.delta;
    const outputs = this.outputs;
    let s = 0;
    for (let i = from; i < to; i++) {
      s = delta[s * ALPHABET + (text.charCodeAt(i) & 0xff)]!;
      const out = outputs[s];
      if (out !== undefined) for (const k of out) onHit(k, i - this.lengths[k]! + 1);
    }
  }

  /** Scans bytes directly. */
  scanBytes(bytes: Uint8Array, onHit: (keyword: number, start: number) => void, from = 0, to = bytes.length): void {
    const delta = this.delta;
    const outputs = this.outputs;
    let s = 0;
    for (let i = from; i < to; i++) {
      s = delta[s * ALPHABET + bytes[i]!]!;
      const out = outputs[s];
      if (out !== undefined) for (const k of out) onHit(k, i - this.lengths[k]! + 1);
    }
  }
}

function lower(b: number): number {
  return b >= 0x41 && b <= 0x5a ? b + 0x20 : b;
}

function build(keywords: readonly string[]): { delta: Int32Array; outputs: (number[] | undefined)[] } {
  // trie over lower-cased bytes
  const goto: Map<number, number>[] = [new Map()];
  const out: number[][] = [[]];
  keywords.forEach((kw, idx) => {
    let s = 0;
    for (let i = 0; i < kw.length; i++) {
      const b = lower(kw.charCodeAt(i) & 0xff);
      let next = goto[s]!.get(b);
      if (next === undefined) {
        next = goto.length;
        goto.push(new Map());
        out.push([]);
        goto[s]!.set(b, next);
      }
      s = next;
    }
    out[s]!.push(idx);
  });
  const fail = new Int32Array(goto.length);
  const delta = new Int32Array(goto.length * ALPHABET);
  // Breadth-first, so a state's failure target (shallower) already has its DFA row.
  const queue: number[] = [0];
  for (let qi = 0; qi < queue.length; qi++) {
    const s = queue[qi]!;
    for (const [c, t] of goto[s]!) {
      fail[t] = s === 0 ? 0 : delta[fail[s]! * ALPHABET + c]!;
      out[t]!.push(...out[fail[t]!]!);
      queue.push(t);
    }
    for (let b = 0; b < ALPHABET; b++) {
      const t = goto[s]!.get(lower(b));
      delta[s * ALPHABET + b] = t ?? (s === 0 ? 0 : delta[fail[s]! * ALPHABET + b]!);
    }
  }
  const outputs = out.map((o) => (o.length ? [...new Set(o)] : undefined));
  return { delta, outputs };
}
