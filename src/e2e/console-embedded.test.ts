import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runCliAsync } from '../testing/cli.js';
import { startConsole, type RunningConsole } from '../testing/console.js';
import { scanDemoRepository } from '../testing/console-fixture.js';
import { freshStoreDir } from '../testing/embedded-store.js';

/**
 * The console on the embedded store (one process at a time) while `sasquatch findings` runs
 * in another process: the console lets go of the store whenever another process waits for
 * it, so each sees the other's decisions at once, and neither waits out the lock.
 */
describe('the console on an embedded store, with the CLI beside it', () => {
  let store: string;
  let app: RunningConsole;
  before(async () => {
    store = await freshStoreDir();
    await scanDemoRepository(store);
    app = await startConsole(store, { env: { SASQUATCH_USER: 'erin' } });
  });
  after(() => app?.stop());

  const api = async (path: string, init?: RequestInit) => {
    const r = await fetch(new URL(path, app.url), init);
    assert.equal(r.status, 200, await r.clone().text());
    return r;
  };

  it('a decision made in the console is in `findings` at once, and one made with `findings` is in the console', async () => {
    const list = (await (await api('/api/findings?rule=azure-sas')).json()) as { items: { fingerprint: string }[] };
    const [a, b] = list.items.map((i) => i.fingerprint);
    assert.ok(a && b);
    const session = await api('/api/session');
    const { csrfToken } = (await session.json()) as { csrfToken: string };
    const cookie = session.headers.get('set-cookie')!.split(';')[0]!;
    await api('/api/findings/triage', { method: 'POST', headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken }, body: JSON.stringify({ status: 'revoked', note: 'rotated', fingerprints: [a] }) });
    const started = Date.now();
    const shown = await runCliAsync(['findings', 'show', a!, '--store', store, '--format', 'json']);
    assert.equal(shown.code, 0, shown.stderr);
    assert.ok(Date.now() - started < 20_000, 'the CLI did not wait out the lock');
    const d = JSON.parse(shown.stdout) as { status: string; triage: { actor: string; status: string }[] };
    assert.equal(d.status, 'revoked');
    assert.deepEqual(d.triage.map((t) => [t.actor, t.status]), [['erin', 'revoked']]);
    const t = await runCliAsync(['findings', 'triage', b!, '--store', store, '--status', 'false-positive', '--note', 'a sample', '--by', 'frank']);
    assert.equal(t.code, 0, t.stderr);
    // the console opens the store again for its next request and sees it
    const back = (await (await api(`/api/findings/${b}`)).json()) as { status: string; triage: { actor: string }[] };
    assert.equal(back.status, 'false-positive');
    assert.equal(back.triage.at(-1)!.actor, 'frank');
    const page = await (await api(`/findings/${b}`)).text();
    assert.match(page, /frank/);
  });
});
