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
  // every match ends its last `name=value;` right before the password: the pattern, tried at
  // every position of a window, is the costliest of all on code full of `password=` (~10 % of
  // a scan of small source files), and most such windows hold no `;` before the keyword
  textNeeds: /;\s*(?:password|pwd)\s*=/i,
  // the `jdbc:sqlserver://host:port` in front of `;databaseName=…;password=…` names the server
  context: { before: 200, after: 0 },
  generic: true,
  severity: 'medium',
  confidence: 'low',
  analyzer: 'database-connection-string',
  grantSummary: 'server, database and user named in the string',
  examples: [
    'jdbc:sqlserver://sql1.corp.net:1433;databaseName=orders;user=app;password=Qx8vLm2Kz9Tp;encrypt=true',
    '"Sql": "Server=tcp:sql-prod-01.database.windows.net,1433;Initial Catalog=orders;User ID=app;Password=Vq8#zL2m!Kp4Tx;Encrypt=True;"',
    'conn = "Host=pg.internal;Port=5432;Database=metrics;Username=etl;Password=Xw9Lm2Qz7Rt4"',
  ],
  negativeExamples: ['Server=localhost;Database=test;User Id=sa;Password=<YourStrong@Passw0rd>;', 'Server=x;Database=y;User ID=u;Password=${DB_PASSWORD};', 'Server=.;Database=dev;Trusted_Connection=True;'],
};

/**
 * Database URLs whose query carries the password (`jdbc:postgresql://h/db?user=u&password=p`,
 * `jdbc:snowflake://acct.snowflakecomputing.com/?user=u&password=p`, `mongodb://h/?password=`):
 * the same credential as a user-info URL (basic-auth-url), written as parameters.
 */
const DB_SCHEME = String.raw`(?:${anyCase('jdbc')}:[a-z][a-z0-9+.-]{1,24}|postgres(?:ql)?|mysql(?:\+[a-z]+)?|mariadb|mongodb(?:\+srv)?|rediss?|sqlserver|mssql|snowflake|clickhouse|cockroachdb|oracle|amqps?)`;

export const databaseUrlPasswordRule: Rule = {
  id: 'database-connection-string-url',
  family: 'database-connection-string',
  title: 'Database URL with a password parameter',
  description: 'A database URL (JDBC or driver URL) whose query or properties carry the password (`?user=…&password=…`): anyone holding it can log in to that database.',
  keywords: ['password=', 'pwd='],
  pattern: new RegExp(
    String.raw`(?<![A-Za-z0-9+.-])(?<url>${DB_SCHEME}://[^\s"'<>?;\x60]{1,300})\?(?<query>(?:[A-Za-z_][A-Za-z0-9_.-]{0,40}=[^\s"'<>&;\x60]{0,300}&)*?)(?:${anyCase('password')}|${anyCase('pwd')})=(?<secret>[^\s"'<>&;\x60]{1,256})`,
    'g',
  ),
  window: { before: 512, after: 512 },
  generic: true,
  severity: 'medium',
  confidence: 'medium',
  analyzer: 'database-url-password',
  grantSummary: 'database kind (from the scheme), host, database and user named in the URL',
  examples: [
    'spring.datasource.url=jdbc:postgresql://pg-prod.internal:5432/billing?user=billing_app&password=Vt3qL9xZ2mKp&ssl=true',
    '"url": "jdbc:snowflake://xy12345.eu-west-1.snowflakecomputing.com/?user=LOADER&password=Hq8Lz2Vm7Tp4&warehouse=ETL_WH"',
    'jdbc:mysql://10.2.3.4:3306/shop?useSSL=false&user=shop&password=Zk4Qx9Lr2Wm8',
  ],
  negativeExamples: [
    'jdbc:sqlserver://sql1.corp.net:1433;databaseName=orders;integratedSecurity=true',
    'jdbc:mysql://db:3306/app?user=${DB_USER}&password=${DB_PASSWORD}',
    'https://example.com/reset?token=abc&password=',
    'jdbc:postgresql://pg.internal:5432/app?user=app&password=<password>',
  ],
};
