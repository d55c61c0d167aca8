// Assembles the WebAssembly modules from their text (scripts/*-wat.mjs) into dist/ with wabt,
// a build-time dependency only: what ships is the .wasm file.
import { mkdirSync, writeFileSync } from 'node:fs';
import wabtInit from 'wabt';
import { keywordPassWat } from './keyword-pass-wat.mjs';

const wabt = await wabtInit();
const module = wabt.parseWat('keyword-pass.wat', keywordPassWat());
module.validate();
mkdirSync('dist/detect', { recursive: true });
writeFileSync('dist/detect/keyword-pass.wasm', module.toBinary({}).buffer);
module.destroy();
