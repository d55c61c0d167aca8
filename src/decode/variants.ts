import { compose, identity, type MappedText } from './mapped-text.js';
import { decodeHtmlEntities, decodeJsonEscapes, decodePercentOnce, decodeStringJoins } from './decoders.js';

/**
 * Every reading of a window worth matching: as written, and with each outer encoding
 * undone (and the common stacks: JSON inside HTML, a percent-encoded link inside JSON).
 * Detectors run on each; duplicates are resolved by original offsets afterwards.
 */
export function decodedVariants(text: string): MappedText[] {
  return [identity(text), ...decodedOnly(text)];
}

/**
 * The decoded readings alone (not the text as written), each mapped to `text`. A window
 * without `&`, `\` or `%` has none, and costs three indexOf calls to find that out.
 */
export function decodedOnly(text: string): MappedText[] {
  const amp = text.includes('&');
  const backslash = text.includes('\\');
  const pct = text.includes('%');
  if (!amp && !backslash && !pct) return [];
  const out: MappedText[] = [];
  const html = amp ? decodeHtmlEntities(text) : null;
  const json = backslash ? decodeJsonEscapes(text) : null;
  if (html) out.push(html);
  if (json) out.push(json);
  if (html && json) {
    const both = decodeJsonEscapes(html.text);
    if (both) out.push(compose(html, both));
  }
  // a link split across string literals in code
  const joined = decodeStringJoins(text);
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
