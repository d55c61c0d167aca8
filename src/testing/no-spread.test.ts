import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import ts from 'typescript';

/**
 * No array is spread into a call's arguments (`out.push(...matches)`, `Math.max(...sizes)`):
 * every argument goes on the stack, and an array of 130,000 matches overflowed it (a file of
 * `sig=a` lines lost its findings). Spreads of arrays that are small by construction are
 * allowed when a `bounded:` comment on the line or the line above says why.
 */
const SRC = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..', 'src');

function sources(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) sources(p, out);
    else if (p.endsWith('.ts') && !p.endsWith('.test.ts') && !p.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

test('no array is spread into call arguments unless marked bounded', () => {
  const offenders: string[] = [];
  const files = sources(SRC);
  assert.ok(files.length > 50, `${files.length} sources under ${SRC}`);
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const lines = text.split('\n');
    const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    const visit = (n: ts.Node): void => {
      if (ts.isSpreadElement(n) && (ts.isCallExpression(n.parent) || ts.isNewExpression(n.parent))) {
        const line = sf.getLineAndCharacterOfPosition(n.getStart()).line;
        const marked = /\bbounded:/.test(lines[line]!) || /\/\/ bounded:/.test(lines[line - 1] ?? '');
        if (!marked) offenders.push(`${path.relative(SRC, file)}:${line + 1}: ${lines[line]!.trim()}`);
      }
      ts.forEachChild(n, visit);
    };
    visit(sf);
  }
  assert.deepEqual(offenders, []);
});
