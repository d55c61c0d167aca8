import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';

/**
 * Paths a configuration (or a file found in the scanned tree) names must stay inside the
 * repository: a checked-in configuration is written by whoever wrote the repository, and
 * `baseline: ../../.bash_profile`, or a `.sasquatch-baseline` that is a symbolic link out of
 * the tree, must not make `baseline create` write there. Paths given on the command line are
 * the user's own and go anywhere.
 */
export function repositoryRoot(start: string): string {
  let dir = path.resolve(start);
  for (;;) {
    if (existsSync(path.join(dir, '.git'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return path.resolve(start);
    dir = parent;
  }
}

/** Where a path really lands: symbolic links of the file and of its directories followed, as far as they exist. */
export function realLocation(file: string): string {
  let p = path.resolve(file);
  const rest: string[] = [];
  while (!existsSync(p)) {
    const parent = path.dirname(p);
    if (parent === p) break;
    rest.unshift(path.basename(p));
    p = parent;
  }
  try {
    p = realpathSync(p);
  } catch {
    // a dangling link: judged by its own path
  }
  return path.join(p, ...rest); // bounded: path segments
}

export function isInside(file: string, root: string): boolean {
  const real = realLocation(file);
  let base = path.resolve(root);
  try {
    base = realpathSync(base);
  } catch {
    // keep the resolved path
  }
  const rel = path.relative(base, real);
  return rel === '' || (!rel.startsWith(`..${path.sep}`) && rel !== '..' && !path.isAbsolute(rel));
}
