import { lstatSync, readdirSync, realpathSync, statSync, type Dirent } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import picomatch from 'picomatch';
import { gitignoreRules } from './gitignore.js';
import { joinShown, relativeToRoot } from './root.js';
import type { FileItem, Notice } from './types.js';

/**
 * Walks the scan targets — files, directories, glob patterns — and yields the files to scan.
 * Skips `.git/` internals, excluded paths, special files, and symlinks unless asked to follow
 * them (then without loops); every skip is reported as a notice.
 */
export interface WalkOptions {
  exclude: string[];
  /** When non-empty, only files whose path matches one of these globs are scanned. */
  include?: string[];
  followSymlinks: boolean;
  /** 0 = no limit. */
  maxFileSize: number;
  /** Prefix paths with their target even when walking one target (it is one of several in the scan). */
  alwaysPrefix?: boolean;
  /**
   * Report paths relative to this directory (absolute, resolved: sources/root.ts) whatever
   * the targets were; without it, relative to the one target, or prefixed with each target.
   */
  root?: string;
  /**
   * Leave the size of files found in directories unmeasured (-1), sparing a stat call per
   * file: the reader then applies maxFileSize (see pipeline/blob-scanner.ts, tooLarge).
   */
  deferSize?: boolean;
  /** Filled with the --exclude patterns that matched something. */
  excludeHits?: Set<string>;
  /** Absolute paths never scanned: the files this run writes (its report, its baseline). */
  skipFiles?: ReadonlySet<string>;
  /** Leave out what git ignores (.gitignore files, info/exclude, the global excludes file). */
  gitignore?: boolean;
}

export interface WalkSink {
  notice(n: Notice): void;
}

export async function* walkTargets(targets: readonly string[], opts: WalkOptions, sink: WalkSink): AsyncGenerator<FileItem> {
  const excluded = excludeMatcher(opts.exclude, includeMatcher(opts.include ?? []), opts.excludeHits);
  const singleRoot = targets.length === 1 && !opts.alwaysPrefix ? targets[0]! : null;
  for (const target of targets) {
    const glob = picomatch.scan(target);
    if (glob.isGlob) {
      yield* walkGlob(target, glob.base || '.', opts, excluded, sink);
      continue;
    }
    let st;
    try {
      st = await stat(target);
    } catch (e) {
      sink.notice({ level: 'warning', path: target, skipped: 'not-found', message: `cannot scan ${target}: ${errorText(e)}` });
      continue;
    }
    if (st.isDirectory()) {
      const real = await realpath(target);
      const base = opts.root !== undefined ? relativeToRoot(opts.root, real) : null;
      const display = (rel: string) => (base !== null ? joinShown(base, rel) : singleRoot ? rel : toPosix(path.join(target, rel)));
      yield* walkDir(target, '', display, { ...opts, ignored: await ignoredTest(real, opts) }, excluded, sink, new Set([real]));
    } else if (st.isFile()) {
      const shown = opts.root !== undefined ? relativeToRoot(opts.root, await realpath(target)) : toPosix(path.normalize(target));
      if (opts.skipFiles?.has(path.resolve(target))) {
        sink.notice(ownOutputNotice(shown));
        continue;
      }
      const item = fileItem(shown, target, st.size, opts, sink);
      if (item) yield item;
    } else {
      sink.notice({ level: 'info', path: target, skipped: 'special-file', message: 'not a regular file' });
    }
  }
}

async function* walkGlob(pattern: string, base: string, opts: WalkOptions, excluded: Matcher, sink: WalkSink): AsyncGenerator<FileItem> {
  // the pattern is matched against paths as typed (relative to base), then shown from the root
  const isMatch = picomatch(toPosix(path.normalize(pattern)), { dot: true });
  const typed = (rel: string) => toPosix(path.join(base, rel));
  let real: string;
  try {
    real = await realpath(base);
  } catch (e) {
    sink.notice({ level: 'warning', path: base, skipped: 'not-found', message: `cannot scan ${base}: ${errorText(e)}` });
    return;
  }
  const rootBase = opts.root !== undefined ? relativeToRoot(opts.root, real) : null;
  const display = (rel: string) => (rootBase !== null ? joinShown(rootBase, rel) : typed(rel));
  yield* walkDir(base, '', display, { ...opts, ignored: await ignoredTest(real, opts) }, excluded, sink, new Set([real]), (rel) => isMatch(typed(rel)));
}

type Matcher = (relPath: string, isDir: boolean) => boolean;

/** Options of one directory walk: the walk's, plus the gitignore test of that directory (relative path → ignored). */
type DirWalkOptions = WalkOptions & { ignored?: Matcher | null };

async function ignoredTest(realDir: string, opts: WalkOptions): Promise<Matcher | null> {
  if (!opts.gitignore) return null;
  return (await gitignoreRules(realDir)).under(realDir);
}

/**
 * `--exclude` patterns: globs against the path relative to the root; a bare name matches at any
 * depth. Patterns that matched are added to `hits` (a pattern that never matches is worth a warning).
 */
function excludeMatcher(patterns: readonly string[], included: (rel: string) => boolean, hits?: Set<string>): Matcher {
  const matchers = patterns.map(globMatcher);
  return (rel, isDir) => {
    let out = false;
    for (let i = 0; i < matchers.length; i++) {
      if (out && (!hits || hits.has(patterns[i]!))) continue;
      if (matchers[i]!(rel)) {
        out = true;
        hits?.add(patterns[i]!);
      }
    }
    return out || (!isDir && !included(rel));
  };
}

/** `include` patterns (configuration): files must match one; directories are always walked. */
function includeMatcher(patterns: readonly string[]): (rel: string) => boolean {
  if (!patterns.length) return () => true;
  const matchers = patterns.map(globMatcher);
  return (rel) => matchers.some((m) => m(rel));
}

export function globMatcher(p: string): (rel: string) => boolean {
  const clean = p.replace(/\/+$/, '');
  const anywhere = !clean.includes('/');
  const m = picomatch(anywhere ? `**/${clean}` : clean.replace(/^\.\//, ''), { dot: true });
  // a directory pattern also covers everything below it
  const below = picomatch(`${anywhere ? `**/${clean}` : clean.replace(/^\.\//, '')}/**`, { dot: true });
  return (rel) => m(rel) || below(rel);
}

/**
 * Directories are listed with their entries' types (no stat per entry) and synchronously:
 * a stat per file through the thread pool cost more than the scan of a small file. A plain
 * generator: each level of an asynchronous one cost every file a promise more.
 */
function* walkDir(
  root: string,
  rel: string,
  display: (rel: string) => string,
  opts: DirWalkOptions,
  excluded: Matcher,
  sink: WalkSink,
  visited: Set<string>,
  wanted: (rel: string) => boolean = () => true,
): Generator<FileItem> {
  const dirPath = path.join(root, rel);
  // path.join(root, childRel) for names from a listing (no `.`, `..` or separators in them):
  // the root's own normalization, computed once per directory (a join per file cost more
  // than the rest of the walk's work on it)
  const prefix = path.join(dirPath, 'x').slice(0, -1);
  // --exclude and include globs match the path as reported (from the scan root) when there is one
  const matchPath = (childRel: string, shown: string) => (opts.root !== undefined ? shown : toPosix(childRel));
  let entries: Dirent[];
  try {
    entries = readdirSync(dirPath, { withFileTypes: true });
  } catch (e) {
    sink.notice({ level: 'warning', path: display(rel) || '.', skipped: 'unreadable', message: `cannot list directory: ${errorText(e)}` });
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const name = entry.name;
    const childRel = rel ? `${rel}/${name}` : name;
    const fsPath = prefix + name;
    const shown = display(childRel);
    let type = entryType(entry);
    let size = -1;
    if (type === 'unknown' || (type === 'file' && !opts.deferSize)) {
      try {
        const st = lstatSync(fsPath);
        type = st.isSymbolicLink() ? 'symlink' : st.isDirectory() ? 'dir' : st.isFile() ? 'file' : 'special';
        size = st.size;
      } catch (e) {
        sink.notice({ level: 'warning', path: shown, skipped: 'unreadable', message: errorText(e) });
        continue;
      }
    }
    if (type === 'symlink') {
      if (!opts.followSymlinks) {
        sink.notice({ level: 'info', path: shown, skipped: 'symlink', message: 'symbolic link not followed (use --follow-symlinks)' });
        continue;
      }
      try {
        const st = statSync(fsPath);
        type = st.isDirectory() ? 'dir' : st.isFile() ? 'file' : 'special';
        size = st.size;
      } catch (e) {
        sink.notice({ level: 'warning', path: shown, skipped: 'unreadable', message: `broken symbolic link: ${errorText(e)}` });
        continue;
      }
    }
    if (type === 'dir') {
      if (name === '.git') {
        // not a skip: git's objects are read as history, never as files (no "1 excluded")
        sink.notice({ level: 'info', path: shown, message: 'git internals are not scanned as files (history is scanned from the repository)' });
        continue;
      }
      if (excluded(matchPath(childRel, shown), true)) {
        sink.notice({ level: 'info', path: shown, skipped: 'excluded', message: 'directory excluded (--exclude or configuration)' });
        continue;
      }
      if (opts.ignored?.(childRel, true)) {
        sink.notice(gitignoredNotice(shown, true));
        continue;
      }
      // a loop needs a followed symbolic link: without them a listed directory is new, and
      // resolving every directory's path (a stat per component) cost more than the walk
      let real = fsPath;
      if (opts.followSymlinks) {
        try {
          real = realpathSync(fsPath);
        } catch {
          // keep the path as listed
        }
      }
      if (visited.has(real)) {
        sink.notice({ level: 'warning', path: shown, skipped: 'symlink-loop', message: 'directory already visited (symbolic link loop), not scanned again' });
        continue;
      }
      visited.add(real);
      yield* walkDir(root, childRel, display, opts, excluded, sink, visited, wanted);
      visited.delete(real);
    } else if (type === 'file') {
      if (!wanted(childRel)) continue;
      // resolving every file's path cost more than the rest of the walk's work on it
      if (opts.skipFiles?.size && isSkipped(opts.skipFiles, name, fsPath)) {
        sink.notice(ownOutputNotice(shown));
        continue;
      }
      if (excluded(matchPath(childRel, shown), false)) {
        sink.notice({ level: 'info', path: shown, skipped: 'excluded', message: 'excluded (--exclude, or not matched by the configured include)' });
        continue;
      }
      if (opts.ignored?.(childRel, false)) {
        sink.notice(gitignoredNotice(shown, false));
        continue;
      }
      const item = size < 0 ? { kind: 'file' as const, path: shown, fsPath, size } : fileItem(shown, fsPath, size, opts, sink);
      if (item) yield item;
    } else {
      sink.notice({ level: 'info', path: shown, skipped: 'special-file', message: 'not a regular file (socket, FIFO or device)' });
    }
  }
}

/** Whether the file is one of `skip` (absolute paths): its name is compared before its path is resolved. */
function isSkipped(skip: ReadonlySet<string>, name: string, fsPath: string): boolean {
  for (const f of skip) if (path.basename(f) === name) return skip.has(path.resolve(fsPath));
  return false;
}

function gitignoredNotice(shown: string, dir: boolean): Notice {
  return { level: 'info', path: shown, skipped: 'gitignored', message: `${dir ? 'directory ' : ''}ignored by git (.gitignore, info/exclude or the global excludes file); --no-respect-gitignore scans it` };
}

/** The report or baseline this very run writes: reading it back would report the findings again. */
function ownOutputNotice(shown: string): Notice {
  return { level: 'info', path: shown, skipped: 'excluded', message: 'written by this run (its --output), not scanned' };
}

function entryType(d: Dirent): 'file' | 'dir' | 'symlink' | 'special' | 'unknown' {
  if (d.isFile()) return 'file';
  if (d.isDirectory()) return 'dir';
  if (d.isSymbolicLink()) return 'symlink';
  if (d.isFIFO() || d.isSocket() || d.isCharacterDevice() || d.isBlockDevice()) return 'special';
  return 'unknown';
}

function fileItem(shown: string, fsPath: string, size: number, opts: WalkOptions, sink: WalkSink): FileItem | null {
  const over = tooLargeNotice(shown, size, opts.maxFileSize);
  if (over) {
    sink.notice(over);
    return null;
  }
  return { kind: 'file', path: shown, fsPath, size };
}

/** The notice for a file over --max-file-size (0 = no limit), or null. */
export function tooLargeNotice(shown: string, size: number, maxFileSize: number): Notice | null {
  if (maxFileSize <= 0 || size <= maxFileSize) return null;
  return { level: 'warning', path: shown, skipped: 'too-large', message: `${size} bytes is over the ${maxFileSize}-byte limit (--max-file-size)` };
}

function toPosix(p: string): string {
  return path.sep === '/' ? p : p.split(path.sep).join('/');
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message.replace(/^[A-Z]+: /, '') : String(e);
}

/**
 * `--exclude` for a path the walk never reached (a file in git history): excluded when the
 * walk would have skipped it, or skipped a directory above it.
 */
export function excludedPathTest(patterns: readonly string[], include: readonly string[] = [], hits?: Set<string>): (relPath: string) => boolean {
  if (!patterns.length && !include.length) return () => false;
  const excluded = excludeMatcher(patterns, includeMatcher(include), hits);
  const dirs = new Map<string, boolean>();
  return (rel) => {
    const parts = rel.split('/');
    let dir = '';
    for (let i = 0; i < parts.length - 1; i++) {
      dir = dir ? `${dir}/${parts[i]}` : parts[i]!;
      let hit = dirs.get(dir);
      if (hit === undefined) dirs.set(dir, (hit = excluded(dir, true)));
      if (hit) return true;
    }
    return excluded(rel, false);
  };
}
