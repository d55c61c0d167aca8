import type { SourceKind } from './types.js';

/**
 * Tokens come from environment variables only (never flags, files or the store): the API
 * token of each platform, used both for its listing API and for git over HTTPS to it.
 */
export const TOKEN_VARIABLES: Record<Exclude<SourceKind, 'list'>, string[]> = {
  github: ['GITHUB_TOKEN', 'GH_TOKEN'],
  gitlab: ['GITLAB_TOKEN'],
  'azure-devops': ['AZURE_DEVOPS_TOKEN', 'AZURE_DEVOPS_EXT_PAT'],
  hf: ['HF_TOKEN'],
};

export function tokenFor(source: string, env: NodeJS.ProcessEnv): string | null {
  const names = TOKEN_VARIABLES[source as keyof typeof TOKEN_VARIABLES];
  if (!names) return null;
  for (const n of names) if (env[n]) return env[n]!;
  return null;
}

/** The user name each platform expects next to a token in HTTP basic authentication for git. */
const GIT_USER: Record<string, string> = { github: 'x-access-token', gitlab: 'oauth2', 'azure-devops': '', hf: 'sasquatch' };

/**
 * Git configuration that sends the token to the repository's own host only, passed through
 * GIT_CONFIG_COUNT/KEY/VALUE (so it is in no command line and no config file on disk).
 */
export function gitAuthEnv(source: string, url: string, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const token = tokenFor(source, env);
  if (!token || !/^https?:\/\//i.test(url)) return {};
  const origin = new URL(url).origin;
  const basic = Buffer.from(`${GIT_USER[source] ?? 'git'}:${token}`).toString('base64');
  return { GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: `http.${origin}/.extraHeader`, GIT_CONFIG_VALUE_0: `Authorization: Basic ${basic}` };
}
