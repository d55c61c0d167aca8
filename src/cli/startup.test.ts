import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

/**
 * Every run of the CLI (a pre-commit scan above all) loads what main.js imports statically,
 * and what those modules import in turn. The web framework, the job queue, the platforms'
 * clients and the configuration parsers are for a few commands: they are loaded by those
 * commands when they run. This walks the static import graph of the built CLI.
 */
const DIST = path.dirname(fileURLToPath(import.meta.url));
const HEAVY = ['fastify', '@fastify/', 'pg-boss', 'pg', '@octokit/', '@gitbeaker/', '@huggingface/', 'ajv', 'yaml', '@azure/', '@electric-sql/'];

function staticImports(file: string): string[] {
  const code = readFileSync(file, 'utf8');
  const out: string[] = [];
  // `import … from 'x'`, `import 'x'`, `export … from 'x'`; `import type` is erased by tsc
  for (const m of code.matchAll(/^(?:import|export)\s(?:[^'";]*?\sfrom\s)?['"]([^'"]+)['"]/gm)) out.push(m[1]!);
  return out;
}

function loadedAtStart(entry: string): { packages: Map<string, string>; files: number } {
  const packages = new Map<string, string>();
  const seen = new Set<string>();
  const queue = [entry];
  while (queue.length) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const spec of staticImports(file)) {
      if (spec.startsWith('.')) queue.push(path.resolve(path.dirname(file), spec));
      else if (!isBuiltin(spec)) packages.set(spec, path.relative(DIST, file));
    }
  }
  return { packages, files: seen.size };
}

/** The heavy packages among those loaded at start, each with the file that imports it. */
function heavyOf(packages: Map<string, string>): string[] {
  const heavy = [...packages].filter(([spec]) => HEAVY.some((h) => (h.endsWith('/') ? spec.startsWith(h) : spec === h || spec.startsWith(`${h}/`))));
  return heavy.map(([spec, from]) => `${spec} (from ${from})`);
}

/** What every run loads: the entry's static graph and the program it imports once the workers are started (main.ts). */
function loadedByCli(entry: string, program: string): { packages: Map<string, string>; files: number } {
  const first = loadedAtStart(entry);
  const rest = loadedAtStart(program);
  return { packages: new Map([...first.packages, ...rest.packages]), files: first.files + rest.files };
}

describe('CLI start-up', () => {
  it('loads no web framework, queue, platform client, store driver or configuration parser until a command needs it', () => {
    const { packages, files } = loadedByCli(path.join(DIST, 'main.js'), path.join(DIST, 'program.js'));
    assert.ok(files > 50, `the walk followed the graph (${files} modules)`);
    assert.ok(packages.has('commander'), 'the walk sees packages');
    assert.deepEqual(heavyOf(packages), []);
  });

  it('the entry loads no package and none of the program before it has started the workers', () => {
    const entry = loadedAtStart(path.join(DIST, 'main.js'));
    assert.deepEqual([...entry.packages.keys()], []);
    assert.ok(entry.files <= 4, `main.js, prestart.js, compiler-tuning.js and the pool (${entry.files} files)`);
    assert.match(readFileSync(path.join(DIST, 'main.js'), 'utf8'), /prestartScanThreads\(process\.argv\.slice\(2\)\);\s*await import\('\.\/program\.js'\);/);
  });

  it('the `sasquatch` command is the bundle (scripts/bundle.mjs): a few files, the packages every start needs inside it, the others lazy', () => {
    const bundle = path.join(DIST, '..', 'bundle');
    const program = readdirSync(bundle).find((f) => /^program-[\w-]+\.js$/.test(f));
    assert.ok(program, 'the program is a chunk of its own, imported by main.js');
    assert.deepEqual([...loadedAtStart(path.join(bundle, 'main.js')).packages.keys()], [], 'the entry loads no package');
    const { packages, files } = loadedByCli(path.join(bundle, 'main.js'), path.join(bundle, program));
    assert.ok(files < 12, `main.js, the program and the chunks they share with the worker, not the compiled modules (${files} files)`);
    assert.deepEqual([...packages.keys()], [], 'no package is resolved from node_modules at start');
    const code = readdirSync(bundle).map((f) => readFileSync(path.join(bundle, f), 'utf8')).join('\n');
    for (const name of ['commander', 'picomatch', 'ignore', 'fflate', 'smol-toml']) assert.ok(code.includes(`node_modules/${name}/`), `${name} is bundled`);
    for (const name of ['@azure/storage-blob', '@electric-sql/pglite', 'pg-boss', 'fastify']) assert.ok(code.includes(`"${name}"`) && !code.includes(`node_modules/${name}/`), `${name} stays a package, imported when needed`);
  });

  it('reads `import … from` across lines, side-effect imports and re-exports, not strings', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sasquatch-imports-'));
    try {
      const file = path.join(dir, 'm.js');
      writeFileSync(file, "import {\n  a,\n  b,\n} from 'fastify';\nimport './side.js';\nexport { x } from '../y.js';\nconst s = \"import z from 'no'\";\n");
      assert.deepEqual(staticImports(file), ['fastify', './side.js', '../y.js']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
