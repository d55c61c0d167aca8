import fc from 'fast-check';
import type { TestContext } from 'node:test';

/**
 * How hard the fuzz suite tries. `npm test` runs each property a few dozen times with a
 * fresh seed (a few seconds in all); `npm run fuzz` runs the same properties many more
 * times (FUZZ_RUNS). The seed is printed with every property, and a failure prints the
 * seed and the path of the failing case: FUZZ_SEED=<seed> replays a run, FUZZ_SHRINK=1 also
 * shrinks it to the smallest failing case.
 */
const RUNS = Number(process.env['FUZZ_RUNS'] ?? '') || 0;
const SEED = process.env['FUZZ_SEED'] !== undefined ? Number(process.env['FUZZ_SEED']) : (Date.now() ^ (Math.random() * 0x7fffffff)) | 0;

/** A property's fast-check parameters: `quick` runs under npm test, FUZZ_RUNS under npm run fuzz. */
export function fuzzParams(t: TestContext, quick: number): fc.Parameters<unknown> {
  const numRuns = RUNS || quick;
  t.diagnostic(`fuzz seed ${SEED} (FUZZ_SEED=${SEED} to replay), ${numRuns} runs`);
  // shrinking a large failing case can take longer than the whole suite: on request only
  return { numRuns, seed: SEED, endOnFailure: !process.env['FUZZ_SHRINK'] };
}

/**
 * Bounded time, per case: a generous ceiling that only a hang or a blow-up (quadratic work
 * on a small input) can reach — a guard, not a measurement of speed.
 */
export const CASE_LIMIT_MS = 10_000;

export function withinLimit<T>(f: () => T): T {
  const t0 = Date.now();
  const r = f();
  const ms = Date.now() - t0;
  if (ms > CASE_LIMIT_MS) throw new Error(`took ${ms} ms (limit ${CASE_LIMIT_MS} ms): unbounded work`);
  return r;
}
