import { Octokit } from '@octokit/rest';
import { tokenFor } from './credentials.js';
import { SourceError, type ListContext, type ListedRepo, type Listing } from './types.js';

/**
 * Every repository of a GitHub organisation (or, when the name is a user, of that user),
 * through Octokit with pagination; GitHub Enterprise through --api-url (https://HOST/api/v3).
 */
export async function listGitHub(org: string, ctx: ListContext): Promise<Listing> {
  const token = tokenFor('github', ctx.env);
  const octokit = new Octokit({
    ...(token ? { auth: token } : {}),
    baseUrl: (ctx.apiUrl ?? ctx.env['GITHUB_API_URL'] ?? 'https://api.github.com').replace(/\/+$/, ''),
    userAgent: 'sasquatch',
    request: { fetch: ctx.rate.fetch },
    log: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
  });
  let raw: GitHubRepo[];
  const notices: string[] = [];
  try {
    raw = (await octokit.paginate(octokit.rest.repos.listForOrg, { org, type: 'all', per_page: 100 })) as GitHubRepo[];
  } catch (e) {
    if (status(e) !== 404) throw new SourceError(`GitHub: cannot list the repositories of ${org}: ${message(e)}`);
    try {
      raw = (await octokit.paginate(octokit.rest.repos.listForUser, { username: org, type: 'all', per_page: 100 })) as GitHubRepo[];
      notices.push(`${org} is a GitHub user, not an organisation: its own repositories are listed`);
    } catch (e2) {
      throw new SourceError(`GitHub: no organisation or user ${org} (${message(e2)})`);
    }
  }
  return { repos: raw.map((r) => toListed(r, org)), notices };
}

interface GitHubRepo {
  full_name: string;
  clone_url?: string;
  html_url: string;
  default_branch?: string;
  visibility?: string;
  private: boolean;
  archived?: boolean;
  fork: boolean;
  size?: number;
  pushed_at?: string | null;
}

function toListed(r: GitHubRepo, org: string): ListedRepo {
  return {
    url: r.clone_url ?? `${r.html_url}.git`,
    source: 'github',
    owner: org,
    name: r.full_name,
    defaultBranch: r.default_branch ?? null,
    visibility: r.visibility ?? (r.private ? 'private' : 'public'),
    archived: Boolean(r.archived),
    fork: r.fork,
    sizeKb: typeof r.size === 'number' ? r.size : null,
    pushedAt: r.pushed_at ?? null,
  };
}

function status(e: unknown): number | undefined {
  return (e as { status?: number }).status;
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
