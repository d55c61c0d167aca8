import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';

/** Validates reports against their schemas: ours (docs/report.schema.json) and the official SARIF 2.1.0. */
const require = createRequire(import.meta.url);
const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');

function loadSchema(kind: 'json' | 'sarif'): object {
  const file =
    kind === 'json'
      ? path.join(ROOT, 'docs', 'report.schema.json')
      : path.join(path.dirname(require.resolve('@microsoft/sarif-multitool-linux/package.json')), 'sarif-2.1.0.json');
  return JSON.parse(readFileSync(file, 'utf8')) as object;
}

const cache = new Map<string, ReturnType<Ajv2020['compile']>>();

export function validateReport(report: unknown, kind: 'json' | 'sarif' = 'json'): string[] {
  let validate = cache.get(kind);
  if (!validate) {
    const ajv = new Ajv2020({ allErrors: true, strict: false, validateFormats: false });
    validate = ajv.compile(loadSchema(kind));
    cache.set(kind, validate);
  }
  if (validate(report)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`);
}
