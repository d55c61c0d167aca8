import type { Rule } from '../types.js';

/**
 * Docker registry credentials in `config.json` / `.dockerconfigjson` (`"auths": {"registry":
 * {"auth": "<base64 user:password>"}}`), also when the whole file is itself Base64 inside a
 * Kubernetes Secret (the base64 view decodes it first).
 */
export const dockerRegistryAuthRule: Rule = {
  id: 'docker-registry-auth',
  family: 'docker-registry-auth',
  title: 'Container registry credentials (Docker config)',
  description: 'A registry login stored in a Docker config (`auths` → `auth`): pulls and pushes images as that user — a push can replace images others deploy.',
  keywords: ['"auths"', 'auths:'],
  pattern: /"(?<registry>[^"\s]{3,200})"\s*:\s*\{\s*(?:"(?:username|password|email|identitytoken)"\s*:\s*"[^"]*"\s*,\s*)*"auth"\s*:\s*"(?<secret>[A-Za-z0-9+/]{8,}={0,2})"/g,
  window: { before: 64, after: 8192 },
  severity: 'high',
  confidence: 'high',
  analyzer: 'docker-registry-auth',
  grantSummary: 'registry host and user name (decoded from auth); the password is never shown',
  examples: [`{"auths": {"ghcr.io": {"auth": "${Buffer.from('deploy-bot:Zx8Lq2Vm7Tp4Nw').toString('base64')}"}}}`],
  negativeExamples: [`{"auths": {"registry.example.com": {"auth": "${Buffer.from('user:password').toString('base64')}"}}}`, '{"auths": {"ghcr.io": {}}, "credsStore": "desktop"}'],
};
