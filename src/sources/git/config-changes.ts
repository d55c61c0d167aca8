import { gitResult, GitError, firstLine, nulTokens, spawnGit, exited } from './git.js';
import type { Repository } from './repo.js';

/**
 * Changes to the files that decide what sasquatch reports (its configuration and baseline),
 * with their text before and after: what the next commit changes (`staged`), or what the
 * checked-out commit changes since a base revision (a pull request's base).
 */
export interface ConfigFileChange {
  /** Path from the repository's top. */
  path: string;
  before: string | null;
  after: string | null;
}

export type ChangeRange = { staged: true } | { since: string };

export async function configFileChanges(repo: Repository, range: ChangeRange, isConfigFile: (path: string) => boolean): Promise<ConfigFileChange[]> {
  const head = await gitResult(repo.dir, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}']);
  const hasHead = head.code === 0;
  let base: string | null;
  let after: (path: string) => Promise<string | null>;
  if ('staged' in range) {
    base = hasHead ? 'HEAD' : null;
    after = (p) => show(repo, `:${p}`);
  } else {
    const r = await gitResult(repo.dir, ['rev-parse', '--verify', '--quiet', `${range.since}^{commit}`]);
    if (r.code !== 0) throw new GitError(`--config-changes-since: ${range.since} is not a commit of this repository`, ['rev-parse'], r.stderr, r.code);
    base = r.stdout.trim();
    after = (p) => show(repo, `HEAD:${p}`);
  }
  const paths = await changedPaths(repo, range, base, hasHead);
  const out: ConfigFileChange[] = [];
  for (const p of paths.filter(isConfigFile)) {
    out.push({ path: p, before: base ? await show(repo, `${base}:${p}`) : null, after: await after(p) });
  }
  return out;
}

async function changedPaths(repo: Repository, range: ChangeRange, base: string | null, hasHead: boolean): Promise<string[]> {
  const common = ['diff', '--name-only', '-z', '--no-renames', '--no-ext-diff', '--no-textconv'];
  let args: string[];
  // before the first commit, `diff --cached` lists everything staged
  if ('staged' in range) args = base ? [...common, '--cached', base] : [...common, '--cached'];
  else args = [...common, base!, hasHead ? 'HEAD' : base!];
  const proc = spawnGit(repo.dir, [...args, '--']);
  proc.stdin.end();
  const paths: string[] = [];
  for await (const tok of nulTokens(proc.stdout)) if (tok) paths.push(tok);
  const code = await exited(proc);
  if (code !== 0) throw new GitError(`git diff failed: ${firstLine(proc.stderrText()) || `exit ${code}`}`, args, proc.stderrText(), code);
  return paths;
}

/** A file's text at a revision (`HEAD:path`, `:path` for the index), or null when it is not there. */
async function show(repo: Repository, spec: string): Promise<string | null> {
  const r = await gitResult(repo.dir, ['cat-file', '-p', spec]);
  return r.code === 0 ? r.stdout : null;
}
