import type { Rule } from '../types.js';
import { anyCase } from './fragments.js';

/**
 * Database connection strings in key=value form (ADO.NET, ODBC, JDBC properties) with a
 * password. URL-form database strings are basic-auth-url findings.
 */
const NAME = String.raw`[A-Za-z][A-Za-z0-9 _]{0,30}`;
const VALUE = String.raw`[^;"'\r\n<>]{0,200}`;

export const databaseConnectionStringRule: Rule = {
  id: 'database-connection-string',
  family: 'database-connection-string',
  title: 'Database connection string with a password',
  description: 'A database connection string (SQL Server, PostgreSQL, MySQL, Oracle, ODBC) that includes the password: anyone holding it can log in to that database.',
  keywords: ['password=', 'pwd='],
  pattern: new RegExp(
    String.raw`(?:${NAME}=${VALUE};\s*){1,12}?(?:${anyCase('Password')}|${anyCase('Pwd')})\s*=\s*(?<secret>\{[^}\r\n]*\}|[^;"'\s<>]+)(?:;\s*${NAME}=${VALUE})*;?`,
    'g',
  ),
  window: { before: 512, after: 512 },
  generic: true,
  severity: 'medium',
  analyzer: 'database-connection-string',
  grantSummary: 'server, database and user named in the string',
  examples: [
    '"Sql": "Server=tcp:sql-prod-01.database.windows.net,1433;Initial Catalog=orders;User ID=app;Password=Vq8#zL2m!Kp4Tx;Encrypt=True;"',
    'conn = "Host=pg.internal;Port=5432;Database=metrics;Username=etl;Password=Xw9Lm2Qz7Rt4"',
  ],
  negativeExamples: ['Server=localhost;Database=test;User Id=sa;Password=<YourStrong@Passw0rd>;', 'Server=x;Database=y;User ID=u;Password=${DB_PASSWORD};', 'Server=.;Database=dev;Trusted_Connection=True;'],
};
