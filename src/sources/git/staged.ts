import { exited, firstLine, GitError, nulTokens, spawnGit } from './git.js';
import { isFileMode, type FileChange } from './log-stream.js';
import { pathspecOf } from './provenance.js';
import type { Repository } from './repo.js';

/**
 * What the next commit would change: the index against HEAD (against nothing before the
 * first commit), as old and new blob per path. This is what a pre-commit hook scans.
 */
export async function stagedChanges(repo: Repository): Promise<FileChange[]> {
  const args = ['diff', '--cached', '--raw', '-z', '--no-renames', '--no-abbrev', '--no-ext-diff', '--no-textconv', '--', ...pathspecOf(repo)];
  const proc = spawnGit(repo.dir, args);
  proc.stdin.end();
  const done = exited(proc);
  const changes: FileChange[] = [];
  let meta: string | null = null;
  for await (const tok of nulTokens(proc.stdout)) {
    if (meta === null) {
      if (tok.startsWith(':')) meta = tok;
      continue;
    }
    const [oldMode, newMode, oldId, newId] = meta.slice(1).split(' ');
    meta = null;
    changes.push({
      path: tok,
      oldMode: oldMode!,
      newMode: newMode!,
      oldBlob: isFileMode(oldMode!) && !/^0+$/.test(oldId!) ? oldId! : null,
      newBlob: isFileMode(newMode!) && !/^0+$/.test(newId!) ? newId! : null,
    });
  }
  const code = await done;
  if (code !== 0) throw new GitError(`git diff --cached failed: ${firstLine(proc.stderrText()) || `exit ${code}`}`, args, proc.stderrText(), code);
  return changes;
}
