import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Finding } from '../../model/finding.js';
import { sarifReport } from '../../report/sarif.js';
import { INCIDENT, sasQuery } from '../../testing/tokens.js';
import { readSas } from './grant.js';
import { sasPlaybook, sasRemediation } from './remediation.js';

const NOW = new Date('2023-06-01T00:00:00Z');

function grant(url: string) {
  const q = url.indexOf('?');
  const r = readSas({ query: url.slice(q + 1), url: url.slice(0, q) }, NOW);
  assert.ok(!('notSas' in r));
  return r.grant;
}

const steps = (url: string) => sasPlaybook(grant(url), NOW);

describe('the remediation playbook, per kind of SAS', () => {
  it('account SAS: find and rotate the signing key, replace with a read-only container link, read the logs, block long SAS', () => {
    const p = steps(INCIDENT.urlB('public-models'));
    assert.deepEqual(p.map((s) => s.step), ['revoke', 'replace', 'investigate', 'prevent']);
    assert.match(p[0]!.text, /dies only when the key that signed it \(key1 or key2\) is rotated/);
    assert.deepEqual(p[0]!.commands, ['sasquatch revoke "$LINK" --account-key-env KEY1 --secondary-key-env KEY2 --report scan.json']);
    assert.match(p[1]!.text, /read and list service SAS on container public-models, HTTPS only, for 1 hour/);
    assert.deepEqual(p[1]!.commands, ['sasquatch mint --from "$LINK" --policy public-models-read --connection-string-env AZURE_STORAGE_CONNECTION_STRING']);
    assert.deepEqual(p[2]!.commands, ['sasquatch logs <log files or $logs container URL> --link "$LINK" --window 2021-10-05..']);
    assert.equal(p[3]!.commands[0], `az storage account update --name ${INCIDENT.account} --resource-group "$(az storage account list --query "[?name=='${INCIDENT.account}'].resourceGroup | [0]" -o tsv)" --sas-expiration-period 0.01:00:00 --sas-expiration-action Block`);
    for (const s of p) for (const c of s.commands) assert.ok(!c.includes('sig='), 'the leaked link is never written into a command');
  });

  it('stored-policy SAS: delete the policy, the key stays', () => {
    const p = steps(`${INCIDENT.host}/public-models?${sasQuery({ sv: '2021-12-02', sr: 'c', si: 'models-read' })}`);
    assert.match(p[0]!.text, /delete stored access policy "models-read" on public-models: every link bound to it dies, the account key stays/);
    assert.deepEqual(p[0]!.commands, [
      'sasquatch revoke "$LINK" --connection-string-env AZURE_STORAGE_CONNECTION_STRING',
      `az storage container policy delete --account-name ${INCIDENT.account} --container-name public-models --name models-read`,
    ]);
  });

  it('user delegation SAS: revoke the delegation keys or the signer\'s role', () => {
    const p = steps(
      `${INCIDENT.host}/c1c?${sasQuery({ sv: '2021-12-02', sr: 'c', sp: 'r', se: '2023-06-03T00:00:00Z', skoid: '11111111-1111-1111-1111-111111111111', sktid: '22222222-2222-2222-2222-222222222222', skt: '2023-05-31T00:00:00Z', ske: '2023-06-03T00:00:00Z', sks: 'b', skv: '2021-12-02' })}`,
    );
    assert.match(p[0]!.text, /revoke the user delegation keys .* or remove the signer's \(11111111-1111-1111-1111-111111111111\) role; it also dies when its key expires \(2023-06-03\)/);
    assert.ok(p[0]!.commands.some((c) => c.startsWith(`az storage account revoke-delegation-keys --name ${INCIDENT.account} --resource-group`)));
  });

  it('expired: nothing to revoke, the logs of its lifetime still matter', () => {
    const p = sasPlaybook(grant(INCIDENT.urlA()), NOW);
    assert.match(p[0]!.text, /^Nothing to revoke: it expired on 2021-10-05/);
    assert.equal(p[0]!.commands.length, 0);
    assert.deepEqual(p.find((s) => s.step === 'investigate')!.commands, ['sasquatch logs <log files or $logs container URL> --link "$LINK" --window 2020-06-10..2021-10-05']);
  });

  it('remediation sentences carry the same commands', () => {
    const r = sasRemediation(grant(INCIDENT.urlB()), NOW);
    assert.equal(r.length, 4);
    assert.match(r[0]!, /^Revoke: /);
    assert.ok(r.every((t) => !t.includes('sasquatch revoke "$LINK"')), 'commands live in the playbook');
  });
});

describe('SARIF rule help', () => {
  it('carries the per-kind playbook; results carry their own steps', () => {
    const g = grant(INCIDENT.urlB());
    const f: Finding = { fingerprint: 'f'.repeat(32), rule: 'azure-sas', title: 'Azure account SAS', severity: 'critical', confidence: 'high', reasons: ['x'], location: { path: 'README.md', line: 1, column: 1 }, secret: 'sv=…', redacted: true, grant: g, playbook: sasPlaybook(g, NOW) };
    const sarif = sarifReport({ findings: [f], suppressed: [], notices: [], targets: ['.'], now: NOW, stats: { startedAt: NOW.toISOString() } } as never) as { runs: { tool: { driver: { rules: { help: { text: string; markdown: string } }[] } }; results: { properties: { playbook: unknown[] } }[] }[] };
    const help = sarif.runs[0]!.tool.driver.rules[0]!.help;
    assert.match(help.markdown, /\| account SAS, ad hoc service SAS \| rotate the account key that signed it/);
    assert.match(help.markdown, /sasquatch mint --from "\$LINK" --policy NAME/);
    assert.match(help.text, /Investigate — `sasquatch logs <logs> --link "\$LINK"/);
    assert.equal(sarif.runs[0]!.results[0]!.properties.playbook.length, 4);
  });
});
