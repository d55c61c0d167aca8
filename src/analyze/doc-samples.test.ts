import assert from 'node:assert/strict';
import { test } from 'node:test';
import { join } from '../detect/rules/samples.js';
import { findIn } from '../testing/find.js';
import { fakeSig } from '../testing/tokens.js';
import { DOC_SAMPLES, documentedSample } from './doc-samples.js';

/** Samples copied from vendors' documentation are info examples, whichever rule finds them. */

test('every documentation sample names its page and holds exactly one way to match', () => {
  const ids = new Set<string>();
  for (const s of DOC_SAMPLES) {
    assert.ok(!ids.has(s.id), `duplicate id ${s.id}`);
    ids.add(s.id);
    assert.match(s.source, /^https:\/\/[a-z0-9.-]+\.[a-z]{2,}\//, `${s.id}: source must be the documentation page`);
    assert.equal([s.value, s.prefix, s.sha256].filter(Boolean).length, 1, `${s.id}: one of value, prefix, sha256`);
    if (s.prefix) assert.ok(s.prefix.length >= 32, `${s.id}: a prefix needs 32+ characters`);
    if (s.sha256) assert.match(s.sha256, /^[0-9a-f]{64}$/);
    assert.ok(s.what.length > 0);
  }
});

// Each sample as a repository holds it: pasted into code, configuration or a README.
const copies: [string, string][] = [
  ['the SAS overview link', 'sas = "https://myaccount.blob.core.windows.net/sascontainer/sasblob.txt?sv=2019-02-02&st=2019-04-29T22%3A18%3A26Z&se=2055-04-30T02%3A23%3A26Z&sr=b&sp=rw&sip=168.1.5.60-168.1.5.70&spr=https&sig=Z%2FRHIX5Xcg0Mq2rqI3OlWTjEg2tYkboXr1P9ZUXDtkk%3D"'],
  ['the REST reference container SAS', 'GET https://myaccount.blob.core.windows.net/pictures/profile.jpg?sv=2012-02-12&st=2009-02-09&se=2059-02-10&sr=c&sp=r&si=YWJjZGVmZw%3d%3d&sig=dD80ihBh5jfNpymO5Hg1IdiJIEvHcJpCMiCMnN%2fRnbI%3d'],
  [
    'the SigV4 presigned URL',
    'curl "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAQ3EGVHLPUBAZ7K5M%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"',
  ],
  ['the AWS CLI key pair', `[default]\naws_access_key_id = ${join('AKIA', 'I44QH8DHBEXAMPLE')}\naws_secret_access_key = je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY`],
  ['the Cosmos DB emulator connection string', 'COSMOS="AccountEndpoint=https://localhost:8081/;AccountKey=C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==;"'],
  ['the Stripe docs test key', `const stripe = require('stripe')('${join('sk_test_', '4eC39HqLyjWDarjtT1zdp7dc')}');`],
  ['the GitHub token-format example', `export GITHUB_TOKEN=${join('ghp_', '16C7e42F292c6912E7710c838347Ae178B4a')}`],
  ['the Google API key example', `GOOGLE_API_KEY=${join('AIza', 'SyDaGmWKa4JsXZ-HjGw7ISLn_3namBGewQe')}`],
];

for (const [what, text] of copies) {
  test(`${what} is an info example, shown only with --include-examples`, () => {
    assert.deepEqual(findIn(text).map((f) => `${f.rule} ${f.severity}`), [], 'reported without --include-examples');
    const shown = findIn(text, { includeExamples: true });
    assert.ok(shown.length > 0, 'not found at all');
    for (const f of shown) {
      assert.equal(f.severity, 'info');
      assert.ok(f.example);
    }
    assert.ok(shown.some((f) => f.reasons.some((r) => /documentation sample: .*\(https:\/\//.test(r))), JSON.stringify(shown.map((f) => f.reasons)));
  });
}

// The Azurite key is documented too, but its analyzers know it: info emulator findings,
// counted and folded like any info finding, with the documentation page among the reasons.
const emulators: [string, string][] = [
  ['the Azurite connection string', 'AzureWebJobsStorage=DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;'],
];

for (const [what, text] of emulators) {
  test(`${what} is an info emulator finding that names its documentation page`, () => {
    const found = findIn(text);
    assert.ok(found.length > 0, 'not found at all');
    for (const f of found) {
      assert.equal(f.severity, 'info');
      assert.ok(!f.example);
    }
    assert.ok(found.some((f) => f.reasons.some((r) => /documentation sample: .*\(https:\/\//.test(r))), JSON.stringify(found.map((f) => f.reasons)));
  });
}

test('a real credential next to a documentation sample is still reported', () => {
  const text = `docs: sig=Z%2FRHIX5Xcg0Mq2rqI3OlWTjEg2tYkboXr1P9ZUXDtkk%3D\nprod: https://prodacct01.blob.core.windows.net/c/b?sv=2022-11-02&sr=b&sp=r&se=2031-01-01&sig=${encodeURIComponent(fakeSig('prod'))}`;
  const found = findIn(text);
  assert.equal(found.length, 1);
  assert.equal(found[0]!.rule, 'azure-sas');
  assert.notEqual(found[0]!.severity, 'info');
});

test('samples match as written, percent-encoded or by a published prefix', () => {
  assert.equal(documentedSample('Z%2FRHIX5Xcg0Mq2rqI3OlWTjEg2tYkboXr1P9ZUXDtkk%3D')?.id, 'azure-sas-overview-example');
  assert.equal(documentedSample(`11ae9c61ca84dd0bec319f7d52a38029e5873caa2eeced0568ef96076258cfc1a925a9683cc907d210036b61af9e06a13bf4a15b15fab3916669b${'0'.repeat(392)}`)?.id, 'gcs-v4-signed-url-example');
  assert.equal(documentedSample('Z/RHIX5Xcg0Mq2rqI3OlWTjEg2tYkboXr1P9ZUXDtkk'), undefined);
});

test('a SAS-shaped value the SAS analyzer rejects does not come back as a generic secret', () => {
  for (const text of [
    'sas_secret = "sv=2019-02-02&sr=b&sig=Zx8Lq2Vm7Tp4Nw3KdQ"',
    'api_key: "?sig=Z%2FRHIX5Xcg0Mq2rqI3OlWTjEg2tYkboXr1P9ZUXDtkk%3D&foo=bar"',
    'secret = "se=2030-01-01&sp=rl&sv=2019-02-02&sig=Zx8Lq2Vm7Tp4Nw3KdQ"',
    'aws_secret = "X-Amz-Signature=zz"',
  ]) {
    assert.deepEqual(findIn(text, { includeExamples: true }).filter((f) => f.rule === 'generic-secret'), [], text);
  }
});
