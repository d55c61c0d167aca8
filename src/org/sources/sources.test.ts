import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { FakePlatforms } from '../../testing/fake-platforms.js';
import { gitAuthEnv } from './credentials.js';
import { DEFAULT_FILTER, filterRepos } from './filters.js';
import { listOrg, parseOrgSpec } from './index.js';
import { RateLimiter } from './rate-limit.js';

const TOKENS = { github: 'ghp_fixture', gitlab: 'glpat-fixture', ado: 'ado-fixture', hf: 'hf_fixture' };
const ENV = { GITHUB_TOKEN: TOKENS.github, GITLAB_TOKEN: TOKENS.gitlab, AZURE_DEVOPS_TOKEN: TOKENS.ado, HF_TOKEN: TOKENS.hf };

describe('organisation listings through the platforms’ own clients', () => {
  let fake: FakePlatforms;
  before(async () => {
    fake = await FakePlatforms.start({ tokens: TOKENS, pageSize: 2 });
    for (const n of ['api', 'web', 'infra', 'old-fork', 'attic']) fake.add('github', 'acme', n, '/nonexistent', { fork: n === 'old-fork', archived: n === 'attic', private: n === 'infra', sizeKb: n === 'web' ? 5_000_000 : 10 });
    for (const n of ['svc', 'lib', 'tool']) fake.add('gitlab', n === 'tool' ? 'grp/sub' : 'grp', n, '/nonexistent');
    fake.add('ado', 'contoso', 'one', '/nonexistent', { sub: 'Payments' });
    fake.add('ado', 'contoso', 'two', '/nonexistent', { sub: 'Payments' });
    fake.add('ado', 'contoso', 'three', '/nonexistent', { sub: 'Web' });
    fake.add('hf', 'lab', 'bert-tiny', '/nonexistent', { sub: 'model' });
    fake.add('hf', 'lab', 'gpt-mini', '/nonexistent', { sub: 'model' });
    fake.add('hf', 'lab', 'corpus', '/nonexistent', { sub: 'dataset' });
    fake.add('hf', 'lab', 'demo', '/nonexistent', { sub: 'space', private: true });
  });
  after(() => fake.stop());

  const ctx = (p: Parameters<FakePlatforms['apiUrl']>[0], env: NodeJS.ProcessEnv = ENV) => ({ apiUrl: fake.apiUrl(p), env, rate: new RateLimiter(p) });

  it('GitHub: every page of the organisation, with what the filters need; the budget is read from the headers', async () => {
    const before = fake.requests.github;
    const c = ctx('github');
    const { repos } = await listOrg(parseOrgSpec('github:acme'), c);
    assert.deepEqual(
      repos.map((r) => r.name),
      ['acme/api', 'acme/web', 'acme/infra', 'acme/old-fork', 'acme/attic'],
    );
    assert.equal(fake.requests.github - before, 3, 'three pages of two');
    const infra = repos.find((r) => r.name === 'acme/infra')!;
    assert.equal(infra.visibility, 'private');
    assert.equal(infra.url, `${fake.url}/git/github/acme/infra.git`);
    assert.match(c.rate.describe(), /^github API: 3 requests, [\d,]+ of 5,000 requests left/);
  });

  it('GitHub without a token is refused (tokens come only from the environment)', async () => {
    await assert.rejects(listOrg(parseOrgSpec('github:acme'), ctx('github', {})), /Bad credentials|401/);
  });

  it('GitLab: a group and its subgroups, every page', async () => {
    const { repos } = await listOrg(parseOrgSpec('gitlab:grp'), ctx('gitlab'));
    assert.deepEqual(repos.map((r) => r.name).sort(), ['grp/lib', 'grp/sub/tool', 'grp/svc']);
    assert.equal(repos[0]!.sizeKb, 1);
  });

  it('Azure DevOps: one project, or every project of the organisation', async () => {
    const one = await listOrg(parseOrgSpec('azure-devops:contoso/Payments'), ctx('ado'));
    assert.deepEqual(one.repos.map((r) => r.name).sort(), ['contoso/Payments/one', 'contoso/Payments/two']);
    assert.equal(one.repos[0]!.defaultBranch, 'main');
    const all = await listOrg(parseOrgSpec('azure-devops:contoso'), ctx('ado'));
    assert.equal(all.repos.length, 3);
  });

  it('Hugging Face: models, datasets and spaces, each with its git URL', async () => {
    const { repos } = await listOrg(parseOrgSpec('hf:lab'), ctx('hf'));
    assert.deepEqual(repos.map((r) => r.name).sort(), ['datasets/lab/corpus', 'lab/bert-tiny', 'lab/gpt-mini', 'spaces/lab/demo']);
    assert.equal(repos.find((r) => r.name === 'spaces/lab/demo')!.url, `${fake.url}/hf/spaces/lab/demo`);
    assert.equal(repos.find((r) => r.name === 'spaces/lab/demo')!.visibility, 'private');
  });

  it('filters: forks out by default, archived kept unless asked, visibility, name globs, size', async () => {
    const { repos } = await listOrg(parseOrgSpec('github:acme'), ctx('github'));
    const names = (f: Partial<typeof DEFAULT_FILTER>) => filterRepos(repos, { ...DEFAULT_FILTER, ...f }).kept.map((r) => r.name);
    assert.deepEqual(names({}), ['acme/api', 'acme/web', 'acme/infra', 'acme/attic']);
    assert.deepEqual(names({ forks: true, archived: false }), ['acme/api', 'acme/web', 'acme/infra', 'acme/old-fork']);
    assert.deepEqual(names({ visibility: ['private'] }), ['acme/infra']);
    assert.deepEqual(names({ include: ['a*'] }), ['acme/api', 'acme/attic']);
    assert.deepEqual(names({ exclude: ['acme/a*'] }), ['acme/web', 'acme/infra']);
    assert.deepEqual(names({ maxSizeKb: 1_000_000 }), ['acme/api', 'acme/infra', 'acme/attic']);
    assert.deepEqual(filterRepos(repos, DEFAULT_FILTER).left, { fork: ['acme/old-fork'] });
  });

  it('specs: the four platforms, and a clear message otherwise', () => {
    assert.deepEqual(parseOrgSpec('azure-devops:org/proj'), { source: 'azure-devops', target: 'org/proj' });
    assert.deepEqual(parseOrgSpec('hf:lab'), { source: 'hf', target: 'lab' });
    assert.throws(() => parseOrgSpec('bitbucket:x'), /expected github:ORG/);
  });

  it('git over HTTPS gets the token for its own host only, never in a command line', () => {
    const env = gitAuthEnv('github', 'https://github.com/acme/api.git', ENV);
    assert.equal(env['GIT_CONFIG_KEY_0'], 'http.https://github.com/.extraHeader');
    assert.equal(env['GIT_CONFIG_VALUE_0'], `Authorization: Basic ${Buffer.from(`x-access-token:${TOKENS.github}`).toString('base64')}`);
    assert.deepEqual(gitAuthEnv('list', 'https://github.com/acme/api.git', ENV), {});
    assert.deepEqual(gitAuthEnv('github', 'file:///tmp/x', ENV), {});
  });
});

describe('rate limits are respected and shown', () => {
  it('a GitHub budget spent mid-listing: the next page waits for the reset instead of failing', async () => {
    const fake = await FakePlatforms.start({ pageSize: 1, githubRateLimit: { limit: 2, windowMs: 1500 } });
    try {
      for (const n of ['a', 'b', 'c']) fake.add('github', 'acme', n, '/nonexistent');
      const waits: string[] = [];
      const rate = new RateLimiter('GitHub', { onWait: (p, ms, why) => waits.push(`${p} ${Math.round(ms)} ${why}`) });
      const { repos } = await listOrg(parseOrgSpec('github:acme'), { apiUrl: fake.apiUrl('github'), env: {}, rate });
      assert.deepEqual(
        repos.map((r) => r.name),
        ['acme/a', 'acme/b', 'acme/c'],
      );
      assert.equal(waits.length, 1, waits.join('\n'));
      assert.match(waits[0]!, /^GitHub \d+ 0 of 2 requests left until /);
      assert.ok(rate.state.waitedMs > 0);
      assert.match(rate.describe(), /waited [\d.]+ s for the rate limit/);
    } finally {
      await fake.stop();
    }
  });

  it('a 429 with Retry-After is retried after the wait; a wait longer than allowed returns the refusal', async () => {
    let calls = 0;
    const http = await import('node:http');
    const srv = http.createServer((_req, res) => {
      calls++;
      if (calls === 1) res.writeHead(429, { 'retry-after': '1' }).end('slow down');
      else if (calls === 2) res.writeHead(200, { 'content-type': 'application/json' }).end('[]');
      else res.writeHead(429, { 'retry-after': '3600' }).end('come back later');
    });
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(srv.address() as { port: number }).port}/`;
    try {
      const slept: number[] = [];
      const rate = new RateLimiter('Test', { maxWaitMs: 60_000, sleep: async (ms) => void slept.push(ms) });
      assert.equal((await rate.fetch(url)).status, 200);
      assert.deepEqual(slept, [1000]);
      assert.equal((await rate.fetch(url)).status, 429);
    } finally {
      srv.close();
    }
  });
});

describe('repos file', () => {
  it('URLs and local paths, comments, credentials dropped with a warning, missing paths reported', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sasquatch-list-'));
    try {
      mkdirSync(path.join(dir, 'local-repo'));
      const file = path.join(dir, 'repos.txt');
      writeFileSync(file, ['# our repositories', 'https://git.example.com/org/app.git', 'https://user:secret@git.example.com/org/lib.git  # with a password', 'local-repo', 'missing-dir', ''].join('\n'));
      const { repos, notices } = await listOrg({ source: 'list', target: file }, { env: {}, rate: new RateLimiter('none') });
      assert.deepEqual(
        repos.map((r) => [r.name, r.url]),
        [
          ['org/app', 'https://git.example.com/org/app.git'],
          ['org/lib', 'https://git.example.com/org/lib.git'],
          ['local-repo', pathToFileURL(path.join(dir, 'local-repo')).href],
        ],
      );
      assert.equal(notices.length, 2);
      assert.match(notices[0]!, /credentials in a URL are not used/);
      assert.match(notices[1]!, /missing-dir: not a URL and no such directory/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
