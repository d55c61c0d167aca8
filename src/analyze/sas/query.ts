import { percentDecodeValue } from '../../decode/decoders.js';

export interface ParsedQuery {
  /** Decoded values by parameter name, first occurrence wins. */
  params: Map<string, string>;
  /** Names in the order written, with their raw (still encoded) values. */
  raw: [string, string][];
  duplicates: string[];
}

/**
 * Splits a query on `&`, then each pair on its first `=`, and percent-decodes values by hand:
 * form decoding would turn the `+` of a Base64 signature into a space.
 */
export function parseQuery(query: string): ParsedQuery {
  const params = new Map<string, string>();
  const raw: [string, string][] = [];
  const duplicates: string[] = [];
  for (const part of query.replace(/^\?/, '').split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const name = eq < 0 ? part : part.slice(0, eq);
    const value = eq < 0 ? '' : part.slice(eq + 1);
    raw.push([name, value]);
    if (params.has(name)) duplicates.push(name);
    else params.set(name, percentDecodeValue(value));
  }
  return { params, raw, duplicates };
}
