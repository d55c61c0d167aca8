import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fingerprintOf } from '../analyze/fingerprint.js';
import { DEFAULT_POLICY } from '../analyze/policy.js';
import { BUILTIN_RULES } from '../detect/rules/index.js';
import type { Finding } from '../model/finding.js';
import { explainText } from '../pipeline/explain.js';
import { randomAccountKey } from '../testing/azurite.js';
import { tempTree } from '../testing/cli.js';
import { signAccountSas } from '../testing/tokens.js';
import { dependents, readReport, ReportError } from './breakage.js';
import type { CandidateKey } from './identify.js';
import { hmacSignature } from './signing.js';

/**
 * What else breaks, from a report: redacted reports are matched by fingerprint (key or
 * recomputed signature → SHA-256 over rule, secret and path), unredacted ones by SHA-256 of
 * the secret itself.
 */
const K1 = randomAccountKey();
const K2 = randomAccountKey();
const KEYS: CandidateKey[] = [
  { slot: 'key1', key: K1, source: '$KEY1' },
  { slot: 'key2', key: K2, source: '$KEY2' },
];
const HOST = 'https://leakyacct.blob.core.windows.net';
const NOW = new Date('2024-05-01T00:00:00Z');

function accountLink(key: string, sp: string): { url: string; sig: string } {
  const p = { sp, ss: 'b', srt: 'sco', se: '2030-01-01T00:00:00Z', spr: 'https', sv: '2021-12-02' };
  const sig = signAccountSas('leakyacct', key, p);
  return { url: `${HOST}/public-models?${new URLSearchParams({ ...p, sig }).toString()}`, sig };
}

function containerLink(key: string, container: string, extra: Record<string, string> = {}): string {
  const p: Record<string, string> = { sp: 'r', st: '', se: '2030-01-01T00:00:00Z', si: '', sip: '', spr: 'https', sv: '2021-12-02', sr: 'c', ...extra };
  const sts = [p['sp'], p['st'], p['se'], `/blob/leakyacct/${container}`, p['si'], p['sip'], p['spr'], p['sv'], 'c', '', '', '', '', '', '', ''].join('\n');
  const q = Object.entries(p).filter(([, v]) => v !== '');
  return `${HOST}/${container}?${new URLSearchParams([...q, ['sig', hmacSignature(sts, key)]]).toString()}`;
}

function findings(text: string, showSecrets: boolean): Finding[] {
  return explainText(text, BUILTIN_RULES, { now: NOW, policy: DEFAULT_POLICY, showSecrets });
}

function connectionStringFinding(key: string, file: string, account = 'leakyacct'): Finding {
  return {
    fingerprint: fingerprintOf('azure-storage-connection-string', key, file),
    rule: 'azure-storage-connection-string',
    title: 'Azure Storage connection string with account key',
    severity: 'critical',
    confidence: 'high',
    reasons: [],
    location: { path: file, line: 3, column: 1 },
    secret: `DefaultEndpointsProtocol=https;AccountName=${account};AccountKey=${key.slice(0, 4)}…`,
    redacted: true,
    grant: { provider: 'azure', kind: 'azure-connection-string', account, services: ['blob'], resource: null, scope: 'account', permissions: ['full-control'], start: null, expiry: null, lifetimeSeconds: null, expired: null, protocols: ['https'], ipRange: null, storedPolicy: null, revocation: 'rotate-account-key', revocationHint: '', notes: [] },
  };
}

describe('dependents: what else breaks when a key rotates', () => {
  const leaked = accountLink(K1, 'rwdl');
  const text = [leaked.url, containerLink(K2, 'backups'), containerLink(K1, 'public-models'), containerLink(K1, 'logs', { si: 'readers' })].join('\n');
  const rotatesKey1 = (k: CandidateKey) => k.slot === 'key1';

  for (const showSecrets of [false, true]) {
    it(`matches SAS links to the key that signed them (${showSecrets ? 'unredacted' : 'redacted'} report)`, () => {
      const fs = findings(text, showSecrets);
      assert.equal(fs.length, 4);
      const d = dependents(fs, 'leakyacct', KEYS, rotatesKey1, leaked.sig);
      assert.deepEqual(
        d.map((x) => [x.what, x.use, x.slot, x.leaked]),
        [
          ['account SAS', 'rotating-key', 'key1', true],
          ['service SAS', 'other-key', 'key2', false],
          ['service SAS', 'rotating-key', 'key1', false],
          ['service SAS (policy readers)', 'rotating-key', 'key1', false],
        ],
      );
      assert.ok(d.every((x) => /signature recomputed/.test(x.how)));
    });
  }

  it('matches connection strings by fingerprint without the key in the report, and skips other accounts', () => {
    const fs = [connectionStringFinding(K1, 'app.env'), connectionStringFinding(K2, 'worker.env'), connectionStringFinding(K1, 'other.env', 'otheracct')];
    const d = dependents(fs, 'leakyacct', KEYS, rotatesKey1, null);
    assert.deepEqual(d.map((x) => [x.location, x.what, x.use, x.slot]), [['app.env:3', 'connection string', 'rotating-key', 'key1'], ['worker.env:3', 'connection string', 'other-key', 'key2']]);
    assert.match(d[0]!.how, /holds key1 \(\$KEY1\) \(matched by fingerprint\)/);
    for (const x of d) assert.ok(!JSON.stringify(x).includes(K1) && !JSON.stringify(x).includes(K2), 'no key in the output');
  });

  it('says "unknown" when no key matches or none was given, and leaves user delegation links alone', () => {
    const stranger = randomAccountKey();
    const fs = [...findings(containerLink(stranger, 'x1x'), false), connectionStringFinding(stranger, 'old.env')];
    const d = dependents(fs, 'leakyacct', KEYS, rotatesKey1, null);
    assert.deepEqual(d.map((x) => x.use), ['unknown', 'unknown']);
    assert.match(d[0]!.how, /matches none of the keys given/);
    const none = dependents(findings(leaked.url, false), 'leakyacct', [], null, leaked.sig);
    assert.equal(none[0]!.use, 'unknown');
    assert.match(none[0]!.how, /give the keys to tell/);
    const ud = `${HOST}/c1c?sv=2021-12-02&sr=c&sp=r&se=2030-01-01T00:00:00Z&skoid=00000000-0000-0000-0000-000000000001&sktid=00000000-0000-0000-0000-000000000002&skt=2024-04-30T00:00:00Z&ske=2024-05-06T00:00:00Z&sks=b&skv=2021-12-02&sig=${encodeURIComponent(hmacSignature('x', K1))}`;
    const u = dependents(findings(ud, false), 'leakyacct', KEYS, rotatesKey1, null);
    assert.equal(u[0]!.unaffected, true);
  });

  it('reads a JSON report (findings and suppressed), and rejects what is not one', () => {
    const tree = tempTree({});
    try {
      const file = path.join(tree.dir, 'scan.json');
      writeFileSync(file, JSON.stringify({ schemaVersion: 1, findings: findings(leaked.url, false), suppressed: [connectionStringFinding(K1, 'a.env')] }));
      assert.equal(readReport(file).length, 2);
      writeFileSync(file, '{"hello": 1}');
      assert.throws(() => readReport(file), ReportError);
      writeFileSync(file, JSON.stringify({ schemaVersion: 2, findings: [] }));
      assert.throws(() => readReport(file), /schema version 2/);
      assert.throws(() => readReport(path.join(tree.dir, 'missing.json')), ReportError);
    } finally {
      tree.cleanup();
    }
  });
});
