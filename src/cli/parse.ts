import { InvalidArgumentError } from 'commander';
import { isSeverity, type Severity } from '../model/severity.js';

/** Option parsers: each rejects bad input with a message naming the expected form. */
export function parseSize(value: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([kmgt]?i?b?)?$/i.exec(value.trim());
  if (!m) throw new InvalidArgumentError('expected a size such as 500KB, 100MB, 2GB or 0 for no limit');
  const unit = (m[2] ?? '').toLowerCase().replace(/i?b$/, '');
  const mult = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 }[unit];
  if (mult === undefined) throw new InvalidArgumentError(`unknown size unit in "${value}"`);
  return Math.round(parseFloat(m[1]!) * mult);
}

export function parseThreshold(value: string): Severity | 'never' {
  const v = value.toLowerCase();
  if (v === 'never' || v === 'none') return 'never';
  if (isSeverity(v)) return v;
  throw new InvalidArgumentError('expected one of: critical, high, medium, low, info, never');
}

export function parseNow(value: string): Date {
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) throw new InvalidArgumentError('expected an ISO date such as 2024-01-31 or 2024-01-31T12:00:00Z');
  return d;
}

export function parseCount(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('expected a whole number');
  return parseInt(value, 10);
}

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function choice<T extends string>(allowed: readonly T[]) {
  return (value: string): T => {
    if ((allowed as readonly string[]).includes(value)) return value as T;
    throw new InvalidArgumentError(`expected one of: ${allowed.join(', ')}`);
  };
}

/** `--min-severity`: a severity, or `all`. */
export function parseMinSeverity(value: string): Severity | 'all' {
  const v = value.toLowerCase();
  if (v === 'all') return 'all';
  if (isSeverity(v)) return v;
  throw new InvalidArgumentError('expected one of: critical, high, medium, low, info, all');
}

/** `--exit-code`: what a failing scan exits with (2 stays "error"). */
export function parseExitCode(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) > 255) throw new InvalidArgumentError('expected a whole number from 0 to 255');
  return Number(value);
}
