import { esc } from '../report/html/index.js';

/**
 * Markup built by the `html` tag: every interpolated value is escaped unless it is itself
 * markup built the same way (or by the shared components' serializer, which escapes every
 * text and attribute it writes). So a path, a rule id or a note holding `<script>` is text.
 */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

function part(v: unknown): string {
  if (v === null || v === undefined || v === false) return '';
  if (v instanceof Html) return v.value;
  if (Array.isArray(v)) return v.map(part).join('');
  return esc(String(v));
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += part(values[i]) + strings[i + 1]!;
  return new Html(out);
}

/** Markup already escaped by its maker (the shared components' serializer). */
export function trusted(markup: string): Html {
  return new Html(markup);
}
