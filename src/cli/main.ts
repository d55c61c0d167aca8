#!/usr/bin/env node
import { tuneCompiler } from './compiler-tuning.js';
import { prestartScanThreads } from './prestart.js';

// before anything else loads: the compiler flags hold for every thread started after them, and
// a large scan's threads load their code while this one loads the CLI (prestart.ts)
tuneCompiler();
prestartScanThreads(process.argv.slice(2));
await import('./program.js');
