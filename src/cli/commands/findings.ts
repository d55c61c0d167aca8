import { Option, type Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { isSeverity, type Severity } from '../../model/severity.js';
import { render } from '../../report/render.js';
import { renderStoredDetail, renderStoredList, storedReportInput } from '../../report/store.js';
import { wantColor } from '../../report/style.js';
import { REPORT_FORMATS, type ReportFormat } from '../../report/types.js';
import type { Db } from '../../store/db.js';
import { allFindings, getFinding, listFindings, resolveFingerprints, triageFindings, triageMatching } from '../../store/findings.js';
import { FINDING_SORTS, isTriageStatus, TRIAGE_STATUSES, type FindingFilter, type FindingSort, type StoredFinding, type TriageStatus } from '../../store/types.js';
import { emit, UsageError } from '../output.js';
import { choice, collect, parseCount, parseNow } from '../parse.js';
import { actorName, addStoreOption, withStore } from '../store-flags.js';

/** `sasquatch findings list|show|triage`: what the store holds, and people's decisions about it. */
interface FilterFlags {
  store?: string;
  severity: string[];
  minSeverity?: Severity;
  rule: string[];
  repository?: string;
  status?: string[];
  fromStatus?: string[];
  stillValid?: boolean;
  present?: boolean;
  now?: Date;
}

interface ListFlags extends FilterFlags {
  format: ReportFormat;
  output?: string;
  sort: FindingSort;
  limit?: number;
  offset: number;
  color?: boolean;
}

function addFilterOptions(cmd: Command, defaultStatus: string, statusFlag = '--status <list>'): Command {
  return addStoreOption(cmd)
    .option('--severity <list>', 'only these severities (comma-separated: critical,high)', collect, [])
    .addOption(new Option('--min-severity <severity>', 'only this severity and above').argParser(severityArg))
    .option('--rule <id>', 'only this rule (repeatable)', collect, [])
    .option('--repository <name>', 'only findings in this repository (name or URL; * matches anything)')
    .option(statusFlag, `only these statuses (${TRIAGE_STATUSES.join(', ')}; all = every status; default: ${defaultStatus})`, collect, [])
    .option('--still-valid', 'only findings not known to be expired or revoked')
    .option('--no-still-valid', 'only findings known to be expired or revoked')
    .option('--present', 'only findings some repository still holds at HEAD')
    .option('--no-present', 'only findings removed from HEAD everywhere (still in history)')
    .option('--now <date>', 'judge validity at this instant instead of now', parseNow);
}

function severityArg(v: string): Severity {
  const s = v.toLowerCase();
  if (!isSeverity(s)) throw new InvalidArgumentError('expected one of: critical, high, medium, low, info');
  return s;
}

function filterOf(flags: FilterFlags, defaultStatus: TriageStatus[] | null): FindingFilter {
  const severities = flags.severity.flatMap((v) => v.split(',')).map((v) => v.trim().toLowerCase()).filter(Boolean);
  for (const s of severities) if (!isSeverity(s)) throw new UsageError(`--severity ${s}: expected critical, high, medium, low or info`);
  const statusWords = (flags.status ?? flags.fromStatus ?? []).flatMap((v) => v.split(',')).map((v) => v.trim().toLowerCase()).filter(Boolean);
  let statuses: TriageStatus[] | undefined;
  if (statusWords.includes('all')) statuses = undefined;
  else if (statusWords.length) {
    for (const s of statusWords) if (!isTriageStatus(s)) throw new UsageError(`--status ${s}: expected ${TRIAGE_STATUSES.join(', ')} or all`);
    statuses = statusWords as TriageStatus[];
  } else statuses = defaultStatus ?? undefined;
  const filter: FindingFilter = {};
  if (statuses) filter.statuses = statuses;
  if (severities.length) filter.severities = severities as Severity[];
  if (flags.minSeverity) filter.minSeverity = flags.minSeverity;
  if (flags.rule.length) filter.rules = flags.rule;
  if (flags.repository) filter.repository = flags.repository;
  if (flags.stillValid !== undefined) filter.stillValid = flags.stillValid;
  if (flags.present !== undefined) filter.presentAtHead = flags.present;
  if (flags.now) filter.now = flags.now;
  return filter;
}

export function registerFindings(program: Command): void {
  const findings = program.command('findings').description('read and triage the findings a store holds (recorded by `scan --store` and `org scan`)');

  addFilterOptions(
    findings
      .command('list')
      .description('list findings in the store, filtered, in any report format')
      .option('-f, --format <format>', `report format: ${REPORT_FORMATS.join(', ')}`, choice(REPORT_FORMATS), 'text')
      .option('-o, --output <file>', 'write to a file instead of stdout')
      .option('--sort <order>', `order: ${FINDING_SORTS.join(', ')}`, choice(FINDING_SORTS), 'severity')
      .option('--limit <n>', 'at most this many (default: all for machine formats, 200 for text)', parseCount)
      .option('--offset <n>', 'skip this many first (paging)', parseCount, 0)
      .option('--color', 'force colour in text output')
      .option('--no-color', 'disable colour in text output'),
    'open',
  ).action(async (flags: ListFlags) => {
    const filter = filterOf(flags, ['open']);
    const now = flags.now ?? new Date();
    await withStore(flags.store, async (db) => {
      const toFile = Boolean(flags.output && flags.output !== '-');
      if (flags.format === 'text') {
        const page = await listFindings(db, filter, { limit: flags.limit ?? 200, offset: flags.offset }, flags.sort);
        const color = !toFile && wantColor(flags.color, process.stdout);
        await emit(renderStoredList(page.items, page.total, flags.offset, { color }), flags.output);
        return;
      }
      const items = await collectFindings(db, filter, flags.sort, flags.limit, flags.offset);
      await emit(render(flags.format, storedReportInput(items, now, db.location), { color: false, verbose: false }), flags.output);
    });
  });

  addStoreOption(
    findings
      .command('show')
      .description('one finding: where it lives, every occurrence, its triage history')
      .argument('<id>', 'a fingerprint, or its first characters (as `findings list` shows them)')
      .option('-f, --format <format>', 'text or json', choice(['text', 'json'] as const), 'text')
      .option('--color', 'force colour in text output')
      .option('--no-color', 'disable colour in text output'),
  ).action(async (id: string, flags: { store?: string; format: 'text' | 'json'; color?: boolean }) => {
    await withStore(flags.store, async (db) => {
      const fp = await oneFingerprint(db, id);
      const d = (await getFinding(db, fp))!;
      if (flags.format === 'json') {
        await emit(`${JSON.stringify(d, null, 2)}\n`, undefined);
        return;
      }
      await emit(renderStoredDetail(d, new Date(), { color: wantColor(flags.color, process.stdout) }), undefined);
    });
  });

  addFilterOptions(
    findings
      .command('triage')
      .description('record a decision about findings: its status, who and why (kept across rescans)')
      .argument('[ids...]', 'fingerprints (or their first characters)')
      .requiredOption('--status <status>', `new status: ${TRIAGE_STATUSES.join(', ')}`)
      .option('--note <text>', 'why (kept with the decision)')
      .option('--by <name>', 'who decided (default: $SASQUATCH_USER or the login name)')
      .option('--matching', 'triage every finding the filter options match (bulk), instead of ids'),
    'every status',
    '--from-status <list>',
  ).action(async (ids: string[], flags: Omit<FilterFlags, 'status'> & { note?: string; by?: string; matching?: boolean; status: string }) => {
    const statusValue = flags.status;
    if (!isTriageStatus(statusValue)) throw new UsageError(`--status ${statusValue}: expected ${TRIAGE_STATUSES.join(', ')}`);
    if (!ids.length && !flags.matching) throw new UsageError('name the findings to triage (ids), or use --matching with filter options');
    if (ids.length && flags.matching) throw new UsageError('give ids or --matching, not both');
    const input = { status: statusValue, note: flags.note ?? null, actor: actorName(flags.by) };
    await withStore(flags.store, async (db) => {
      let changed: string[];
      if (flags.matching) {
        const filter = filterOf({ ...flags, status: undefined }, null);
        changed = await db.transaction((tx) => triageMatching(tx, filter, input));
      } else {
        const fps: string[] = [];
        for (const id of ids) fps.push(await oneFingerprint(db, id));
        changed = await db.transaction((tx) => triageFindings(tx, fps, input));
      }
      process.stdout.write(`${changed.length} finding${changed.length === 1 ? '' : 's'} marked ${input.status} by ${input.actor}${input.note ? ` (${input.note})` : ''}\n`);
      for (const fp of changed) process.stdout.write(`  ${fp}\n`);
    });
  });
}

async function collectFindings(db: Db, filter: FindingFilter, sort: FindingSort, limit: number | undefined, offset: number): Promise<StoredFinding[]> {
  if (limit !== undefined) return (await listFindings(db, filter, { limit, offset }, sort)).items;
  const out: StoredFinding[] = [];
  let skipped = 0;
  for await (const f of allFindings(db, filter, sort)) {
    if (skipped++ < offset) continue;
    out.push(f);
  }
  return out;
}

async function oneFingerprint(db: Db, id: string): Promise<string> {
  const found = await resolveFingerprints(db, id.trim());
  if (found.length === 1 || found.includes(id.toLowerCase())) return found.length === 1 ? found[0]! : id.toLowerCase();
  if (!found.length) throw new UsageError(`no finding ${id} in the store`);
  throw new UsageError(`${id} names ${found.length} findings (${found.slice(0, 3).join(', ')}…): give more characters`);
}
