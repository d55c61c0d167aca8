import { listAzureDevOps } from './azure-devops.js';
import { listReposFile } from './list-file.js';
import { SourceError, type ListContext, type Listing, type OrgSpec, type SourceKind } from './types.js';

export { SourceError, type ListContext, type ListedRepo, type Listing, type OrgSpec, type SourceKind } from './types.js';

const PREFIXES: Record<string, SourceKind> = { github: 'github', gitlab: 'gitlab', 'azure-devops': 'azure-devops', ado: 'azure-devops', hf: 'hf', huggingface: 'hf' };

export const PLATFORM_NAMES: Record<SourceKind, string> = { github: 'GitHub', gitlab: 'GitLab', 'azure-devops': 'Azure DevOps', hf: 'Hugging Face', list: 'repos file' };

/** `github:ORG`, `gitlab:GROUP`, `azure-devops:ORG/PROJECT`, `hf:ORG`. */
export function parseOrgSpec(spec: string): OrgSpec {
  const m = /^([a-z-]+):(.+)$/i.exec(spec.trim());
  const source = m ? PREFIXES[m[1]!.toLowerCase()] : undefined;
  if (!m || !source || source === 'list') throw new SourceError(`${spec}: expected github:ORG, gitlab:GROUP, azure-devops:ORG/PROJECT or hf:ORG (or --repos-file FILE)`);
  return { source, target: m[2]!.replace(/^\/+|\/+$/g, '') };
}

export async function listOrg(spec: OrgSpec, ctx: ListContext): Promise<Listing> {
  switch (spec.source) {
    // the platforms' clients are loaded when their platform is asked for: every other
    // command (a pre-commit scan above all) would otherwise pay for loading them at start
    case 'github':
      return (await import('./github.js')).listGitHub(spec.target, ctx);
    case 'gitlab':
      return (await import('./gitlab.js')).listGitLab(spec.target, ctx);
    case 'azure-devops':
      return listAzureDevOps(spec.target, ctx);
    case 'hf':
      return (await import('./huggingface.js')).listHuggingFace(spec.target, ctx);
    case 'list':
      return listReposFile(spec.target);
  }
}
