import { base62Crc32Valid } from '../checksum.js';
import { credential, example } from '../credential.js';
import { looksLikePlaceholder, lowVariety, shannonEntropy } from '../placeholder.js';
import type { Analysis, AnalysisContext, MatchInput } from '../types.js';

/**
 * Tokens of SaaS services, recognised by documented prefixes and, where the format has one,
 * an embedded checksum. No grant (they are not storage credentials): the finding's details
 * say the token type and whether the checksum holds. Severity is stated per service below;
 * placeholders (`xxxx`, `your-token`, `...`) are info examples; a token failing its
 * checksum is not a token and is dropped.
 */

export function placeholderLike(token: string, body: string): boolean {
  return looksLikePlaceholder(body) || lowVariety(body) || /(.)\1{7}/.test(body) || looksLikePlaceholder(token) || hasSequence(body);
}

/** A run of 8 characters counting up or down (`12345678`, `abcdefgh`): typed by a person, not random. */
export function hasSequence(s: string): boolean {
  let up = 1;
  let down = 1;
  for (let i = 1; i < s.length; i++) {
    const d = s.charCodeAt(i) - s.charCodeAt(i - 1);
    up = d === 1 ? up + 1 : 1;
    down = d === -1 ? down + 1 : 1;
    if (up >= 8 || down >= 8) return true;
  }
  return false;
}

const GITHUB_TYPES: Record<string, [string, string]> = {
  ghp: ['classic-pat', 'classic personal access token: every repository and organization its user can reach, with the scopes chosen at creation'],
  gho: ['oauth', 'OAuth app user token: acts as the user within the app\'s scopes'],
  ghu: ['app-user', 'GitHub App user-to-server token: acts as the user within the app\'s permissions (expires after 8 hours unless refreshed)'],
  ghs: ['app-installation', 'GitHub App installation token: the app\'s permissions on the repositories it is installed on (expires after 1 hour)'],
  ghr: ['refresh', 'GitHub App refresh token: mints new user-to-server tokens (valid 6 months)'],
};

const GITHUB_TITLES: Record<string, string> = {
  'classic-pat': 'GitHub personal access token (classic)',
  oauth: 'GitHub OAuth token',
  'app-user': 'GitHub App user-to-server token',
  'app-installation': 'GitHub App installation token',
  refresh: 'GitHub App refresh token',
};

/** GitHub: prefixed tokens must pass their CRC-32 (random look-alikes are dropped); all are high. */
export function analyzeGithubToken(match: MatchInput, _ctx: AnalysisContext): Analysis | null {
  const token = match.groups['secret'];
  if (!token) return null;
  if (token.startsWith('github_pat_')) {
    const body = token.slice('github_pat_'.length);
    if (placeholderLike(token, body.replace(/_/g, ''))) return example('github-token-fine-grained', token, 'placeholder token');
    return credential({
      rule: 'github-token-fine-grained',
      title: 'GitHub fine-grained personal access token',
      severity: 'high',
      reasons: ['fine-grained personal access token: the repositories and permissions chosen at creation (not readable offline), until it expires or is revoked'],
      secret: token,
      details: { tokenType: 'fine-grained-pat', checksumValid: null },
      remediation: githubRemediation(),
    });
  }
  const prefix = token.slice(0, 3);
  const body = token.slice(4);
  if (placeholderLike(token, body)) return example('github-token', token, 'placeholder token');
  const [tokenType, meaning] = GITHUB_TYPES[prefix] ?? ['unknown', 'GitHub token'];
  if (!base62Crc32Valid(body)) {
    // not dropped: a token edited by hand, cut, or made up still deserves a look, at low confidence
    return credential({
      rule: 'github-token',
      title: `${GITHUB_TITLES[tokenType] ?? 'GitHub token'} (checksum fails)`,
      severity: 'medium',
      confidence: 'low',
      reasons: [`${meaning}`, 'checksum does not verify: mistyped, edited or made up — GitHub would reject it as it stands, but a real token may sit nearby or in history'],
      secret: token,
      details: { tokenType, checksumValid: false },
      remediation: githubRemediation(),
    });
  }
  return credential({
    rule: 'github-token',
    title: GITHUB_TITLES[tokenType] ?? 'GitHub token',
    severity: 'high',
    reasons: [`${meaning}`, 'checksum valid: a real GitHub token format, not a look-alike'],
    secret: token,
    confidence: 'high',
    details: { tokenType, checksumValid: true },
    remediation: githubRemediation(),
  });
}

function githubRemediation(): string[] {
  return [
    'Revoke: Settings → Developer settings → tokens (or the app\'s settings); GitHub also revokes tokens reported through its credential-revocation API.',
    'Investigate: the organization audit log and the user\'s security log for activity with this token.',
    'Replace: use GITHUB_TOKEN in Actions or a GitHub App with narrow permissions.',
  ];
}

/** npm: granular/classic tokens carry GitHub's checksum; legacy UUID tokens only count under `_authToken`. High (publish access). */
export function analyzeNpmToken(match: MatchInput, _ctx: AnalysisContext): Analysis | null {
  const token = match.groups['secret'];
  const legacy = match.groups['legacy'];
  if (legacy) {
    if (lowVariety(legacy.replace(/-/g, '')) || /^0{8}-/.test(legacy)) return example('npm-token', legacy, 'placeholder token');
    return credential({
      rule: 'npm-token',
      title: 'npm access token (legacy)',
      severity: 'high',
      reasons: ['legacy npm token in .npmrc: publishes packages as its user (legacy tokens were revoked by npm in 2025, but private registries still issue them)'],
      secret: legacy,
      confidence: 'medium',
      details: { tokenType: 'legacy-uuid', checksumValid: null },
      remediation: npmRemediation(),
    });
  }
  if (!token) return null;
  const body = token.slice(4);
  if (placeholderLike(token, body)) return example('npm-token', token, 'placeholder token');
  if (!base62Crc32Valid(body)) return null;
  return credential({
    rule: 'npm-token',
    title: 'npm access token',
    severity: 'high',
    reasons: ['npm access token (checksum valid): can publish new versions of the packages its user maintains — a supply-chain risk'],
    secret: token,
    details: { tokenType: 'granular-or-classic', checksumValid: true },
    remediation: npmRemediation(),
  });
}

function npmRemediation(): string[] {
  return ['Revoke: npm token revoke <id> (npmjs.com → Access Tokens).', 'Investigate: recent versions of the user\'s packages for unexpected publishes.', 'Replace: trusted publishing (OIDC) from CI instead of stored tokens.'];
}

const GITLAB_TYPES: Record<string, string> = {
  glpat: 'personal, project or group access token',
  gldt: 'deploy token',
  glrt: 'runner authentication token',
  glptt: 'pipeline trigger token',
  gloas: 'OAuth application secret',
  glcbt: 'CI/CD job token',
  glft: 'feed token',
  glimt: 'incoming mail token',
  glagent: 'Kubernetes agent token',
  glsoat: 'SCIM OAuth token',
  glffct: 'feature flags client token',
  glwt: 'workspace token',
  GR1348941: 'runner registration token (deprecated)',
};

/** GitLab: personal/project/group, deploy, OAuth tokens → high; runner, trigger, feed and other narrow tokens → medium. */
export function analyzeGitlabToken(match: MatchInput, _ctx: AnalysisContext): Analysis | null {
  const token = match.groups['secret'];
  if (!token) return null;
  const prefix = token.startsWith('GR1348941') ? 'GR1348941' : token.slice(0, token.indexOf('-'));
  const body = token.slice(prefix.length + (prefix === 'GR1348941' ? 0 : 1)).replace(/\..*$/, '');
  if (placeholderLike(token, body) || shannonEntropy(body) < 3.3) return example('gitlab-token', token, 'placeholder token');
  const meaning = GITLAB_TYPES[prefix] ?? 'GitLab token';
  const broad = ['glpat', 'gldt', 'gloas', 'glsoat'].includes(prefix);
  return credential({
    rule: 'gitlab-token',
    title: `GitLab ${meaning}`,
    severity: broad ? 'high' : 'medium',
    reasons: [broad ? `GitLab ${meaning}: API access with the scopes chosen at creation` : `GitLab ${meaning}: narrower access (runs jobs, triggers pipelines or reads feeds)`],
    secret: token,
    details: { tokenType: prefix, routable: /\.\d{2}\.[0-9a-z]{9}$/.test(token) },
    remediation: ['Revoke: in the user\'s, project\'s or group\'s Access Tokens page (or the token revocation API).', 'Investigate: the audit events of the project/group for use of the token.'],
  });
}

const SLACK_TYPES: Record<string, string> = { xoxb: 'bot', xoxp: 'user', xoxa: 'workspace app', xoxo: 'legacy workspace', xoxs: 'legacy session', xoxr: 'refresh', xoxe: 'configuration', xapp: 'app-level' };

/** Slack: bot, user and app tokens → high; refresh/configuration → medium. */
export function analyzeSlackToken(match: MatchInput, _ctx: AnalysisContext): Analysis | null {
  const token = match.groups['secret'];
  if (!token) return null;
  const kind = token.startsWith('xoxe.') ? 'xoxe' : token.slice(0, 4);
  const tail = token.split('-').pop() ?? '';
  if (placeholderLike(token, tail) || /-0{8,}-/.test(token)) return example('slack-token', token, 'placeholder token');
  if (kind === 'xoxe' && /^xoxe-\d+-\d+-\d+-[a-f0-9]+$/.test(token)) return slackFileToken(token);
  const type = SLACK_TYPES[kind] ?? 'unknown';
  const ids = /^xox[a-z]-(?:\d-)?(\d+)-(\d+)/.exec(token);
  return credential({
    rule: 'slack-token',
    title: `Slack ${type} token`,
    severity: kind === 'xoxr' || kind === 'xoxe' ? 'medium' : 'high',
    reasons: [`Slack ${type} token: reads and posts in the workspace with the scopes the ${type === 'user' ? 'user' : 'app'} was granted`],
    secret: token,
    details: { tokenType: type, ...(ids ? { teamOrAppId: ids[1], userOrBotId: ids[2] } : {}) },
    remediation: ['Revoke: auth.revoke with the token, or reinstall/rotate the app\'s tokens in the app settings.', 'Investigate: workspace access logs for the app or user.'],
  });
}

/** `xoxe-<team>-<user>-<file>-<hex>`: the token Slack appends (`?t=`) to private file links in exports and API results. */
function slackFileToken(token: string): Analysis {
  const ids = /^xoxe-(\d+)-(\d+)/.exec(token);
  return credential({
    rule: 'slack-token',
    title: 'Slack file access token',
    severity: 'medium',
    reasons: ['Slack file access token (the ?t= of a private file link): downloads the workspace file it was issued for, without signing in'],
    secret: token,
    details: { tokenType: 'file access', teamOrAppId: ids?.[1] ?? null, userOrBotId: ids?.[2] ?? null },
    remediation: ['Revoke: delete or re-share the file (a new link gets a new token); remove the exported link from the repository.'],
  });
}

/** Slack incoming webhook: medium (post to one channel). */
export function analyzeSlackWebhook(match: MatchInput, _ctx: AnalysisContext): Analysis | null {
  const url = match.groups['secret'];
  if (!url) return null;
  const parts = url.split('/');
  const last = parts[parts.length - 1] ?? '';
  if (placeholderLike(url, last) || /\/T0{8,}\//.test(url)) return example('slack-webhook', url, 'placeholder webhook');
  const workflow = parts[3] !== 'services';
  return credential({
    rule: 'slack-webhook',
    title: workflow ? 'Slack workflow webhook' : 'Slack incoming webhook',
    severity: 'medium',
    reasons: [workflow ? 'Workflow Builder webhook: anyone can start the workflow with data of their choosing (it posts, and may run further steps, as the workflow)' : 'incoming webhook: anyone can post messages (and links) to its channel as the app'],
    secret: url,
    redacted: `${parts.slice(0, 5).join('/')}/…`,
    details: { team: parts[4] ?? null, webhook: parts[5] ?? null },
    remediation: ['Revoke: remove the webhook in the Slack app configuration (Incoming Webhooks) and create a new one.'],
  });
}

/** Stripe: live secret/restricted keys → high; test-mode keys → low. */
export function analyzeStripeKey(match: MatchInput, _ctx: AnalysisContext): Analysis | null {
  const key = match.groups['secret'];
  if (!key) return null;
  const [type, mode] = key.split('_') as [string, string];
  const body = key.slice(8);
  if (placeholderLike(key, body)) return example('stripe-key', key, 'placeholder key');
  const live = mode === 'live';
  return credential({
    rule: 'stripe-key',
    title: `Stripe ${live ? 'live' : 'test'} ${type === 'rk' ? 'restricted' : 'secret'} key`,
    severity: live ? 'high' : 'low',
    reasons: [live ? `live ${type === 'rk' ? 'restricted key: the permissions chosen at creation on' : 'secret key: full API access to'} the Stripe account — charges, refunds, payouts, customer data` : 'test-mode key: touches test data only'],
    secret: key,
    details: { mode, keyType: type === 'rk' ? 'restricted' : 'secret' },
    remediation: ['Revoke: roll the key in the Stripe Dashboard (Developers → API keys).', 'Investigate: the Dashboard\'s request logs for calls with this key.'],
  });
}

const OPENAI_KINDS: Record<string, string> = { proj: 'project', svcacct: 'service account', admin: 'admin', None: 'legacy user' };

/** OpenAI: high (billed API use; admin keys manage the organization). */
export function analyzeOpenaiKey(match: MatchInput, _ctx: AnalysisContext): Analysis | null {
  const key = match.groups['secret'];
  if (!key) return null;
  const m = /^sk-(proj|svcacct|admin|None)-/.exec(key);
  const kind = m ? OPENAI_KINDS[m[1]!]! : 'legacy user';
  const body = key.replace(/^sk-(?:[a-zA-Z]+-)?/, '').replace('T3BlbkFJ', '');
  if (placeholderLike(key, body) || shannonEntropy(body) < 4) return example('openai-key', key, 'placeholder key');
  return credential({
    rule: 'openai-key',
    title: `OpenAI ${kind} API key`,
    severity: 'high',
    confidence: key.includes('T3BlbkFJ') ? 'high' : 'medium',
    reasons: [kind === 'admin' ? 'admin key: manages the organization (users, projects, keys)' : `${kind} key: billed API access${kind === 'project' ? ' within its project' : ''}, including files and fine-tuning data it can read`],
    secret: key,
    details: { keyKind: kind },
    remediation: ['Revoke: delete the key at platform.openai.com (API keys; admin keys under Organization settings).', 'Investigate: the usage dashboard for unexpected spend.'],
  });
}

/** Anthropic: high (billed API use; admin keys manage the organization). */
export function analyzeAnthropicKey(match: MatchInput, _ctx: AnalysisContext): Analysis | null {
  const key = match.groups['secret'];
  if (!key) return null;
  const kind = /^sk-ant-(api|admin|oat|ort)/.exec(key)?.[1] ?? 'api';
  const body = key.replace(/^sk-ant-[a-z]+\d{2}-/, '');
  if (placeholderLike(key, body) || shannonEntropy(body) < 4) return example('anthropic-key', key, 'placeholder key');
  return credential({
    rule: 'anthropic-key',
    title: `Anthropic ${kind === 'admin' ? 'admin' : kind === 'api' ? 'API' : 'OAuth'} key`,
    severity: 'high',
    reasons: [kind === 'admin' ? 'admin key: manages the organization (members, workspaces, keys)' : 'API key: billed access to Claude models in its workspace'],
    secret: key,
    details: { keyKind: kind },
    remediation: ['Revoke: disable the key in the Anthropic Console (API keys).', 'Investigate: the Console usage page for unexpected spend.'],
  });
}

/** Hugging Face: high — read or write is not visible offline, and write tokens can replace model files. */
export function analyzeHuggingfaceToken(match: MatchInput, _ctx: AnalysisContext): Analysis | null {
  const token = match.groups['secret'];
  if (!token) return null;
  const body = token.replace(/^(?:hf_|api_org_)/, '');
  if (placeholderLike(token, body) || shannonEntropy(body) < 3.8 || !/[A-Z]/.test(body) || !/[a-z]/.test(body)) return example('huggingface-token', token, 'placeholder token');
  const org = token.startsWith('api_org_');
  return credential({
    rule: 'huggingface-token',
    title: org ? 'Hugging Face organization API token (legacy)' : 'Hugging Face access token',
    severity: 'high',
    reasons: [
      `${org ? 'legacy organization token' : 'user access token'}: reads private models and datasets of its owner; a write or fine-grained token can also push model files others download`,
    ],
    secret: token,
    details: { tokenType: org ? 'org-api-token' : 'user-access-token' },
    remediation: ['Revoke: huggingface.co → Settings → Access Tokens → invalidate and refresh.', 'Investigate: recent commits to the owner\'s models and datasets.'],
  });
}

/** Twilio: high (messaging and calls billed to the account; auth tokens are account-wide). */
export function analyzeTwilioKey(match: MatchInput, _ctx: AnalysisContext): Analysis | null {
  const sid = match.groups['sid'] ?? match.groups['sidAfter'] ?? match.groups['callSid'];
  const secret = match.groups['secret'] ?? match.groups['secretFirst'] ?? match.groups['callSecret'];
  if (!sid || !secret) return null;
  if (placeholderLike(secret, secret) || shannonEntropy(secret) < 3.3) return example('twilio-key', secret, 'placeholder secret');
  const apiKey = sid.startsWith('SK');
  return credential({
    rule: 'twilio-key',
    title: apiKey ? 'Twilio API key and secret' : 'Twilio account SID and auth token',
    severity: 'high',
    reasons: [apiKey ? 'API key with its secret: REST API access to the account (messages, calls, recordings)' : 'account auth token: full access to the Twilio account'],
    secret: `${sid}:${secret}`,
    raw: `${sid} ${secret}`,
    redacted: `${sid} ${secret.slice(0, 4)}…`,
    details: { sid, sidType: apiKey ? 'api-key' : 'account' },
    remediation: [apiKey ? 'Revoke: delete the API key in the Twilio Console.' : 'Revoke: rotate the auth token (Console → Account → API keys & tokens → secondary token, then promote).'],
  });
}

/** SendGrid: high (mail as the account's verified senders). */
export function analyzeSendgridKey(match: MatchInput, _ctx: AnalysisContext): Analysis | null {
  const key = match.groups['secret'];
  if (!key) return null;
  const [, id = '', secret = ''] = key.split('.');
  if (placeholderLike(key, secret) || shannonEntropy(secret) < 4) return example('sendgrid-key', key, 'placeholder key');
  return credential({
    rule: 'sendgrid-key',
    title: 'SendGrid API key',
    severity: 'high',
    reasons: ['SendGrid API key: sends mail as the account\'s verified senders (phishing from a trusted domain); full-access keys also read contacts'],
    secret: key,
    redacted: `SG.${id}.…`,
    details: { keyId: id },
    remediation: ['Revoke: delete the key in SendGrid (Settings → API Keys).', 'Investigate: the e-mail activity feed for unexpected sends.'],
  });
}
