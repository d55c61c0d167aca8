// Bundles the compiled CLI and its scanning worker into dist/bundle/ (main.js, worker.js and the
// chunks they share), the files the `sasquatch` command runs. Why: Node resolves, reads,
// compiles and links each ES module on its own; the ~190 modules a scan loads cost ~0.15 s at
// every start, in the main thread and again in each worker (a pre-commit scan pays it on every
// commit). The few npm packages every start loads (STARTUP_PACKAGES) are bundled too: from
// node_modules each costs a resolution, a package.json read and, for CommonJS, a source scan
// for its exports (~40 ms a start in all). Every other package stays outside, resolved from
// node_modules when the command that needs it runs (the Azure SDK, the stores, the web app);
// modules loaded only by some commands stay separate chunks, loaded when those commands run.
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

/** Pure-JavaScript packages on the path of every start (the CLI, the walk, the config, archives). */
const STARTUP_PACKAGES = new Set(['commander', 'picomatch', 'ignore', 'smol-toml', 'fflate']);

/** Bare imports of any other package stay imports, resolved from node_modules at run time. */
const otherPackagesExternal = {
  name: 'other-packages-external',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('node:')) return undefined;
      const parts = args.path.split('/');
      const name = args.path.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
      return STARTUP_PACKAGES.has(name) ? undefined : { path: args.path, external: true };
    });
  },
};

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
  // the worker pool starts the bundled worker (pipeline/pool.ts)
  define: { SASQUATCH_BUNDLED: 'true' },
  // the bundled CommonJS packages call require() (Node's own modules); an ES module has none
  banner: { js: "import { createRequire as __sqCreateRequire } from 'node:module'; const require = __sqCreateRequire(import.meta.url);" },
  plugins: [otherPackagesExternal, ownUrl],
  logLevel: 'warning',
});
chmodSync(path.join(OUT, 'main.js'), 0o755);
