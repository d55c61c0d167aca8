import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { makeZip } from '../testing/archives.js';
import { runCli, tempTree } from '../testing/cli.js';
import { INCIDENT } from '../testing/tokens.js';

/**
 * File and archive-member names, URL paths and other data are printed for people: a name
 * holding ESC, CR, a newline or U+202E must not drive the terminal, forge a line or reorder
 * what is read. Every human-facing output writes them as visible escapes.
 */
// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e\u2066-\u2069]/;
const EVIL = 'a\x1b[2J\rFORGED\nFORGED2\u202eevil.txt';

let dir: string;
let cleanup: () => void;

before(() => {
  ({ dir, cleanup } = tempTree({}));
  writeFileSync(path.join(dir, EVIL), `model: ${INCIDENT.urlB()}\n`);
  writeFileSync(path.join(dir, 'bundle.zip'), makeZip([{ name: `docs/\x1b]0;title\x07member\u202e.md`, data: Buffer.from(`link: ${INCIDENT.urlA()}\n`) }]));
});
after(() => cleanup());

function linesOf(text: string): string[] {
  return text.split('\n');
}

describe('control characters in names are escaped in every human-facing output', () => {
  it('text report: no raw control or bidi character; no forged line', () => {
    const r = runCli(['scan', dir, '--no-config', '--fail-on', 'never', '-v']);
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stdout, RAW_CONTROL);
    assert.ok(!linesOf(r.stdout).some((l) => l.startsWith('FORGED')), 'a newline in a file name forged a line');
    assert.ok(r.stdout.includes('a\\x1b[2J\\rFORGED\\nFORGED2\\u202eevil.txt'), r.stdout);
    assert.ok(r.stdout.includes('bundle.zip!docs/\\x1b]0;title\\x07member\\u202e.md'), r.stdout);
  });

  it('github annotations: one line per finding, properties escaped the way the runner decodes them', () => {
    const r = runCli(['scan', dir, '--no-config', '--fail-on', 'never', '--format', 'github']);
    assert.doesNotMatch(r.stdout, RAW_CONTROL);
    const annotations = linesOf(r.stdout).filter((l) => l.startsWith('::'));
    assert.equal(annotations.length, 2);
    assert.ok(annotations.some((l) => l.includes('file=a\\x1b[2J%0DFORGED%0AFORGED2\\u202eevil.txt,')), annotations.join('\n'));
    assert.ok(!linesOf(r.stdout).some((l) => l.startsWith('FORGED')));
  });

  it('explain: a URL path holding escapes is shown escaped', () => {
    const url = INCIDENT.urlB('public-models/%1B%5B31mred%0D%0Aforged%E2%80%AE.ckpt');
    const r = runCli(['explain', url]);
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stdout, RAW_CONTROL);
    assert.ok(!linesOf(r.stdout).some((l) => l.startsWith('forged')));
  });
});
