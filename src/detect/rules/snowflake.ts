import type { Rule } from '../types.js';
import { ASSIGN } from './fragments.js';

/**
 * Snowflake logins written as the connector takes them: `snowflake.connector.connect(user=…,
 * password=…, account=…)` and `SNOWFLAKE_PASSWORD` / `SNOWSQL_PWD` next to the account.
 * URL forms (`snowflake://user:pass@account/…`, `jdbc:snowflake://…?password=`) are
 * basic-auth-url and database-connection-string-url findings.
 */
export const snowflakeCredentialsRule: Rule = {
  id: 'snowflake-credentials',
  family: 'snowflake-credentials',
  title: 'Snowflake password',
  description: 'A Snowflake user\'s password, written for the connector or the CLI: every warehouse, database and role that user may use.',
  keywords: ['snowflake', 'snowsql_pwd'],
  pattern: new RegExp(
    String.raw`(?:(?:SNOWFLAKE|SNOWSQL|SF)_(?:PASSWORD|PWD)|[Ss]nowflake_?[Pp]assword)${ASSIGN}(?<secret>[^\s"'\x60,;<>]{8,128})` +
      String.raw`|connect\(\s*(?:[A-Za-z_]+\s*=\s*[^,()]{1,200},\s*){0,8}?password\s*=\s*["'](?<call>[^"'\s]{8,128})["']`,
    'g',
  ),
  window: { before: 2048, after: 2048 },
  context: { before: 600, after: 600 },
  severity: 'high',
  confidence: 'low',
  analyzer: 'snowflake-credentials',
  grantSummary: 'account and user written with it (connect() arguments or SNOWFLAKE_ACCOUNT/USER nearby)',
  examples: [
    'import snowflake.connector\nconn = snowflake.connector.connect(\n    user="ETL_SVC",\n    password="Zq7!vLm2Kx9pTw",\n    account="xy12345.eu-west-1",\n)',
    'SNOWFLAKE_ACCOUNT=xy12345.eu-west-1\nSNOWFLAKE_USER=LOADER\nSNOWFLAKE_PASSWORD=Hq8Lz2Vm7Tp4Nw',
  ],
  negativeExamples: [
    'conn = snowflake.connector.connect(user=user, password=os.environ["SNOWFLAKE_PASSWORD"], account=acct)',
    'SNOWFLAKE_PASSWORD=${{ secrets.SNOWFLAKE_PASSWORD }}',
    'SNOWFLAKE_PASSWORD=<your-password>',
  ],
};
