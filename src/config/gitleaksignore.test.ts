import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseGitleaksIgnore } from './gitleaksignore.js';

describe('.gitleaksignore', () => {
  it('reads commit:file:rule:line and file:rule:line; files may hold colons; comments and junk are skipped', () => {
    const c = 'cd5226711335c68be1e720b318b7bc3135a30eb2';
    const { entries, invalid } = parseGitleaksIgnore(
      [`# accepted`, `${c}:cmd/config/rules/sidekiq.go:sidekiq-secret:23`, 'docs/a:b.md:generic-api-key:4', './src/app.py:aws-access-token:10', '', 'garbage', 'file.txt:rule:zero'].join('\n'),
    );
    assert.deepEqual(entries, [
      { raw: `${c}:cmd/config/rules/sidekiq.go:sidekiq-secret:23`, commit: c, path: 'cmd/config/rules/sidekiq.go', rule: 'sidekiq-secret', line: 23 },
      { raw: 'docs/a:b.md:generic-api-key:4', path: 'docs/a:b.md', rule: 'generic-api-key', line: 4 },
      { raw: './src/app.py:aws-access-token:10', path: 'src/app.py', rule: 'aws-access-token', line: 10 },
    ]);
    assert.equal(invalid, 2);
  });
});
