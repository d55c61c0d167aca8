import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Finding } from '../model/finding.js';
import { tempTree } from '../testing/cli.js';
import { INCIDENT } from '../testing/tokens.js';
import { attachFindingFromReport, exposureOf, isFingerprint, linkFromReport, linkFromText, parseWindow } from './link.js';

const NOW = { now: new Date('2024-01-01T00:00:00Z'), showSecrets: false };

describe('reading the leaked link', () => {
  it('takes a URL, a bare token, an HTML-escaped paste and a connection string alike', () => {
    const url = INCIDENT.urlB();
    const token = INCIDENT.tokenB();
    const forms = [
      url,
      `?${token}`,
      url.replace(/&/g, '&amp;'),
      `BlobEndpoint=${INCIDENT.host}/;SharedAccessSignature=${token}`,
    ];
    const hashes = forms.map((f) => linkFromText(f, NOW).sigHash);
    assert.ok(hashes[0]);
    for (const h of hashes) assert.equal(h, hashes[0]);
    const t = linkFromText(url, NOW);
    assert.equal(t.account, INCIDENT.account);
    assert.equal(t.kind, 'account-sas');
    assert.equal(t.fields.get('sp'), 'rwdlacupitfx');
    assert.equal(t.fields.get('se'), '2051-10-06T07:09:59Z');
    assert.equal(t.fields.has('sig'), false);
    assert.equal(t.expiry, Date.UTC(2051, 9, 6, 7, 9, 59));
    assert.match(t.shown, /sig=[A-Za-z0-9+/%]{4}…$/);
    assert.ok(!t.shown.includes(encodeURIComponent(t.signature!)));
  });

  it('refuses what is not an Azure Storage SAS', () => {
    assert.throws(() => linkFromText('https://example.com/?a=b', NOW), /not an Azure Storage SAS: no sig parameter/);
    assert.throws(() => linkFromText('SharedAccessSignature sr=x&sig=abc&se=1700000000&skn=RootManageSharedAccessKey', NOW), /not an Azure Storage SAS/);
  });

  it('tells fingerprints from links', () => {
    assert.ok(isFingerprint('3f9a0c1d2e3f4a5b6c7d8e9f0a1b2c3d'));
    assert.ok(isFingerprint('3f9a0c1d'));
    assert.ok(!isFingerprint(INCIDENT.tokenB()));
  });
});

describe('exposure windows', () => {
  it('parses FROM..UNTIL with open ends; a bare UNTIL date includes that day', () => {
    assert.deepEqual(parseWindow('2021-10-05..2023-06-24'), { from: Date.UTC(2021, 9, 5), until: Date.UTC(2023, 5, 25) - 1, source: '--window' });
    assert.deepEqual(parseWindow('..2023-06-24T12:00:00Z'), { from: null, until: Date.UTC(2023, 5, 24, 12), source: '--window' });
    assert.deepEqual(parseWindow('2023-06-24T12:00:00.500Z..'), { from: Date.UTC(2023, 5, 24, 12, 0, 0, 500), until: null, source: '--window' });
    assert.throws(() => parseWindow('2023-06-24'), /FROM\.\.UNTIL/);
    assert.throws(() => parseWindow('2023-06-24..2023-06-01'), /starts after it ends/);
    assert.throws(() => parseWindow('soon..later'), /not a date/);
  });

  it("comes from a finding's history: its own exposure, else introduced → removal or expiry", () => {
    const f = { fingerprint: 'abcdef0123456789', grant: { expiry: '2051-10-06T07:09:59Z' } } as unknown as Finding;
    assert.equal(exposureOf(f), null);
    f.history = { introduced: { commit: 'c1', date: '2021-10-06T10:00:00Z' }, presentAtHead: true };
    assert.deepEqual(exposureOf(f), { from: Date.UTC(2021, 9, 6, 10), until: Date.UTC(2051, 9, 6, 7, 9, 59), source: 'history of finding abcdef012345' });
    f.history.removed = { commit: 'c2', date: '2023-07-07T00:00:00Z' };
    assert.equal(exposureOf(f)!.until, Date.UTC(2023, 6, 7));
    f.history.exposure = { from: '2021-10-05T23:09:59Z', until: '2023-06-24T00:00:00Z', days: 626, stillValidAfterRemoval: true };
    assert.deepEqual(exposureOf(f), { from: Date.UTC(2021, 9, 5, 23, 9, 59), until: Date.UTC(2023, 5, 24), source: 'history of finding abcdef012345' });
  });
});

describe('findings from a scan report', () => {
  const finding = (over: Partial<Finding>): Finding =>
    ({
      fingerprint: '3f9a0c1d2e3f4a5b6c7d8e9f0a1b2c3d',
      rule: 'azure-sas',
      location: { path: 'README.md', line: 12, column: 5 },
      secret: INCIDENT.tokenB().replace(/sig=([^&]{4})[^&]*/, 'sig=$1…'),
      grant: { provider: 'azure', account: INCIDENT.account, expiry: '2051-10-06T07:09:59Z', resource: { url: `${INCIDENT.host}/public-models` } },
      history: { introduced: { commit: 'c1', date: '2021-10-06T00:00:00Z' }, presentAtHead: false, removed: { commit: 'c2', date: '2023-07-07T00:00:00Z' } },
      ...over,
    }) as unknown as Finding;

  it('takes the redacted token, its account and window by fingerprint (or a unique prefix)', async () => {
    const other = finding({ fingerprint: '3f9a0c1dffffffffffffffffffffffff', rule: 'aws-presigned-url' });
    const { dir, cleanup } = tempTree({ 'scan.json': JSON.stringify({ schemaVersion: 1, findings: [finding({}), other] }) });
    try {
      const t = await linkFromReport('3f9a0c1d2e3f', `${dir}/scan.json`, NOW);
      assert.equal(t.mode, 'fingerprint');
      assert.equal(t.account, INCIDENT.account);
      assert.equal(t.sigHash, null);
      assert.equal(t.signaturePrefix?.length, 4);
      assert.equal(t.fields.get('sp'), 'rwdlacupitfx');
      assert.deepEqual(t.finding, { fingerprint: '3f9a0c1d2e3f4a5b6c7d8e9f0a1b2c3d', path: 'README.md', line: 12 });
      assert.deepEqual(t.exposure, { from: Date.UTC(2021, 9, 6), until: Date.UTC(2023, 6, 7), source: 'history of finding 3f9a0c1d2e3f' });
      await assert.rejects(linkFromReport('3f9a0c1d', `${dir}/scan.json`, NOW), /matches 2 findings/);
      await assert.rejects(linkFromReport('3f9a0c1dffff', `${dir}/scan.json`, NOW), /only Azure SAS links/);
      await assert.rejects(linkFromReport('00000000', `${dir}/scan.json`, NOW), /no finding with fingerprint 00000000/);
    } finally {
      cleanup();
    }
  });

  it('finds the finding holding a full link, for its window', async () => {
    const { dir, cleanup } = tempTree({ 'scan.json': JSON.stringify({ findings: [finding({})] }) });
    try {
      const t = linkFromText(INCIDENT.urlB(), NOW);
      assert.equal(await attachFindingFromReport(t, `${dir}/scan.json`), true);
      assert.equal(t.exposure?.until, Date.UTC(2023, 6, 7));
      const a = linkFromText(INCIDENT.urlA(), NOW);
      assert.equal(await attachFindingFromReport(a, `${dir}/scan.json`), false);
    } finally {
      cleanup();
    }
  });
});
