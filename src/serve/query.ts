import { CONFIDENCES, isConfidence, type Confidence } from '../model/confidence.js';
import { isSeverity, SEVERITIES, type Severity } from '../model/severity.js';
import { FINDING_SORTS, isTriageStatus, TRIAGE_STATUSES, type FindingFilter, type FindingSort, type TriageStatus } from '../store/types.js';

/**
 * The findings table's state as a URL query, so a view can be shared: the same parameters
 * drive the page, the JSON API and scripts. Lists may repeat a parameter or separate values
 * with commas. Unknown values are errors the page shows and the API answers with 400.
 *
 *   severity, confidence, status (default: open; `all`), rule, repository (`*` globs),
 *   valid (yes|no), present (yes|no), expires_before (YYYY-MM-DD or an ISO instant),
 *   q (free text), sort, page (from 1), per_page
 */
export interface TableQuery {
  severities: Severity[];
  confidences: Confidence[];
  /** null: every status. */
  statuses: TriageStatus[] | null;
  rules: string[];
  repository: string;
  valid: boolean | null;
  present: boolean | null;
  expiresBefore: string;
  text: string;
  sort: FindingSort;
  page: number;
  perPage: number;
}

export const PER_PAGE = [25, 50, 100, 200] as const;
export const DEFAULT_QUERY: TableQuery = {
  severities: [],
  confidences: [],
  statuses: ['open'],
  rules: [],
  repository: '',
  valid: null,
  present: null,
  expiresBefore: '',
  text: '',
  sort: 'severity',
  page: 1,
  perPage: 50,
};

export type RawQuery = Record<string, string | string[] | undefined>;

export class QueryError extends Error {}

function list(v: string | string[] | undefined): string[] {
  const all = Array.isArray(v) ? v : v === undefined ? [] : [v];
  return all
    .flatMap((x) => String(x).split(','))
    .map((x) => x.trim())
    .filter(Boolean);
}

function one(v: string | string[] | undefined): string {
  const all = Array.isArray(v) ? v : v === undefined ? [] : [v];
  return String(all[all.length - 1] ?? '').trim();
}

function yesNo(name: string, v: string): boolean | null {
  if (!v) return null;
  if (/^(yes|true|1)$/i.test(v)) return true;
  if (/^(no|false|0)$/i.test(v)) return false;
  throw new QueryError(`${name}=${v}: expected yes or no`);
}

function count(name: string, v: string, fallback: number, max: number): number {
  if (!v) return fallback;
  if (!/^\d{1,7}$/.test(v) || Number(v) < 1) throw new QueryError(`${name}=${v}: expected a whole number from 1`);
  return Math.min(Number(v), max);
}

/** The table query a URL names (throws QueryError on a value that means nothing). */
export function parseTableQuery(raw: RawQuery): TableQuery {
  const severities = list(raw['severity']).map((s) => s.toLowerCase());
  for (const s of severities) if (!isSeverity(s)) throw new QueryError(`severity=${s}: expected ${[...SEVERITIES].reverse().join(', ')}`);
  const confidences = list(raw['confidence']).map((s) => s.toLowerCase());
  for (const c of confidences) if (!isConfidence(c)) throw new QueryError(`confidence=${c}: expected ${[...CONFIDENCES].reverse().join(', ')}`);
  const statusWords = list(raw['status']).map((s) => s.toLowerCase());
  let statuses: TriageStatus[] | null = ['open'];
  if (statusWords.includes('all')) statuses = null;
  else if (statusWords.length) {
    for (const s of statusWords) if (!isTriageStatus(s)) throw new QueryError(`status=${s}: expected ${TRIAGE_STATUSES.join(', ')} or all`);
    statuses = [...new Set(statusWords)] as TriageStatus[];
  }
  const sort = one(raw['sort']) || 'severity';
  if (!(FINDING_SORTS as readonly string[]).includes(sort)) throw new QueryError(`sort=${sort}: expected ${FINDING_SORTS.join(', ')}`);
  const expiresBefore = one(raw['expires_before']);
  if (expiresBefore && Number.isNaN(instant(expiresBefore))) throw new QueryError(`expires_before=${expiresBefore}: expected a date (YYYY-MM-DD) or an ISO instant`);
  const perPage = count('per_page', one(raw['per_page']), DEFAULT_QUERY.perPage, 500);
  return {
    severities: [...new Set(severities)] as Severity[],
    confidences: [...new Set(confidences)] as Confidence[],
    statuses,
    rules: [...new Set(list(raw['rule']))],
    repository: one(raw['repository']).slice(0, 300),
    valid: yesNo('valid', one(raw['valid'])),
    present: yesNo('present', one(raw['present'])),
    expiresBefore,
    text: one(raw['q']).slice(0, 200),
    sort: sort as FindingSort,
    page: count('page', one(raw['page']), 1, 1_000_000),
    perPage,
  };
}

function instant(v: string): number {
  return /^\d{4}-\d{2}-\d{2}$/.test(v) ? Date.parse(`${v}T00:00:00Z`) : /^\d{4}-\d{2}-\d{2}T/.test(v) ? Date.parse(v) : NaN;
}

/** The store's filter for a table query, judged at `now`. */
export function filterOf(q: TableQuery, now: Date): FindingFilter {
  const f: FindingFilter = { now };
  if (q.severities.length) f.severities = q.severities;
  if (q.confidences.length) f.confidences = q.confidences;
  if (q.statuses) f.statuses = q.statuses;
  if (q.rules.length) f.rules = q.rules;
  if (q.repository) f.repository = q.repository;
  if (q.valid !== null) f.stillValid = q.valid;
  if (q.present !== null) f.presentAtHead = q.present;
  if (q.expiresBefore) f.expiresBefore = new Date(instant(q.expiresBefore));
  if (q.text) f.text = q.text;
  return f;
}

/**
 * The URL query for a table query: only what differs from the defaults, in a fixed order,
 * so equal views have equal URLs. `change` overrides fields (a sort link, the next page).
 */
export function queryString(q: TableQuery, change: Partial<TableQuery> = {}): string {
  const v = { ...q, ...change };
  const p = new URLSearchParams();
  if (v.severities.length) p.set('severity', v.severities.join(','));
  if (v.confidences.length) p.set('confidence', v.confidences.join(','));
  if (v.statuses === null) p.set('status', 'all');
  else if (v.statuses.join(',') !== 'open') p.set('status', v.statuses.join(','));
  if (v.rules.length) p.set('rule', v.rules.join(','));
  if (v.repository) p.set('repository', v.repository);
  if (v.valid !== null) p.set('valid', v.valid ? 'yes' : 'no');
  if (v.present !== null) p.set('present', v.present ? 'yes' : 'no');
  if (v.expiresBefore) p.set('expires_before', v.expiresBefore);
  if (v.text) p.set('q', v.text);
  if (v.sort !== 'severity') p.set('sort', v.sort);
  if (v.page !== 1) p.set('page', String(v.page));
  if (v.perPage !== DEFAULT_QUERY.perPage) p.set('per_page', String(v.perPage));
  const s = p.toString();
  return s ? `?${s}` : '';
}
