import { spawn } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * A loopback stand-in for the few listing endpoints sasquatch calls on GitHub, GitLab, Azure
 * DevOps and Hugging Face — with their pagination and rate-limit headers — serving real git
 * repositories over smart HTTP through `git http-backend` (CGI). Only 127.0.0.1, only for
 * tests and the benchmark.
 *
 *   GitHub        /api/v3/orgs/ORG/repos              clone_url   /git/github/ORG/NAME.git
 *   GitLab        /api/v4/groups/GROUP/projects       http_url    /git/gitlab/GROUP/NAME.git
 *   Azure DevOps  /ado/ORG/PROJECT/_apis/git/repositories   remoteUrl /git/ado/ORG/PROJECT/_git/NAME
 *   Hugging Face  /hf/api/{models,datasets,spaces}?author=ORG  git /hf/[datasets/|spaces/]ORG/NAME
 *
 * With a token set for a platform, its API and its git URLs answer 401 without it.
 */
export type Platform = 'github' | 'gitlab' | 'ado' | 'hf';

export interface FakeRepoOptions {
  private?: boolean;
  fork?: boolean;
  archived?: boolean;
  sizeKb?: number;
  defaultBranch?: string;
}

interface Entry extends FakeRepoOptions {
  platform: Platform;
  owner: string;
  name: string;
  /** For ADO: the project; for HF: model | dataset | space. */
  sub: string;
  urlPath: string;
  bareDir: string;
}

export interface FakeOptions {
  tokens?: Partial<Record<Platform, string>>;
  /** Items per page unless the client asks for fewer (GitHub, GitLab, HF). */
  pageSize?: number;
  /** GitHub: requests allowed per window before 403 "rate limit exceeded" (until the window resets). */
  githubRateLimit?: { limit: number; windowMs: number };
}

/** "Last pushed", as a platform reports it: when a ref of the repository last changed (whole seconds). */
function pushedAt(bareDir: string): string {
  let newest = 0;
  const walk = (p: string) => {
    let st;
    try {
      st = statSync(p);
    } catch {
      return;
    }
    if (st.isDirectory()) for (const f of readdirSync(p)) walk(path.join(p, f));
    else newest = Math.max(newest, st.mtimeMs);
  };
  walk(path.join(bareDir, 'refs'));
  walk(path.join(bareDir, 'packed-refs'));
  return new Date(Math.floor((newest || Date.UTC(2024, 0, 1)) / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

export class FakePlatforms {
  readonly entries: Entry[] = [];
  readonly requests: Record<Platform | 'git', number> = { github: 0, gitlab: 0, ado: 0, hf: 0, git: 0 };
  /** git requests per repository URL path (info/refs counts as one "contact"). */
  readonly gitContacts = new Map<string, number>();
  /** Repositories whose git URL answers 500 (a poisoned repository). */
  readonly broken = new Set<string>();
  private rateWindow = { start: Date.now(), used: 0 };

  private constructor(
    private readonly server: http.Server,
    readonly url: string,
    private readonly opts: FakeOptions,
  ) {}

  static async start(opts: FakeOptions = {}): Promise<FakePlatforms> {
    let fake: FakePlatforms | null = null;
    const server = http.createServer((req, res) => {
      fake!.handle(req, res).catch((e: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(String(e));
      });
    });
    server.keepAliveTimeout = 1000;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    fake = new FakePlatforms(server, `http://127.0.0.1:${port}`, opts);
    return fake;
  }

  /** API base URL to give sasquatch (--api-url) for a platform. */
  apiUrl(p: Platform): string {
    return { github: `${this.url}/api/v3`, gitlab: this.url, ado: `${this.url}/ado`, hf: `${this.url}/hf` }[p];
  }

  /** Serves a bare repository under a platform; returns its clone URL. */
  add(platform: Platform, owner: string, name: string, bareDir: string, o: FakeRepoOptions & { sub?: string } = {}): string {
    const sub = o.sub ?? (platform === 'hf' ? 'model' : platform === 'ado' ? 'project' : '');
    const urlPath =
      platform === 'github'
        ? `/git/github/${owner}/${name}.git`
        : platform === 'gitlab'
          ? `/git/gitlab/${owner}/${name}.git`
          : platform === 'ado'
            ? `/git/ado/${owner}/${sub}/_git/${name}`
            : `/hf/${sub === 'model' ? '' : `${sub}s/`}${owner}/${name}`;
    this.entries.push({ platform, owner, name, sub, urlPath, bareDir, ...o });
    return `${this.url}${urlPath}`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => {
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const u = new URL(req.url ?? '/', this.url);
    const git = this.entries.find((e) => u.pathname.startsWith(`${e.urlPath}/`));
    if (git) return this.serveGit(git, u, req, res);
    if (u.pathname.startsWith('/api/v3/')) return this.github(u, req, res);
    if (u.pathname.startsWith('/api/v4/')) return this.gitlab(u, req, res);
    if (u.pathname.startsWith('/ado/')) return this.ado(u, req, res);
    if (u.pathname.startsWith('/hf/api/')) return this.hf(u, req, res);
    res.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"Not Found"}');
  }

  private authorized(p: Platform, req: http.IncomingMessage, git = false): boolean {
    const token = this.opts.tokens?.[p];
    if (!token) return true;
    const auth = req.headers['authorization'] ?? '';
    if (git || p === 'ado') {
      const m = /^Basic (.+)$/i.exec(auth);
      if (!m) return false;
      const pass = Buffer.from(m[1]!, 'base64').toString('utf8').split(':').slice(1).join(':');
      return pass === token;
    }
    if (p === 'gitlab' && req.headers['private-token'] === token) return true;
    return auth === `token ${token}` || auth === `Bearer ${token}`;
  }

  private json(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers }).end(JSON.stringify(body));
  }

  /** A page of items and the Link header to the next one (GitHub, GitLab and HF all use Link). */
  private page<T>(u: URL, items: T[], sizeParam: string): { items: T[]; link: Record<string, string> } {
    const size = Math.min(Number(u.searchParams.get(sizeParam) ?? 0) || Infinity, this.opts.pageSize ?? 30);
    const page = Number(u.searchParams.get('page') ?? 1) || 1;
    const slice = items.slice((page - 1) * size, page * size);
    const link: Record<string, string> = {};
    if (page * size < items.length) {
      const next = new URL(u);
      next.searchParams.set('page', String(page + 1));
      link['link'] = `<${next.href}>; rel="next"`;
      link['x-next-page'] = String(page + 1);
    }
    link['x-total'] = String(items.length);
    return { items: slice, link };
  }

  private github(u: URL, req: http.IncomingMessage, res: http.ServerResponse): void {
    this.requests.github++;
    const rl = this.opts.githubRateLimit;
    const headers: Record<string, string> = {};
    if (rl) {
      if (Date.now() - this.rateWindow.start >= rl.windowMs) this.rateWindow = { start: Date.now(), used: 0 };
      const reset = Math.ceil((this.rateWindow.start + rl.windowMs) / 1000);
      if (this.rateWindow.used >= rl.limit) {
        this.json(res, 403, { message: 'API rate limit exceeded' }, { 'x-ratelimit-limit': String(rl.limit), 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) });
        return;
      }
      this.rateWindow.used++;
      Object.assign(headers, { 'x-ratelimit-limit': String(rl.limit), 'x-ratelimit-remaining': String(rl.limit - this.rateWindow.used), 'x-ratelimit-reset': String(reset) });
    } else Object.assign(headers, { 'x-ratelimit-limit': '5000', 'x-ratelimit-remaining': String(5000 - this.requests.github), 'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000) + 3600) });
    if (!this.authorized('github', req)) return this.json(res, 401, { message: 'Bad credentials' }, headers);
    const m = /^\/api\/v3\/(orgs|users)\/([^/]+)\/repos$/.exec(u.pathname);
    const owner = m ? decodeURIComponent(m[2]!) : '';
    const repos = this.entries.filter((e) => e.platform === 'github' && e.owner === owner);
    if (!m || (m[1] === 'orgs' && !repos.length)) return this.json(res, 404, { message: 'Not Found' }, headers);
    const { items, link } = this.page(u, repos, 'per_page');
    this.json(
      res,
      200,
      items.map((e) => ({
        full_name: `${e.owner}/${e.name}`,
        name: e.name,
        clone_url: `${this.url}${e.urlPath}`,
        html_url: `${this.url}/${e.owner}/${e.name}`,
        default_branch: e.defaultBranch ?? 'main',
        private: Boolean(e.private),
        visibility: e.private ? 'private' : 'public',
        archived: Boolean(e.archived),
        fork: Boolean(e.fork),
        size: e.sizeKb ?? 1,
        pushed_at: pushedAt(e.bareDir),
      })),
      { ...headers, ...link },
    );
  }

  private gitlab(u: URL, req: http.IncomingMessage, res: http.ServerResponse): void {
    this.requests.gitlab++;
    const headers = { 'ratelimit-limit': '2000', 'ratelimit-remaining': String(2000 - this.requests.gitlab), 'ratelimit-reset': String(Math.ceil(Date.now() / 1000) + 60) };
    if (!this.authorized('gitlab', req)) return this.json(res, 401, { message: '401 Unauthorized' }, headers);
    const m = /^\/api\/v4\/groups\/([^/]+)\/projects$/.exec(u.pathname);
    const group = m ? decodeURIComponent(m[1]!) : '';
    const projects = this.entries.filter((e) => e.platform === 'gitlab' && (e.owner === group || (u.searchParams.get('include_subgroups') === 'true' && e.owner.startsWith(`${group}/`))));
    if (!m || !projects.length) return this.json(res, 404, { message: '404 Group Not Found' }, headers);
    const { items, link } = this.page(u, projects, 'per_page');
    this.json(
      res,
      200,
      items.map((e) => ({
        path_with_namespace: `${e.owner}/${e.name}`,
        http_url_to_repo: `${this.url}${e.urlPath}`,
        default_branch: e.defaultBranch ?? 'main',
        visibility: e.private ? 'private' : 'public',
        archived: Boolean(e.archived),
        ...(e.fork ? { forked_from_project: { id: 1 } } : {}),
        statistics: { repository_size: (e.sizeKb ?? 1) * 1024 },
        last_activity_at: pushedAt(e.bareDir),
      })),
      { ...headers, ...link },
    );
  }

  private ado(u: URL, req: http.IncomingMessage, res: http.ServerResponse): void {
    this.requests.ado++;
    if (!this.authorized('ado', req)) return this.json(res, 401, { message: 'unauthorized' });
    const repos = /^\/ado\/([^/]+)\/([^/]+)\/_apis\/git\/repositories$/.exec(u.pathname);
    if (repos) {
      const [org, project] = [decodeURIComponent(repos[1]!), decodeURIComponent(repos[2]!)];
      const list = this.entries.filter((e) => e.platform === 'ado' && e.owner === org && e.sub === project);
      return this.json(res, 200, {
        count: list.length,
        value: list.map((e) => ({ name: e.name, remoteUrl: `${this.url}${e.urlPath}`, defaultBranch: `refs/heads/${e.defaultBranch ?? 'main'}`, size: (e.sizeKb ?? 1) * 1024, isDisabled: false, isFork: Boolean(e.fork), project: { visibility: e.private ? 'private' : 'public' } })),
      });
    }
    const projects = /^\/ado\/([^/]+)\/_apis\/projects$/.exec(u.pathname);
    if (projects) {
      const org = decodeURIComponent(projects[1]!);
      const names = [...new Set(this.entries.filter((e) => e.platform === 'ado' && e.owner === org).map((e) => e.sub))];
      return this.json(res, 200, { count: names.length, value: names.map((name) => ({ name, visibility: 'private' })) });
    }
    this.json(res, 404, { message: 'not found' });
  }

  private hf(u: URL, req: http.IncomingMessage, res: http.ServerResponse): void {
    this.requests.hf++;
    if (!this.authorized('hf', req)) return this.json(res, 401, { error: 'Invalid credentials' });
    const m = /^\/hf\/api\/(models|datasets|spaces)$/.exec(u.pathname);
    if (!m) return this.json(res, 404, { error: 'not found' });
    const kind = m[1]!.slice(0, -1);
    const author = u.searchParams.get('author');
    const list = this.entries.filter((e) => e.platform === 'hf' && e.sub === kind && e.owner === author);
    const { items, link } = this.page(u, list, 'limit');
    this.json(
      res,
      200,
      items.map((e) => ({ _id: `${kind}-${e.name}`, id: `${e.owner}/${e.name}`, private: Boolean(e.private), likes: 0, downloads: 0, lastModified: pushedAt(e.bareDir), gated: false })),
      link['link'] ? { link: link['link'] } : {},
    );
  }

  /** git smart HTTP: the request handed to `git http-backend` as CGI, its answer streamed back. */
  private serveGit(e: Entry, u: URL, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    this.requests.git++;
    if (u.pathname.endsWith('/info/refs')) this.gitContacts.set(e.urlPath, (this.gitContacts.get(e.urlPath) ?? 0) + 1);
    if (!this.authorized(e.platform, req, true)) {
      res.writeHead(401, { 'www-authenticate': 'Basic realm="fake"', 'content-type': 'text/plain' }).end('authentication required\n');
      return Promise.resolve();
    }
    if (this.broken.has(e.urlPath)) {
      res.writeHead(500, { 'content-type': 'text/plain' }).end('this repository is broken\n');
      return Promise.resolve();
    }
    const rest = u.pathname.slice(e.urlPath.length);
    const env: NodeJS.ProcessEnv = {
      PATH: process.env['PATH'],
      GIT_PROJECT_ROOT: path.dirname(e.bareDir),
      GIT_HTTP_EXPORT_ALL: '1',
      PATH_INFO: `/${path.basename(e.bareDir)}${rest}`,
      REQUEST_METHOD: req.method ?? 'GET',
      QUERY_STRING: u.search.slice(1),
      CONTENT_TYPE: req.headers['content-type'] ?? '',
      REMOTE_ADDR: '127.0.0.1',
      REMOTE_USER: 'fake',
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_CONFIG_COUNT: '2',
      GIT_CONFIG_KEY_0: 'uploadpack.allowFilter',
      GIT_CONFIG_VALUE_0: 'true',
      GIT_CONFIG_KEY_1: 'safe.directory',
      GIT_CONFIG_VALUE_1: '*',
    };
    if (req.headers['content-length']) env['CONTENT_LENGTH'] = String(req.headers['content-length']);
    if (req.headers['content-encoding']) env['HTTP_CONTENT_ENCODING'] = String(req.headers['content-encoding']);
    if (req.headers['git-protocol']) env['GIT_PROTOCOL'] = String(req.headers['git-protocol']);
    return new Promise((resolve) => {
      const cgi = spawn('git', ['http-backend'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
      req.pipe(cgi.stdin);
      cgi.stdin.on('error', () => undefined);
      let head = Buffer.alloc(0);
      let started = false;
      cgi.stdout.on('data', (chunk: Buffer) => {
        if (started) {
          res.write(chunk);
          return;
        }
        head = Buffer.concat([head, chunk]);
        const end = head.indexOf('\r\n\r\n') >= 0 ? head.indexOf('\r\n\r\n') : head.indexOf('\n\n');
        if (end < 0) return;
        const sep = head[end] === 13 ? 4 : 2;
        let status = 200;
        const headers: Record<string, string> = {};
        for (const line of head.subarray(0, end).toString('latin1').split(/\r?\n/)) {
          const i = line.indexOf(':');
          if (i < 0) continue;
          const k = line.slice(0, i).trim();
          const v = line.slice(i + 1).trim();
          if (k.toLowerCase() === 'status') status = parseInt(v, 10) || 200;
          else headers[k] = v;
        }
        res.writeHead(status, headers);
        started = true;
        res.write(head.subarray(end + sep));
      });
      cgi.stderr.resume();
      cgi.on('close', () => {
        if (!started) res.writeHead(502, { 'content-type': 'text/plain' });
        res.end();
        resolve();
      });
    });
  }
}
