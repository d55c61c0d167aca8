import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { BUILTIN_RULES } from '../detect/rules/index.js';
import { sampleKeys, serviceAccountJson } from '../detect/rules/samples.js';
import { findIn } from '../testing/find.js';
import { encodeSig, fakeSig } from '../testing/tokens.js';

/**
 * 5. Base64-wrapped values, for every rule: what a rule finds written plainly it finds
 * inside a Kubernetes Secret's `data:` value, on one line (`base64 -w0`) or wrapped at 76
 * columns (`base64`, a YAML block scalar), and the finding sits on the encoded value
 * (`location.encoding` base64), never on the key it was assigned to.
 */
const NOW = new Date('2025-06-01T00:00:00Z');

function secretYaml(name: string, encoded: string[]): string {
  if (encoded.length === 1) return `apiVersion: v1\nkind: Secret\nmetadata:\n  name: app\ntype: Opaque\ndata:\n  ${name}: ${encoded[0]}\n`;
  return `apiVersion: v1\nkind: Secret\nmetadata:\n  name: app\ndata:\n  ${name}: |\n${encoded.map((l) => `    ${l}`).join('\n')}\n`;
}

/** The lines (1-based) and the first column of the encoded value in the file. */
function valueSpan(text: string, first: string, lines: number): { from: number; to: number; column: number } {
  const at = text.indexOf(first);
  const before = text.slice(0, at).split('\n');
  return { from: before.length, to: before.length + lines - 1, column: before[before.length - 1]!.length + 1 };
}

describe('every rule sees the decoded text of a Base64 value', () => {
  for (const rule of BUILTIN_RULES) {
    rule.examples.forEach((example, i) => {
      const b64 = Buffer.from(example, 'utf8').toString('base64');
      const wrapped = b64.match(/.{1,76}/g)!;
      const forms: [string, string[]][] = [['one line', [b64]]];
      if (wrapped.length > 1) forms.push(['wrapped at 76', wrapped]);
      for (const [form, encoded] of forms) {
        test(`${rule.id} example ${i + 1}, ${form}`, () => {
          const text = secretYaml('credential', encoded);
          const span = valueSpan(text, encoded[0]!, encoded.length);
          const found = findIn(text, { path: 'secret.yaml', now: NOW }).filter((f) => f.rule.startsWith(rule.family) && f.location.encoding?.startsWith('base64'));
          assert.ok(found.length > 0, `no ${rule.family} finding in the Base64 of:\n${example.slice(0, 200)}\nfound: ${JSON.stringify(findIn(text, { path: 'secret.yaml', now: NOW }).map((f) => [f.rule, f.location]))}`);
          for (const f of found) {
            assert.ok(f.location.line >= span.from && f.location.line <= span.to, `${rule.id}: line ${f.location.line} outside the value (${span.from}–${span.to})`);
            if (f.location.line === span.from) assert.ok(f.location.column >= span.column, `${rule.id}: column ${f.location.column} before the value (${span.column})`);
          }
        });
      }
    });
  }
});

describe('the values real configurations hold as Base64', () => {
  const sig = encodeSig(fakeSig('b64'));
  const sasUrl = `https://exportsdata01.blob.core.windows.net/exports/2024/q1.parquet?sv=2021-08-06&sr=b&sp=rw&se=2031-01-01T00:00:00Z&spr=https&sig=${sig}`;

  test('a SAS URL wrapped by base64 over three lines: one finding with its grant, on the first line of the value', () => {
    const lines = Buffer.from(sasUrl).toString('base64').match(/.{1,76}/g)!;
    assert.ok(lines.length >= 3);
    const text = secretYaml('EXPORT_URL', lines);
    const f = findIn(text, { path: 'secret.yaml', now: NOW }).filter((x) => x.rule === 'azure-sas');
    assert.equal(f.length, 1);
    assert.equal(f[0]!.grant!.account, 'exportsdata01');
    assert.deepEqual(f[0]!.grant!.permissions, ['read', 'write']);
    assert.equal(f[0]!.location.encoding, 'base64');
    const span = valueSpan(text, lines[0]!, lines.length);
    assert.deepEqual([f[0]!.location.line, f[0]!.location.column], [span.from, span.column]);
  });

  test('a connection string in a Secret is placed on its encoded value, not on its key', () => {
    const key = Buffer.from(Buffer.alloc(64, 0x5a).map((b, i) => (b * (i + 7)) & 0xff)).toString('base64');
    const cs = `DefaultEndpointsProtocol=https;AccountName=exportsdata01;AccountKey=${key};EndpointSuffix=core.windows.net`;
    const encoded = Buffer.from(cs).toString('base64');
    const text = secretYaml('AzureWebJobsStorage', [encoded]);
    const f = findIn(text, { path: 'secret.yaml', now: NOW }).filter((x) => x.rule === 'azure-storage-connection-string');
    assert.equal(f.length, 1);
    assert.deepEqual([f[0]!.location.line, f[0]!.location.column], [7, text.split('\n')[6]!.indexOf(encoded) + 1]);
  });

  test('an env file holding a Base64 PEM, and a service-account JSON wrapped by base64', () => {
    const pem = Buffer.from(sampleKeys.rsaPkcs8()).toString('base64');
    const env = `APP_ENV=production\nPRIVATE_KEY_B64=${pem}\n`;
    const key = findIn(env, { path: '.env', now: NOW }).filter((x) => x.rule === 'private-key');
    assert.deepEqual(key.map((x) => [x.location.line, x.location.column, x.location.encoding]), [[2, 'PRIVATE_KEY_B64='.length + 1, 'base64']]);
    const sa = Buffer.from(serviceAccountJson('vision-prod-2231', 'trainer')).toString('base64').match(/.{1,76}/g)!;
    const file = `# gcloud key, base64\n${sa.join('\n')}\n`;
    const f = findIn(file, { path: 'sa.b64', now: NOW }).filter((x) => x.rule === 'gcp-service-account-key');
    assert.equal(f.length, 1);
    assert.equal(f[0]!.grant!.account, 'vision-prod-2231');
    assert.equal(f[0]!.location.encoding, 'base64');
  });

  test('lines of equal width that are not one wrapped value stay apart', () => {
    const a = Buffer.from(`first note: ${'a'.repeat(45)}`).toString('base64');
    const b = Buffer.from(`second: https://exportsdata01.blob.core.windows.net/x?sv=2021-08-06&sr=b&sp=r&se=2031-01-01&sig=${sig}`).toString('base64');
    // the first value fills its line exactly, but the next line starts with a key, not more Base64
    const text = `data:\n  a: ${a}\n  b: ${b}\n`;
    const f = findIn(text, { path: 'secret.yaml', now: NOW }).filter((x) => x.rule === 'azure-sas');
    assert.equal(f.length, 1);
    assert.equal(f[0]!.location.line, 3);
  });
});
