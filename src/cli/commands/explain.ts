import type { Command } from 'commander';
import { DEFAULT_POLICY } from '../../analyze/policy.js';
import { BUILTIN_RULES } from '../../detect/rules/index.js';
import { explainDistinct } from '../../pipeline/explain.js';
import { terminalWidth } from '../terminal.js';
import { renderExplainText } from '../../report/explain.js';
import { wantColor } from '../../report/style.js';
import { readStream } from '../../sources/stdin.js';
import { choice, parseNow } from '../parse.js';
import { emit, EXIT, UsageError } from '../output.js';

interface ExplainFlags {
  format: 'text' | 'json';
  showSecrets?: boolean;
  now?: Date;
  color?: boolean;
}

export function registerExplain(program: Command): void {
  program
    .command('explain')
    .description('explain what a link, token or connection string grants, in plain words')
    .argument('<link>', 'a URL, SAS token or connection string (quote it), or - to read stdin')
    .option('-f, --format <format>', 'text or json', choice(['text', 'json'] as const), 'text')
    .option('--show-secrets', 'print the token in full')
    .option('--now <date>', 'judge expiry against this instant', parseNow)
    .option('--color', 'force colour')
    .option('--no-color', 'disable colour')
    .action(async (link: string, flags: ExplainFlags) => {
      const input = link === '-' ? (await readStream(process.stdin)).toString('utf8') : link;
      const now = flags.now ?? new Date();
      const distinct = explainDistinct(input, BUILTIN_RULES, { now, policy: DEFAULT_POLICY, showSecrets: Boolean(flags.showSecrets) });
      if (!distinct.length) throw new UsageError('no storage link, token or credential recognised in the input (is the whole URL quoted?)');
      const findings = distinct.map((d) => d.finding);
      if (flags.format === 'json') {
        const objects = distinct.map(({ finding: f, count }) => ({
          rule: f.rule,
          title: f.title,
          severity: f.severity,
          reasons: f.reasons,
          example: Boolean(f.example),
          secret: f.secret,
          grant: f.grant ?? null,
          details: f.details ?? null,
          explanation: f.explanation ?? null,
          remediation: f.remediation ?? [],
          playbook: f.playbook ?? [],
          count,
        }));
        await emit(`${JSON.stringify(objects.length === 1 ? objects[0] : objects, null, 2)}\n`, undefined);
      } else {
        const counts = distinct.map((d) => d.count);
        await emit(renderExplainText(findings, now, wantColor(flags.color, process.stdout), { width: terminalWidth(process.stdout), counts }), undefined);
      }
      process.exitCode = EXIT.ok;
    });
}
