import { createRequire } from 'node:module';
import type RE2Type from 're2';

/**
 * Custom rules (written in a configuration, possibly by whoever wrote the scanned repository)
 * run on RE2, a regular-expression engine whose time is linear in the text: a pattern such as
 * `(a+)+b` cannot hang a scan the way it hangs a backtracking engine. RE2 has no
 * back-references and no lookaround; a pattern that needs them is refused when the
 * configuration is loaded. The native module is loaded on first use (built-in rules are
 * JavaScript regexes whose shapes the project controls and tests).
 */
type RE2Constructor = typeof RE2Type;

let engine: RE2Constructor | null = null;

function re2(): RE2Constructor {
  engine ??= createRequire(import.meta.url)('re2') as RE2Constructor;
  return engine;
}

/** Compiles a pattern with RE2 (throws with RE2's message when it cannot run it). */
export function linearPattern(source: string, flags: string): RegExp {
  const RE2 = re2();
  return new RE2(source, flags);
}

/** True for a pattern compiled by linearPattern: the engine must not rebuild it as a JavaScript regex. */
export function isLinear(p: RegExp): boolean {
  return engine !== null && p instanceof engine;
}
