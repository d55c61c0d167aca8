/**
 * A copy of `s` that holds no reference to the string it was cut from. Fields sliced out of
 * a log line share the line's memory; kept as a map key they would keep every such line
 * alive. Short strings are copied by V8 anyway.
 */
export function detach(s: string): string {
  return s.length < 13 ? s : (' ' + s).slice(1);
}

/**
 * A map of per-key statistics with a ceiling on distinct keys, so a log set with millions
 * of distinct objects or addresses cannot exhaust memory. Keys past the ceiling are counted
 * in `untracked` (their requests still count in every total), and the distinct count is
 * then reported as a lower bound.
 */
export class Tally<V> {
  private readonly map = new Map<string, V>();
  /** Requests whose key arrived after the ceiling was reached. */
  untracked = 0;

  constructor(
    private readonly maxKeys: number,
    private readonly init: () => V,
  ) {}

  /** The stats for `key`, created on first sight; null once the ceiling is reached. */
  get(key: string): V | null {
    let v = this.map.get(key);
    if (v === undefined) {
      if (this.map.size >= this.maxKeys) {
        this.untracked++;
        return null;
      }
      v = this.init();
      this.map.set(detach(key), v);
    }
    return v;
  }

  get size(): number {
    return this.map.size;
  }

  get truncated(): boolean {
    return this.untracked > 0;
  }

  /** The first `n` entries in `order` (ties by key, for stable output). */
  top(n: number, order: (a: V, b: V) => number): [string, V][] {
    return [...this.map.entries()].sort((a, b) => order(a[1], b[1]) || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).slice(0, n);
  }

  entries(): IterableIterator<[string, V]> {
    return this.map.entries();
  }
}

/**
 * Remembers recently seen request ids to drop the duplicate lines classic logging may
 * write (best effort delivery). Two generations of bounded sets: duplicates arrive close to
 * each other, and memory stays fixed however long the log set is.
 */
export class RecentSet {
  private current = new Set<string>();
  private previous = new Set<string>();

  constructor(private readonly generation = 100_000) {}

  /** True when `key` was seen recently; records it otherwise. */
  seen(key: string): boolean {
    if (this.current.has(key) || this.previous.has(key)) return true;
    if (this.current.size >= this.generation) {
      this.previous = this.current;
      this.current = new Set();
    }
    this.current.add(detach(key));
    return false;
  }
}
