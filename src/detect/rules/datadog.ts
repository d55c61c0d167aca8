import type { Rule } from '../types.js';
import { ASSIGN } from './fragments.js';
import { alphabets, sampleChars } from './samples.js';

/** Datadog API keys (32 hex) and application keys (40 hex), known by the names they are given. */
const { HEX } = alphabets;
const NAME = String.raw`(?:DD|DATADOG|[Dd]atadog|[Dd]d)_?(?<kind>API|APP|APPLICATION|[Aa]pi|[Aa]pp|[Aa]pplication)_?(?:KEY|[Kk]ey)`;

export const datadogKeyRule: Rule = {
  id: 'datadog-key',
  family: 'datadog-key',
  title: 'Datadog API or application key',
  description: 'A Datadog API key (submits metrics, logs and events to the organization) or application key (reads dashboards, monitors and logs with its user\'s rights).',
  keywords: ['dd_api_key', 'dd_app_key', 'dd_application_key', 'datadog_api_key', 'datadog_app_key', 'datadog_application_key', 'dd-api-key', 'dd-application-key'],
  pattern: new RegExp(String.raw`(?:${NAME}|[Dd][Dd]-(?<header>[Aa][Pp][Ii]|[Aa][Pp][Pp][Ll][Ii][Cc][Aa][Tt][Ii][Oo][Nn])-[Kk][Ee][Yy])${ASSIGN}(?<secret>[a-f0-9]{40}|[a-f0-9]{32})(?![A-Za-z0-9])`, 'g'),
  window: { before: 32, after: 96 },
  severity: 'high',
  confidence: 'low',
  analyzer: 'datadog-key',
  grantSummary: 'key kind from its name and length (API key 32 hex, application key 40 hex)',
  examples: [`DD_API_KEY=${sampleChars('dd1', 32, HEX)}`, `DATADOG_APP_KEY: "${sampleChars('dd3', 40, HEX)}"`, `curl -H "DD-API-KEY: ${sampleChars('dd4', 32, HEX)}" https://api.datadoghq.com/api/v1/validate`],
  negativeExamples: ['DD_API_KEY=${DATADOG_API_KEY}', 'DD_API_KEY=<DATADOG_API_KEY>', `dd_trace_id = "${sampleChars('dd5', 32, HEX)}"`],
};
