import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pathContext } from './path-context.js';

test('path context: tests, fixtures, docs, examples and installed third-party code, by directory or file name', () => {
  const cases: [string, string | null][] = [
    ['test/config.js', 'test'],
    ['src/__tests__/login.tsx', 'test'],
    ['pkg/spec/models/user_spec.rb', 'test'],
    ['internal/auth/token_test.go', 'test'],
    ['app/tests.py', null],
    ['app/test_login.py', 'test'],
    ['web/src/login.spec.ts', 'test'],
    ['web/src/login.test.mjs', 'test'],
    ['src/test/java/com/x/LoginServiceTest.java', 'test'],
    ['lib/testdata/creds.json', 'fixture'],
    ['app/fixtures/config.yml', 'fixture'],
    ['test/fixtures/x.yml', 'test'],
    ['docs/setup.html', 'docs'],
    ['README.md', 'docs'],
    ['guide/install.rst', 'docs'],
    ['curl.1', 'docs'],
    ['docs/TODO', 'docs'],
    ['TODO', 'docs'],
    ['examples/basic/main.py', 'example'],
    ['.env.example', 'example'],
    ['config/settings.sample.yml', 'example'],
    ['node_modules/axios/lib/core.js', 'vendor'],
    ['third_party/zlib/zconf.h', 'vendor'],
    ['release-1.0.tar.gz!curl-1.0/tests/data/test299', 'test'],
    ['.github/workflows/deploy.yml', null],
    ['config/production.yaml', null],
    ['src/db/connection.ts', null],
    ['bin/fetch-data.sh', null],
    ['.env', null],
    ['contest/entry.py', null],
    ['latest/config.json', null],
  ];
  for (const [path, want] of cases) assert.equal(pathContext(path), want, path);
});
