import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { runCli, tempTree } from '../testing/cli.js';
import { validateReport } from '../testing/schemas.js';
import { sasQuery } from '../testing/tokens.js';

/**
 * The real CLI on the forms real repositories write links in: split over string literals,
 * several on one line, Base64 in a Kubernetes Secret, and a bare token whose account is
 * written a few lines up — with an inferred account shown as such in every format.
 */
const NOW = '2026-01-01T00:00:00Z';
const token = sasQuery({ sv: '2021-08-06', ss: 'b', srt: 'sco', sp: 'rwdl', se: '2031-01-01T00:00:00Z' }, 'e2e-real-code');
const link = (account: string, seed: string) => `https://${account}.blob.core.windows.net/data?${sasQuery({ sv: '2021-08-06', sr: 'c', sp: 'rl', se: '2031-01-01T00:00:00Z' }, seed)}`;

describe('scan: links as real code writes them', () => {
  let tree: ReturnType<typeof tempTree>;
  before(() => {
    const [head, sig] = link('splitacct01', 'split').split('&sig=');
    tree = tempTree({
      'src/upload.py': `ACCOUNT_URL = (\n    "${head}"\n    # signed by ops, rotate yearly\n    "&sig=${sig}"\n)\n`,
      'scripts/copy.sh': `#!/bin/sh\nazcopy copy "${link('srcacct01', 'src')}" "${link('dstacct02', 'dst')}" --recursive\n`,
      'deploy/secret.yaml': `apiVersion: v1\nkind: Secret\ndata:\n  SAS_URL: ${Buffer.from(link('b64acct03', 'b64')).toString('base64')}\n`,
      'config/settings.py': `account_name = "inferacct04"\ncontainer = "checkpoints"\nsas_token = "${token}"\n`,
    });
  });
  after(() => tree.cleanup());

  test('JSON: every link found, at its line, with its own account; an inferred account says so and the report matches the schema', () => {
    const r = runCli(['scan', tree.dir, '--format', 'json', '--now', NOW, '--no-history']);
    const report = JSON.parse(r.stdout);
    assert.deepEqual(validateReport(report), []);
    const rows = report.findings
      .map((f: any) => [f.location.path, f.location.line, f.grant.account, f.grant.accountSource, f.grant.accountLine ?? null, f.location.encoding ?? 'plain'])
      .sort((a: any[], b: any[]) => `${a[0]}${a[2]}`.localeCompare(`${b[0]}${b[2]}`));
    assert.deepEqual(rows, [
      ['config/settings.py', 3, 'inferacct04', 'inferred', 1, 'plain'],
      ['deploy/secret.yaml', 4, 'b64acct03', 'url', null, 'base64'],
      ['scripts/copy.sh', 2, 'dstacct02', 'url', null, 'plain'],
      ['scripts/copy.sh', 2, 'srcacct01', 'url', null, 'plain'],
      ['src/upload.py', 2, 'splitacct01', 'url', null, 'joined-strings'],
    ]);
  });

  test('text and explain: the inferred account names the line it was read from', () => {
    const text = runCli(['scan', `${tree.dir}/config`, '--now', NOW, '--no-history']);
    assert.match(text.stdout, /account-sas · inferacct04 \(inferred from line 1\) · whole account/);
    const explain = runCli(['explain', '-'], { input: `account_name = "inferacct04"\nsas_token = "${token}"\n` });
    assert.match(explain.stdout, /account +inferacct04 \(inferred from line 1\)/);
  });
});
