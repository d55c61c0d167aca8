import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Ajv2020, ErrorObject } from 'ajv/dist/2020.js';
import { SCHEMA_VERSION } from './json.js';

/**
 * Checks a saved JSON report against its published schema (docs/report.schema.json, copied
 * next to this module at build time) before any renderer reads it, so a hand-edited or
 * foreign file is refused with the field that is wrong instead of crashing a renderer.
 */
let compiled: ReturnType<Ajv2020['compile']> | null = null;

/** The validator is loaded when a saved report is read (`sasquatch report`), not by every run of the CLI. */
const load = createRequire(import.meta.url);

function validator(): ReturnType<Ajv2020['compile']> {
  if (!compiled) {
    const schema = JSON.parse(readFileSync(new URL('./report.schema.json', import.meta.url), 'utf8')) as object;
    const { Ajv2020: Validator } = load('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js');
    compiled = new Validator({ allErrors: true, strict: false, validateFormats: false }).compile(schema);
  }
  return compiled;
}

/** What is wrong with a saved report (a JSON pointer and a message), or null when it is fine. */
export function reportProblem(report: unknown): string | null {
  if (!report || typeof report !== 'object' || Array.isArray(report)) return 'not a JSON object: not a sasquatch JSON report';
  const version = (report as { schemaVersion?: unknown }).schemaVersion;
  if (version === undefined) return '/schemaVersion: missing: not a sasquatch JSON report';
  if (version !== SCHEMA_VERSION) return `unsupported schemaVersion ${JSON.stringify(version)} (this sasquatch reads schemaVersion ${SCHEMA_VERSION})`;
  const validate = validator();
  if (validate(report)) return null;
  const e = mostSpecific(validate.errors ?? []);
  return e ? describe(e) : 'does not match the report schema';
}

/** The error deepest in the document: the one that names the field itself, not a parent's oneOf. */
function mostSpecific(errors: ErrorObject[]): ErrorObject | undefined {
  const concrete = errors.filter((e) => !['oneOf', 'anyOf', 'allOf', 'if', '$ref'].includes(e.keyword));
  const list = concrete.length ? concrete : errors;
  return list.reduce<ErrorObject | undefined>((best, e) => (!best || depth(pointer(e)) > depth(pointer(best)) ? e : best), undefined);
}

function pointer(e: ErrorObject): string {
  if (e.keyword === 'required') return `${e.instancePath}/${escapePointer(String(e.params['missingProperty']))}`;
  return e.instancePath || '/';
}

function depth(p: string): number {
  return p.split('/').length;
}

function describe(e: ErrorObject): string {
  const at = pointer(e);
  if (e.keyword === 'required') return `${at}: missing (required)`;
  if (e.keyword === 'enum') return `${at}: must be one of ${(e.params['allowedValues'] as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
  if (e.keyword === 'const') return `${at}: must be ${JSON.stringify(e.params['allowedValue'])}`;
  return `${at}: ${e.message ?? 'invalid'}`;
}

function escapePointer(s: string): string {
  return s.replace(/~/g, '~0').replace(/\//g, '~1');
}
