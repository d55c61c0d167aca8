import { tokenFor } from './credentials.js';
import { SourceError, type ListContext, type ListedRepo, type Listing } from './types.js';

/**
 * The git repositories of an Azure DevOps project (`ORG/PROJECT`), or of every project of an
 * organisation (`ORG`), through the Azure DevOps REST API (api-version 7.1); Azure DevOps
 * Server through --api-url.
 */
const API_VERSION = '7.1';

export async function listAzureDevOps(target: string, ctx: ListContext): Promise<Listing> {
  const [org, project] = target.split('/', 2) as [string, string | undefined];
  if (!org) throw new SourceError('azure-devops:ORG/PROJECT (or azure-devops:ORG for every project)');
  const base = `${(ctx.apiUrl ?? ctx.env['AZURE_DEVOPS_URL'] ?? 'https://dev.azure.com').replace(/\/+$/, '')}/${encodeURIComponent(org)}`;
  const token = tokenFor('azure-devops', ctx.env);
  const headers: Record<string, string> = { accept: 'application/json' };
  if (token) headers['authorization'] = `Basic ${Buffer.from(`:${token}`).toString('base64')}`;
  const get = async <T>(url: string): Promise<{ body: T; continuation: string | null }> => {
    const res = await ctx.rate.fetch(url, { headers });
    if (!res.ok) throw new SourceError(`Azure DevOps: ${url.replace(/\?.*$/, '')}: ${res.status} ${(await res.text().catch(() => '')).slice(0, 200)}`);
    return { body: (await res.json()) as T, continuation: res.headers.get('x-ms-continuationtoken') };
  };
  const projects: { name: string; visibility?: string }[] = [];
  if (project) projects.push({ name: project });
  else {
    let token: string | null = null;
    do {
      const url = `${base}/_apis/projects?api-version=${API_VERSION}&$top=100${token ? `&continuationToken=${encodeURIComponent(token)}` : ''}`;
      const page: { body: { value: { name: string; visibility?: string }[] }; continuation: string | null } = await get(url);
      for (const p of page.body.value) projects.push(p);
      token = page.continuation;
    } while (token);
  }
  const repos: ListedRepo[] = [];
  const notices: string[] = [];
  for (const p of projects) {
    const { body } = await get<{ value: AdoRepo[] }>(`${base}/${encodeURIComponent(p.name)}/_apis/git/repositories?api-version=${API_VERSION}`);
    for (const r of body.value) {
      if (r.isDisabled) {
        notices.push(`${org}/${p.name}/${r.name}: disabled repository, not scanned`);
        continue;
      }
      repos.push({
        url: r.remoteUrl,
        source: 'azure-devops',
        owner: `${org}/${p.name}`,
        name: `${org}/${p.name}/${r.name}`,
        defaultBranch: r.defaultBranch ? r.defaultBranch.replace(/^refs\/heads\//, '') : null,
        visibility: r.project?.visibility ?? p.visibility ?? null,
        archived: false,
        fork: Boolean(r.isFork),
        sizeKb: typeof r.size === 'number' ? Math.ceil(r.size / 1024) : null,
      });
    }
  }
  return { repos, notices };
}

interface AdoRepo {
  name: string;
  remoteUrl: string;
  defaultBranch?: string;
  size?: number;
  isDisabled?: boolean;
  isFork?: boolean;
  project?: { visibility?: string };
}
