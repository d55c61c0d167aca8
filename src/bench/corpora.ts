import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync, openSync, writeSync, closeSync } from 'node:fs';
import path from 'node:path';
import { plant, type PlantStyle } from './plants.js';

/**
 * The benchmark's generated corpora (deterministic: every choice comes from a seeded PRNG;
 * nothing is downloaded). Each is written once under bench/.work/ and reused while its
 * generator version and size are unchanged. Each comes with its planted truth: the path,
 * first line and rule of every secret put in it.
 */
export interface Truth {
  path: string;
  line: number;
  rule: string;
}

export interface Corpus {
  name: string;
  /** What is scanned: a directory or a file. */
  target: string;
  files: number;
  bytes: number;
  truth: Truth[];
}

/** xorshift32: deterministic and fast enough to pick words, sizes and offsets. */
export function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 0x100000000;
  };
}

type Rand = () => number;
type Gen = ((r: Rand) => string) & { decoy?: boolean };

/** A line that holds a keyword of some rule (an env lookup, a URL, a placeholder) but no secret. */
function decoy(g: (r: Rand) => string): Gen {
  return Object.assign(g, { decoy: true });
}

/**
 * Share of lines that are decoys. Real code is sparse in such words: an npm node_modules of
 * 314 MB held 133,000 keyword occurrences (0.42 per KB); with the URLs of lock files and data
 * records, these corpora come to about twice that, erring on the side of more work.
 */
const DECOY_RATE = 0.02;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const int = (r: Rand, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));

const WORDS =
  'data model user item request response config options value result error index list map key name path file stream buffer token session client server handler event state cache store query params body header status message count total size length offset limit page batch queue worker task job retry timeout delay interval format parse serialize encode decode validate transform filter reduce merge resolve reject promise callback listener emitter module export import default async await'.split(
    ' ',
  );
const camel = (r: Rand, n = int(r, 1, 3)) => Array.from({ length: n }, (_, i) => (i ? cap(pick(r, WORDS)) : pick(r, WORDS))).join('');
const cap = (s: string) => s[0]!.toUpperCase() + s.slice(1);
const snake = (r: Rand, n = int(r, 1, 3)) => Array.from({ length: n }, () => pick(r, WORDS)).join('_');
const hex = (r: Rand, n: number) => Array.from({ length: n }, () => '0123456789abcdef'[Math.floor(r() * 16)]).join('');
const b64 = (r: Rand, n: number) => Array.from({ length: n }, () => 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'[Math.floor(r() * 64)]).join('');
const sentence = (r: Rand) => cap(Array.from({ length: int(r, 6, 16) }, () => pick(r, WORDS)).join(' ')) + '.';

/**
 * Lines of the kinds of files a repository or a node_modules holds, with the words secret
 * scanners key on used the way real code uses them (env lookups, placeholders, URLs without
 * credentials, hashes, Base64 images), so the keyword pass has realistic work to do.
 */
const JS_LINES: Gen[] = [
  (r) => `const ${camel(r)} = require('${pick(r, WORDS)}/${snake(r, 1)}');`,
  (r) => `import { ${camel(r)}, ${camel(r)} } from './${camel(r)}.js';`,
  (r) => `function ${camel(r)}(${camel(r, 1)}, ${camel(r, 1)}) {`,
  (r) => `  if (!${camel(r, 1)}.${camel(r, 1)}) throw new TypeError('${camel(r)} is required');`,
  decoy((r) => `  return this.request({ url: \`\${this.baseUrl}/v${int(r, 1, 3)}/${snake(r)}\`, headers: { Authorization: \`Bearer \${token}\` } });`),
  (r) => `  const ${camel(r)} = options.${camel(r)} ?? ${int(r, 0, 10000)};`,
  decoy((r) => `// See https://github.com/${pick(r, WORDS)}/${camel(r)}/issues/${int(r, 1, 9999)}`),
  decoy((r) => `  const password = process.env.${snake(r, 2).toUpperCase()}_PASSWORD;`),
  decoy((r) => `   * @param {string} secret - the ${pick(r, WORDS)} secret, never logged`),
  (r) => `  this.${camel(r)} = ${camel(r, 1)}.${camel(r, 1)}(${camel(r, 1)}, ${int(r, 0, 99)});`,
  (r) => `  for (let i = 0; i < ${camel(r, 1)}.length; i++) ${camel(r)}.push(${camel(r, 1)}[i]);`,
  () => `  }`,
  () => `}`,
  () => ``,
  (r) => `module.exports.${camel(r)} = ${camel(r)};`,
  decoy(() => `  const credentials = await getCredentials({ profile: options.profile });`),
  (r) => `  // ${sentence(r)}`,
  (r) => `  logger.debug('${sentence(r)}', { ${camel(r, 1)}: ${camel(r, 1)} });`,
  (r) => `  const accessToken = req.headers['x-${pick(r, WORDS)}-token'];`,
  decoy((r) => `  const url = new URL('https://api.${pick(r, WORDS)}.example.com/v1/${snake(r)}?page=' + page);`),
  (r) => `  ${camel(r)}: '${hex(r, 40)}',`,
  (r) => `  case '${snake(r)}': return ${camel(r)}(${camel(r, 1)});`,
];

const PY_LINES: Gen[] = [
  (r) => `import ${snake(r, 1)}`,
  (r) => `from ${snake(r, 2).replace('_', '.')} import ${cap(camel(r))}`,
  (r) => `def ${snake(r)}(self, ${snake(r, 1)}, ${snake(r, 1)}=None):`,
  (r) => `    """${sentence(r)}"""`,
  decoy((r) => `    api_key = os.environ["${snake(r, 2).toUpperCase()}_API_KEY"]`),
  decoy((r) => `    url = f"https://{account}.blob.core.windows.net/{container}/{${snake(r, 1)}}"`),
  (r) => `    ${snake(r)} = self.${snake(r)}(${snake(r, 1)}, ${int(r, 0, 999)})`,
  (r) => `    for ${snake(r, 1)} in range(${int(r, 1, 100)}):`,
  (r) => `        loss = criterion(outputs, ${snake(r, 1)}) * ${r().toFixed(4)}`,
  (r) => `    return ${snake(r)}`,
  () => ``,
  (r) => `class ${cap(camel(r))}(nn.Module):`,
  (r) => `    # ${sentence(r)}`,
  decoy((r) => `    password = getpass.getpass("Password for ${snake(r, 1)}: ")`),
  (r) => `    logger.info("%s: %d", "${snake(r)}", ${snake(r, 1)})`,
  (r) => `    checkpoint = torch.load(os.path.join(root, "${snake(r)}.pt"), map_location="cpu")`,
];

const YAML_LINES: Gen[] = [
  (r) => `${snake(r, 1)}:`,
  (r) => `  ${snake(r)}: ${pick(r, WORDS)}`,
  (r) => `  ${snake(r, 1)}: ${int(r, 0, 65535)}`,
  decoy((r) => `  password: \${${snake(r, 2).toUpperCase()}_PASSWORD}`),
  decoy((r) => `        - name: ${snake(r, 2).toUpperCase()}_SECRET`),
  () => `          valueFrom:`,
  decoy((r) => `            secretKeyRef: { name: ${snake(r, 1)}-credentials, key: ${snake(r, 1)} }`),
  (r) => `    image: registry.example.com/${pick(r, WORDS)}/${camel(r)}:${int(r, 1, 9)}.${int(r, 0, 20)}.${int(r, 0, 99)}`,
  decoy((r) => `    url: https://${pick(r, WORDS)}.example.org/${snake(r)}`),
  (r) => `  # ${sentence(r)}`,
  (r) => `  checksum: sha256:${hex(r, 64)}`,
];

const MD_LINES: Gen[] = [
  (r) => `## ${cap(camel(r, 2))}`,
  (r) => sentence(r) + ' ' + sentence(r) + ' ' + sentence(r),
  decoy((r) => `See [the ${pick(r, WORDS)} guide](https://docs.example.com/${snake(r)}) for the access token and password settings.`),
  (r) => `- \`${camel(r)}\`: ${sentence(r)}`,
  () => ``,
  () => '```bash',
  decoy((r) => `export ${snake(r, 2).toUpperCase()}_TOKEN=<your-token>`),
  () => '```',
];

function lockEntry(r: Rand): string {
  const name = `${pick(r, WORDS)}-${pick(r, WORDS)}`;
  const v = `${int(r, 0, 9)}.${int(r, 0, 30)}.${int(r, 0, 20)}`;
  return `    "node_modules/${name}": {\n      "version": "${v}",\n      "resolved": "https://registry.npmjs.org/${name}/-/${name}-${v}.tgz",\n      "integrity": "sha512-${b64(r, 86)}==",\n      "dependencies": { "${pick(r, WORDS)}": "^${v}" }\n    },`;
}

function dataRecord(r: Rand): string {
  return `  {"id": "${hex(r, 24)}", "${camel(r)}": ${int(r, 0, 1e6)}, "name": "${sentence(r)}", "${r() < 0.2 ? 'url": "https://cdn.example.net/' : 'path": "/'}${snake(r)}/${hex(r, 8)}.jpg", "tags": ["${pick(r, WORDS)}", "${pick(r, WORDS)}"], "score": ${r().toFixed(6)}},`;
}

/** Minified bundle: statements run together into lines of tens of kilobytes. */
function minifiedLine(r: Rand, size: number): string {
  const parts: string[] = [];
  let n = 0;
  while (n < size) {
    const tail = r() < 0.1 ? `"https://${pick(r, WORDS)}.example.com/"+n` : `n+"/${pick(r, WORDS)}"`;
    const s = `function ${camel(r, 1)}(e,t){var n=e.${camel(r, 1)}||"${pick(r, WORDS)}";return t&&t.${camel(r, 1)}?n+"?"+t.${camel(r, 1)}:${tail}}var ${camel(r, 1)}=${int(r, 0, 9999)};`;
    parts.push(s);
    n += s.length;
  }
  return parts.join('');
}

function textOf(r: Rand, gens: Gen[], size: number): string[] {
  const plain = gens.filter((g) => !g.decoy);
  const decoys = gens.filter((g) => g.decoy);
  const lines: string[] = [];
  let n = 0;
  while (n < size) {
    const l = pick(r, decoys.length && r() < DECOY_RATE ? decoys : plain)(r);
    lines.push(l);
    n += l.length + 1;
  }
  return lines;
}

/** A notebook of Python cells and outputs (half of them PNG images); the secret goes into one cell's source. */
function notebook(r: Rand, size: number, secretLines: string[] | null): { lines: string[]; line: number } {
  const out = ['{', ' "cells": ['];
  let n = 0;
  let line = 0;
  while (n < size || (secretLines && !line)) {
    const code = textOf(r, PY_LINES, Math.min(int(r, 200, 1500), size));
    const cellBytes = code.reduce((a, l) => a + l.length + 8, 0);
    const plantHere = secretLines !== null && !line && (n + cellBytes >= size || r() < 0.3);
    // bounded: a few planted lines (as below)
  if (plantHere) code.splice(1, 0, ...secretLines);
    out.push('  {', '   "cell_type": "code",', '   "metadata": {},', '   "source": [');
    code.forEach((l, i) => {
      if (plantHere && i === 1) line = out.length + 1;
      out.push(`    ${JSON.stringify(l + (i < code.length - 1 ? '\n' : ''))}${i < code.length - 1 ? ',' : ''}`);
    });
    out.push('   ],', '   "outputs": [');
    let outBytes = 200;
    if (r() < 0.5) {
      const png = `iVBORw0KGgoAAAANSUhEUgAA${b64(r, Math.min(int(r, 2000, 40000), Math.floor(size / 2)))}`;
      outBytes += png.length;
      out.push('    {', '     "data": {', `      "image/png": "${png}",`, '      "text/plain": ["<Figure size 640x480 with 1 Axes>"]', '     },', '     "output_type": "display_data"', '    }');
    } else {
      out.push('    {', '     "name": "stdout",', '     "output_type": "stream",', `     "text": [${JSON.stringify(sentence(r) + '\n')}]`, '    }');
    }
    out.push('   ]', '  },');
    n += cellBytes + outBytes;
  }
  out[out.length - 1] = '  }';
  out.push(' ],', ' "metadata": {"kernelspec": {"name": "python3"}},', ' "nbformat": 4,', ' "nbformat_minor": 5', '}');
  return { lines: out, line };
}

type Kind = 'js' | 'min.js' | 'py' | 'json' | 'lock' | 'yaml' | 'md' | 'ipynb' | 'env';
/** Share of the files of each kind (by count). */
const KIND_WEIGHTS: [Kind, number][] = [
  ['js', 34],
  ['py', 16],
  ['json', 8],
  ['lock', 3],
  ['yaml', 10],
  ['md', 12],
  ['ipynb', 5],
  ['min.js', 4],
  ['env', 2],
];
const STYLE: Record<Kind, PlantStyle> = { js: 'code', 'min.js': 'code', py: 'code', json: 'json', lock: 'json', yaml: 'config', md: 'env', ipynb: 'code', env: 'env' };

function kindOf(r: Rand): Kind {
  const total = KIND_WEIGHTS.reduce((a, [, w]) => a + w, 0);
  let x = r() * total;
  for (const [k, w] of KIND_WEIGHTS) if ((x -= w) < 0) return k;
  return 'js';
}

/** The lines of one file of a kind, about `size` bytes, with the planted text at a random line (returns its 1-based line). */
function fileLines(r: Rand, kind: Kind, size: number, secret: string | null): { lines: string[]; line: number } {
  const secretLines = secret?.split('\n') ?? null;
  let lines: string[];
  switch (kind) {
    case 'js':
      lines = textOf(r, JS_LINES, size);
      break;
    case 'py':
      lines = textOf(r, PY_LINES, size);
      break;
    case 'yaml':
      lines = textOf(r, YAML_LINES, size);
      break;
    case 'md':
      lines = textOf(r, MD_LINES, size);
      break;
    case 'env':
      lines = textOf(r, [(q) => `${snake(q, 2).toUpperCase()}=`, (q) => `${snake(q, 2).toUpperCase()}_PASSWORD=<set me>`, (q) => `# ${sentence(q)}`, (q) => `${snake(q, 1).toUpperCase()}_URL=https://${pick(q, WORDS)}.example.com`], size);
      break;
    case 'min.js':
      lines = [];
      for (let n = 0; n < size; ) {
        const l = minifiedLine(r, Math.min(int(r, 2000, 60000), size));
        lines.push(l);
        n += l.length + 1;
      }
      break;
    case 'lock':
    case 'json': {
      const body = textOf(r, [kind === 'lock' ? lockEntry : dataRecord], size).join('\n').split('\n');
      lines = ['{', ...(kind === 'lock' ? ['  "lockfileVersion": 3,', '  "packages": {'] : ['  "records": [']), ...body, kind === 'lock' ? '    "": {}' : '  {}', kind === 'lock' ? '  }' : '  ]', '}'];
      // a plant goes after a complete entry, between two lines of the body
      if (secretLines) {
        const at = 3 + Math.floor(r() * (body.length / (kind === 'lock' ? 6 : 1))) * (kind === 'lock' ? 6 : 1);
        // bounded: a few planted lines
  lines.splice(at, 0, ...secretLines.map((l) => `  ${l}`));
        return { lines, line: at + 1 };
      }
      return { lines, line: 0 };
    }
    case 'ipynb':
      return notebook(r, size, secretLines);
  }
  if (!secretLines) return { lines, line: 0 };
  const at = Math.floor(r() * lines.length);
  // bounded: a few planted lines
  lines.splice(at, 0, ...secretLines);
  return { lines, line: at + 1 };
}

const EXT: Record<Kind, string> = { js: 'js', 'min.js': 'min.js', py: 'py', json: 'json', lock: 'json', yaml: 'yaml', md: 'md', ipynb: 'ipynb', env: 'env' };

interface TreeSpec {
  name: string;
  seed: number;
  targetBytes: number;
  /** Exactly this many files (instead of filling targetBytes). */
  count?: number;
  /** File size range (log-uniform), plus a few large files. */
  minSize: number;
  maxSize: number;
  large: { count: number; size: number };
  plants: number;
  perDir: number;
}

const GENERATOR = 8; // bump when the generated content changes

interface Manifest {
  generator: number;
  spec: TreeSpec;
  files: number;
  bytes: number;
  truth: Truth[];
}

/** A directory tree of source/config/notebook files with planted secrets; reused when cached. */
export function treeCorpus(work: string, spec: TreeSpec, log: (s: string) => void): Corpus {
  const dir = path.join(work, spec.name);
  const manifestPath = `${dir}.json`;
  const cached = readManifest(manifestPath, spec);
  if (cached && existsSync(dir)) return { name: spec.name, target: dir, files: cached.files, bytes: cached.bytes, truth: cached.truth };
  rmSync(dir, { recursive: true, force: true });
  const tmp = `${dir}.tmp`;
  rmSync(tmp, { recursive: true, force: true });
  const r = rng(spec.seed);
  // sizes first, so the planted files can be chosen among them
  const sizes: number[] = [];
  let total = 0;
  for (let i = 0; i < spec.large.count; i++, total += spec.large.size) sizes.push(spec.large.size);
  while (spec.count ? sizes.length < spec.count : total < spec.targetBytes) {
    const s = Math.round(Math.exp(Math.log(spec.minSize) + r() * (Math.log(spec.maxSize) - Math.log(spec.minSize))));
    sizes.push(s);
    total += s;
  }
  const plantAt = new Set<number>();
  while (plantAt.size < Math.min(spec.plants, sizes.length)) plantAt.add(Math.floor(r() * sizes.length));
  const truth: Truth[] = [];
  let bytes = 0;
  let plantIndex = 0;
  for (let i = 0; i < sizes.length; i++) {
    const kind: Kind = i < spec.large.count ? (i % 2 ? 'json' : 'min.js') : kindOf(r);
    const rel = `pkg${String(Math.floor(i / spec.perDir)).padStart(4, '0')}/${kind === 'env' ? `.env.${camel(r, 1)}-${i}` : `${camel(r)}-${i}.${EXT[kind]}`}`;
    let secret: string | null = null;
    let rule = '';
    if (plantAt.has(i)) {
      const p = plant(plantIndex++, STYLE[kind], kind === 'ipynb');
      secret = p.text;
      rule = p.rule;
    }
    // .env files are a few lines in real repositories, whatever the size drawn
    const size = kind === 'env' ? Math.min(sizes[i]!, 2000) : sizes[i]!;
    const { lines, line } = fileLines(r, kind, size, secret);
    const body = Buffer.from(lines.join('\n') + '\n', 'utf8');
    const full = path.join(tmp, rel);
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, body);
    bytes += body.length;
    if (secret) truth.push({ path: rel, line, rule });
    if (i % 2000 === 0) log(`\rgenerating ${spec.name}: ${i}/${sizes.length} files, ${(bytes / 1e6).toFixed(0)} MB`);
  }
  log('\n');
  renameSync(tmp, dir);
  const manifest: Manifest = { generator: GENERATOR, spec, files: sizes.length, bytes, truth };
  writeFileSync(manifestPath, JSON.stringify(manifest));
  return { name: spec.name, target: dir, files: sizes.length, bytes, truth };
}

/** One file of `targetBytes` with long lines (JSON records and minified code of 20 KB–2 MB). */
export function longLineCorpus(work: string, spec: { name: string; seed: number; targetBytes: number; plants: number }, log: (s: string) => void): Corpus {
  const file = path.join(work, `${spec.name}.jsonl`);
  const manifestPath = `${file}.json`;
  const cached = readManifest(manifestPath, spec);
  if (cached && existsSync(file)) return { name: spec.name, target: file, files: 1, bytes: cached.bytes, truth: cached.truth };
  const r = rng(spec.seed);
  const tmp = `${file}.tmp`;
  const fd = openSync(tmp, 'w');
  const truth: Truth[] = [];
  let bytes = 0;
  let line = 0;
  // plants spread evenly over the file's lines
  const plantEvery = Math.floor(spec.targetBytes / spec.plants);
  let nextPlant = plantEvery / 2;
  let plantIndex = 0;
  const rel = path.basename(file);
  try {
    while (bytes < spec.targetBytes) {
      let text: string;
      const len = Math.round(Math.exp(Math.log(20e3) + r() * (Math.log(2e6) - Math.log(20e3))));
      if (r() < 0.5) {
        text = minifiedLine(r, len);
      } else {
        const recs: string[] = [];
        for (let n = 0; n < len; ) {
          const rec = dataRecord(r).trim().replace(/,$/, '');
          recs.push(rec);
          n += rec.length + 1;
        }
        text = `{"batch": ${line}, "records": [${recs.join(',')}]}`;
      }
      if (bytes >= nextPlant && plantIndex < spec.plants) {
        // inside the line, after a statement or record: JSON style, so it holds on one line
        const p = plant(plantIndex++, 'json');
        const cut = text.indexOf(text.startsWith('{') ? '},' : ';', Math.floor(text.length * r())) + 2;
        text = cut > 1 ? `${text.slice(0, cut)}${p.text}${text.slice(cut)}` : `${text}${p.text}`;
        truth.push({ path: rel, line: line + 1, rule: p.rule });
        nextPlant += plantEvery;
      }
      const b = Buffer.from(text + '\n', 'utf8');
      writeSync(fd, b);
      bytes += b.length;
      line++;
      if (line % 200 === 0) log(`\rgenerating ${spec.name}: ${(bytes / 1e6).toFixed(0)} MB`);
    }
  } finally {
    closeSync(fd);
  }
  log('\n');
  renameSync(tmp, file);
  writeFileSync(manifestPath, JSON.stringify({ generator: GENERATOR, spec, files: 1, bytes, truth }));
  return { name: spec.name, target: file, files: 1, bytes, truth };
}

function readManifest(p: string, spec: object): Manifest | null {
  if (!existsSync(p)) return null;
  const m = JSON.parse(readFileSync(p, 'utf8')) as Manifest;
  return m.generator === GENERATOR && JSON.stringify(m.spec) === JSON.stringify(spec) ? m : null;
}

/** A short digest of a corpus's truth (for the results file). */
export function truthDigest(truth: readonly Truth[]): string {
  return createHash('sha256').update(JSON.stringify(truth)).digest('hex').slice(0, 12);
}
