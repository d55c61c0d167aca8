import { readFileSync } from 'node:fs';
import { BASE64_VALUES, printable } from '../decode/base64.js';

/**
 * The keyword pass's inner loop in WebAssembly (built from scripts/keyword-pass-wat.mjs into
 * dist/detect/keyword-pass.wasm). The same automaton as the JavaScript walk, with four chains
 * instead of two and without the bounds checks and register spills V8 gives the JavaScript
 * loop: the pass is the one cost every byte pays (a third to a half of a scanning thread on
 * real trees and histories). The matcher drains its events exactly as it drains those of the
 * JavaScript walk, which stays the reference (and the path when this module cannot load).
 */

/** Automata the module's loop walks in lockstep (its `chains` export is checked when it loads). */
const CHAINS = 4;
/** Input is copied here, a chunk at a time, with the bytes before it the chains warm up on (below: the module's tables). */
const INPUT = 4096;
/** Bytes of input per call: bounds the event areas (each position gives at most two events). */
export const CHUNK = 64 << 10;
/** Most warm-up bytes before a segment: the longest keyword less one (longer keywords: the JavaScript walk). */
const MAX_OVERLAP = 255;
/** Event areas: one per chain (a hit per position at most), then the runs' (one per 16 positions at most, but the tail is byte by byte). */
const AREA = (CHUNK / CHAINS + 64) * 8;
const EVENTS = INPUT + CHUNK + 4096;
const RUNS = EVENTS + CHAINS * AREA;
const RUNS_AREA = (CHUNK / 16 + 64) * 8;
/** Shortest run the 16-byte blocks can measure (a shorter one may lie inside a block). */
export const MIN_WASM_RUN = 15;
/** Chunks shorter than this are walked by one chain (the last). Longer ones: a quarter each, more than the longest keyword. */
const SPLIT_FROM = 1024;

type Walk = (...args: number[]) => void;
type Runs = (p: number, end: number, out: number, limit: number, run: number) => number;

let compiled: WebAssembly.Module | null | undefined;

/** The compiled module, or null when its file is missing or does not compile (the caller walks in JavaScript). */
function wasmModule(): WebAssembly.Module | null {
  if (compiled !== undefined) return compiled;
  try {
    compiled = new WebAssembly.Module(readFileSync(new URL('./keyword-pass.wasm', import.meta.url)));
  } catch {
    compiled = null;
  }
  return compiled;
}

/** A constant the module exports (its layout, its number of chains). */
function exported(instance: WebAssembly.Instance, name: string): number {
  return (instance.exports[name] as { value: number }).value;
}

export class WasmWalker {
  /** Int32 view of the module's memory: events are read from it. */
  readonly events: Int32Array;
  /** Where each chain's hit events begin in `events` (fixed) and, after a walk, end. */
  readonly hitsFrom = Int32Array.from({ length: CHAINS }, (_, k) => (EVENTS + k * AREA) >> 2);
  readonly hitsTo = new Int32Array(CHAINS);
  /** The runs' events, [runsFrom, runsTo), and the length of the run still open at the chunk's end. */
  readonly runsFrom = RUNS >> 2;
  runsTo = RUNS >> 2;
  openRun = 0;
  /** Added to an event's position (a memory address) it gives the position in the input. */
  offset = 0;
  private readonly bytes: Uint8Array;
  private readonly walkFn: Walk;
  private readonly runsFn: Runs;
  private readonly overlap: number;
  private readonly accMask: number;

  /**
   * `table`: u16 next state by (state << 8 | byte), in a numbering where every accepting state
   * is at or above `firstAccepting`, a power of two. `overlap`: the longest keyword less one.
   */
  static create(table: Uint16Array, firstAccepting: number, overlap: number): WasmWalker | null {
    const mod = wasmModule();
    if (!mod || overlap > MAX_OVERLAP || (firstAccepting & (firstAccepting - 1)) !== 0) return null;
    const instance = new WebAssembly.Instance(mod);
    const at = (name: string) => exported(instance, name);
    if (at('chains') !== CHAINS) return null;
    // the module's tables lie below the input, its transition table above the event areas
    if (Math.max(at('b64'), at('values'), at('printable'), at('utf16')) + 256 > INPUT || RUNS + RUNS_AREA > at('table')) return null;
    return new WasmWalker(instance, table, firstAccepting, overlap);
  }

  private constructor(instance: WebAssembly.Instance, table: Uint16Array, firstAccepting: number, overlap: number) {
    const at = (name: string) => exported(instance, name);
    const memory = instance.exports.memory as WebAssembly.Memory;
    memory.grow(Math.ceil((at('table') + table.byteLength - memory.buffer.byteLength) / 65536));
    this.bytes = new Uint8Array(memory.buffer);
    this.events = new Int32Array(memory.buffer);
    new Uint16Array(memory.buffer, at('table'), table.length).set(table);
    const [b64, text, utf16] = [at('b64'), at('printable'), at('utf16')];
    for (let b = 0; b < 256; b++) {
      this.bytes[b64 + b] = /[A-Za-z0-9+/_-]/.test(String.fromCharCode(b)) ? 0xff : 0;
      this.bytes[text + b] = printable(b) ? 1 : 0;
      this.bytes[utf16 + b] = b >= 0x09 && b < 0x7f ? 1 : 0;
    }
    this.bytes.set(BASE64_VALUES, at('values'));
    this.walkFn = instance.exports.walk as Walk;
    this.runsFn = instance.exports.runs as Runs;
    this.overlap = overlap;
    this.accMask = ~(firstAccepting - 1);
  }

  /**
   * Walks input[c0, c1) (at most CHUNK bytes) of a region that begins at `from`. The chains'
   * segments follow one another, so their hits, chain by chain, are in order. Each automaton
   * first warms up (without events) on the bytes before its segment that lie in the region.
   * Runs of Base64 characters are measured over the whole chunk when `limit` (at least
   * MIN_WASM_RUN) is below 0x3fffffff, the first continuing the `run` bytes long open at the
   * end of the chunk before (a run's start may then lie before c0).
   */
  walk(input: Uint8Array, from: number, c0: number, c1: number, limit: number, run: number): void {
    const pre = Math.min(this.overlap, c0 - from);
    // a whole small file (the common case) without a view of it to allocate
    this.bytes.set(c0 - pre === 0 && c1 === input.length ? input : input.subarray(c0 - pre, c1), INPUT);
    const base = INPUT + pre;
    const end = base + c1 - c0;
    this.offset = c0 - base;
    const A = EVENTS;
    if (c1 - c0 < SPLIT_FROM) {
      // one chain (the last) over the whole chunk; the others have empty segments
      this.walkFn(base, base, base, base, base, base, base, INPUT, 0, end, A, A + AREA, A + 2 * AREA, A + 3 * AREA, this.accMask);
    } else {
      const q = (c1 - c0) >> 2;
      const o = this.overlap;
      this.walkFn(base, base + q, base + 2 * q, base + 3 * q, INPUT, base + q - o, base + 2 * q - o, base + 3 * q - o, q, end, A, A + AREA, A + 2 * AREA, A + 3 * AREA, this.accMask);
    }
    for (let k = 0; k < CHAINS; k++) this.hitsTo[k] = this.events[2 * k]! >> 2;
    this.runsTo = this.runsFrom;
    this.openRun = 0;
    if (limit < 0x3fffffff) {
      this.runsTo = this.runsFn(base, end, RUNS, limit, run) >> 2;
      this.openRun = this.events[1]!;
    }
  }
}
