/**
 * Fitting text to a terminal: lines wrapped at spaces under their own indent (continuations
 * two columns deeper), a word longer than the line broken where it must, ANSI styling never
 * counted nor split; long paths elided at the start, keeping the file name.
 */
// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;]*m/g;

export function visibleLength(s: string): number {
  return s.replace(ANSI, '').length;
}

export function fit(line: string, width: number): string[] {
  if (visibleLength(line) <= width) return [line];
  const indent = /^ */.exec(line)![0];
  // continuation lines two columns deeper, as long as that leaves a useful line
  const cont = width - indent.length - 2 >= 20 ? `${indent}  ` : '';
  const out: string[] = [];
  let cur = indent;
  let len = indent.length;
  let empty = true;
  const newLine = () => {
    out.push(cur);
    cur = cont;
    len = cont.length;
    empty = true;
  };
  for (let word of line.slice(indent.length).split(' ')) {
    let w = visibleLength(word);
    // a word that fits on no line starts where it is (and is broken below); others move down whole
    const fitsALine = w <= width - cont.length || hasAnsi(word);
    if (!empty && len + 1 + w > width && (fitsALine || width - len < 12)) newLine();
    if (empty && !word) continue;
    // a word wider than a line (a token, a URL) is broken where the line ends; styled words never are
    while (w > width - len - (empty ? 0 : 1) && !hasAnsi(word)) {
      const take = width - len - (empty ? 0 : 1);
      if (take <= 0) {
        newLine();
        continue;
      }
      cur += `${empty ? '' : ' '}${word.slice(0, take)}`;
      word = word.slice(take);
      w = word.length;
      newLine();
    }
    if (!word) continue;
    cur += `${empty ? '' : ' '}${word}`;
    len += (empty ? 0 : 1) + w;
    empty = false;
  }
  if (!empty) out.push(cur);
  return out;
}

function hasAnsi(s: string): boolean {
  return s.includes('\x1b[');
}

/** `…/deeply/nested/file.py`: a path kept within the width, its end (the file name) whole. */
export function elide(path: string, width: number | undefined): string {
  if (!width || path.length <= width) return path;
  return `…${path.slice(path.length - Math.max(8, width - 1))}`;
}

/** Words wrapped to a width (no indent handling): for paragraphs. */
export function wrapParagraph(text: string, width: number): string {
  const words = text.split(' ');
  const lines: string[] = [];
  let cur = '';
  for (const w of words) {
    if (cur && visibleLength(cur) + visibleLength(w) + 1 > width) {
      lines.push(cur);
      cur = w;
    } else cur = cur ? `${cur} ${w}` : w;
  }
  if (cur) lines.push(cur);
  return lines.join('\n');
}
