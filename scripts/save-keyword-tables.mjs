// Builds the keyword automaton of the built-in rules once and saves it beside the compiled code
// (dist/detect/keyword-tables.bin): each thread of each run reads it instead of building it
// (src/detect/saved-tables.ts). The old file is removed first, so what is saved is built here.
import { rmSync } from 'node:fs';
import { SAVED_TABLES, writeTables } from '../dist/detect/saved-tables.js';

rmSync(SAVED_TABLES, { force: true });
const { BUILTIN_RULES } = await import('../dist/detect/rules/index.js');
const { ruleKeywords } = await import('../dist/detect/engine.js');
const { buildTables } = await import('../dist/detect/keyword-matcher.js');
writeTables(SAVED_TABLES, buildTables(ruleKeywords(BUILTIN_RULES).keywords));
