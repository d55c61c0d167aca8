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

/** Builds a MappedText piece by piece. */
export class MappedBuilder {
  private parts: string[] = [];
  private offsets: number[] = [];

  push(decoded: string, originalIndex: number): void {
    for (let i = 0; i < decoded.length; i++) {
      this.parts.push(decoded[i]!);
      this.offsets.push(originalIndex);
    }
  }

  /** Copies a run of the original unchanged. */
  copy(source: string, from: number, to: number): void {
    for (let i = from; i < to; i++) {
      this.parts.push(source[i]!);
      this.offsets.push(i);
    }
  }

  finish(originalEnd: number, encoding: string): MappedText {
    const map = new Int32Array(this.offsets.length + 1);
    map.set(this.offsets);
    map[this.offsets.length] = originalEnd;
    return { text: this.parts.join(''), map, encoding };
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
