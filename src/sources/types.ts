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
  | 'not-found';

export interface Notice {
  level: 'warning' | 'info';
  path: string;
  /** Set when the file was not scanned (or only partly). */
  skipped?: SkipReason;
  message: string;
}
