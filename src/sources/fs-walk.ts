import { lstat, opendir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import picomatch from 'picomatch';
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
}

export interface WalkSink {
  notice(n: Notice): void;
}

export async function* walkTargets(targets: readonly string[], opts: WalkOptions, sink: WalkSink): AsyncGenerator<FileItem> {
  const excluded = excludeMatcher(opts.exclude, includeMatcher(opts.include ?? []));
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
      const display = (rel: string) => (singleRoot ? rel : toPosix(path.join(target, rel)));
      yield* walkDir(target, '', display, opts, excluded, sink, new Set([await realpath(target)]));
    } else if (st.isFile()) {
      const item = fileItem(toPosix(path.normalize(target)), target, st.size, opts, sink);
      if (item) yield item;
    } else {
      sink.notice({ level: 'info', path: target, skipped: 'special-file', message: 'not a regular file' });
    }
  }
}

async function* walkGlob(pattern: string, base: string, opts: WalkOptions, excluded: Matcher, sink: WalkSink): AsyncGenerator<FileItem> {
  const isMatch = picomatch(toPosix(path.normalize(pattern)), { dot: true });
  const display = (rel: string) => toPosix(path.join(base, rel));
  let real: string;
  try {
    real = await realpath(base);
  } catch (e) {
    sink.notice({ level: 'warning', path: base, skipped: 'not-found', message: `cannot scan ${base}: ${errorText(e)}` });
    return;
  }
  for await (const item of walkDir(base, '', display, opts, excluded, sink, new Set([real]))) {
    if (isMatch(item.path)) yield item;
  }
}

type Matcher = (relPath: string, isDir: boolean) => boolean;

/** `--exclude` patterns: globs against the path relative to the root; a bare name matches at any depth. */
function excludeMatcher(patterns: readonly string[], included: (rel: string) => boolean): Matcher {
  const matchers = patterns.map(globMatcher);
  return (rel, isDir) => matchers.some((m) => m(rel)) || (!isDir && !included(rel));
}

/** `include` patterns (configuration): files must match one; directories are always walked. */
function includeMatcher(patterns: readonly string[]): (rel: string) => boolean {
  if (!patterns.length) return () => true;
  const matchers = patterns.map(globMatcher);
  return (rel) => matchers.some((m) => m(rel));
}

function globMatcher(p: string): (rel: string) => boolean {
  const clean = p.replace(/\/+$/, '');
  const anywhere = !clean.includes('/');
  const m = picomatch(anywhere ? `**/${clean}` : clean.replace(/^\.\//, ''), { dot: true });
  // a directory pattern also covers everything below it
  const below = picomatch(`${anywhere ? `**/${clean}` : clean.replace(/^\.\//, '')}/**`, { dot: true });
  return (rel) => m(rel) || below(rel);
}

async function* walkDir(
  root: string,
  rel: string,
  display: (rel: string) => string,
  opts: WalkOptions,
  excluded: Matcher,
  sink: WalkSink,
  visited: Set<string>,
): AsyncGenerator<FileItem> {
  const dirPath = path.join(root, rel);
  let entries: string[];
  try {
    const dir = await opendir(dirPath);
    entries = [];
    for await (const d of dir) entries.push(d.name);
  } catch (e) {
    sink.notice({ level: 'warning', path: display(rel) || '.', skipped: 'unreadable', message: `cannot list directory: ${errorText(e)}` });
    return;
  }
  entries.sort();
  for (const name of entries) {
    const childRel = rel ? `${rel}/${name}` : name;
    const fsPath = path.join(root, childRel);
    const shown = display(childRel);
    let st;
    try {
      st = await lstat(fsPath);
    } catch (e) {
      sink.notice({ level: 'warning', path: shown, skipped: 'unreadable', message: errorText(e) });
      continue;
    }
    if (st.isSymbolicLink()) {
      if (!opts.followSymlinks) {
        sink.notice({ level: 'info', path: shown, skipped: 'symlink', message: 'symbolic link not followed (use --follow-symlinks)' });
        continue;
      }
      try {
        st = await stat(fsPath);
      } catch (e) {
        sink.notice({ level: 'warning', path: shown, skipped: 'unreadable', message: `broken symbolic link: ${errorText(e)}` });
        continue;
      }
    }
    if (st.isDirectory()) {
      if (name === '.git') {
        sink.notice({ level: 'info', path: shown, skipped: 'excluded', message: 'git internals are not scanned as files (history is scanned from the repository)' });
        continue;
      }
      if (excluded(toPosix(childRel), true)) {
        sink.notice({ level: 'info', path: shown, skipped: 'excluded', message: 'directory excluded (--exclude or configuration)' });
        continue;
      }
      const real = await realpath(fsPath).catch(() => fsPath);
      if (visited.has(real)) {
        sink.notice({ level: 'warning', path: shown, skipped: 'symlink-loop', message: 'directory already visited (symbolic link loop), not scanned again' });
        continue;
      }
      visited.add(real);
      yield* walkDir(root, childRel, display, opts, excluded, sink, visited);
      visited.delete(real);
    } else if (st.isFile()) {
      if (excluded(toPosix(childRel), false)) {
        sink.notice({ level: 'info', path: shown, skipped: 'excluded', message: 'excluded (--exclude, or not matched by the configured include)' });
        continue;
      }
      const item = fileItem(shown, fsPath, st.size, opts, sink);
      if (item) yield item;
    } else {
      sink.notice({ level: 'info', path: shown, skipped: 'special-file', message: 'not a regular file (socket, FIFO or device)' });
    }
  }
}

function fileItem(shown: string, fsPath: string, size: number, opts: WalkOptions, sink: WalkSink): FileItem | null {
  if (opts.maxFileSize > 0 && size > opts.maxFileSize) {
    sink.notice({ level: 'warning', path: shown, skipped: 'too-large', message: `${size} bytes is over the ${opts.maxFileSize}-byte limit (--max-file-size)` });
    return null;
  }
  return { kind: 'file', path: shown, fsPath, size };
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message.replace(/^[A-Z]+: /, '') : String(e);
}

/**
 * `--exclude` for a path the walk never reached (a file in git history): excluded when the
 * walk would have skipped it, or skipped a directory above it.
 */
export function excludedPathTest(patterns: readonly string[], include: readonly string[] = []): (relPath: string) => boolean {
  if (!patterns.length && !include.length) return () => false;
  const excluded = excludeMatcher(patterns, includeMatcher(include));
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
