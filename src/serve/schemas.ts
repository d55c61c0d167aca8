import { CONFIDENCES } from '../model/confidence.js';
import { SEVERITIES } from '../model/severity.js';
import { FINDING_SORTS, TRIAGE_STATUSES } from '../store/types.js';

/**
 * JSON schemas of the API: Fastify validates requests with them, and @fastify/swagger makes
 * the OpenAPI document (GET /api/openapi.json) from the same schemas, so the document cannot
 * drift from what the server accepts and returns.
 */
const nullableString = { type: ['string', 'null'] } as const;
const list = (values: readonly string[], what: string) => ({ type: 'string', description: `${what}: ${values.join(', ')} (comma-separated or repeated)` });

export const findingsQuery = {
  type: 'object',
  properties: {
    severity: list([...SEVERITIES].reverse(), 'severities'),
    confidence: list([...CONFIDENCES].reverse(), 'confidences'),
    status: list([...TRIAGE_STATUSES, 'all'], 'statuses (default open)'),
    rule: { type: 'string', description: 'rule ids (comma-separated or repeated)' },
    repository: { type: 'string', description: 'repository name or URL; * matches anything' },
    valid: { type: 'string', enum: ['yes', 'no'], description: 'not known to be expired or revoked' },
    present: { type: 'string', enum: ['yes', 'no'], description: 'still at HEAD in some repository' },
    expires_before: { type: 'string', description: 'links that expire before this date (YYYY-MM-DD) or instant (ISO 8601)' },
    q: { type: 'string', description: 'free text: part of the fingerprint, rule, title, account, resource or path' },
    sort: { type: 'string', enum: [...FINDING_SORTS] },
    page: { type: 'string', pattern: '^[0-9]+$', description: 'from 1' },
    per_page: { type: 'string', pattern: '^[0-9]+$', description: 'at most 500 (default 50)' },
  },
} as const;

export const findingRow = {
  type: 'object',
  properties: {
    fingerprint: { type: 'string' },
    rule: { type: 'string' },
    title: { type: 'string' },
    severity: { type: 'string', enum: [...SEVERITIES] },
    confidence: { type: 'string', enum: [...CONFIDENCES] },
    status: { type: 'string', enum: [...TRIAGE_STATUSES] },
    statusBy: nullableString,
    statusAt: nullableString,
    stillValid: { type: 'boolean' },
    presentAtHead: { type: 'boolean' },
    expiry: nullableString,
    account: nullableString,
    resource: nullableString,
    provider: nullableString,
    kind: nullableString,
    repositories: {
      type: 'array',
      items: {
        type: 'object',
        properties: { id: { type: 'integer' }, name: { type: 'string' }, path: { type: 'string' }, line: { type: ['integer', 'null'] }, presentAtHead: { type: 'boolean' } },
      },
    },
    firstSeen: { type: 'string' },
    lastSeen: { type: 'string' },
  },
} as const;

export const findingsPage = {
  type: 'object',
  properties: {
    total: { type: 'integer', description: 'findings matching the filters, all pages together' },
    page: { type: 'integer' },
    perPage: { type: 'integer' },
    items: { type: 'array', items: findingRow },
  },
} as const;

export const findingDetail = {
  type: 'object',
  description: 'A finding row, with the finding as the report contract writes it (redacted), where it lives, every recorded commit and its triage history.',
  additionalProperties: true,
  properties: {
    ...findingRow.properties,
    statusNote: nullableString,
    finding: { type: 'object', additionalProperties: true, description: 'the JSON report record (schema version 1), redacted' },
    places: { type: 'array', items: { type: 'object', additionalProperties: true } },
    occurrences: { type: 'array', items: { type: 'object', additionalProperties: true } },
    triage: {
      type: 'array',
      items: {
        type: 'object',
        properties: { status: { type: 'string' }, previous: { type: 'string' }, note: nullableString, actor: { type: 'string' }, at: { type: 'string', format: 'date-time' } },
      },
    },
  },
} as const;

export const triageBody = {
  type: 'object',
  required: ['status'],
  additionalProperties: false,
  properties: {
    status: { type: 'string', enum: [...TRIAGE_STATUSES] },
    note: { type: 'string', maxLength: 2000 },
    fingerprints: { type: 'array', items: { type: 'string', pattern: '^[0-9a-f]{8,64}$' }, maxItems: 1000, description: 'the findings to triage' },
    filter: { type: 'string', maxLength: 2000, description: 'or: every finding a findings query matches (the query string of GET /api/findings, e.g. "severity=low&rule=aws-access-key")' },
    expectTotal: { type: 'integer', minimum: 0, description: 'with filter: how many findings you expect it to match; a different count is refused (409) rather than triaged' },
  },
} as const;

export const triageResult = {
  type: 'object',
  properties: {
    changed: { type: 'array', items: { type: 'string' } },
    status: { type: 'string' },
    actor: { type: 'string' },
  },
} as const;

export const error = {
  type: 'object',
  properties: { statusCode: { type: 'integer' }, error: { type: 'string' }, message: { type: 'string' } },
} as const;

export const looseObject = { type: 'object', additionalProperties: true } as const;
