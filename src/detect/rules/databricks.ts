import type { Rule } from '../types.js';
import { alphabets, join, sampleChars } from './samples.js';

/** Databricks personal access tokens (`dapi` + 32 hex, optionally `-N`). */
const { HEX } = alphabets;

export const databricksTokenRule: Rule = {
  id: 'databricks-token',
  family: 'databricks-token',
  title: 'Databricks personal access token',
  description: 'A Databricks personal access token: the workspace REST API as its user — notebooks, jobs, clusters, secrets scopes and the data its user can read.',
  keywords: ['dapi'],
  keywordsCaseSensitive: true,
  pattern: /(?<![A-Za-z0-9_])(?<secret>dapi[0-9a-f]{32}(?:-\d{1,2})?)(?![A-Za-z0-9_])/g,
  window: { before: 16, after: 64 },
  context: { before: 300, after: 300 },
  severity: 'high',
  confidence: 'medium',
  analyzer: 'databricks-token',
  grantSummary: 'token format; the workspace host written nearby (…cloud.databricks.com, …azuredatabricks.net)',
  examples: [`DATABRICKS_HOST=https://adb-1234567890123456.7.azuredatabricks.net\nDATABRICKS_TOKEN=${join('da', 'pi')}${sampleChars('db1', 32, HEX)}`, `token = "${join('da', 'pi')}${sampleChars('db2', 32, HEX)}-2"`],
  negativeExamples: ['DATABRICKS_TOKEN=dapixxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', 'DAPI staining of nuclei (dapi_channel = 0)', 'DATABRICKS_TOKEN=dapi00000000000000000000000000000000'],
};
