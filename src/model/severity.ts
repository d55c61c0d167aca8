/** Severity levels, lowest first. The order is the contract used by --fail-on and sorting. */
export const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

export function isSeverity(s: unknown): s is Severity {
  return typeof s === 'string' && (SEVERITIES as readonly string[]).includes(s);
}

export function severityAt(rank: number): Severity {
  const i = Math.max(0, Math.min(SEVERITIES.length - 1, Math.round(rank)));
  return SEVERITIES[i]!;
}

export function maxSeverity(a: Severity, b: Severity): Severity {
  return severityRank(a) >= severityRank(b) ? a : b;
}

/** Severity counts in a fixed order, for summaries. */
export function countBySeverity(items: Iterable<{ severity: Severity }>): Record<Severity, number> {
  const counts = { info: 0, low: 0, medium: 0, high: 0, critical: 0 };
  for (const it of items) counts[it.severity]++;
  return counts;
}
