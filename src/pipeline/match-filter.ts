import { ANALYZERS } from '../analyze/analyzers.js';
import type { AnalysisContext } from '../analyze/types.js';
import type { RawMatch, Rule } from '../detect/types.js';
import { mapValues, utf8Of } from './blob-scanner.js';

/**
 * Look-alikes dropped where they are found: a match whose rule's analyzer returns null
 * (`password = os.environ[...]`, a URL whose "password" is `${DB_PASSWORD}`) never becomes a
 * finding (analyze/findings.ts skips it), so a worker need not give it a line and a column
 * or send it back. The analyzer sees exactly what findingsForBlob will show it (the UTF-8
 * reading of the match, the same clock and policy); analyzers are pure functions of that.
 */
export function lookAlikeFilter(rules: readonly Rule[], ctx: Omit<AnalysisContext, 'path'>): (m: RawMatch, path: string) => boolean {
  const byId = new Map(rules.map((r) => [r.id, r]));
  return (m, path) => {
    const rule = byId.get(m.rule);
    const analyzer = rule?.analyzer ? ANALYZERS[rule.analyzer] : undefined;
    if (!analyzer) return true;
    const input = {
      text: utf8Of(m.text),
      groups: mapValues(m.groups, utf8Of),
      encoding: m.encoding,
      ...(m.context ? { context: { before: utf8Of(m.context.before), after: utf8Of(m.context.after) } } : {}),
    };
    try {
      return analyzer(input, { ...ctx, path }) !== null;
    } catch {
      // a match the analyzer fails on is kept: the main thread's analysis reports the failure
      return true;
    }
  };
}
