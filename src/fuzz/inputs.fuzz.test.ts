import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { ConfigError, loadConfig } from '../config/load.js';
import { parseClassicLine } from '../logs/classic.js';
import { valuesOfJsonLine } from '../logs/json.js';
import { linkFromText } from '../logs/link.js';
import { LinkMatcher } from '../logs/match.js';
import { recordFromObject } from '../logs/monitor.js';
import { classicLine, monitorRecord, type FakeRequest } from '../testing/storage-logs.js';
import { mutated, planted, poison } from './arbitraries.js';
import { fuzzParams, withinLimit } from './settings.js';

/**
 * Properties of the other inputs the tool reads: storage-log lines (classic and Azure
 * Monitor) and configuration files. Parsers never throw on what they are given (a bad line
 * is a malformed line, a bad configuration a ConfigError), take bounded time, and a request
 * made with the planted SAS is still recognised among damaged lines.
 */
const NOW = new Date('2026-01-01T00:00:00Z');

function request(url: string, account: string): FakeRequest {
  return { time: '2025-06-01T10:00:00.123Z', operation: 'GetBlob', status: 'SASSuccess', http: 200, auth: 'sas', account, url, objectKey: `/${account}/data/file.bin`, requestId: '6d1f0e2a-501e-0021-7e29-000000000000', ip: '203.0.113.7:50123', responseBytes: 1234 };
}

test('fuzz: storage-log lines, damaged or not, never throw; the planted SAS request is still matched', (t) => {
  fc.assert(
    fc.property(planted, fc.array(mutated(fc.constantFrom(classicLine(request('https://a.blob.core.windows.net/c/b?sv=2020-08-04&sig=XXXXX', 'a')), JSON.stringify(monitorRecord(request('https://a.blob.core.windows.net/c/b', 'a'))))), { maxLength: 8 }), poison, (p, lines, junk) => {
      const target = linkFromText(p.url, { now: NOW, showSecrets: false });
      const matcher = new LinkMatcher(target);
      const good = classicLine(request(p.url, p.account), '2.0');
      const all = [...lines, junk.toString('latin1'), good];
      let matched = 0;
      withinLimit(() => {
        for (const line of all) {
          const r = parseClassicLine(line);
          if (!('error' in r) && matcher.match(r)) matched++;
          const values = valuesOfJsonLine(line);
          if (!('error' in values)) for (const v of values) recordFromObject(v);
        }
      });
      assert.ok(matched >= 1, 'the request made with the planted SAS was not matched');
    }),
    fuzzParams(t, 40),
  );
});

test('fuzz: configuration files, generated and damaged, load or fail with a ConfigError, nothing else', (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sasquatch-fuzz-config-'));
  const valid = [
    'failOn: high\nexclude:\n  - node_modules\nmaxFileSize: 10MB\n',
    '{"failOn": "medium", "rules": {"generic-secret": {"severity": "low"}}}',
    'failOn = "critical"\nexclude = ["dist"]\n',
    'policy:\n  maxLifetime: 7d\nallow:\n  - rule: azure-sas\n    path: docs/**\n',
    'rules:\n  custom:\n    - id: my-token\n      pattern: "tok_[a-z0-9]{16}"\n      keywords: ["tok_"]\n      examples: ["tok_abcdefghijklmnop"]\n',
  ];
  const names = ['sasquatch.config.yaml', 'sasquatch.config.json', 'sasquatch.config.toml'];
  try {
    fc.assert(
      fc.property(mutated(fc.constantFrom(...valid)), fc.constantFrom(...names), (text, name) => {
        const file = path.join(dir, name);
        writeFileSync(file, text);
        try {
          withinLimit(() => loadConfig(file));
        } catch (e) {
          if (!(e instanceof ConfigError)) throw e;
        }
      }),
      fuzzParams(t, 60),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
