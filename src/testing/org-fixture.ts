import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { sasQuery } from './tokens.js';

/**
 * Organisations of generated repositories for the org tests and the benchmark: bare
 * repositories written with `git fast-import` (thousands of commits in a moment), and links
 * planted in them whose storage account names which plant each one is.
 */
export interface FixtureCommit {
  message: string;
  /** ISO date (author and committer). */
  date: string;
  /** Path → new content, or null to delete it. */
  files: Record<string, string | Buffer | null>;
}

/** A container SAS valid until 2040 whose account (`acct<seed>`) identifies the plant. */
export function plantedLink(seed: string, expiry = '2040-01-01T00:00:00Z'): string {
  const account = accountOf(seed);
  return `https://${account}.blob.core.windows.net/data?${sasQuery({ sv: '2021-08-06', sr: 'c', sp: 'rl', se: expiry, spr: 'https' }, `plant-${seed}`)}`;
}

export function accountOf(seed: string): string {
  return `acct${seed.toLowerCase().replace(/[^a-z0-9]/g, '')}`.slice(0, 24);
}

const ENV = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };

/** A new bare repository (default branch main) holding these commits on main. */
export function writeRepo(bareDir: string, commits: readonly FixtureCommit[]): void {
  mkdirSync(path.dirname(bareDir), { recursive: true });
  execFileSync('git', ['init', '-q', '--bare', '-b', 'main', bareDir], { env: ENV });
  if (commits.length) importCommits(bareDir, commits, null);
}

/** More commits on a branch (main by default), starting from `from` or the branch's tip; returns the new tip. */
export function appendCommits(bareDir: string, commits: readonly FixtureCommit[], branch = 'main', from?: string): string {
  const start = from ?? execFileSync('git', ['-C', bareDir, 'rev-parse', `refs/heads/${branch}`], { env: ENV, encoding: 'utf8' }).trim();
  importCommits(bareDir, commits, start, branch);
  return execFileSync('git', ['-C', bareDir, 'rev-parse', `refs/heads/${branch}`], { env: ENV, encoding: 'utf8' }).trim();
}

function importCommits(bareDir: string, commits: readonly FixtureCommit[], from: string | null, branch = 'main'): void {
  const parts: Buffer[] = [];
  const text = (s: string) => parts.push(Buffer.from(s, 'utf8'));
  const data = (b: Buffer) => {
    text(`data ${b.length}\n`);
    parts.push(b);
    text('\n');
  };
  commits.forEach((c, i) => {
    const when = `${Math.floor(Date.parse(c.date) / 1000)} +0000`;
    text(`commit refs/heads/${branch}\nmark :${i + 1}\nauthor Alice <alice@example.org> ${when}\ncommitter Alice <alice@example.org> ${when}\n`);
    data(Buffer.from(c.message, 'utf8'));
    if (i > 0) text(`from :${i}\n`);
    else if (from) text(`from ${from}\n`);
    for (const [p, content] of Object.entries(c.files)) {
      if (content === null) text(`D ${p}\n`);
      else {
        text(`M 100644 inline ${p}\n`);
        data(Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8'));
      }
    }
    text('\n');
  });
  execFileSync('git', ['-C', bareDir, 'fast-import', '--quiet', '--force'], { input: Buffer.concat(parts), env: ENV });
}

/** The n-th hour after 2020-01-01, as an ISO date (commit dates that sort as they were made). */
export function fixtureDate(n: number): string {
  return new Date(Date.UTC(2020, 0, 1) + n * 3_600_000).toISOString().replace('.000Z', 'Z');
}
