import type { Command } from 'commander';
import { redactedExample } from '../../analyze/rule-example.js';
import { BUILTIN_RULES } from '../../detect/rules/index.js';
import { choice } from '../parse.js';
import { emit } from '../output.js';

export function registerRules(program: Command): void {
  program
    .command('rules')
    .description('list the detection rules: id, what each finds, what its grant says, default severity and confidence')
    .option('-f, --format <format>', 'text, json or markdown', choice(['text', 'json', 'markdown'] as const), 'text')
    .action(async (flags: { format: 'text' | 'json' | 'markdown' }) => {
      const rows = BUILTIN_RULES.map((r) => ({
        id: r.id,
        family: r.family,
        title: r.title,
        description: r.description,
        severity: r.severity,
        confidence: r.confidence ?? (r.generic ? 'low' : 'medium'),
        grant: r.grantSummary,
        keywords: r.keywords,
      }));
      if (flags.format === 'json') return emit(`${JSON.stringify(rows, null, 2)}\n`, undefined);
      if (flags.format === 'markdown') {
        const lines = ['| id | family | what it finds | what the grant says | default severity | confidence | example (redacted) |', '|---|---|---|---|---|---|---|'];
        const cell = (s: string) => s.replace(/\|/g, '\\|');
        const code = (s: string) => (s ? `<code>${cell(s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/\r?\n/g, ' ').slice(0, 80))}${s.length > 80 ? '…' : ''}</code>` : '');
        for (const [i, r] of rows.entries()) {
          lines.push(`| \`${r.id}\` | ${r.family} | **${cell(r.title)}.** ${cell(r.description)} | ${cell(r.grant)} | ${r.severity} | ${r.confidence} | ${code(redactedExample(BUILTIN_RULES[i]!))} |`);
        }
        return emit(`${lines.join('\n')}\n`, undefined);
      }
      const width = rows.reduce((n, r) => Math.max(n, r.id.length), 0);
      return emit(rows.map((r) => `${r.id.padEnd(width)}  ${r.severity.padEnd(8)} ${r.confidence.padEnd(6)} ${r.title}`).join('\n') + '\n', undefined);
    });
}
