import { compose, identity, type MappedText } from './mapped-text.js';
import { decodeHtmlEntities, decodeJsonEscapes, decodePercentOnce, decodeStringJoins } from './decoders.js';

/**
 * Every reading of a window worth matching: as written, and with each outer encoding
 * undone (and the common stacks: JSON inside HTML, a percent-encoded link inside JSON).
 * Detectors run on each; duplicates are resolved by original offsets afterwards.
 */
export function decodedVariants(text: string): MappedText[] {
  const plain = identity(text);
  const out: MappedText[] = [plain];
  const html = decodeHtmlEntities(text);
  const json = decodeJsonEscapes(text);
  if (html) out.push(html);
  if (json) out.push(json);
  if (html && json) {
    const both = decodeJsonEscapes(html.text);
    if (both) out.push(compose(html, both));
  }
  // a link split across string literals in code
  const joined = decodeStringJoins(text);
  if (joined) out.push(joined);
  for (const base of [...out]) {
    const pct = decodePercentOnce(base.text);
    if (!pct) continue;
    const once = compose(base, pct);
    out.push(once);
    // doubly-encoded nests (%2526) show up after a second pass
    const twice = decodePercentOnce(once.text);
    if (twice && /%26|%3d/i.test(pct.text)) out.push(compose(once, twice));
  }
  return out;
}
