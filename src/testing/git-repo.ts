import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * A git repository built by a test with the git CLI, with fixed author/committer dates so
 * commit ids and dates are what the test says. Isolated from the user's git config.
 */
export class TestRepo {
  readonly dir: string;
  private readonly root: string;

  constructor(name = 'repo', root?: string) {
    this.root = root ?? mkdtempSync(path.join(os.tmpdir(), 'sasquatch-git-'));
    this.dir = path.join(this.root, name);
  }

  static init(name = 'repo', date = '2020-01-01T00:00:00Z'): TestRepo {
    const r = new TestRepo(name);
    mkdirSync(r.dir, { recursive: true });
    r.git(date, 'init', '-q', '-b', 'main');
    return r;
  }

  /** Another directory next to the repository (for clones), removed with it. */
  sibling(name: string): string {
    return path.join(this.root, name);
  }

  git(date: string, ...args: string[]): string {
    return execFileSync('git', args, { cwd: this.dir, env: gitTestEnv(date), encoding: 'utf8' }).trim();
  }

  write(file: string, content: string): this {
    const full = path.join(this.dir, file);
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, content);
    return this;
  }

  remove(file: string): this {
    rmSync(path.join(this.dir, file));
    return this;
  }

  /** Stages everything and commits; returns the commit id. */
  commit(date: string, message: string, author = 'Alice <alice@example.org>'): string {
    this.git(date, 'add', '-A');
    const [, name, email] = /^(.*) <(.*)>$/.exec(author)!;
    execFileSync('git', ['commit', '-q', '--allow-empty', '-m', message], {
      cwd: this.dir,
      env: { ...gitTestEnv(date), GIT_AUTHOR_NAME: name, GIT_AUTHOR_EMAIL: email },
    });
    return this.head();
  }

  head(rev = 'HEAD'): string {
    return this.git('2020-01-01T00:00:00Z', 'rev-parse', rev);
  }

  cleanup(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

export function gitTestEnv(date: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_AUTHOR_NAME: 'Alice',
    GIT_AUTHOR_EMAIL: 'alice@example.org',
    GIT_COMMITTER_NAME: 'Alice',
    GIT_COMMITTER_EMAIL: 'alice@example.org',
    GIT_AUTHOR_DATE: date,
    GIT_COMMITTER_DATE: date,
  };
}
