import { Gitlab } from '@gitbeaker/rest';
import { createRequesterFn } from '@gitbeaker/requester-utils';
import { tokenFor } from './credentials.js';
import { SourceError, type ListContext, type ListedRepo, type Listing } from './types.js';

/**
 * Every project of a GitLab group and its subgroups, through gitbeaker, on gitlab.com or a
 * self-managed instance (--api-url https://gitlab.example.com). gitbeaker's requests go
 * through the rate-limit-aware fetch (its own requester plumbing, our fetch underneath).
 */
export async function listGitLab(group: string, ctx: ListContext): Promise<Listing> {
  const token = tokenFor('gitlab', ctx.env);
  const host = (ctx.apiUrl ?? ctx.env['GITLAB_URL'] ?? 'https://gitlab.com').replace(/\/+$/, '').replace(/\/api\/v4$/, '');
  const api = new Gitlab({ host, ...(token ? { token } : { token: '' }), requesterFn: requesterFor(ctx), rateLimits: {} } as ConstructorParameters<typeof Gitlab>[0]);
  let projects: GitLabProject[];
  try {
    projects = (await api.Groups.allProjects(group, { includeSubgroups: true, perPage: 100, statistics: true } as never)) as unknown as GitLabProject[];
  } catch (e) {
    throw new SourceError(`GitLab: cannot list the projects of ${group}: ${e instanceof Error ? e.message : String(e)}`);
  }
  return { repos: projects.map((p) => toListed(p, group)), notices: [] };
}

interface GitLabProject {
  path_with_namespace: string;
  http_url_to_repo: string;
  default_branch?: string | null;
  visibility?: string;
  archived?: boolean;
  forked_from_project?: unknown;
  statistics?: { repository_size?: number };
  last_activity_at?: string;
}

function toListed(p: GitLabProject, group: string): ListedRepo {
  const bytes = p.statistics?.repository_size;
  return {
    url: p.http_url_to_repo,
    source: 'gitlab',
    owner: group,
    name: p.path_with_namespace,
    defaultBranch: p.default_branch ?? null,
    visibility: p.visibility ?? null,
    archived: Boolean(p.archived),
    fork: Boolean(p.forked_from_project),
    sizeKb: typeof bytes === 'number' ? Math.ceil(bytes / 1024) : null,
    pushedAt: p.last_activity_at ?? null,
  };
}

interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string | FormData;
  prefixUrl?: string;
  searchParams?: string;
  asStream?: boolean;
  signal?: AbortSignal;
}

function requesterFor(ctx: ListContext) {
  return createRequesterFn(
    (_service: unknown, opts: unknown) => Promise.resolve(opts as RequestOptions),
    async (endpoint: string, raw?: Record<string, unknown>) => {
      const options = (raw ?? {}) as RequestOptions;
      const base = options.prefixUrl ? (options.prefixUrl.endsWith('/') ? options.prefixUrl : `${options.prefixUrl}/`) : undefined;
      const url = new URL(endpoint, base);
      url.search = options.searchParams ?? '';
      const res = await ctx.rate.fetch(url, { method: options.method ?? 'GET', headers: options.headers ?? {}, ...(options.body ? { body: options.body } : {}), ...(options.signal ? { signal: options.signal } : {}) });
      const headers = Object.fromEntries(res.headers.entries());
      if (!res.ok) {
        const text = await res.text().catch(() => '');
        let description = text;
        try {
          const j = JSON.parse(text) as { message?: unknown; error?: unknown };
          description = String(j.message ?? j.error ?? text);
        } catch {
          // not JSON
        }
        throw new Error(`${res.status} ${description || res.statusText}`.trim());
      }
      const type = (res.headers.get('content-type') ?? '').split(';')[0]!.trim();
      const body = res.status === 204 ? null : type === 'application/json' ? await res.json() : await res.text();
      return { body: body as never, headers, status: res.status };
    },
  ) as never;
}
