import { linearPattern } from '../linear.js';
import type { Rule } from '../types.js';
import { BUILTIN_RULES } from './index.js';

/**
 * Rules cross into worker threads as plain data: built-in rules by id, custom rules in full
 * (a RegExp does not survive structured cloning, so its source and flags travel instead).
 */
export type RuleSpec = { builtin: string } | { custom: Omit<Rule, 'pattern'> & { pattern: { source: string; flags: string } } };

export function toSpecs(rules: readonly Rule[]): RuleSpec[] {
  return rules.map((r) =>
    r.custom ? { custom: { ...r, pattern: { source: r.pattern.source, flags: r.pattern.flags } } } : { builtin: r.id },
  );
}

export function fromSpecs(specs: readonly RuleSpec[]): Rule[] {
  return specs.map((s) => {
    if ('builtin' in s) {
      const r = BUILTIN_RULES.find((b) => b.id === s.builtin);
      if (!r) throw new Error(`unknown built-in rule ${s.builtin}`);
      return r;
    }
    // custom rules run on RE2 on the workers too (linear time, see detect/linear.ts)
    return { ...s.custom, pattern: linearPattern(s.custom.pattern.source, s.custom.pattern.flags) };
  });
}
