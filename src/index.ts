/** sasquatch as a library: the same stages the CLI wires. */
export { runScan, type ScanOptions, type ScanResult } from './pipeline/scan.js';
export { explainText } from './pipeline/explain.js';
export { Detector } from './detect/engine.js';
export { scanBytes, flattenBlobResult, type BlobResult, type BlobScanOptions } from './pipeline/blob-scanner.js';
export { DEFAULT_ARCHIVE_LIMITS, type ArchiveLimits } from './extract/archive.js';
export { BUILTIN_RULES } from './detect/rules/index.js';
export type { Rule, RawMatch, LocatedMatch } from './detect/types.js';
export { readSas, kindOf } from './analyze/sas/grant.js';
export { judgeSas } from './analyze/sas/severity.js';
export { explainSas } from './analyze/sas/explain.js';
export { DEFAULT_POLICY, type LinkPolicy } from './analyze/policy.js';
export type { Finding, Location, HistoryInfo } from './model/finding.js';
export type { Grant } from './model/grant.js';
export { SEVERITIES, type Severity } from './model/severity.js';
export { renderJson, jsonReport, SCHEMA_VERSION } from './report/json.js';
export { renderSarif, sarifReport } from './report/sarif.js';
export { renderText } from './report/text.js';
export { VERSION } from './version.js';
