import { compose, identity, type MappedText } from './mapped-text.js';
import { decodeHtmlEntities, decodeJsonEscapes, decodePercentOnce, decodeStringJoins } from './decoders.js';

/**
 * Every reading of a window worth matching: as written, and with each outer encoding
 * undone (and the common stacks: JSON inside HTML, a percent-encoded link inside JSON).
 * Detectors run on each; duplicates are resolved by original offsets afterwards.
 * `joins`: also the reading with string literals joined (for rules whose credentials code
 * splits over literals: links, connection strings).
 */
export function decodedVariants(text: string, joins = false): MappedText[] {
  return [identity(text), ...decodedOnly(text, joins)];
}

/**
 * The decoded readings alone (not the text as written), each mapped to `text`. A window
 * without `&`, `\` or `%` (and no literals to join) has none, and costs three indexOf calls
 * to find that out.
 */
export function decodedOnly(text: string, joins = false): MappedText[] {
  const amp = text.includes('&');
  const backslash = text.includes('\\');
  const pct = text.includes('%');
  // a link or connection string split across string literals in code
  const joined = joins ? decodeStringJoins(text) : null;
  if (!amp && !backslash && !pct && !joined) return [];
  const out: MappedText[] = [];
  const html = amp ? decodeHtmlEntities(text) : null;
  const json = backslash ? decodeJsonEscapes(text) : null;
  if (html) out.push(html);
  if (json) out.push(json);
  if (html && json) {
    const both = decodeJsonEscapes(html.text);
    if (both) out.push(compose(html, both));
  }
  if (joined) out.push(joined);
  const bases: (MappedText | null)[] = [null, ...out];
  for (const base of bases) {
    const src = base ? base.text : text;
    if (!src.includes('%')) continue;
    const once = decodePercentOnce(src);
    if (!once) continue;
    const mapped = base ? compose(base, once) : once;
    out.push(mapped);
    // doubly-encoded nests (%2526) show up after a second pass
    const twice = decodePercentOnce(mapped.text);
    if (twice && /%26|%3d/i.test(once.text)) out.push(compose(mapped, twice));
  }
  return out;
}
