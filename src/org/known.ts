import { ObjectIdSet } from '../sources/git/object-set.js';
import { cleanBlobPage, type BlobCursor } from '../store/blobs.js';
import type { Queryable } from '../store/db.js';

/**
 * A worker's copy of the blob ids the store holds as scanned clean (by this rule set),
 * in the history scanner's compact id set (about 30 bytes an id), topped up before each job
 * with what other workers have recorded since. The pipeline asks only `has(id)`.
 */
export class KnownBlobs {
  private readonly sets = new Map<number, { set: ObjectIdSet; cursor: BlobCursor | null }>();
  constructor(private readonly scanner: number) {}

  get size(): number {
    let n = 0;
    for (const s of this.sets.values()) n += s.set.size;
    return n;
  }

  async refresh(q: Queryable): Promise<number> {
    let added = 0;
    for (const idBytes of [20, 32]) {
      const entry = this.sets.get(idBytes) ?? { set: new ObjectIdSet(idBytes, 4096), cursor: null };
      for (;;) {
        const page = await cleanBlobPage(q, this.scanner, idBytes, entry.cursor);
        if (!page.count) break;
        for (let i = 0; i < page.count; i++) if (entry.set.add(page.ids.toString('hex', i * idBytes, (i + 1) * idBytes))) added++;
        entry.cursor = page.next;
        if (page.count < 100_000) break;
      }
      if (entry.set.size) this.sets.set(idBytes, entry);
    }
    return added;
  }

  has(id: string): boolean {
    return this.sets.get(id.length / 2)?.set.has(id) ?? false;
  }

  /** Ids this process just recorded (the next refresh would bring them too). */
  add(ids: Iterable<string>): void {
    for (const id of ids) {
      const idBytes = id.length / 2;
      if (idBytes !== 20 && idBytes !== 32) continue;
      let entry = this.sets.get(idBytes);
      if (!entry) this.sets.set(idBytes, (entry = { set: new ObjectIdSet(idBytes, 4096), cursor: null }));
      entry.set.add(id);
    }
  }
}
