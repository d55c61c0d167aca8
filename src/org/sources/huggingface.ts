import { listDatasets, listModels, listSpaces } from '@huggingface/hub';
import { tokenFor } from './credentials.js';
import { SourceError, type ListContext, type ListedRepo, type Listing } from './types.js';

/**
 * The models, datasets and spaces of a Hugging Face organisation (or user), through
 * @huggingface/hub; each is a git repository ({hub}/NAME, {hub}/datasets/NAME, {hub}/spaces/NAME).
 */
export async function listHuggingFace(org: string, ctx: ListContext): Promise<Listing> {
  const hubUrl = (ctx.apiUrl ?? ctx.env['HF_ENDPOINT'] ?? 'https://huggingface.co').replace(/\/+$/, '');
  const token = tokenFor('hf', ctx.env);
  const common = { search: { owner: org }, hubUrl, fetch: ctx.rate.fetch, ...(token ? { accessToken: token } : {}) };
  const repos: ListedRepo[] = [];
  const add = (kind: 'model' | 'dataset' | 'space', name: string, priv: boolean | undefined, updated: Date | undefined) =>
    repos.push({
      url: `${hubUrl}/${kind === 'model' ? '' : `${kind}s/`}${name}`,
      source: 'hf',
      owner: org,
      name: kind === 'model' ? name : `${kind}s/${name}`,
      defaultBranch: 'main',
      visibility: priv ? 'private' : 'public',
      archived: false,
      fork: false,
      sizeKb: null,
      pushedAt: updated && !Number.isNaN(updated.getTime()) ? updated.toISOString() : null,
    });
  try {
    for await (const m of listModels(common)) add('model', m.name, m.private, m.updatedAt);
    for await (const d of listDatasets(common)) add('dataset', d.name, d.private, d.updatedAt);
    for await (const s of listSpaces(common)) add('space', s.name, s.private, s.updatedAt);
  } catch (e) {
    throw new SourceError(`Hugging Face: cannot list the repositories of ${org}: ${e instanceof Error ? e.message : String(e)}`);
  }
  return { repos, notices: [] };
}
