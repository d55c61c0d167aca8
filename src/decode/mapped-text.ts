/**
 * Text produced by undoing an encoding, with a map from each decoded index back to the
 * original index, so a match found in decoded text keeps its exact line and column.
 */
export interface MappedText {
  text: string;
  /** map[i] = index in the original of decoded char i; map[text.length] = end of the original. */
  map: Int32Array;
  encoding: string;
  /**
   * Views of several decoded values (Base64): where each value starts in `text`, ascending.
   * A value may be preceded on its line by the name it was assigned to (`NAME=`), which maps
   * to the name in the original; a finding is placed on the value.
   */
  valueStarts?: Int32Array;
}

export function identity(text: string): MappedText {
  const map = new Int32Array(text.length + 1);
  for (let i = 0; i <= text.length; i++) map[i] = i;
  return { text, map, encoding: 'plain' };
}

/**
 * Builds a MappedText piece by piece. Text is kept as slices and offsets in a typed array
 * that grows by doubling: a window of code full of escapes used to cost a one-character
 * string and a boxed number per character, the largest share of a tree scan's decoding.
 */
export class MappedBuilder {
  private parts: string[] = [];
  private offsets = new Int32Array(256);
  private length = 0;

  push(decoded: string, originalIndex: number): void {
    this.parts.push(decoded);
    this.reserve(decoded.length);
    this.offsets.fill(originalIndex, this.length, this.length + decoded.length);
    this.length += decoded.length;
  }

  /** Copies a run of the original unchanged. */
  copy(source: string, from: number, to: number): void {
    if (to <= from) return;
    this.parts.push(source.slice(from, to));
    this.reserve(to - from);
    const o = this.offsets;
    for (let i = from, at = this.length; i < to; i++, at++) o[at] = i;
    this.length += to - from;
  }

  finish(originalEnd: number, encoding: string): MappedText {
    const map = new Int32Array(this.length + 1);
    map.set(this.offsets.subarray(0, this.length));
    map[this.length] = originalEnd;
    return { text: this.parts.join(''), map, encoding };
  }

  private reserve(n: number): void {
    if (this.length + n <= this.offsets.length) return;
    let size = this.offsets.length * 2;
    while (size < this.length + n) size *= 2;
    const grown = new Int32Array(size);
    grown.set(this.offsets.subarray(0, this.length));
    this.offsets = grown;
  }
}

/** Maps a decoded span back to the original; `end` is exclusive. */
export function toOriginal(m: MappedText, start: number, end: number): { start: number; end: number } {
  const s = m.map[start]!;
  // the end of a span is one past the original index of its last decoded char's source
  const lastSrc = end > start ? m.map[end - 1]! : s;
  const nextSrc = m.map[end]!;
  return { start: s, end: Math.max(nextSrc, lastSrc + 1) };
}

/** Composes two mappings: `outer` was decoded from `inner.text`. */
export function compose(inner: MappedText, outer: MappedText): MappedText {
  const map = new Int32Array(outer.map.length);
  for (let i = 0; i < outer.map.length; i++) map[i] = inner.map[outer.map[i]!]!;
  return { text: outer.text, map, encoding: `${inner.encoding}+${outer.encoding}`.replace(/^plain\+/, '') };
}
