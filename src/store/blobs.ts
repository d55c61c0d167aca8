import type { Queryable } from './db.js';

/**
 * Blob ids scanned clean, per scanner (a digest of the rules and scan options: another rule
 * set must look again). Nosey Parker's idea at organisation scale: a blob seen anywhere in
 * the organisation is scanned once. Blobs with findings are not recorded — they are scanned
 * wherever they appear, so each repository and path gets its own provenance.
 *
 * Rows carry a batch number (one per writing transaction) so a long-lived worker can top its
 * in-memory set up with only what it has not read yet. A batch committed out of order may be
 * missed by that top-up; the cost is one blob scanned twice, never a blob not scanned.
 */
export async function scannerId(q: Queryable, digest: string): Promise<number> {
  const [r] = await q.query<{ id: number }>(`INSERT INTO scanners (digest) VALUES ($1) ON CONFLICT (digest) DO UPDATE SET digest = excluded.digest RETURNING id`, [digest]);
  return r!.id;
}

/** Records blob ids (hex) scanned clean. */
export async function recordCleanBlobs(q: Queryable, scanner: number, ids: readonly string[]): Promise<void> {
  if (!ids.length) return;
  const byLength = new Map<number, string[]>();
  for (const id of ids) {
    if (!/^[0-9a-f]+$/.test(id)) continue;
    if (!byLength.has(id.length)) byLength.set(id.length, []);
    byLength.get(id.length)!.push(id);
  }
  const [b] = await q.query<{ batch: number }>(`SELECT nextval('scanned_blob_batches') AS batch`);
  for (const [len, list] of byLength) {
    // one parameter for any number of ids: a hex string cut into fixed-size pieces in SQL
    for (let i = 0; i < list.length; i += 50_000) {
      const chunk = list.slice(i, i + 50_000);
      await q.query(
        `INSERT INTO scanned_blobs (scanner_id, oid, batch)
         SELECT $1, decode(substr($2, n * $3 + 1, $3), 'hex'), $4 FROM generate_series(0, $5 - 1) AS n
         ON CONFLICT DO NOTHING`,
        [scanner, chunk.join(''), len, b!.batch, chunk.length],
      );
    }
  }
}

export interface BlobCursor {
  batch: number;
  oid: Buffer;
}

/**
 * The next page of clean blob ids of one length (20 bytes: SHA-1, 32: SHA-256) after the
 * cursor, as one buffer of concatenated ids — 100,000 ids are 2 MB and one row, not 100,000
 * objects.
 */
export async function cleanBlobPage(q: Queryable, scanner: number, idBytes: number, after: BlobCursor | null, limit = 100_000): Promise<{ ids: Buffer; count: number; next: BlobCursor | null }> {
  const [r] = await q.query<{ ids: Buffer | null; n: number; batch: number | null; oid: Buffer | null }>(
    `SELECT string_agg(oid, ''::bytea ORDER BY batch, oid) AS ids, count(*) AS n, max(batch) AS batch,
            (array_agg(oid ORDER BY batch DESC, oid DESC))[1] AS oid
     FROM (SELECT batch, oid FROM scanned_blobs
           WHERE scanner_id = $1 AND length(oid) = $2 AND (batch, oid) > ($3::bigint, $4::bytea)
           ORDER BY batch, oid LIMIT $5) page`,
    [scanner, idBytes, after?.batch ?? -1, after?.oid ?? Buffer.alloc(0), limit],
  );
  const count = r?.n ?? 0;
  if (!count || !r?.ids) return { ids: Buffer.alloc(0), count: 0, next: after };
  return { ids: r.ids, count, next: { batch: r.batch!, oid: r.oid! } };
}

export async function countCleanBlobs(q: Queryable, scanner?: number): Promise<number> {
  const [r] = await q.query<{ n: number }>(scanner === undefined ? `SELECT count(*) AS n FROM scanned_blobs` : `SELECT count(*) AS n FROM scanned_blobs WHERE scanner_id = $1`, scanner === undefined ? [] : [scanner]);
  return r?.n ?? 0;
}
