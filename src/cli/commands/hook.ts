import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Option, type Command } from 'commander';
import type { Severity } from '../../model/severity.js';
import { parseThreshold } from '../parse.js';
import { UsageError } from '../output.js';

const MARK = '# sasquatch pre-commit hook';

export function registerHook(program: Command): void {
  const hook = program.command('hook').description('git pre-commit hook that blocks commits adding leaked credentials');
  hook
    .command('install')
    .description('install the pre-commit hook in the current repository (it runs `sasquatch scan --staged`)')
    .addOption(new Option('--fail-on <severity>', 'block the commit at or above this severity (critical|high|medium|low|info|never)').argParser(parseThreshold).default(undefined, 'failOn from the configuration, else low'))
    .option('--force', 'replace an existing pre-commit hook')
    .action((flags: { failOn?: Severity | 'never'; force?: boolean }) => {
      const file = hookPath();
      if (existsSync(file) && !readFileSync(file, 'utf8').includes(MARK) && !flags.force) {
        throw new UsageError(`${file} exists and is not sasquatch's (use --force to replace it, or call \`sasquatch scan --staged\` from it)`);
      }
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, hookScript(flags.failOn));
      chmodSync(file, 0o755);
      process.stderr.write(`installed ${file}${flags.failOn ? ` (blocks at ${flags.failOn} and above)` : ' (blocks at failOn from the configuration, else low and above)'}\n`);
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

/**
 * The hook finds sasquatch the way a developer would — on PATH, else the project's own
 * (`npx --no-install`, never a download) — so it keeps working when the repository is cloned
 * elsewhere or node is upgraded; no path of the machine that installed it is written into it.
 * `--fail-on` is written only when given, so `failOn` in the configuration decides otherwise.
 */
export function hookScript(failOn?: Severity | 'never'): string {
  const fail = failOn ? ` --fail-on ${failOn}` : '';
  return `#!/bin/sh
${MARK} (installed by \`sasquatch hook install\`; remove with \`sasquatch hook uninstall\`)
# Scans only what is staged for this commit.
if [ -n "$SASQUATCH_SKIP" ]; then exit 0; fi
if command -v sasquatch >/dev/null 2>&1; then
  cmd="sasquatch"
elif command -v npx >/dev/null 2>&1 && npx --no-install sasquatch --version >/dev/null 2>&1; then
  cmd="npx --no-install sasquatch"
else
  echo "sasquatch: not found on PATH nor in this project (npm install -g sasquatch, or npm install --save-dev sasquatch); commit blocked." >&2
  echo "  Bypass once with: git commit --no-verify" >&2
  exit 2
fi
$cmd scan --staged${fail}
status=$?
if [ $status -eq 1 ]; then
  top=$(git rev-parse --show-toplevel 2>/dev/null || pwd)
  if [ -f "$top/.sasquatch-baseline" ]; then accept="$cmd baseline update"; else accept="$cmd baseline create"; fi
  echo "" >&2
  echo "sasquatch: commit blocked — the staged changes add the credentials (or change sasquatch's" >&2
  echo "  own configuration or baseline: rule sasquatch-config-change) listed above." >&2
  echo "  Remove them (and revoke them: \\\`$cmd explain <link>\\\` says how)." >&2
  echo "  A known test value? Add 'sasquatch:allow' in a comment on its line, or accept it" >&2
  echo "  with \\\`$accept\\\`. A reviewed configuration or baseline change, or a" >&2
  echo "  bypass once: SASQUATCH_SKIP=1 git commit (or git commit --no-verify)" >&2
elif [ $status -ne 0 ]; then
  echo "sasquatch: the scan failed or could not scan everything it was given (exit $status, listed above); commit blocked. Bypass once with git commit --no-verify" >&2
fi
exit $status
`;
}
