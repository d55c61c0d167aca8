/**
 * A set of git object ids kept as raw bytes in one open-addressing table: 20 bytes (SHA-1)
 * or 32 (SHA-256) plus one flag byte per slot, instead of a ~100-byte JS string and Set
 * entry per id. This is what the history scan holds per unique blob, so it is what bounds
 * its memory on large repositories.
 */
export class ObjectIdSet {
  private ids: Buffer;
  private used: Uint8Array;
  private mask: number;
  private count = 0;
  private readonly key: Buffer;

  constructor(
    private readonly idBytes = 20,
    initialCapacity = 1024,
  ) {
    let cap = 16;
    while (cap < initialCapacity * 2) cap *= 2;
    this.ids = Buffer.alloc(cap * idBytes);
    this.used = new Uint8Array(cap);
    this.mask = cap - 1;
    this.key = Buffer.alloc(idBytes);
  }

  get size(): number {
    return this.count;
  }

  /** Bytes held by the table (for the benchmark's memory account). */
  get byteSize(): number {
    return this.ids.length + this.used.length;
  }

  has(hex: string): boolean {
    return this.find(this.load(hex)) >= 0;
  }

  /** Adds the id; true when it was not there before. */
  add(hex: string): boolean {
    const slot = this.find(this.load(hex));
    if (slot >= 0) return false;
    if ((this.count + 1) * 10 > (this.mask + 1) * 7) this.grow();
    this.insert(this.key);
    return true;
  }

  private load(hex: string): Buffer {
    if (hex.length !== this.idBytes * 2) throw new Error(`not a ${this.idBytes * 8}-bit object id: ${hex}`);
    this.key.write(hex, 0, 'hex');
    return this.key;
  }

  /** Slot of the key, or -1. */
  private find(key: Buffer): number {
    for (let i = key.readUInt32LE(0) & this.mask; ; i = (i + 1) & this.mask) {
      if (!this.used[i]) return -1;
      if (key.compare(this.ids, i * this.idBytes, (i + 1) * this.idBytes) === 0) return i;
    }
  }

  private insert(key: Buffer): void {
    let i = key.readUInt32LE(0) & this.mask;
    while (this.used[i]) i = (i + 1) & this.mask;
    key.copy(this.ids, i * this.idBytes);
    this.used[i] = 1;
    this.count++;
  }

  private grow(): void {
    const oldIds = this.ids;
    const oldUsed = this.used;
    const cap = (this.mask + 1) * 2;
    this.ids = Buffer.alloc(cap * this.idBytes);
    this.used = new Uint8Array(cap);
    this.mask = cap - 1;
    this.count = 0;
    for (let i = 0; i < oldUsed.length; i++) {
      if (oldUsed[i]) this.insert(oldIds.subarray(i * this.idBytes, (i + 1) * this.idBytes));
    }
  }
}
