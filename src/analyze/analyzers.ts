import { analyzeSas } from './sas/analyze-sas.js';
import type { Analyzer } from './types.js';

/** Analyzer ids named by rules (Rule.analyzer) → implementation. */
export const ANALYZERS: Record<string, Analyzer> = {
  'azure-sas': analyzeSas,
};
