import type { Analyzer } from '../types.js';
import { around, vendorAnalyzer, type VendorToken } from './vendor-tokens.js';

/** A generated key mixes upper case, lower case and digits; a 32-letter word or identifier does not. */
const mixedAlphabet = (t: string) => (/[A-Z]/.test(t) && /[a-z]/.test(t) && /\d/.test(t) ? {} : null);

/**
 * What each vendor's token grants and how to revoke it (rule id → judgement). Severity is
 * `high` for tokens that read private data or spend money, lower where the vendor limits
 * the damage; confidence follows the format: a marker or decodable part → high, a
 * distinctive prefix → medium, a value known only by the name it is given → low.
 */
const VENDORS: VendorToken[] = [
  {
    rule: 'google-api-key',
    title: 'Google API key',
    grants: 'Google API key: billed calls to every API it is not restricted from (Gemini, Maps, Translate…) in its project',
    severity: 'medium',
    body: (t) => t.slice(4),
    revoke: 'Revoke: delete or regenerate the key in Google Cloud console → APIs & Services → Credentials; add API and application restrictions to its replacement.',
    refine: (_t, m) =>
      /firebaseconfig|authdomain|firebaseapp\.com|messagingsenderid/.test(around(m))
        ? {
            title: 'Google API key (Firebase web config)',
            severity: 'low',
            reasons: ['Firebase web API key: identifies the project to Firebase and is public by design in web apps; it can still be used for any Google API the key is not restricted from', 'restrict the key to the Firebase APIs and your app\'s referrers'],
            details: { firebaseWebConfig: true },
          }
        : {},
  },
  {
    rule: 'firebase-fcm-server-key',
    title: 'Firebase Cloud Messaging server key (legacy)',
    grants: 'legacy FCM server key: sends push notifications to every device of the app (the legacy HTTP API was retired in 2024; keys of projects still on it may work)',
    severity: 'medium',
    body: (t) => t.slice(t.indexOf(':') + 7),
    revoke: 'Revoke: delete the server key in the Firebase console (Project settings → Cloud Messaging) and move to the HTTP v1 API with a service account.',
  },
  {
    rule: 'databricks-token',
    title: 'Databricks personal access token',
    grants: 'Databricks personal access token: the workspace API as its user — notebooks, jobs, clusters, secret scopes and the tables its user can read',
    severity: 'high',
    body: (t) => t.slice(4, 36),
    revoke: 'Revoke: User settings → Developer → Access tokens (or the Token Management API), then review the workspace audit log.',
    refine: (_t, m) => {
      const host = /https?:\/\/([a-z0-9.-]+\.(?:cloud\.databricks\.com|azuredatabricks\.net|gcp\.databricks\.com))/.exec(around(m))?.[1];
      return host ? { details: { workspace: host } } : {};
    },
  },
  {
    rule: 'snowflake-credentials',
    title: 'Snowflake password',
    grants: 'Snowflake user password: every warehouse, database and role the user may use',
    severity: 'high',
    body: (t) => t,
    minEntropy: 2.8,
    revoke: 'Revoke: ALTER USER … SET PASSWORD (or disable the user); prefer key-pair or OAuth authentication for services.',
    refine: (_t, m) => {
      const text = around(m);
      const account = /account["']?\s*[=:]\s*["']?([a-z0-9_.-]{3,80})/.exec(text)?.[1] ?? /snowflake_account["']?\s*[=:]\s*["']?([a-z0-9_.-]{3,80})/.exec(text)?.[1];
      const viaCall = Boolean(m.groups['call']);
      return { confidence: viaCall && account ? 'medium' : 'low', details: { account: account ?? null, form: viaCall ? 'connector call' : 'environment variable' } };
    },
  },
  {
    rule: 'replicate-token',
    title: 'Replicate API token',
    grants: 'Replicate API token: runs models billed to the account and reads its predictions, trainings and private models',
    severity: 'high',
    revoke: 'Revoke: replicate.com → Account → API tokens: delete the token.',
  },
  {
    rule: 'groq-key',
    title: 'Groq API key',
    grants: 'Groq API key: billed inference within the organization\'s limits',
    severity: 'high',
    revoke: 'Revoke: console.groq.com → API Keys: delete the key.',
    refine: (t) => (t.includes('WGdyb3FY') ? { confidence: 'high', details: { marker: true } } : { details: { marker: false } }),
  },
  {
    rule: 'cohere-key',
    title: 'Cohere API key',
    grants: 'Cohere API key: billed generation, embedding and rerank calls',
    severity: 'high',
    body: (t) => t,
    minEntropy: 4,
    revoke: 'Revoke: dashboard.cohere.com → API keys: delete the key.',
    refine: mixedAlphabet,
  },
  {
    rule: 'mistral-key',
    title: 'Mistral AI API key',
    grants: 'Mistral AI API key: billed chat, embedding and fine-tuning calls of its workspace',
    severity: 'high',
    body: (t) => t,
    minEntropy: 4,
    revoke: 'Revoke: console.mistral.ai → API keys: delete the key.',
    refine: mixedAlphabet,
  },
  {
    rule: 'pinecone-key',
    title: 'Pinecone API key',
    grants: 'Pinecone API key: reads, writes and deletes the vectors of every index in its project (embeddings of private documents)',
    severity: 'high',
    body: (t) => t.slice(t.lastIndexOf('_') + 1),
    revoke: 'Revoke: Pinecone console → API keys: delete the key.',
  },
  {
    rule: 'wandb-api-key',
    title: 'Weights & Biases API key',
    grants: 'Weights & Biases API key: reads and writes the runs, artifacts (datasets, checkpoints) and reports of its user\'s projects',
    severity: 'high',
    body: (t) => t.replace(/^wandb_v1_|^local-/, ''),
    revoke: 'Revoke: wandb.ai/settings → API keys: delete the key (a local- key: on the W&B server it belongs to).',
  },
  {
    rule: 'supabase-key',
    title: 'Supabase secret key',
    grants: 'Supabase project secret key: bypasses Row Level Security — every table, bucket and user of the project',
    severity: 'high',
    body: (t) => t.replace(/^sbp_(?:v0_)?|^sb_secret_/, ''),
    revoke: 'Revoke: Project settings → API keys: delete the secret key (or revoke the access token under Account → Access tokens).',
    refine: (t) =>
      t.startsWith('sbp_')
        ? { title: 'Supabase personal access token', reasons: ['Supabase personal access token: the management API for every project of its user (settings, keys, database)'], details: { keyKind: 'personal-access-token' } }
        : { details: { keyKind: 'project-secret-key' } },
  },
  {
    rule: 'docker-hub-token',
    title: 'Docker Hub access token',
    grants: 'Docker Hub access token: pulls private images and, with write scope, pushes over images others deploy',
    severity: 'high',
    body: (t) => t.slice(9),
    revoke: 'Revoke: Docker Hub → Account settings → Personal access tokens (organization tokens: the organization\'s settings).',
    refine: (t) => ({ details: { tokenKind: t.startsWith('dckr_oat_') ? 'organization' : 'personal' } }),
  },
  {
    rule: 'terraform-cloud-token',
    title: 'HCP Terraform API token',
    grants: 'HCP Terraform API token: reads state files (which hold other secrets) and queues runs that change infrastructure',
    severity: 'high',
    body: (t) => t.split('.')[2] ?? t,
    revoke: 'Revoke: app.terraform.io → User settings → Tokens (team and organization tokens: their settings pages).',
  },
  {
    rule: 'vault-token',
    title: 'HashiCorp Vault token',
    grants: 'Vault token: reads every secret its policies allow until it expires or is revoked',
    severity: 'high',
    body: (t) => t.slice(t.indexOf('.') + 1),
    revoke: 'Revoke: vault token revoke <token> (or revoke its accessor), then rotate the secrets its policies could read.',
    refine: (t, m) => {
      const kind = t.startsWith('hvb.') ? 'batch' : t.startsWith('hvr.') ? 'recovery' : t.startsWith('hvs.') ? 'service' : 'legacy service';
      return { title: `HashiCorp Vault ${kind} token`, confidence: m.groups['legacy'] ? 'low' : 'medium', details: { tokenKind: kind } };
    },
  },
  {
    rule: 'datadog-key',
    title: 'Datadog API key',
    grants: 'Datadog API key: submits metrics, logs and events to the organization',
    severity: 'medium',
    body: (t) => t,
    minEntropy: 3.2,
    revoke: 'Revoke: Organization settings → API keys / Application keys: revoke the key.',
    refine: (t, m) => {
      const app = t.length === 40 || /app/i.test(m.groups['kind'] ?? m.groups['header'] ?? '');
      return app
        ? { title: 'Datadog application key', severity: 'high', reasons: ['Datadog application key: reads dashboards, monitors and logs with its user\'s rights'], details: { keyKind: 'application' } }
        : { details: { keyKind: 'api' } };
    },
  },
  {
    rule: 'sentry-token',
    title: 'Sentry auth token',
    grants: 'Sentry auth token: reads issues with their stack traces and request data, uploads releases and source maps',
    severity: 'high',
    body: (t) => (t.startsWith('http') ? (t.split(':')[2] ?? '').slice(0, 32) : t.slice(t.lastIndexOf('_') + 1)),
    revoke: 'Revoke: Sentry → Settings → Auth Tokens (organization tokens: Settings → Developer Settings → Organization Tokens); a DSN secret: rotate the project\'s client key.',
    refine: (t, m) => {
      if (t.startsWith('http')) {
        return {
          title: 'Sentry DSN with its secret key',
          severity: 'medium',
          reasons: ['Sentry DSN carrying the legacy secret key: authenticates as the project\'s client key (event submission and, on old servers, the store API); DSNs without the secret are public'],
          details: { tokenKind: 'dsn-secret', host: m.groups['host'] ?? null, publicKey: m.groups['publicKey'] ?? null },
        };
      }
      if (t.startsWith('sntryu_')) return { title: 'Sentry user auth token', details: { tokenKind: 'user' } };
      if (m.groups['legacy']) return { title: 'Sentry auth token (pre-2023 format)', confidence: 'low', details: { tokenKind: 'legacy' } };
      const claims = t.slice(7, t.lastIndexOf('_'));
      try {
        const c = JSON.parse(Buffer.from(claims, 'base64').toString('utf8')) as Record<string, unknown>;
        return { title: 'Sentry organization auth token', confidence: 'high', details: { tokenKind: 'organization', org: c['org'] ?? null, url: c['url'] ?? null, region: c['region_url'] ?? null } };
      } catch {
        return null;
      }
    },
  },
  {
    rule: 'mailgun-key',
    title: 'Mailgun API key',
    grants: 'Mailgun private API key: sends mail from the account\'s domains and reads its logs and mailing lists',
    severity: 'high',
    body: (t) => t.replace(/^key-/, '').replace(/-/g, ''),
    revoke: 'Revoke: Mailgun → API Security: delete the key and create a new one (domain sending keys for services that only send).',
  },
  {
    rule: 'shopify-token',
    title: 'Shopify access token',
    grants: 'Shopify Admin API access token: the store\'s orders, customers and products with the app\'s scopes',
    severity: 'high',
    body: (t) => t.slice(6),
    revoke: 'Revoke: uninstall or rotate the app\'s credentials in the Shopify admin (Settings → Apps and sales channels → Develop apps).',
    refine: (t, m) => {
      const store = /([a-z0-9-]+\.myshopify\.com)/.exec(around(m))?.[1] ?? null;
      const kind = { shpat: 'public-app access token', shpca: 'custom-app access token', shppa: 'legacy private-app access token', shpss: 'app shared secret' }[t.slice(0, 5)] ?? 'token';
      return t.startsWith('shpss_')
        ? { title: 'Shopify app shared secret', reasons: ['Shopify app shared secret: forges webhook signatures and OAuth exchanges of the app'], details: { tokenKind: kind, store } }
        : { details: { tokenKind: kind, store } };
    },
  },
  {
    rule: 'square-token',
    title: 'Square access token',
    grants: 'Square access token: payments, refunds, customer and order data of the seller account',
    severity: 'high',
    body: (t) => t.slice(7),
    revoke: 'Revoke: Square Developer Dashboard → the application → Credentials (replace the access token; revoke OAuth grants).',
    refine: (t, m) => {
      const text = around(m);
      const sandbox = /sandbox/.test(text);
      const named = /square/.test(text);
      if (t.startsWith('sq0csp-')) return { title: 'Square OAuth application secret', details: { tokenKind: 'application-secret' } };
      if (t.startsWith('EAAA') && !(/[A-Z]/.test(t.slice(4)) && /[a-z]/.test(t.slice(4)) && /\d/.test(t.slice(4)))) return null;
      return {
        ...(sandbox ? { severity: 'low' as const, reasons: ['Square sandbox access token: test data only'] } : {}),
        confidence: t.startsWith('EAAA') && !named ? 'low' : 'medium',
        details: { tokenKind: 'access-token', environment: sandbox ? 'sandbox' : null },
      };
    },
  },
  {
    rule: 'paypal-braintree-token',
    title: 'Braintree access token',
    grants: 'Braintree (PayPal) gateway access token: charges, refunds and vault data of the merchant account',
    severity: 'high',
    body: (t) => t.slice(t.lastIndexOf('$') + 1),
    revoke: 'Revoke: Braintree Control Panel → Settings → API: revoke the access token (or the PayPal app credentials that minted it).',
    refine: (_t, m) =>
      m.groups['env'] === 'sandbox'
        ? { title: 'Braintree sandbox access token', severity: 'low', reasons: ['Braintree sandbox access token: test data only'], details: { environment: 'sandbox', merchantId: m.groups['merchant'] } }
        : { details: { environment: 'production', merchantId: m.groups['merchant'] } },
  },
  {
    rule: 'telegram-bot-token',
    title: 'Telegram bot token',
    grants: 'Telegram bot token: reads every message sent to the bot and posts as it in its chats and channels',
    severity: 'high',
    body: (t) => t.slice(t.indexOf(':') + 3),
    revoke: 'Revoke: /revoke to @BotFather for this bot, which issues a new token.',
    refine: (t) => ({ details: { botId: t.slice(0, t.indexOf(':')) } }),
  },
  {
    rule: 'discord-token',
    title: 'Discord bot token',
    grants: 'Discord bot token: acts as the bot in every server it joined — reads and posts messages, and whatever else its permissions allow',
    severity: 'high',
    body: (t) => (t.startsWith('http') ? t.slice(t.lastIndexOf('/') + 1) : t.slice(t.lastIndexOf('.') + 1)),
    revoke: 'Revoke: Discord Developer Portal → the application → Bot → Reset Token (a webhook: delete it in the channel\'s Integrations settings).',
    refine: (t, m) => {
      if (t.startsWith('http')) return { title: 'Discord webhook', severity: 'medium', reasons: ['Discord webhook URL: anyone can post to its channel (phishing from a trusted source)'], details: { webhookId: m.groups['hook'] ?? null } };
      // the first part is the bot's user id in Base64: a snowflake of 17–20 digits
      const id = Buffer.from(t.split('.')[0]!, 'base64url').toString('latin1');
      if (!/^[1-9]\d{16,19}$/.test(id)) return null;
      return { details: { botUserId: id } };
    },
  },
  {
    rule: 'heroku-api-key',
    title: 'Heroku API key',
    grants: 'Heroku API key: deploys, reads config vars (which hold other secrets) and scales every app its user can reach',
    severity: 'high',
    body: (t) => t.replace(/^HRKU-/, '').replace(/-/g, ''),
    revoke: 'Revoke: heroku authorizations:revoke (or regenerate the API key under Account settings).',
    refine: (t) => (t.startsWith('HRKU-') ? {} : { confidence: 'low', details: { format: 'legacy-uuid' } }),
  },
  {
    rule: 'digitalocean-token',
    title: 'DigitalOcean token',
    grants: 'DigitalOcean token: creates and destroys droplets, databases, Spaces keys and DNS records with its scopes',
    severity: 'high',
    body: (t) => t.slice(7),
    revoke: 'Revoke: DigitalOcean control panel → API → Tokens: delete the token (OAuth: revoke the application\'s authorization).',
    refine: (t) => ({ title: { dop: 'DigitalOcean personal access token', doo: 'DigitalOcean OAuth token', dor: 'DigitalOcean refresh token' }[t.slice(0, 3)] ?? 'DigitalOcean token', details: { tokenKind: t.slice(0, 3) } }),
  },
  {
    rule: 'cloudflare-token',
    title: 'Cloudflare API token',
    grants: 'Cloudflare API token: changes DNS, firewall rules and Workers of the zones and accounts it reaches',
    severity: 'high',
    body: (t) => t.replace(/^cf(?:ut|at|k)_|^v1\.0-/, '').replace(/-/g, ''),
    revoke: 'Revoke: Cloudflare dashboard → My Profile → API Tokens (roll or delete); a global key: View → Change; an origin CA key: revoke its certificates.',
    refine: (t, m) => {
      if (t.startsWith('cfk_') || m.groups['globalKey']) return { title: 'Cloudflare global API key', reasons: ['Cloudflare global API key: everything its user can do on every account and zone'], confidence: m.groups['globalKey'] ? 'low' : 'medium' };
      if (t.startsWith('v1.0-')) return { title: 'Cloudflare origin CA key', reasons: ['Cloudflare origin CA key: issues and revokes origin certificates for the user\'s zones'] };
      if (m.groups['token']) return { confidence: 'low' };
      return { details: { tokenKind: t.startsWith('cfat_') ? 'account' : 'user' } };
    },
  },
  {
    rule: 'okta-token',
    title: 'Okta API token',
    grants: 'Okta API token: the management API with its admin\'s rights — users, groups, applications and sign-on policies',
    severity: 'high',
    body: (t) => t.slice(2),
    revoke: 'Revoke: Okta Admin Console → Security → API → Tokens: revoke the token.',
    refine: (_t, m) => ({ confidence: /^ssws/i.test(m.text) ? 'medium' : 'low' }),
  },
];

/** Pulls the credential from whichever named group a vendor rule uses for it. */
const ALT_GROUPS = ['secret', 'legacy', 'call', 'token', 'globalKey', 'bot', 'dsn'];

export const VENDOR_ANALYZERS: Record<string, Analyzer> = Object.fromEntries(
  VENDORS.map((v) => {
    const analyze = vendorAnalyzer(v);
    const withGroups: Analyzer = (match, ctx) => {
      const value = ALT_GROUPS.map((g) => match.groups[g]).find(Boolean);
      return value ? analyze({ ...match, groups: { ...match.groups, secret: value } }, ctx) : null;
    };
    return [v.rule, withGroups];
  }),
);
