// Bundles the compiled CLI and its scanning worker into dist/bundle/ (main.js, worker.js and the
// chunks they share), the files the `sasquatch` command runs. Why: Node resolves, reads,
// compiles and links each ES module on its own; the ~190 modules a scan loads cost ~0.15 s at
// every start, in the main thread and again in each worker (a pre-commit scan pays it on every
// commit). npm packages stay outside the bundle (`packages: 'external'`), resolved from
// node_modules as before; modules loaded only by some commands stay separate chunks, loaded
// when those commands run.
//
// Each bundled module keeps its own `import.meta.url` (rewritten to the URL of its compiled file
// under dist/), so the files it reads beside itself (report assets, data, the schema) and the
// packages it resolves with createRequire are found where they always were.
//
// Without esbuild's native binary (an install with --omit=optional, as the GitHub Action does),
// dist/bundle/ holds two one-line modules that import the compiled entry points: the same CLI,
// started module by module.
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const DIST = path.resolve('dist');
const OUT = path.join(DIST, 'bundle');

/** `import.meta.url` in a compiled module → that module's own URL, relative to the bundle file. */
const ownUrl = {
  name: 'own-import-meta-url',
  setup(b) {
    b.onLoad({ filter: /\.js$/ }, (args) => {
      const code = readFileSync(args.path, 'utf8');
      if (!code.includes('import.meta.url')) return { contents: code, loader: 'js' };
      const rel = path.relative(OUT, args.path).split(path.sep).join('/');
      return { contents: code.replaceAll('import.meta.url', `new URL(${JSON.stringify(rel)}, import.meta.url).href`), loader: 'js' };
    });
  },
};

rmSync(OUT, { recursive: true, force: true });
let esbuild;
try {
  esbuild = await import('esbuild');
  await esbuild.transform('');
} catch (e) {
  console.warn(`bundle: esbuild is not usable (${e.message.split('\n')[0]}): dist/bundle/ imports the compiled modules instead`);
  mkdirSync(OUT, { recursive: true });
  writeFileSync(path.join(OUT, 'main.js'), "#!/usr/bin/env node\nimport '../cli/main.js';\n");
  writeFileSync(path.join(OUT, 'worker.js'), "import '../pipeline/worker.js';\n");
  chmodSync(path.join(OUT, 'main.js'), 0o755);
  process.exit(0);
}
await esbuild.build({
  entryPoints: { main: 'dist/cli/main.js', worker: 'dist/pipeline/worker.js' },
  outdir: OUT,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  // the worker pool starts the bundled worker (pipeline/pool.ts)
  define: { SASQUATCH_BUNDLED: 'true' },
  plugins: [ownUrl],
  logLevel: 'warning',
});
chmodSync(path.join(OUT, 'main.js'), 0o755);
