import type { Rule } from '../types.js';
import { azureSasRule } from './azure-sas.js';

/** Every built-in rule. Order only matters for reporting ties. */
export const BUILTIN_RULES: readonly Rule[] = [azureSasRule];

export function ruleById(id: string, rules: readonly Rule[] = BUILTIN_RULES): Rule | undefined {
  return rules.find((r) => r.id === id);
}
