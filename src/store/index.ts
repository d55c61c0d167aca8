/**
 * The store: findings, their triage, repositories and scans, in PostgreSQL (embedded PGlite
 * or a shared server). The pipeline never imports this; the CLI, the org layer and the
 * console hand it what the pipeline found and read from it.
 */
export { DEFAULT_STORE_DIR, isServerUrl, showUrl, StoreError, type Db, type Queryable, type Row } from './db.js';
export { StoreLockedError } from './lock.js';
export { migrate, MIGRATIONS, SCHEMA_VERSION } from './migrations.js';
export { openStore } from './store.js';
export * from './types.js';
export { allFindings, countFindings, getFinding, listFindings, markRemoved, presentInRepository, refreshPresence, resolveFingerprints, triageFindings, triageMatching, upsertFindings, type TriageInput, type UpsertOptions } from './findings.js';
export { getRepository, listRepositories, setScannedTips, upsertRepositories, type RepositoryFilter } from './repositories.js';
export { createRun, finishPart, getScan, latestRunId, pendingScans, queueScan, recordFailure, runStatus, splitScan, startAttempt, unfinishedScan, updateRun, type PartStats, type RunStatus, type ScanRecord } from './scans.js';
export { cleanBlobPage, countCleanBlobs, recordCleanBlobs, scannerId, type BlobCursor } from './blobs.js';
export { findingCounts, openOverTime, recentScans, topRepositories, validByExpiry, type DayCount, type ExpiryBucket, type RepositoryCount, type ScanRow } from './overview.js';
export { refreshStatistics } from './maintenance.js';
