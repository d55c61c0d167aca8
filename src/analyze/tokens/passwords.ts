import { credential, example } from '../credential.js';
import { redactFields } from '../redact.js';
import { looksLikePlaceholder, lowVariety, placeholderShape, shannonEntropy } from '../placeholder.js';
import type { Confidence } from '../../model/confidence.js';
import { isReadable } from '../../decode/base64.js';
import { isLoopbackHost } from '../sas/endpoint.js';
import type { Analysis, AnalysisContext, MatchInput } from '../types.js';

/**
 * Passwords known only by where they are written: URLs with user-info, database
 * connection strings, docker registry logins, and `password=` / `secret=` assignments.
 * Shared placeholder logic keeps them from reporting documentation and templates.
 */

/** Words people put where a password goes in examples and templates. */
const PLACEHOLDER_PASSWORDS = new Set([
  'password', 'passwd', 'pass', 'pwd', 'secret', 'changeme', 'change_me', 'changeit', 'yourpassword', 'your_password', 'mypassword', 'my_password',
  'mysecretpassword', 'p@ssw0rd', 'passw0rd', 'password1', 'password123', 'example', 'test', 'testing', 'dummy', 'sample', 'foo', 'bar', 'foobar',
  'xxx', 'xxxx', 'xxxxx', 'xxxxxx', 'xxxxxxxx', 'null', 'none', 'undefined', 'true', 'false', 'todo', 'tbd', 'fixme', 'redacted', 'hidden', 'masked',
  'secret123', 'hunter2', 's3cr3t', 'letmein', 'qwerty', '123456', '12345678', 'abc123', 'token', 'apikey', 'api_key', 'your-api-key', 'username', 'user',
]);
/** Default credentials of local services: a finding only away from localhost. */
const DEFAULT_PASSWORDS = new Set(['postgres', 'root', 'admin', 'guest', 'mysql', 'sa', 'minioadmin', 'rabbitmq', 'redis', 'mongo', 'elastic', 'changeme']);

/** A value that stands for a password rather than being one: references, templates, masks. */
export function passwordPlaceholder(value: string, user = ''): boolean {
  const v = value.trim();
  const lower = v.toLowerCase();
  if (v.length === 0) return true;
  if (PLACEHOLDER_PASSWORDS.has(lower) || PLACEHOLDER_PASSWORDS.has(lower.replace(/^your[-_]?/, ''))) return true;
  if (/^[$%]\{?[A-Za-z_][A-Za-z0-9_]*\}?%?$/.test(v) || /\$\{|\{\{|\}\}|%\(|%s\b|<[^>]*>|^\[.*\]$|^\*+$|^\.{3,}$|^#+$/.test(v)) return true;
  if (/^(?:process\.env|os\.environ|os\.getenv|env\(|getenv|System\.getenv|ENV\[|secrets\.|vars\.|Environment\.)/.test(v)) return true;
  if (user && lower === user.toLowerCase() && PLACEHOLDER_PASSWORDS.has(lower)) return true;
  if (/^(?:your|my|the|some|insert|enter|put|replace)[-_ ]?(?:password|pass|secret|key|token|pwd)/i.test(v)) return true;
  if (/^(?:key|pass|pwd|secret|token|user|test)[_-]?\d{1,6}$/i.test(v)) return true; // key_1234, pass123
  // made of the words it stands for: `mysecretpassword`, `secret=password`, `db-password-here`
  if (/^[a-z_=%.-]*(?:password|passwd|secret|token|apikey)[a-z0-9_=%.-]*$/i.test(v) && !/[0-9].*[0-9]/.test(v)) return true;
  return looksLikePlaceholder(v);
}

/** basic-auth-url: placeholder → example; default credentials on local hosts → info; else medium. */
export function analyzeBasicAuthUrl(match: MatchInput, _ctx: AnalysisContext): Analysis | null {
  const g = match.groups;
  const password = safeDecode(g['secret'] ?? '');
  const user = safeDecode(g['user'] ?? '');
  const host = (g['host'] ?? '').toLowerCase();
  const scheme = (g['scheme'] ?? '').toLowerCase();
  if (!password || (/^\d{1,5}$/.test(password) && !user)) return null; // host:port@… is not user-info
  if (!user && password.includes(':')) return null; // cvs://:pserver:anoncvs@host is a CVS root, not a password
  if (/^(?:https?|ftp)$/.test(scheme) && /^[A-Za-z0-9.-]+\.[a-z]{2,}$/.test(user) && /^\d+$/.test(password)) return null;
  const redactedUrl = match.text.replace(`:${g['secret']}@`, ':…@');
  // `user:password;AUTH=NTLM@host`: mail URLs (RFC 2384, 5092) and curl put login options after a `;`
  const bare = password.split(';')[0]!;
  if (passwordPlaceholder(password, user) || (bare !== password && (passwordPlaceholder(bare, user) || placeholderShape(bare))) || (PLACEHOLDER_PASSWORDS.has(user.toLowerCase()) && PLACEHOLDER_PASSWORDS.has(bare.toLowerCase()))) {
    return example('basic-auth-url', password, 'placeholder credentials in a URL', { raw: match.text, redacted: redactedUrl });
  }
  // documentation hosts (RFC 2606) with a toy password, and passwords too short to guard anything
  if (password.length <= 3 || (/^(?:[a-z0-9-]+\.)?example\.(?:com|net|org)$|\.(?:example|test|invalid)$/.test(host) && (shannonEntropy(password) < 2.6 || password.length < 6))) {
    return example('basic-auth-url', password, 'toy credentials in a documentation URL', { raw: match.text, redacted: redactedUrl });
  }
  const local = isLoopbackHost(host) || host === '0.0.0.0' || host === 'host.docker.internal';
  const defaults = DEFAULT_PASSWORDS.has(password.toLowerCase()) || password.toLowerCase() === user.toLowerCase();
  const service = serviceOf(scheme);
  const others = (g['more'] ?? '').split(',').filter(Boolean);
  const details = { scheme, ...(service ? { service } : {}), user: user || null, host, port: g['port'] ? parseInt(g['port'], 10) : null, ...(others.length ? { otherHosts: others } : {}) };
  if (defaults && (local || !host.includes('.'))) {
    return {
      ...credential({
        rule: 'basic-auth-url',
        title: `${scheme} URL with default credentials`,
        severity: 'info',
        reasons: ['well-known default credentials on a local or container-internal host (development setup)'],
        secret: password,
        raw: match.text,
        redacted: redactedUrl,
        details,
      }),
      material: undefined,
    };
  }
  const reasons = [`${service ?? scheme} URL with the password of ${user ? `user ${user}` : 'the default user'} on ${host}${details.port ? `:${details.port}` : ''}${others.length ? ` (and ${others.length} more host${others.length > 1 ? 's' : ''})` : ''}: anyone holding it can log in`];
  if (defaults) reasons.push('the password is a well-known default');
  const weak = shannonEntropy(password) < 2.5 || password.length < 6;
  if (weak) reasons.push('weak password');
  const hosted = managedServiceHost(host);
  if (hosted) reasons.push(`${hosted}: a hosted service reachable from anywhere`);
  // a password on a hosted service, one a generator made, or a non-trivial one for a database on
  // a named server is a login; a hand-typed one in a web URL is as often a sample or a fixture
  const databaseLogin = service !== undefined && !FILE_AND_DIRECTORY.has(service) && !weak && !defaults && host.includes('.');
  const confidence = hosted || looksGenerated(bare) || databaseLogin ? 'medium' : 'low';
  return withConfidence(confidence, credential({
    rule: 'basic-auth-url',
    title: `${service ?? scheme} URL with an embedded password`,
    severity: 'medium',
    reasons,
    secret: password,
    raw: match.text,
    redacted: redactedUrl,
    details,
    remediation: [`Revoke: change the password of ${user || 'this user'} on ${host}.`, 'Replace: pass credentials through the environment or a secret store, not inside URLs in files.'],
  }));
}

function withConfidence(confidence: Confidence, a: Analysis): Analysis {
  a.confidence = confidence;
  return a;
}

/**
 * Domains of hosted databases, brokers and caches: a URL with a password on one of them is
 * a login to a real service, not a sample on `localhost` or `host`.
 */
const MANAGED_SERVICES: [RegExp, string][] = [
  [/\.mongodb\.net$/, 'MongoDB Atlas'],
  [/\.(?:rds|redshift|cache|mq|docdb|elasticache)\.[a-z0-9.-]*amazonaws\.com(?:\.cn)?$|\.amazonaws\.com$/, 'AWS'],
  [/\.(?:database\.windows\.net|database\.azure\.com|redis\.cache\.windows\.net|servicebus\.windows\.net|documents\.azure\.com|cosmos\.azure\.com|postgres\.database\.azure\.com)$/, 'Azure'],
  [/\.(?:cloudsql|googleapis)\.com$/, 'Google Cloud'],
  [/\.(?:cloudamqp\.com|redislabs\.com|redis-cloud\.com|redns\.redis-cloud\.com|elephantsql\.com|aivencloud\.com|neon\.tech|supabase\.co|supabase\.com|psdb\.cloud|cockroachlabs\.cloud|upstash\.io|tsdb\.cloud\.timescale\.com|db\.ondigitalocean\.com|render\.com|rlwy\.net|railway\.app|herokuapp\.com|compose\.io|clever-cloud\.com|scalingo\.com|elastic-cloud\.com|cloud\.es\.io|mlab\.com|objectrocket\.com|instaclustr\.com|confluent\.cloud)$/, 'a hosted database or broker service'],
];

export function managedServiceHost(host: string): string | null {
  return MANAGED_SERVICES.find(([re]) => re.test(host))?.[1] ?? null;
}

/**
 * A password made by a generator rather than a person: long, several character classes, and
 * as varied as a random string of its alphabet (placeholder shapes are judged elsewhere).
 */
export function looksGenerated(password: string): boolean {
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
  const longEnough = (password.length >= 12 && classes >= 3) || (password.length >= 16 && classes >= 2);
  return longEnough && !placeholderShape(password) && shannonEntropy(password) >= 3.2;
}

/** Databases, caches and brokers whose URLs carry a login: the name of the service, by scheme. */
const SERVICES: Record<string, string> = {
  postgres: 'PostgreSQL', postgresql: 'PostgreSQL', mysql: 'MySQL', mariadb: 'MariaDB', mongodb: 'MongoDB', 'mongodb+srv': 'MongoDB',
  redis: 'Redis', rediss: 'Redis', amqp: 'AMQP broker', amqps: 'AMQP broker', mssql: 'SQL Server', sqlserver: 'SQL Server',
  snowflake: 'Snowflake', clickhouse: 'ClickHouse', cockroachdb: 'CockroachDB', neo4j: 'Neo4j', 'neo4j+s': 'Neo4j', bolt: 'Neo4j',
  couchbase: 'Couchbase', couchbases: 'Couchbase', oracle: 'Oracle', db2: 'Db2', cassandra: 'Cassandra', memcached: 'Memcached',
  mqtt: 'MQTT broker', mqtts: 'MQTT broker', nats: 'NATS', kafka: 'Kafka', ldap: 'LDAP directory', ldaps: 'LDAP directory', ftp: 'FTP server', sftp: 'SFTP server',
};

// servers whose URLs in code are most often samples (`ftp://user:pass@host`), unlike databases'
const FILE_AND_DIRECTORY = new Set(['FTP server', 'SFTP server', 'LDAP directory']);

export function serviceOf(scheme: string): string | undefined {
  const s = scheme.toLowerCase().replace(/^jdbc:/, '');
  return SERVICES[s] ?? SERVICES[s.split('+')[0]!];
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** database-connection-string: placeholder → example; integrated security / local defaults → info; else medium. */
export function analyzeDatabaseConnectionString(match: MatchInput, _ctx: AnalysisContext): Analysis | null {
  const pairs = new Map<string, string>();
  for (const part of match.text.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) pairs.set(part.slice(0, eq).trim().toLowerCase().replace(/\s+/g, ' '), part.slice(eq + 1).trim());
  }
  // jdbc:sqlserver://host:1433;databaseName=…: the server is in the URL before the properties
  const jdbcHost = /jdbc:[a-z]+:\/\/([^;/:\s]+)/i.exec(`${match.context?.before ?? ''}${match.text}`)?.[1];
  const server = pairs.get('server') ?? pairs.get('data source') ?? pairs.get('servername') ?? jdbcHost ?? pairs.get('host') ?? pairs.get('address') ?? pairs.get('addr') ?? pairs.get('hostname') ?? null;
  const database = pairs.get('database') ?? pairs.get('initial catalog') ?? pairs.get('dbname') ?? pairs.get('databasename') ?? null;
  const user = pairs.get('user id') ?? pairs.get('uid') ?? pairs.get('user') ?? pairs.get('username') ?? pairs.get('user name') ?? null;
  if (!server && !database) return null; // not a database connection string
  const password = (match.groups['secret'] ?? '').replace(/^\{|\}$/g, '');
  const redacted = redactFields(match.text, ['password', 'pwd']);
  if (passwordPlaceholder(password, user ?? '')) return example('database-connection-string', password, 'placeholder password in a connection string', { raw: match.text, redacted });
  const details = { server, database, user };
  // server, user and password named together: a login by construction; a lone password pair: low
  const confidence = server && user ? ('medium' as const) : ('low' as const);
  const local = server ? /^(?:localhost|127\.0\.0\.1|\.|\(local\)|\(localdb\)\\.*)(?:[,:]\d+)?$/i.test(server) : false;
  if (local && DEFAULT_PASSWORDS.has(password.toLowerCase())) {
    return { ...credential({ rule: 'database-connection-string', severity: 'info', reasons: ['default password on a local database server'], secret: password, raw: match.text, redacted, details }), material: undefined };
  }
  return credential({
    rule: 'database-connection-string',
    title: 'Database connection string with a password',
    severity: 'medium',
    confidence,
    reasons: [`password of ${user ? `user ${user}` : 'the login'} for ${database ? `database ${database} on ` : ''}${server ?? 'an unnamed server'}`],
    secret: password,
    raw: match.text,
    redacted,
    details,
    remediation: ['Revoke: change the login\'s password on the server.', 'Replace: managed identities or integrated authentication, or a secret store reference.'],
  });
}

/** database-connection-string-url: `…://host/db?user=…&password=…`; placeholders and local defaults as for URLs with user-info. */
export function analyzeDatabaseUrlPassword(match: MatchInput, _ctx: AnalysisContext): Analysis | null {
  const url = match.groups['url'] ?? '';
  const password = safeDecode(match.groups['secret'] ?? '');
  const params = new Map<string, string>();
  for (const part of match.text.slice(url.length + 1).split(/[&;]/)) {
    const eq = part.indexOf('=');
    if (eq > 0) params.set(part.slice(0, eq).toLowerCase(), safeDecode(part.slice(eq + 1)));
  }
  const user = params.get('user') ?? params.get('username') ?? params.get('uid') ?? params.get('user_name') ?? '';
  const m = /^(?:jdbc:)?([a-z][a-z0-9+.-]*):\/\/(?:[^@/]*@)?(\[[^\]]+\]|[^/:,?;]+)(?::(\d+))?(?:[^/]*\/([^?;]*))?/i.exec(url);
  if (!m) return null;
  const [, scheme = '', host = '', port, database] = m;
  const at = match.text.lastIndexOf(`=${match.groups['secret']}`);
  const redacted = `${match.text.slice(0, at)}=…`;
  if (passwordPlaceholder(password, user)) return example('database-connection-string-url', password, 'placeholder password in a database URL', { raw: match.text, redacted });
  const service = serviceOf(scheme) ?? scheme;
  const details = { scheme: scheme.toLowerCase(), service, host: host.toLowerCase(), port: port ? parseInt(port, 10) : null, database: database || null, user: user || null };
  const local = isLoopbackHost(host.toLowerCase()) || !host.includes('.') && !/^\d/.test(host);
  if (local && (DEFAULT_PASSWORDS.has(password.toLowerCase()) || password.toLowerCase() === user.toLowerCase())) {
    return { ...credential({ rule: 'database-connection-string-url', severity: 'info', reasons: ['default password on a local or container-internal database'], secret: password, raw: match.text, redacted, details }), material: undefined };
  }
  return credential({
    rule: 'database-connection-string-url',
    title: `${service} URL with a password`,
    severity: 'medium',
    reasons: [`password of ${user ? `user ${user}` : 'the login'} for ${database ? `database ${database} on ` : ''}${host}${port ? `:${port}` : ''} (${service})`],
    secret: password,
    raw: match.text,
    redacted,
    details,
    remediation: [`Revoke: change the password of ${user || 'this login'} on ${host}.`, 'Replace: pass the password through the environment or a secret store, not inside the URL.'],
  });
}

// references and identifiers, not literals: calls, templates, numbers, paths (`cms/sites#edit`), URLs, and
// letters-only names (snake_case, UPPER_CASE, camelCase, PascalCase types such as `BinaryLike`)
const REFERENCE_VALUE = /[(){}[\]$]|^[a-z_]+(?:\/[a-z_]+)+(?:#[a-z_]+)?$|^(?:true|false|null|none|nil|undefined)$|^\d+(?:\.\d+)?$|^[a-z]+(?:[._-][a-z]+)*$|^[A-Z]+(?:_[A-Z]+)*$|^[A-Za-z][a-z]+(?:[A-Z][a-z]+)*$|^[a-z]+(?:[A-Z][a-z]+)+$|^\.{0,2}\/|^[A-Za-z]:\\|:\/\/|^(?:https?|ftp):/;
// source code, and source maps (which embed it)
const CODE_FILE = /\.(?:py|pyi|ipynb|js|mjs|cjs|jsx|ts|tsx|java|kt|kts|scala|groovy|go|rb|php|cs|vb|fs|c|cc|cpp|cxx|h|hpp|m|mm|rs|swift|dart|lua|r|pl|pm|ex|exs|erl|clj|hs|ml|sql|map|ps1|psm1)$/i;
const SECRET_WORD = /password|passwd|passphrase|pwd|secret|api[_-]?key|(?:access|auth|api|bearer|private)[_-]?token/i;
const SIGNED_QUERY = /(?:^|[?&;]|%26|&amp;)(?:sig|signature|x-amz-signature|x-goog-signature)(?:=|%3d)/i;
/** `module.attribute` references: `self.helper.callback`, `settings.DB_PASSWORD`. */
const DOTTED_NAME = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)+$/;
const NON_SECRET_NAME = /(?:_?(?:file|path|dir|name|names|id|ids|url|uri|env|var|key_?ref|ref|type|length|len|min|max|size|count|policy|field|label|prompt|hint|header|param|arn|version|template|mode|format|regex|pattern|hash|algorithm|salt_?rounds|expiry|expires|ttl|timeout|provider|manager|store|location|arn)s?)$/i;

/** generic-secret: entropy floor, placeholder list, references; medium when kept. */
export function analyzeGenericSecret(match: MatchInput, ctx: AnalysisContext): Analysis | null {
  const name = match.groups['name'] ?? '';
  const value = match.groups['secret'] ?? '';
  // in source code an unquoted value is an expression (a variable), not a literal
  if (!match.groups['quote'] && ctx.path && CODE_FILE.test(ctx.path)) return null;
  if (NON_SECRET_NAME.test(name) || /^(?:is|has|use|enable|show|require|allow|with|no)[_-]/i.test(name)) return null;
  // `PWD` in capitals is the shell's working directory (and FTP's print-working-directory)
  if (name === 'PWD') return null;
  // `spring.datasource.password` names a secret; `passwd.1.xml` and `self._passphrase_cb` do not
  if (!SECRET_WORD.test(name.split('.').pop() ?? '')) return null;
  // a name for many of them (`appSecrets`, `keyVaultToStoreSecrets`) names where secrets are kept
  if (/(?:secret|password|token|key)s$/i.test(name)) return null;
  // a signed link's query (`sv=…&sig=…`, `X-Amz-Signature=…`) is the link rules' to judge: one they
  // reject (malformed, a placeholder) must not come back as a generic secret
  if (SIGNED_QUERY.test(value)) return null;
  if (REFERENCE_VALUE.test(value) || DOTTED_NAME.test(value) || value.endsWith(':') || /\\[ntr"']/.test(value)) return null;
  if (passwordPlaceholder(value)) return example('generic-secret', value, 'placeholder value');
  // Base64 of readable text (a Kubernetes Secret value): the Base64 view judges the decoded value
  if (match.encoding === 'plain' && /^[A-Za-z0-9+/]{8,}={0,2}$/.test(value) && value.length % 4 === 0 && isReadable(Buffer.from(value, 'base64'))) return null;
  const entropy = shannonEntropy(value);
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(value)).length;
  // a real password or key mixes character classes and is not a repeated pattern
  if (entropy < 3.0 || classes < 2 || lowVariety(value) || /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)) return null;
  return credential({
    rule: 'generic-secret',
    title: `Secret assigned to ${name}`,
    severity: 'medium',
    reasons: [`literal value assigned to "${name}" (${value.length} characters, entropy ${entropy.toFixed(1)} bits/char)`],
    secret: value,
    details: { name, length: value.length, entropy: Math.round(entropy * 10) / 10 },
    remediation: ['Revoke: change the credential at its service.', 'Replace: read it from the environment or a secret store; commit only a reference.'],
  });
}

/** docker-registry-auth: `auth` decodes to user:password; placeholders → example; else high. */
export function analyzeDockerAuth(match: MatchInput, _ctx: AnalysisContext): Analysis | null {
  const registry = match.groups['registry'] ?? '';
  const decoded = Buffer.from(match.groups['secret'] ?? '', 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0 || /[\x00-\x08\x0e-\x1f]/.test(decoded)) return null;
  const user = decoded.slice(0, colon);
  const password = decoded.slice(colon + 1);
  if (passwordPlaceholder(password, user)) return example('docker-registry-auth', password, 'placeholder registry credentials');
  return credential({
    rule: 'docker-registry-auth',
    title: 'Container registry credentials',
    severity: 'high',
    reasons: [`login of ${user || 'a user'} to registry ${registry}: pull private images and, with push rights, replace images others deploy`],
    secret: password,
    raw: `${registry} ${user}:${password}`,
    redacted: `${registry} ${user}:…`,
    details: { registry, user },
    remediation: [`Revoke: change the password or delete the token of ${user} on ${registry}.`, 'Replace: a credential helper (credsStore) or short-lived tokens instead of auth strings in config files.'],
  });
}
