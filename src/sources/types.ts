/**
 * What the sources stage hands on: a blob of bytes (or a file to read) with where it came
 * from, and notices about what was not scanned and why. Nothing is skipped silently.
 */
export interface FileItem {
  kind: 'file';
  /** Path as reported: relative to the scan root, `/`-separated. */
  path: string;
  /** Where to read it. */
  fsPath: string;
  size: number;
}

export interface BytesItem {
  kind: 'bytes';
  path: string;
  bytes: Buffer;
  /** Set for blobs from git history (filled in by the history source). */
  blobId?: string;
}

export type SourceItem = FileItem | BytesItem;

/**
 * Why something was not scanned (or only partly). Two kinds, kept apart in every report:
 *  - skipped by choice — binary, too-large, symlink, symlink-loop, excluded, special-file,
 *    archive-limit: a rule or limit said so; counted and listed, not an error;
 *  - could not be scanned — unreadable, decode-error, archive-cut, internal-error,
 *    not-found: an error; the scan is incomplete (SCAN_ERRORS, couldNotScan), reports say
 *    so and `--fail-on-skip` exits 2.
 */
export type SkipReason =
  | 'binary'
  | 'too-large'
  | 'unreadable'
  | 'symlink'
  | 'symlink-loop'
  | 'excluded'
  /** Left out as git leaves it out (--respect-gitignore, the default for files on disk): by choice. */
  | 'gitignored'
  | 'special-file'
  | 'archive-limit'
  | 'decode-error'
  /** An archive (or member) cut short or damaged: what could be read was scanned, the rest was lost. */
  | 'archive-cut'
  /** The scanner itself failed on this input (a bug): the error is caught per file, member and blob. */
  | 'internal-error'
  | 'not-found';

export interface Notice {
  level: 'warning' | 'info';
  path: string;
  /** Set when the file was not scanned (or only partly). */
  skipped?: SkipReason;
  message: string;
  /** How many items this notice stands for (one notice for 40 binary blobs in history); default 1. */
  count?: number;
}

/** The reasons that mean "could not be scanned": an error, not a choice. */
export const SCAN_ERRORS: ReadonlySet<SkipReason> = new Set<SkipReason>(['unreadable', 'decode-error', 'archive-cut', 'internal-error', 'not-found']);

/** True for a notice saying something could not be scanned (what `--fail-on-skip` acts on). */
export function couldNotScan(n: Pick<Notice, 'skipped'>): boolean {
  return n.skipped !== undefined && SCAN_ERRORS.has(n.skipped);
}

/** A notice for an error caught while scanning one file, member or blob: an fs error is `unreadable`, anything else an internal error. */
export function errorNotice(path: string, e: unknown, doing = 'scan'): Notice {
  const message = e instanceof Error ? e.message.split('\n')[0]! : String(e);
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return { level: 'warning', path, skipped: 'unreadable', message: `cannot read: ${message}` };
  return { level: 'warning', path, skipped: 'internal-error', message: `could not ${doing}: internal error (${e instanceof Error ? e.name : 'error'}: ${message}); nothing of it was reported` };
}
