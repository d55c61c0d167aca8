import { readFileSync } from 'node:fs';

/**
 * `.gitleaksignore`, read so a project moving from gitleaks keeps its accepted findings. Its
 * entries are gitleaks fingerprints — `commit:file:rule:line` for history, `file:rule:line`
 * for files — and rule ids differ between the tools, so an entry accepts the sasquatch finding
 * at the same path and line (and commit, when it names one).
 */
export interface GitleaksIgnoreEntry {
  /** The line as written (the reason shown on the suppressed finding). */
  raw: string;
  commit?: string;
  path: string;
  rule: string;
  line: number;
}

export const GITLEAKSIGNORE = '.gitleaksignore';

export function parseGitleaksIgnore(text: string): { entries: GitleaksIgnoreEntry[]; invalid: number } {
  const entries: GitleaksIgnoreEntry[] = [];
  let invalid = 0;
  for (const raw of text.split(/\r?\n/).map((l) => l.trim())) {
    if (!raw || raw.startsWith('#')) continue;
    const parts = raw.split(':');
    const line = Number(parts.pop());
    const rule = parts.pop();
    // the file may itself hold ':'; a leading object id (40 or 64 hex digits) is the commit
    const commit = parts.length > 1 && /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/i.test(parts[0]!) ? parts.shift()!.toLowerCase() : undefined;
    const file = parts.join(':');
    if (!Number.isInteger(line) || line < 1 || !rule || !file) {
      invalid++;
      continue;
    }
    entries.push({ raw, path: file.replace(/^\.\//, ''), rule, line, ...(commit ? { commit } : {}) });
  }
  return { entries, invalid };
}

export function readGitleaksIgnore(file: string): { entries: GitleaksIgnoreEntry[]; invalid: number } {
  return parseGitleaksIgnore(readFileSync(file, 'utf8'));
}
