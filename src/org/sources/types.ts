import type { RepositoryInput } from '../../store/types.js';
import type { RateLimiter } from './rate-limit.js';

/** Where an organisation's repositories are listed. */
export type SourceKind = 'github' | 'gitlab' | 'azure-devops' | 'hf' | 'list';

export interface OrgSpec {
  source: SourceKind;
  /** ORG, GROUP, ORG/PROJECT, or the repos file. */
  target: string;
}

/** A repository as a platform lists it. */
export interface ListedRepo extends RepositoryInput {
  /**
   * When the platform says it last changed (GitHub pushed_at, GitLab last_activity_at,
   * Hugging Face lastModified): planning takes an unchanged value as "no new commits"
   * without asking the remote, when it is safely older than the listing that recorded it.
   */
  pushedAt?: string | null;
}

export interface ListContext {
  /** API base URL (GitHub Enterprise: https://HOST/api/v3; self-managed GitLab; …). */
  apiUrl?: string;
  /** Tokens are read from here (the process environment) and nowhere else. */
  env: NodeJS.ProcessEnv;
  rate: RateLimiter;
}

export interface Listing {
  repos: ListedRepo[];
  notices: string[];
}

export class SourceError extends Error {}
