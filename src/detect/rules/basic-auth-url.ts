import type { Rule } from '../types.js';
import { LINK_STOPS } from './fragments.js';

/**
 * URLs with a password in their user-info (`scheme://user:password@host`): database, broker,
 * cache and package-index URLs. The analyzer drops placeholders (`user:password`,
 * `${DB_PASSWORD}`, `<password>`) and rates well-known defaults on local hosts as info.
 */
export const basicAuthUrlRule: Rule = {
  id: 'basic-auth-url',
  family: 'basic-auth-url',
  title: 'URL with an embedded password',
  description: 'A URL carrying a user name and password (database, message broker, cache, package index, Git remote): anyone holding it can log in as that user.',
  keywords: ['://'],
  // the password may hold a raw `@` (drivers take the last one as the separator); multi-host
  // URLs (MongoDB replica sets, PostgreSQL failover lists) carry their other hosts after commas
  pattern: /(?<![A-Za-z0-9+.-])(?<scheme>[A-Za-z][A-Za-z0-9+.-]{1,24}):\/\/(?<user>[^\s:@/?#"'<>`\\|{}[\]]{0,128}):(?<secret>[^\s/?#"'<>`\\|]{1,256})@(?<host>\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.-]{1,253})(?::(?<port>\d{1,5}))?(?<more>(?:,[A-Za-z0-9_.-]{1,253}(?::\d{1,5})?){1,16})?/g,
  // nothing of the URL is whitespace, a quote, markup, a backslash or `|`; its `@` comes
  // before any `/`, `?` or `#` after the `://`
  stops: `${LINK_STOPS}|`,
  hitNeeds: { char: '@', stops: '/?#' },
  window: { before: 32, after: 600 },
  generic: true,
  severity: 'medium',
  confidence: 'low',
  analyzer: 'basic-auth-url',
  grantSummary: 'scheme (service), user, host and port; placeholders dropped, default credentials on local hosts are info',
  examples: [
    'DATABASE_URL="postgres://app:Qm4x7TzKv2pLw9Rs@db-main.internal.example.com:5432/analytics"',
    'BROKER_URL: amqp://worker:c8ZqT1vX4mN7bK2p@rabbitmq.svc.example.net:5672/jobs',
    'redis_url: redis://:Hq7Zt2Lm9Pw4Xk@cache.example.io:6379/0',
    'MONGO_URI="mongodb+srv://readonly:Vb3Nq8Lz1Kx@cluster0.abcde.mongodb.net/prod?retryWrites=true"',
    '"pipIndexUrl": "https://ci-bot:mFY6-5JMo1W3vY@pypi.corp.example.com/simple/"',
    'MONGO_URL=mongodb://app:Rt7xQ2mLp9@mongo-0.db.svc:27017,mongo-1.db.svc:27017,mongo-2.db.svc:27017/orders?replicaSet=rs0',
    "uri: 'mongodb+srv://svc-login:Kp4z@Tq9!mX2@cluster7.qx3mb.mongodb.net/app?retryWrites=true'",
    'SQLALCHEMY_DATABASE_URI = "mysql+pymysql://report:Wq8%40Lz2Kd5v@mysql.internal.corp:3306/sales"',
    'CELERY_BROKER_URL=rediss://default:AVNS_k2Jx9Qm4Lp7Rt@redis-prod.cache.example.net:6380/0',
    'postgresql://etl:Hn4Vx8Qp2Lm@db1.internal:5432,db2.internal:5432/warehouse?target_session_attrs=read-write',
  ],
  negativeExamples: [
    'DATABASE_URL: "postgres://${DB_USER}:${DB_PASSWORD}@db:5432/app"',
    '"databaseUrl": "https://USERNAME:PASSWORD@pypi.example.com/simple/"',
    '!wget -q "https://user:password@example.com/repo.git"',
    'https://example.com/path?next=http://x',
    'see mailto:user@example.com or https://example.com/@user',
    'MONGO_URI=mongodb://mongo:27017,mongo2:27017/app?replicaSet=rs0',
    '"resolved": "https://registry.npmjs.org/@babel/core/-/core-7.24.0.tgz"',
    'DATABASE_URL=postgres://${PGUSER}:${PGPASSWORD}@db-primary:5432/app',
  ],
};
