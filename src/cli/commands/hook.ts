import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { CLI_PATH } from '../cli-path.js';
import { UsageError } from '../output.js';

const MARK = '# sasquatch pre-commit hook';

export function registerHook(program: Command): void {
  const hook = program.command('hook').description('git pre-commit hook that blocks commits adding leaked credentials');
  hook
    .command('install')
    .description('install the pre-commit hook in the current repository')
    .option('--fail-on <severity>', 'block the commit at or above this severity', 'low')
    .option('--force', 'replace an existing pre-commit hook')
    .action((flags: { failOn: string; force?: boolean }) => {
      const file = hookPath();
      if (existsSync(file) && !readFileSync(file, 'utf8').includes(MARK) && !flags.force) {
        throw new UsageError(`${file} exists and is not sasquatch's (use --force to replace it, or call \`sasquatch scan --staged\` from it)`);
      }
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, script(flags.failOn));
      chmodSync(file, 0o755);
      process.stderr.write(`installed ${file}\n`);
    });
  hook
    .command('uninstall')
    .description('remove the pre-commit hook installed by sasquatch')
    .action(() => {
      const file = hookPath();
      if (!existsSync(file) || !readFileSync(file, 'utf8').includes(MARK)) throw new UsageError('no sasquatch pre-commit hook installed');
      rmSync(file);
      process.stderr.write(`removed ${file}\n`);
    });
}

function hookPath(): string {
  try {
    const p = execFileSync('git', ['rev-parse', '--git-path', 'hooks/pre-commit'], { encoding: 'utf8' }).trim();
    return path.resolve(p);
  } catch {
    throw new UsageError('not inside a git repository');
  }
}

/** The hook calls this very installation of sasquatch (no network, no npx download). */
function script(failOn: string): string {
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  return `#!/bin/sh
${MARK} (installed by \`sasquatch hook install\`; remove with \`sasquatch hook uninstall\`)
# Scans only what is staged for this commit.
if [ -n "$SASQUATCH_SKIP" ]; then exit 0; fi
${q(process.execPath)} ${q(CLI_PATH)} scan --staged --fail-on ${q(failOn)}
status=$?
if [ $status -eq 1 ]; then
  echo "" >&2
  echo "sasquatch: commit blocked — the staged changes add the credentials (or change sasquatch's" >&2
  echo "  own configuration or baseline: rule sasquatch-config-change) listed above." >&2
  echo "  Remove them (and revoke them: \\\`sasquatch explain <link>\\\` says how)." >&2
  echo "  A known test value? Add 'sasquatch:allow' in a comment on its line, or accept it" >&2
  echo "  with \\\`sasquatch baseline update\\\`. A reviewed configuration or baseline change, or a" >&2
  echo "  bypass once: SASQUATCH_SKIP=1 git commit (or git commit --no-verify)" >&2
elif [ $status -ne 0 ]; then
  echo "sasquatch: the scan failed (exit $status); commit blocked. Bypass once with git commit --no-verify" >&2
fi
exit $status
`;
}
