import type { Severity } from '../model/severity.js';

/** ANSI styling, applied only when asked (a TTY without NO_COLOR, or --color). */
export interface Style {
  bold(s: string): string;
  dim(s: string): string;
  severity(sev: Severity, s: string): string;
}

const CODES: Record<Severity, string> = { critical: '1;97;41', high: '1;31', medium: '1;33', low: '36', info: '2' };

export function makeStyle(color: boolean): Style {
  const wrap = (code: string, s: string) => (color ? `\x1b[${code}m${s}\x1b[0m` : s);
  return {
    bold: (s) => wrap('1', s),
    dim: (s) => wrap('2', s),
    severity: (sev, s) => wrap(CODES[sev], s),
  };
}

/** Decides colour the way users expect: --color/--no-color, then NO_COLOR/FORCE_COLOR, then TTY. */
export function wantColor(flag: boolean | undefined, stream: { isTTY?: boolean }): boolean {
  if (flag !== undefined) return flag;
  if (process.env['NO_COLOR']) return false;
  if (process.env['FORCE_COLOR'] && process.env['FORCE_COLOR'] !== '0') return true;
  return Boolean(stream.isTTY);
}
