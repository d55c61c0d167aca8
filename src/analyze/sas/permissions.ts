/**
 * SAS permission letters → words. The same letter means different things per resource
 * (`p` is "process" on queues and account SAS, "set permissions" on ADLS blobs), so each
 * context has its own table. Facts: Microsoft REST reference, see shared/reference §1.4.
 */
export type PermissionContext = 'account' | 'blob' | 'container' | 'directory' | 'file' | 'share' | 'queue' | 'table';

const WORDS: Record<string, string> = {
  r: 'read', w: 'write', d: 'delete', x: 'delete-version', y: 'permanent-delete', l: 'list', a: 'add', c: 'create',
  u: 'update', t: 'tag', f: 'filter', i: 'immutability', m: 'move', e: 'execute', o: 'ownership',
};

/** Letters valid in each context, in the service's canonical order. */
export const VALID_LETTERS: Record<PermissionContext, string> = {
  account: 'rwdxylacuptfi',
  container: 'racwdxyltfmeopi',
  directory: 'racwdxyltfmeopi',
  blob: 'racwdxyltmeopi',
  file: 'rcwd',
  share: 'rcwdl',
  queue: 'raup',
  table: 'raud',
};

/** First signed version that defines a letter (per context family); older tokens get a note. */
const SINCE: Record<string, { version: string; contexts: PermissionContext[] }> = {
  x: { version: '2019-12-12', contexts: ['account', 'blob', 'container', 'directory'] },
  t: { version: '2019-12-12', contexts: ['account', 'blob', 'container', 'directory'] },
  f: { version: '2019-12-12', contexts: ['account', 'container', 'directory'] },
  y: { version: '2020-02-10', contexts: ['account', 'blob', 'container', 'directory'] },
  m: { version: '2020-02-10', contexts: ['blob', 'container', 'directory'] },
  e: { version: '2020-02-10', contexts: ['blob', 'container', 'directory'] },
  o: { version: '2020-02-10', contexts: ['blob', 'container', 'directory'] },
  i: { version: '2020-06-12', contexts: ['account', 'blob', 'container', 'directory'] },
};

export function letterWord(letter: string, ctx: PermissionContext): string | null {
  if (letter === 'p') return ctx === 'account' || ctx === 'queue' ? 'process' : ctx === 'file' || ctx === 'share' || ctx === 'table' ? null : 'permissions';
  return WORDS[letter] ?? null;
}

export interface PermissionReading {
  permissions: string[];
  unknown: string[];
  invalid: { letter: string; reason: string }[];
  notes: string[];
}

export function readPermissions(sp: string, ctx: PermissionContext, version: string | null): PermissionReading {
  const valid = VALID_LETTERS[ctx];
  const seen = new Set<string>();
  const words: string[] = [];
  const unknown: string[] = [];
  const invalid: { letter: string; reason: string }[] = [];
  const notes: string[] = [];
  for (const letter of sp) {
    if (seen.has(letter)) {
      notes.push(`permission letter "${letter}" repeated`);
      continue;
    }
    seen.add(letter);
    const word = letterWord(letter, ctx);
    if (!word && !/[a-z]/.test(letter)) {
      unknown.push(letter);
      continue;
    }
    if (!valid.includes(letter)) {
      if (word || WORDS[letter] || letter === 'p') {
        invalid.push({ letter, reason: `"${letter}" is not a ${contextName(ctx)} permission` });
      } else {
        unknown.push(letter);
      }
      continue;
    }
    words.push(word!);
    const since = SINCE[letter];
    if (since && version && since.contexts.includes(ctx) && version < since.version) {
      notes.push(`"${letter}" (${word}) is not defined at signed version ${version} (added in ${since.version})`);
    }
  }
  if (ctx !== 'account' && isNonCanonical(sp, valid)) notes.push(`permissions "${sp}" are not in canonical order (${valid}): possibly hand-edited`);
  return { permissions: words, unknown, invalid, notes };
}

function isNonCanonical(sp: string, canonical: string): boolean {
  let last = -1;
  for (const ch of sp) {
    const i = canonical.indexOf(ch);
    if (i < 0) continue;
    if (i < last) return true;
    last = i;
  }
  return false;
}

function contextName(ctx: PermissionContext): string {
  return ctx === 'account' ? 'account SAS' : `${ctx} SAS`;
}

/** How much damage a permission can do, for severity. */
export type Power = 'destructive' | 'write' | 'read' | 'none';

// Deleting versions or soft-deleted copies destroys recovery points but not live data: it is
// called out in the reasons, yet does not on its own put a read token in the write class.
const DESTRUCTIVE = new Set(['delete']);
const ERODES_RECOVERY = new Set(['delete-version', 'permanent-delete']);
const WRITE = new Set(['write', 'add', 'create', 'update', 'tag', 'move', 'immutability', 'ownership', 'permissions']);

/** `consumes`: the token's `process` permission dequeues messages (queue SAS, or account SAS with Queue). */
export function powerOf(permissions: readonly string[], consumes: boolean): Power {
  const destructive = permissions.some((p) => DESTRUCTIVE.has(p)) || consumes;
  if (destructive) return 'destructive';
  if (permissions.some((p) => WRITE.has(p))) return 'write';
  return permissions.length ? 'read' : 'none';
}

export function isWriteLike(p: string): boolean {
  return WRITE.has(p) || DESTRUCTIVE.has(p) || ERODES_RECOVERY.has(p);
}
