import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Finding } from '../../model/finding.js';
import { components, markup } from './components.js';
import { pageData } from './data.js';

const finding = {
  fingerprint: 'f'.repeat(32),
  rule: 'azure-sas',
  title: 'Azure SAS <b>token</b>',
  severity: 'critical',
  confidence: 'high',
  reasons: ['account-wide', 'expires in 28 years'],
  location: { path: 'docs/"><script>alert(1)</script>.md', line: 3, column: 7 },
  secret: 'sv=2020-08-04&sig=Ab12…',
  redacted: true,
  grant: { provider: 'azure', kind: 'account-sas', account: 'acct', permissions: ['read', 'write'], expiry: '2051-10-06T07:09:59Z', resource: null },
  history: { introduced: { commit: 'a'.repeat(40), date: '2020-07-20T10:00:00Z', author: 'Dana <dana@example.org>' }, presentAtHead: true },
  playbook: [{ step: 'revoke', text: 'Rotate the account key', commands: ['az storage account keys renew --key primary'] }],
} as unknown as Finding;

test('the report components render on the server: the grant card and timeline, every value escaped', () => {
  const ui = components();
  const data = ui.resolve(pageData({ findings: [finding], now: new Date('2024-01-01T00:00:00Z') }, { name: 'sasquatch', version: 't' }));
  const card = markup(ui.grant(data.findings[0]!, data));
  assert.match(card, /<div class="grant"><h3><span class="sev sev-critical">critical<\/span> Azure SAS &lt;b&gt;token&lt;\/b&gt;<\/h3>/);
  assert.match(card, /<span class="chip warn">write<\/span>/);
  assert.match(card, /docs\/&quot;&gt;&lt;script&gt;alert\(1\)&lt;\/script&gt;\.md:3:7/);
  assert.match(card, /<ol class="playbook"><li><span>Rotate the account key<\/span><code class="cmd">az storage account keys renew --key primary<\/code><\/li><\/ol>/);
  assert.doesNotMatch(card, /<script/);
  const timeline = markup(ui.timeline(data.findings, data.now));
  assert.match(timeline, /^<svg viewBox="0 0 1000 68" width="1000" height="68" role="img" aria-label="exposure timeline">/);
  assert.match(timeline, /<rect class="bar bar-exposed"/);
  assert.match(timeline, /&lt;script&gt;/);
});

test('the serializer refuses event-handler attributes and odd tag names rather than write them', () => {
  const ui = components();
  assert.throws(() => ui.toHtml({ t: 'img', a: { onerror: 'x' }, c: [] }), /bad attribute onerror/);
  assert.throws(() => ui.toHtml({ t: 'img src=x', a: {}, c: [] }), /bad tag/);
  assert.equal(ui.toHtml({ t: 'a', a: { href: '"x' }, c: ['<&>'] }), '<a href="&quot;x">&lt;&amp;&gt;</a>');
});
