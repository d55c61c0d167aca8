import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { displayUrl, isRepositoryUrl } from '../../sources/git/repo.js';
import { SourceError, type ListedRepo, type Listing } from './types.js';

/**
 * A repos file: one repository per line — a clone URL (https://…, ssh://…, git@host:path,
 * file://…) or a path to a local repository (relative to the file). `#` starts a comment.
 */
export function listReposFile(file: string): Listing {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new SourceError(`cannot read ${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const repos: ListedRepo[] = [];
  const notices: string[] = [];
  const dir = path.dirname(path.resolve(file));
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/\s+#.*$/, '').replace(/^#.*$/, '').trim();
    if (!line) return;
    if (isRepositoryUrl(line)) {
      const url = withoutCredentials(line);
      if (url !== line) notices.push(`${file}:${i + 1}: credentials in a URL are not used (tokens come from environment variables): ${displayUrl(line)}`);
      repos.push({ url, source: 'list', owner: '', name: nameOf(url) });
      return;
    }
    const local = path.resolve(dir, line);
    if (!existsSync(local) || !statSync(local).isDirectory()) {
      notices.push(`${file}:${i + 1}: ${line}: not a URL and no such directory`);
      return;
    }
    repos.push({ url: pathToFileURL(local).href, source: 'list', owner: '', name: path.basename(local).replace(/\.git$/, '') });
  });
  return { repos, notices };
}

/** http(s): no user info at all (a token is often put there); ssh: the user stays, a password goes. */
function withoutCredentials(url: string): string {
  if (/^https?:\/\//i.test(url)) return url.replace(/^(https?:\/\/)[^/@\s]*@/i, '$1');
  return url.replace(/^([a-z+]+:\/\/[^/:@\s]*):[^/@\s]*@/i, '$1@');
}

/** `https://host/org/repo.git` → `org/repo`; `git@host:org/repo.git` → `org/repo`. */
function nameOf(url: string): string {
  const p = url.replace(/^[a-z+]+:\/\/[^/]*\//i, '').replace(/^[^@]+@[^:]+:/, '').replace(/\.git\/?$/, '').replace(/\/+$/, '');
  const parts = p.split('/').filter(Boolean);
  return parts.slice(-2).join('/') || url;
}
