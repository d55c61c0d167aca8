import { TOOL } from '../version.js';
import type { LinkTarget } from './link.js';
import type { LogsResult } from './investigate.js';

/**
 * The investigation as JSON (`report: "logs"`, schemaVersion 1). Field names are a
 * contract like the scan report's: add, never rename. The signature never appears; its
 * SHA-256 does (it is what Azure Monitor stores, and what a KQL search needs).
 */
export const LOGS_SCHEMA_VERSION = 1;

export function logsJson(result: LogsResult): object {
  const t = result.target;
  return {
    schemaVersion: LOGS_SCHEMA_VERSION,
    tool: { name: TOOL.name, version: TOOL.version },
    report: 'logs',
    startedAt: result.startedAt,
    durationMs: result.durationMs,
    link: t ? linkJson(t) : null,
    inputs: result.inputs,
    ...result.summary,
    csv: result.csv,
    kql: kqlFor(t),
  };
}

export function renderLogsJson(result: LogsResult): string {
  return `${JSON.stringify(logsJson(result), null, 2)}\n`;
}

function linkJson(t: LinkTarget): object {
  return {
    mode: t.mode,
    token: t.shown,
    kind: t.kind,
    account: t.account,
    start: iso(t.start),
    expiry: iso(t.expiry),
    finding: t.finding,
    signatureSha256: t.sigHash,
    signatureBytesSha256: t.sigRawHash,
    hashMatching: t.sigHash !== null,
    tokenFields: Object.fromEntries(t.fields),
    notes: t.notes,
  };
}

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

const TABLES: Record<string, string> = { blob: 'StorageBlobLogs', file: 'StorageFileLogs', queue: 'StorageQueueLogs', table: 'StorageTableLogs' };

/** The same search for Log Analytics (shared/reference §7.4), when the signature hash is known. */
export function kqlFor(t: LinkTarget | null): string | null {
  if (!t?.sigHash) return null;
  const tables = (t.grant.services.length ? t.grant.services : ['blob']).map((s) => TABLES[s]).filter(Boolean);
  const from = t.start !== null ? `datetime(${new Date(t.start).toISOString().slice(0, 10)})` : 'ago(730d)';
  return [
    tables.length > 1 ? `union ${tables.join(', ')}` : tables[0]!,
    `| where TimeGenerated between (${from} .. now())`,
    `| where AuthenticationHash has "${t.sigHash}"`,
    '| summarize requests = count(), bytesOut = sum(ResponseBodySize), first = min(TimeGenerated), last = max(TimeGenerated)',
    '    by CallerIpAddress, UserAgentHeader, OperationName, StatusCode',
  ].join('\n');
}
