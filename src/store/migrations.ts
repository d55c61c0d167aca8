import type { Db } from './db.js';

/**
 * The schema, as numbered migrations in one dialect (PostgreSQL: PGlite runs the same SQL).
 * A migration is never edited once released; changes are new migrations. They are applied
 * in one transaction under an advisory lock, so workers starting together on a new shared
 * store do not race each other.
 *
 * What is where:
 *   repositories          what an organisation listing (or `scan --store`) found, with the ref
 *                         tips of the last completed scan (the next one reads only newer commits)
 *   runs, scans           a planning run; one scan per repository it queued, split into parts
 *                         (pg-boss jobs) for huge repositories; its state, error and counts
 *   findings              one row per fingerprint (the report contract's fields, redacted), with
 *                         its triage state — never overwritten by a rescan
 *   finding_repositories  where each finding lives: per repository, its path, line, introducing
 *                         commit and whether that repository's HEAD still holds it
 *   occurrences           every commit (and path, line) that wrote it, per repository
 *   triage_events         who changed a finding's status, when and why
 *   findings.search       (2) the finding's searchable text, lower-cased, for the console's free-text filter
 *   scanners, scanned_blobs  blob ids scanned clean by one rule set (its digest): a blob seen
 *                         anywhere in the organisation is scanned once
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial schema',
    sql: `
CREATE TABLE repositories (
  id bigserial PRIMARY KEY,
  url text NOT NULL UNIQUE,
  source text NOT NULL,
  owner text NOT NULL DEFAULT '',
  name text NOT NULL,
  default_branch text,
  visibility text,
  archived boolean NOT NULL DEFAULT false,
  fork boolean NOT NULL DEFAULT false,
  size_kb bigint,
  discovered_at timestamptz NOT NULL DEFAULT now(),
  listed_at timestamptz NOT NULL DEFAULT now(),
  head text,
  tips jsonb NOT NULL DEFAULT '{}'::jsonb,
  -- the platform's "last pushed" of the listing that queued the last completed scan, and when it was listed
  scanned_marker text,
  scanned_marker_at timestamptz,
  last_scan_id bigint,
  last_scanned_at timestamptz
);
CREATE INDEX repositories_name ON repositories (name);

CREATE TABLE runs (
  id bigserial PRIMARY KEY,
  spec text NOT NULL,
  started_at timestamptz NOT NULL DEFAULT now(),
  listed integer NOT NULL DEFAULT 0,
  queued integer NOT NULL DEFAULT 0,
  unchanged integer NOT NULL DEFAULT 0,
  notices jsonb NOT NULL DEFAULT '[]'::jsonb
);

CREATE TABLE scans (
  id bigserial PRIMARY KEY,
  run_id bigint REFERENCES runs (id) ON DELETE SET NULL,
  repository_id bigint NOT NULL REFERENCES repositories (id) ON DELETE CASCADE,
  state text NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'running', 'done', 'failed')),
  parts_total integer NOT NULL DEFAULT 1,
  parts_done integer NOT NULL DEFAULT 0,
  attempts integer NOT NULL DEFAULT 0,
  error text,
  target_head text,
  target_tips jsonb,
  marker text,
  marker_at timestamptz,
  queued_at timestamptz NOT NULL DEFAULT now(),
  started_at timestamptz,
  finished_at timestamptz,
  commits bigint NOT NULL DEFAULT 0,
  blobs bigint NOT NULL DEFAULT 0,
  bytes bigint NOT NULL DEFAULT 0,
  known_blobs bigint NOT NULL DEFAULT 0,
  findings integer NOT NULL DEFAULT 0,
  notices jsonb NOT NULL DEFAULT '[]'::jsonb
);
CREATE INDEX scans_run ON scans (run_id, state);
CREATE INDEX scans_repository ON scans (repository_id, id DESC);
CREATE INDEX scans_unfinished ON scans (state) WHERE state IN ('queued', 'running');

CREATE TABLE findings (
  fingerprint text PRIMARY KEY,
  rule text NOT NULL,
  family text,
  title text NOT NULL,
  severity text NOT NULL CHECK (severity IN ('info', 'low', 'medium', 'high', 'critical')),
  severity_rank smallint NOT NULL,
  confidence text NOT NULL,
  secret text NOT NULL,
  provider text,
  kind text,
  account text,
  expires_at timestamptz,
  verification text,
  present_at_head boolean NOT NULL DEFAULT false,
  introduced_at timestamptz,
  first_seen timestamptz NOT NULL DEFAULT now(),
  last_seen timestamptz NOT NULL DEFAULT now(),
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'false-positive', 'accepted-risk', 'revoked', 'fixed')),
  status_note text,
  status_by text,
  status_at timestamptz,
  data jsonb NOT NULL
);
-- the list's default order within a status, and its filters
CREATE INDEX findings_by_status ON findings (status, severity_rank DESC, last_seen DESC, fingerprint);
CREATE INDEX findings_by_severity ON findings (severity_rank DESC, last_seen DESC, fingerprint);
CREATE INDEX findings_by_rule ON findings (rule, severity_rank DESC);
CREATE INDEX findings_by_expiry ON findings (expires_at);

CREATE TABLE finding_repositories (
  fingerprint text NOT NULL REFERENCES findings (fingerprint) ON DELETE CASCADE,
  repository_id bigint NOT NULL REFERENCES repositories (id) ON DELETE CASCADE,
  path text NOT NULL,
  line integer,
  col integer,
  introduced_commit text,
  introduced_at timestamptz,
  present_at_head boolean NOT NULL DEFAULT false,
  removed_commit text,
  removed_at timestamptz,
  first_seen timestamptz NOT NULL DEFAULT now(),
  last_seen timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (fingerprint, repository_id)
);
CREATE INDEX finding_repositories_repository ON finding_repositories (repository_id, present_at_head);

CREATE TABLE occurrences (
  fingerprint text NOT NULL,
  repository_id bigint NOT NULL,
  commit text NOT NULL,
  path text NOT NULL,
  line integer,
  date timestamptz,
  PRIMARY KEY (fingerprint, repository_id, commit, path),
  FOREIGN KEY (fingerprint, repository_id) REFERENCES finding_repositories (fingerprint, repository_id) ON DELETE CASCADE
);

CREATE TABLE triage_events (
  id bigserial PRIMARY KEY,
  fingerprint text NOT NULL REFERENCES findings (fingerprint) ON DELETE CASCADE,
  status text NOT NULL,
  previous text NOT NULL,
  note text,
  actor text NOT NULL,
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX triage_events_finding ON triage_events (fingerprint, id);

CREATE TABLE scanners (
  id serial PRIMARY KEY,
  digest text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE SEQUENCE scanned_blob_batches;
CREATE TABLE scanned_blobs (
  scanner_id integer NOT NULL REFERENCES scanners (id) ON DELETE CASCADE,
  oid bytea NOT NULL,
  batch bigint NOT NULL,
  PRIMARY KEY (scanner_id, oid)
);
-- a worker tops its in-memory set up with the batches it has not seen yet
CREATE INDEX scanned_blobs_by_batch ON scanned_blobs (scanner_id, batch, oid);
`,
  },
  {
    version: 2,
    name: 'console: confidence rank, searchable text, time orders',
    sql: `
-- the console sorts and filters by confidence, and searches a finding's own text; both are
-- derived from columns the scan writes, so they can never disagree with them
ALTER TABLE findings ADD COLUMN confidence_rank smallint GENERATED ALWAYS AS (CASE confidence WHEN 'high' THEN 2 WHEN 'medium' THEN 1 ELSE 0 END) STORED;
ALTER TABLE findings ADD COLUMN search text GENERATED ALWAYS AS (left(lower(
  fingerprint || ' ' || rule || ' ' || title || ' ' || coalesce(provider, '') || ' ' || coalesce(kind, '') || ' ' || coalesce(account, '') || ' ' ||
  coalesce(data->'location'->>'path', '') || ' ' || coalesce((data->'grant'->'resource')::text, '')), 600)) STORED;
-- a narrow row: the finding's JSON moves out of line (TOAST), the columns filters read stay in
-- it uncompressed, so a filter over 100,000 findings reads megabytes, not the JSON of each
ALTER TABLE findings SET (toast_tuple_target = 512);
ALTER TABLE findings ALTER COLUMN fingerprint SET STORAGE PLAIN;
ALTER TABLE findings ALTER COLUMN rule SET STORAGE PLAIN;
ALTER TABLE findings ALTER COLUMN severity SET STORAGE PLAIN;
ALTER TABLE findings ALTER COLUMN confidence SET STORAGE PLAIN;
ALTER TABLE findings ALTER COLUMN status SET STORAGE PLAIN;
ALTER TABLE findings ALTER COLUMN verification SET STORAGE PLAIN;
ALTER TABLE findings ALTER COLUMN kind SET STORAGE PLAIN;
ALTER TABLE findings ALTER COLUMN search SET STORAGE PLAIN;
ALTER TABLE findings ALTER COLUMN title SET STORAGE MAIN;
ALTER TABLE findings ALTER COLUMN account SET STORAGE MAIN;
ALTER TABLE findings ALTER COLUMN provider SET STORAGE MAIN;
CREATE INDEX findings_by_confidence ON findings (confidence_rank DESC, severity_rank DESC, last_seen DESC, fingerprint);
CREATE INDEX findings_by_first_seen ON findings (first_seen DESC, fingerprint);
CREATE INDEX findings_by_last_seen ON findings (last_seen DESC, fingerprint);
-- the overview's still-valid links by expiry, read from the index alone
CREATE INDEX findings_open_by_expiry ON findings (expires_at) INCLUDE (kind, verification) WHERE status = 'open';
CREATE INDEX finding_repositories_by_repository ON finding_repositories (repository_id, fingerprint);
CREATE INDEX triage_events_by_time ON triage_events (at);
`,
  },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/** Applies the migrations this store has not had yet. Returns the versions applied. */
export async function migrate(db: Db): Promise<number[]> {
  return db.transaction(async (tx) => {
    // one migrator at a time (a constant key: "sasquatch" in ASCII)
    await tx.query('SELECT pg_advisory_xact_lock(7310593858020107368)');
    await tx.query(`CREATE TABLE IF NOT EXISTS sasquatch_migrations (
      version integer PRIMARY KEY,
      name text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const done = new Set((await tx.query<{ version: number }>('SELECT version FROM sasquatch_migrations')).map((r) => r.version));
    const newer = [...done].filter((v) => v > SCHEMA_VERSION);
    if (newer.length) throw new Error(`this store has schema version ${newer.reduce((a, b) => Math.max(a, b))}, newer than this sasquatch knows (${SCHEMA_VERSION}): upgrade sasquatch`);
    const applied: number[] = [];
    for (const m of MIGRATIONS) {
      if (done.has(m.version)) continue;
      for (const statement of statements(m.sql)) await tx.query(statement);
      await tx.query('INSERT INTO sasquatch_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
      applied.push(m.version);
    }
    return applied;
  });
}

/** A migration's statements (they hold no semicolons inside strings or bodies). */
function statements(sql: string): string[] {
  return sql
    .split(/;\s*\n/)
    .map((s) => s.replace(/^\s*--.*$/gm, '').trim())
    .filter(Boolean);
}
