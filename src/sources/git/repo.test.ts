import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { displayUrl, isRepositoryUrl } from './repo.js';

describe('repository URLs', () => {
  it('recognises what git clones', () => {
    for (const u of ['https://github.com/o/r.git', 'http://host/r', 'ssh://git@host/o/r', 'git://host/r', 'file:///tmp/r', 'git@github.com:o/r.git']) {
      assert.equal(isRepositoryUrl(u), true, u);
    }
    for (const p of ['.', 'src/', '/abs/path', 'C:\\repo', 'notes:today.txt', '-']) assert.equal(isRepositoryUrl(p), false, p);
  });

  it('never shows credentials in a URL', () => {
    assert.equal(displayUrl('https://user:ghp_secret@github.com/o/r.git'), 'https://***@github.com/o/r.git');
    assert.equal(displayUrl('https://host/r.git?token=abc'), 'https://host/r.git');
    assert.equal(displayUrl('file:///tmp/r'), 'file:///tmp/r');
  });
});
