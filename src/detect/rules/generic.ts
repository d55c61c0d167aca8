import type { Rule } from '../types.js';
import { anyCase } from './fragments.js';

/**
 * Generic `password=` / `secret=` assignments in configuration and code. Last resort: it
 * yields to every specific rule, and the analyzer keeps a value only above an entropy floor
 * and outside a placeholder list (references such as `${VAR}`, `os.environ[...]`, words
 * such as `changeme`).
 */
const WORDS = ['password', 'passwd', 'passphrase', 'pwd', 'secret', 'api_key', 'apikey', 'api-key', 'access_token', 'auth_token', 'api_token', 'bearer_token', 'private_token', 'client_secret', 'secret_key'];
const NAME = String.raw`(?<name>[A-Za-z0-9_.-]{0,40}(?:${[anyCase('password'), anyCase('passwd'), anyCase('passphrase'), anyCase('pwd'), anyCase('secret'), `${anyCase('api')}[_-]?${anyCase('key')}`, `${anyCase('access')}[_-]?${anyCase('token')}`, `${anyCase('auth')}[_-]?${anyCase('token')}`, `${anyCase('api')}[_-]?${anyCase('token')}`, `${anyCase('bearer')}[_-]?${anyCase('token')}`, `${anyCase('private')}[_-]?${anyCase('token')}`].join('|')})[A-Za-z0-9_.-]{0,30})`;

export const genericSecretRule: Rule = {
  id: 'generic-secret',
  family: 'generic-secret',
  title: 'Password or secret in an assignment',
  description: 'A literal password, secret or API key assigned in configuration or code (not a reference to a variable or a placeholder).',
  keywords: WORDS,
  pattern: new RegExp(String.raw`(?<![?&A-Za-z0-9_.-])${NAME}["'\]]?[ \t]*(?::=|=>|=|:)[ \t]*(?<quote>["'\x60]?)(?<secret>[^\s"'\x60,;<>]{8,200})\k<quote>(?![A-Za-z0-9_(\[.])`, 'g'),
  window: { before: 96, after: 256 },
  generic: true,
  severity: 'medium',
  confidence: 'low',
  analyzer: 'generic-secret',
  grantSummary: 'the name it was assigned to; entropy of the value',
  examples: ['DB_PASSWORD=Tq8vN2zLx4Kp9Wm', '"client_secret": "f7Kq2Lz9Xw4Pm8Rt6Vb3"', "smtp:\n  password: 'Hv7#pL2q!zX9'", 'secretsManagerPassword: "Wn4xQ8zLr2Kp7Tv"'],
  negativeExamples: [
    'DB_PASSWORD=${DB_PASSWORD}',
    'password = os.environ["DB_PASSWORD"]',
    '"password": "changeme"',
    'password: <your-password>',
    'secret_name = "prod-db-credentials"',
    'api_key = get_api_key()',
    'PASSWORD_MIN_LENGTH=12',
    'tokenizer.pad_token = "<pad>"',
    // a name for many secrets names where they are kept, not a secret
    '  vaultForAppSecrets: contoso-kv-2024118',
    'DEPLOY_PASSWORDS_STORE=team-ops-734001',
    // a route: a path of words, not a literal secret
    `  put '/reset-password' => "accounts/passwords#update", as: 'update_password'`,
  ],
};
