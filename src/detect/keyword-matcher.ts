/**
 * One pass over the bytes for every rule's keywords at once: an Aho–Corasick automaton
 * compiled to a dense DFA over bytes, ASCII case-insensitive. Rules then run their exact
 * regexes only on windows around the hits, never over every byte.
 *
 * The pass is the one cost every byte pays, so its loop is built for the CPU rather than
 * for brevity (measured in bench/RESULTS.md and docs/readme/performance.md):
 *  - the transition table is a Uint16Array indexed by `state << 8 | byte`, with case folding
 *    in the table and every accepting state numbered above the others, so a step is one load
 *    and one compare;
 *  - a DFA step depends on the previous one (a chain of loads the CPU cannot overlap), so the
 *    region is cut in two halves walked by two automata in the same loop: two independent
 *    chains, about 1.6× the speed of one on the machines measured;
 *  - the same loop measures runs of Base64 characters (the Base64 view's candidates), which
 *    costs little next to the table loads it runs beside, instead of a second pass;
 *  - regions of 256 bytes or more go to the same loop in WebAssembly (keyword-pass.ts): four
 *    chains, no bounds checks, the runs measured 16 bytes at a time with SIMD; about 1.8× the
 *    JavaScript walk, which stays the reference it is tested against and the path for short
 *    regions and when the module cannot load.
 */
import { startsLikeText } from '../decode/base64.js';
import { CHUNK, MIN_WASM_RUN, WasmWalker } from './keyword-pass.js';
import { savedTables } from './saved-tables.js';

export interface KeywordHit {
  /** Index of the keyword in the list the matcher was built from. */
  keyword: number;
  /** Offset of the first byte of the keyword. */
  start: number;
}

/** What one pass found: keyword hits and (when asked) runs of Base64 characters. */
export class PassResult {
  /** Flat pairs: keyword index, start offset. */
  hits: Int32Array = new Int32Array(256);
  hitCount = 0;
  /** Flat pairs: start, end (exclusive). */
  runs: Int32Array = new Int32Array(256);
  runCount = 0;

  reset(): void {
    this.hitCount = 0;
    this.runCount = 0;
  }

  addHit(keyword: number, start: number): void {
    if (this.hitCount * 2 + 2 > this.hits.length) this.hits = grow(this.hits);
    this.hits[this.hitCount * 2] = keyword;
    this.hits[this.hitCount * 2 + 1] = start;
    this.hitCount++;
  }

  addRun(start: number, end: number): void {
    if (this.runCount * 2 + 2 > this.runs.length) this.runs = grow(this.runs);
    this.runs[this.runCount * 2] = start;
    this.runs[this.runCount * 2 + 1] = end;
    this.runCount++;
  }
}

function grow(a: Int32Array): Int32Array {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}

/**
 * Base64 character classes: 0 = not Base64, 4 = letter or digit, 5 = `+` or `/` (standard
 * alphabet), 6 = `-` or `_` (URL-safe alphabet). OR-ing the classes of a token tells in its
 * low bits which alphabets it used.
 */
export const B64_CLASS = new Uint8Array(256);
for (let c = 0; c < 256; c++) {
  const ch = String.fromCharCode(c);
  if (/[A-Za-z0-9]/.test(ch)) B64_CLASS[c] = 4;
  else if (ch === '+' || ch === '/') B64_CLASS[c] = 5;
  else if (ch === '-' || ch === '_') B64_CLASS[c] = 6;
}

const ALPHABET = 256;
/** Regions at least this long are walked in WebAssembly when it is available. */
const WASM_FROM = 256;

export class KeywordMatcher {
  readonly keywords: readonly string[];
  /** By `state << 8 | byte`: the next state << 1, low bit set when the byte is a Base64 character. */
  private readonly table: Uint16Array;
  /** States numbered at or above this one accept (have outputs). */
  private readonly firstAccepting: number;
  /** For each accepting state (index: state − firstAccepting), the keywords ending there. */
  private readonly outputs: Int32Array[];
  private readonly lengths: Int32Array;
  private readonly maxLength: number;
  /** The pass in WebAssembly, or null (the module could not load): then the JavaScript walks. */
  private readonly wasm: WasmWalker | null;
  /** First accepting state in the WebAssembly table's numbering (a power of two). */
  private readonly wasmFirstAccepting: number;

  /** `wasm: false` keeps the pass in JavaScript (the reference the WebAssembly walk is tested against). */
  constructor(keywords: readonly string[], options: { wasm?: boolean } = {}) {
    this.keywords = keywords.map((k) => k.toLowerCase());
    this.lengths = Int32Array.from(this.keywords, (k) => k.length);
    this.maxLength = this.lengths.reduce((n, l) => Math.max(n, l), 1);
    const built = savedTables(this.keywords) ?? buildTables(this.keywords);
    this.table = built.table;
    this.firstAccepting = built.firstAccepting;
    this.outputs = built.outputs;
    this.wasmFirstAccepting = built.wasmFirstAccepting;
    this.wasm = options.wasm === false ? null : WasmWalker.create(built.wasmTable, built.wasmFirstAccepting, this.maxLength - 1);
    this.warmUp();
  }

  /**
   * Every path of the pass once, on a few bytes, before the first real input. V8 compiles the
   * pass while it runs over the first large file (on-stack replacement); code after its main
   * loop had then never run and was compiled without type feedback, so every later call left
   * the optimized code there: a deoptimization per file (285 on node_modules, and the pass at
   * two thirds of its speed), with the recompilations on the background threads besides.
   */
  private warmUp(): void {
    const sample = `${this.keywords.join(' ')} ${'QUJDREVGR0hJSktMTU5PUFFSU1RVVldY'.repeat(3)} `;
    const bytes = Buffer.from(sample.repeat(Math.ceil(1100 / sample.length)), 'latin1');
    const out = new PassResult();
    for (const length of [bytes.length, bytes.length - 1, 300, 200]) for (const minRun of [0, 16]) this.pass(bytes, 0, length, out, minRun);
  }

  /** Scans a latin1 string (one char per byte). Calls onHit for every keyword occurrence. */
  scanString(text: string, onHit: (keyword: number, start: number) => void, from = 0, to = text.length): void {
    this.scanBytes(Buffer.from(text, 'latin1'), onHit, from, to);
  }

  /** Scans bytes directly. Calls onHit for every keyword occurrence, in order. */
  scanBytes(bytes: Uint8Array, onHit: (keyword: number, start: number) => void, from = 0, to = bytes.length): void {
    const r = new PassResult();
    this.pass(bytes, from, to, r, 0);
    for (let i = 0; i < r.hitCount; i++) onHit(r.hits[2 * i]!, r.hits[2 * i + 1]!);
  }

  /**
   * The pass over bytes[from, to): every keyword occurrence (in order of position) and, when
   * minRun > 0, every maximal run of Base64 characters at least minRun (and 4) long that
   * starts in the region and may decode to text (endRun); a run cut by `from` belongs to the
   * region before, one cut by `to` is followed to its end.
   */
  pass(bytes: Uint8Array, from: number, to: number, out: PassResult, minRun: number): void {
    out.reset();
    // runs are reported when `run − next ≥ limit`: never, when they are not wanted
    const limit = minRun > 0 ? Math.max(minRun, 4) : 0x3fffffff;
    const len = to - from;
    if (this.wasm && len >= WASM_FROM && (minRun === 0 || minRun >= MIN_WASM_RUN)) {
      this.walkWasm(this.wasm, bytes, from, to, out, limit);
      return;
    }
    if (len < 512) {
      // below this, one automaton is as fast as two
      this.walk(bytes, from, to, out, limit);
      return;
    }
    this.walkTwo(bytes, from, from + (len >> 1), to, out, limit);
  }

  /** The pass in WebAssembly (keyword-pass.ts), a chunk at a time; its events drained as the walks' are. */
  private walkWasm(wasm: WasmWalker, bytes: Uint8Array, from: number, to: number, out: PassResult, limit: number): void {
    const E = wasm.events;
    // a run open at a chunk's end goes on in the next chunk: each run is reported once, when it ends
    let open = 0;
    for (let c0 = from; c0 < to; c0 += CHUNK) {
      const c1 = Math.min(to, c0 + CHUNK);
      wasm.walk(bytes, from, c0, c1, limit, open);
      const at = wasm.offset;
      // hits chain by chain (each chain's segment follows the one before), then the runs
      for (let chain = 0; chain < wasm.hitsTo.length; chain++) {
        for (let k = wasm.hitsFrom[chain]!; k < wasm.hitsTo[chain]!; k += 2) this.emit(E[k]! - this.wasmFirstAccepting + this.firstAccepting, E[k + 1]! + at, out);
      }
      for (let k = wasm.runsFrom; k < wasm.runsTo; k += 2) this.endRun(bytes, -1 - E[k]! + at, E[k + 1]! + at, out, from);
      open = wasm.openRun;
    }
    if (open >= 1) this.finishRun(bytes, to - open, to, out, from, limit);
  }

  /**
   * Events of the loops below, in pairs: (table entry, position) for a keyword hit ending at
   * position; (−1 − run start, run end) for a Base64 run. Stored inline rather than through
   * calls, which cost the loop its registers.
   */
  private events: Int32Array = new Int32Array(4096);

  private growEvents(): Int32Array {
    const b = new Int32Array(this.events.length * 2);
    b.set(this.events);
    return (this.events = b);
  }

  /** One automaton over [from, to). */
  private walk(bytes: Uint8Array, from: number, to: number, out: PassResult, limit: number): void {
    const T = this.table;
    const A = this.firstAccepting << 1;
    let E = this.events;
    let n = 0;
    let e = 0;
    let run = 0;
    for (let i = from; i < to; i++) {
      e = T[((e >> 1) << 8) | bytes[i]!]!;
      // branch-free run length: +1 on a Base64 character, 0 otherwise
      const next = (run + 1) & -(e & 1);
      if (e >= A || run - next >= limit) {
        if (n + 4 > E.length) E = this.growEvents();
        if (e >= A) (E[n++] = e), (E[n++] = i);
        if (run - next >= limit) (E[n++] = -1 - (i - run)), (E[n++] = i);
      }
      run = next;
    }
    this.drain(bytes, E, n, 0, out, from);
    if (run >= 1 && limit < 0x3fffffff) this.finishRun(bytes, to - run, to, out, from, limit);
  }

  /**
   * Two automata in one loop: X over [from, mid), Y over [mid − (longest keyword − 1), to)
   * reporting only hits that end at or after mid, so each hit is reported once. Base64 runs
   * are measured by X up to mid (a run crossing mid is followed to its end) and by Y from
   * mid on (endRun drops Y's run that began before mid). X's results come before Y's.
   */
  private walkTwo(bytes: Uint8Array, from: number, mid: number, to: number, out: PassResult, limit: number): void {
    const T = this.table;
    const A = this.firstAccepting << 1;
    let E = this.events;
    let n = 0;
    // warm Y up on the overlap alone (no reporting), then run both in lockstep
    let ey = 0;
    for (let i = Math.max(from, mid - (this.maxLength - 1)); i < mid; i++) ey = T[((ey >> 1) << 8) | bytes[i]!]!;
    let ex = 0;
    let runX = 0;
    let runY = 0;
    const half = mid - from;
    for (let d = 0; d < half; d++) {
      const ix = from + d;
      const iy = mid + d;
      ex = T[((ex >> 1) << 8) | bytes[ix]!]!;
      ey = T[((ey >> 1) << 8) | bytes[iy]!]!;
      const nx = (runX + 1) & -(ex & 1);
      const ny = (runY + 1) & -(ey & 1);
      if (ex >= A || ey >= A || runX - nx >= limit || runY - ny >= limit) {
        if (n + 8 > E.length) E = this.growEvents();
        if (ex >= A) (E[n++] = ex), (E[n++] = ix);
        if (ey >= A) (E[n++] = ey), (E[n++] = iy);
        if (runX - nx >= limit) (E[n++] = -1 - (ix - runX)), (E[n++] = ix);
        if (runY - ny >= limit) (E[n++] = -1 - (iy - runY)), (E[n++] = iy);
      }
      runX = nx;
      runY = ny;
    }
    // Y's half is one byte longer when the length is odd
    for (let iy = mid + half; iy < to; iy++) {
      ey = T[((ey >> 1) << 8) | bytes[iy]!]!;
      const ny = (runY + 1) & -(ey & 1);
      if (ey >= A || runY - ny >= limit) {
        if (n + 4 > E.length) E = this.growEvents();
        if (ey >= A) (E[n++] = ey), (E[n++] = iy);
        if (runY - ny >= limit) (E[n++] = -1 - (iy - runY)), (E[n++] = iy);
      }
      runY = ny;
    }
    // X's events (positions before mid) first, then Y's
    this.drain(bytes, E, n, 0, out, from, mid);
    if (runX >= 1 && limit < 0x3fffffff) this.finishRun(bytes, mid - runX, mid, out, from, limit);
    this.drain(bytes, E, n, mid, out, mid);
    if (runY >= 1 && limit < 0x3fffffff) this.finishRun(bytes, to - runY, to, out, mid, limit);
  }

  /** Turns the events with position in [lo, hi) into hits and runs. */
  private drain(bytes: Uint8Array, E: Int32Array, n: number, lo: number, out: PassResult, regionFrom: number, hi = 0x7fffffff): void {
    for (let k = 0; k < n; k += 2) {
      const code = E[k]!;
      const pos = E[k + 1]!;
      if (pos < lo || pos >= hi) continue;
      if (code >= 0) this.emit(code >> 1, pos, out);
      else this.endRun(bytes, -1 - code, pos, out, regionFrom);
    }
  }

  private emit(state: number, end: number, out: PassResult): void {
    const ks = this.outputs[state - this.firstAccepting]!;
    for (let j = 0; j < ks.length; j++) out.addHit(ks[j]!, end - this.lengths[ks[j]!]! + 1);
  }

  /**
   * A run that ended at `end`; one that began at the region start after a Base64 character
   * belongs to the region before. Only runs the Base64 view could decode into text are kept:
   * a length that is not 1 mod 4, a start that decodes to text (most runs in code are
   * identifiers, and fail it).
   */
  private endRun(bytes: Uint8Array, start: number, end: number, out: PassResult, regionFrom: number): void {
    if (start === regionFrom && start > 0 && B64_CLASS[bytes[start - 1]!]! !== 0) return;
    if ((end - start) % 4 === 1 || !startsLikeText(bytes, start)) return;
    out.addRun(start, end);
  }

  /** A run still open at `to`: followed past it to its real end, reported if long enough. */
  private finishRun(bytes: Uint8Array, start: number, to: number, out: PassResult, regionFrom: number, minRun = 1): void {
    // a run the region before holds: not followed (it may be megabytes of inline data)
    if (start === regionFrom && start > 0 && B64_CLASS[bytes[start - 1]!]! !== 0) return;
    let e = to;
    while (e < bytes.length && B64_CLASS[bytes[e]!]! !== 0) e++;
    if (e - start >= minRun) this.endRun(bytes, start, e, out, regionFrom);
  }
}

/** The automaton of a keyword list, for the JavaScript walk and for the WebAssembly one. */
export interface KeywordTables {
  /** Lower-cased, in the order of the keyword indexes the outputs hold. */
  keywords: readonly string[];
  table: Uint16Array;
  firstAccepting: number;
  outputs: Int32Array[];
  wasmTable: Uint16Array;
  wasmFirstAccepting: number;
}

/** Builds the automaton of lower-cased keywords (~30 ms on a cold thread for the built-in rules' 200). */
export function buildTables(keywords: readonly string[]): KeywordTables {
  const built = build(keywords);
  const wasm = forWasm(built.table, built.firstAccepting);
  return { keywords, ...built, wasmTable: wasm.table, wasmFirstAccepting: wasm.firstAccepting };
}

/**
 * The table for the WebAssembly walk: plain next states (no Base64 bit; the loop looks the
 * byte's class up beside the step), accepting states moved up to start at a power of two so
 * one AND of every chain's state tells whether any accepts.
 */
function forWasm(table: Uint16Array, firstAccepting: number): { table: Uint16Array; firstAccepting: number } {
  const states = table.length / ALPHABET;
  let first = 1;
  while (first < firstAccepting) first *= 2;
  const id = (s: number) => (s < firstAccepting ? s : s - firstAccepting + first);
  const out = new Uint16Array((first + states - firstAccepting) * ALPHABET);
  for (let s = 0; s < states; s++) for (let b = 0; b < ALPHABET; b++) out[id(s) * ALPHABET + b] = id(table[s * ALPHABET + b]! >> 1);
  return { table: out, firstAccepting: first };
}

function lower(b: number): number {
  return b >= 0x41 && b <= 0x5a ? b + 0x20 : b;
}

function build(keywords: readonly string[]): { table: Uint16Array; firstAccepting: number; outputs: Int32Array[] } {
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
  const n = goto.length;
  if (n > 0x7fff) throw new Error(`too many keyword states (${n}) for the keyword automaton`);
  const fail = new Int32Array(n);
  const delta = new Int32Array(n * ALPHABET);
  // Breadth-first, so a state's failure target (shallower) already has its DFA row: a row
  // is its failure state's row with the state's own transitions written over it.
  const queue: number[] = [0];
  for (let qi = 0; qi < queue.length; qi++) {
    const s = queue[qi]!;
    if (s !== 0) delta.copyWithin(s * ALPHABET, fail[s]! * ALPHABET, fail[s]! * ALPHABET + ALPHABET);
    for (const [c, t] of goto[s]!) {
      fail[t] = s === 0 ? 0 : delta[fail[s]! * ALPHABET + c]!;
      for (const k of out[fail[t]!]!) out[t]!.push(k);
      queue.push(t);
    }
    for (const [c, t] of goto[s]!) {
      delta[s * ALPHABET + c] = t;
      // keywords are lower-cased: an upper-case letter takes the same transition
      if (c >= 0x61 && c <= 0x7a) delta[s * ALPHABET + c - 0x20] = t;
    }
  }
  // renumber: non-accepting states first (the start state stays 0), accepting states last
  const accepting: number[] = [];
  const plain: number[] = [];
  for (let s = 0; s < n; s++) (out[s]!.length ? accepting : plain).push(s);
  const order = [...plain, ...accepting];
  const id = new Int32Array(n);
  order.forEach((s, i) => (id[s] = i));
  const table = new Uint16Array(n * ALPHABET);
  // each entry: the next state, shifted left, with the low bit telling whether the byte is a Base64 character
  for (let s = 0; s < n; s++) for (let b = 0; b < ALPHABET; b++) table[id[s]! * ALPHABET + b] = (id[delta[s * ALPHABET + b]!]! << 1) | (B64_CLASS[b] ? 1 : 0);
  const outputs = accepting.map((s) => Int32Array.from(new Set(out[s]!)));
  return { table, firstAccepting: plain.length, outputs };
}
