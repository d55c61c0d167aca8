import type { Rule } from '../detect/types.js';

/**
 * The rules' regexes in a form ripgrep's default engine accepts, for the information column
 * of the benchmark: lookarounds and back-references (which it does not support) are dropped,
 * named groups become plain groups, flags become inline flags, and what would cross a line
 * break stops at the end of the line (ripgrep matches line by line). Close to what the rules
 * match, not the same: it measures what "every regex over every byte" costs.
 */
export function rgRegexes(rules: readonly Rule[]): string[] {
  return rules.map((r) => {
    const flags = (r.pattern.flags.includes('i') ? 'i' : '') + (r.pattern.flags.includes('s') ? 's' : '');
    return (flags ? `(?${flags})` : '') + toRust(r.pattern.source);
  });
}

function toRust(src: string): string {
  let out = '';
  let i = 0;
  let inClass = false;
  while (i < src.length) {
    const c = src[i]!;
    if (c === '\\') {
      const next = src[i + 1]!;
      if (!inClass && next === 'k' && src[i + 2] === '<') {
        i = src.indexOf('>', i) + 1; // back-reference: dropped
        continue;
      }
      // ripgrep matches line by line: a line break in a pattern is an error there
      if (!inClass && (next === 'n' || next === 'r')) {
        out += '$';
        i += 2;
        continue;
      }
      // escapes of characters that are not special to Rust's parser
      out += '/~"\'`<>=!:@#%&,;'.includes(next) ? next : src.slice(i, i + 2);
      i += 2;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      out += c === '[' ? '\\[' : c; // a literal [ in a class would open a nested class in Rust
      i++;
      continue;
    }
    if (src.startsWith('[\\s\\S]', i)) {
      out += '.'; // within the line
      i += 6;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      if (src[i + 1] === '^') out += src[++i];
      if (src[i + 1] === ']') out += src[++i]; // a literal ] first in a class
      i++;
      continue;
    }
    if (src.startsWith('(?<=', i) || src.startsWith('(?<!', i) || src.startsWith('(?=', i) || src.startsWith('(?!', i)) {
      i = groupEnd(src, i);
      continue;
    }
    if (src.startsWith('(?<', i)) {
      out += '(?:';
      i = src.indexOf('>', i) + 1;
      continue;
    }
    out += c;
    i++;
  }
  return out;
}

/** Index just past the group that opens at `start`. */
function groupEnd(src: string, start: number): number {
  let depth = 0;
  let inClass = false;
  for (let i = start; i < src.length; i++) {
    const c = src[i]!;
    if (c === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') {
      inClass = true;
      if (src[i + 1] === '^') i++;
      if (src[i + 1] === ']') i++;
    } else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i + 1;
  }
  return src.length;
}
