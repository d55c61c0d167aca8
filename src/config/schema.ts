import { CONFIDENCES } from '../model/confidence.js';
import { SEVERITIES } from '../model/severity.js';

/**
 * The configuration file's JSON Schema. Unknown keys are errors (a typo must not silently
 * disable a policy). Durations are validated separately (config/duration.ts).
 */
const severity = { enum: [...SEVERITIES] };
const stringList = { type: 'array', items: { type: 'string', minLength: 1 } };

export const CONFIG_SCHEMA = {
  $id: 'sasquatch-config',
  type: 'object',
  additionalProperties: false,
  properties: {
    $schema: { type: 'string' },
    include: stringList,
    exclude: stringList,
    failOn: { enum: [...SEVERITIES, 'never'] },
    minConfidence: { enum: [...CONFIDENCES] },
    maxFileSize: { type: ['string', 'integer'] },
    baseline: { type: 'string' },
    inlineAllow: { type: 'boolean' },
    rules: {
      type: 'object',
      additionalProperties: {
        anyOf: [
          { enum: ['off', 'on'] },
          { type: 'boolean' },
          { type: 'object', additionalProperties: false, properties: { enabled: { type: 'boolean' }, severity } },
        ],
      },
    },
    customRules: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'keywords', 'pattern', 'examples'],
        properties: {
          id: { type: 'string', pattern: '^[a-z0-9]+(-[a-z0-9]+)*$' },
          title: { type: 'string' },
          description: { type: 'string' },
          keywords: { type: 'array', minItems: 1, items: { type: 'string', minLength: 3 } },
          pattern: { type: 'string', minLength: 1 },
          flags: { type: 'string', pattern: '^[imsu]*$' },
          severity,
          examples: { type: 'array', minItems: 1, items: { type: 'string' } },
          negativeExamples: stringList,
        },
      },
    },
    policy: {
      type: 'object',
      additionalProperties: false,
      properties: {
        maxLifetime: { type: 'string' },
        forbidKinds: stringList,
        forbidPermissions: stringList,
        requireHttpsOnly: { type: 'boolean' },
        requireIpRestriction: { type: 'boolean' },
        allowedAccounts: stringList,
        allowedBuckets: stringList,
        violationSeverity: severity,
        resources: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['allowPermissions'],
            properties: { account: { type: 'string' }, container: { type: 'string' }, bucket: { type: 'string' }, allowPermissions: stringList },
          },
        },
      },
    },
    allow: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        properties: { fingerprint: { type: 'string', pattern: '^[0-9a-f]{32}$' }, rule: { type: 'string' }, path: { type: 'string' }, reason: { type: 'string' } },
        anyOf: [{ required: ['fingerprint'] }, { required: ['rule'] }, { required: ['path'] }],
      },
    },
  },
} as const;
