import { SAS_RULE_HELP } from './sas/remediation.js';

/**
 * Rule-level remediation help (SARIF `rules[].help`): the per-kind playbook a rule's findings
 * follow. Per-finding steps with exact commands are in `Finding.playbook`.
 */
const HELP: Record<string, { text: string; markdown: string }> = {
  'azure-sas': SAS_RULE_HELP,
};

export function ruleHelp(ruleId: string): { text: string; markdown: string } | null {
  return HELP[ruleId] ?? null;
}
