import { REVOKE_SENTENCE } from '../../analyze/sas/explain.js';
import type { Confidence } from '../../model/confidence.js';
import type { Finding } from '../../model/finding.js';
import { SEVERITIES, type Severity } from '../../model/severity.js';
import type { ReportInput } from '../types.js';

/**
 * The compact data the page renders from: only what the page shows, remediation playbooks
 * shared (most findings have the same one), so a 1,000-finding report stays well under 1 MB.
 */
export interface PageFinding {
  idx: number;
  fp: string;
  rule: string;
  title: string;
  sev: Severity;
  conf: Confidence;
  status: string;
  provider: string;
  path: string;
  line: number;
  col: number;
  cell: number | null;
  account: string | null;
  resource: string | null;
  kind: string | null;
  scope: string | null;
  services: string[] | null;
  rtypes: string[] | null;
  perms: string[] | null;
  policy: string | null;
  start: string | null;
  expiry: string | null;
  expired: boolean | null;
  lifetime: number | null;
  protocols: string[] | null;
  ip: string | null;
  revoke: string | null;
  expl: string | null;
  url: string | null;
  secret: string;
  reasons: string[];
  remediation: number;
  history: Finding['history'] | null;
  verification: unknown;
  exposure: unknown;
}

export interface PageData {
  now: string;
  generated: string;
  tool: { name: string; version: string };
  counts: Record<Severity, number>;
  findings: PageFinding[];
  /** Playbooks shared between findings: each step is [text, commands] as indexes into `steps`. */
  remediations: [number, number[]][][];
  /** Step texts and commands, each stored once (findings of one account or container share most). */
  steps: string[];
  /** Repeated strings, stored once; interned fields hold an index into this list. */
  strings: string[];
  interned: string[];
}

/** Fields whose (often repeated) strings are stored once: the page resolves them on load. */
const INTERNED = ['rule', 'title', 'status', 'provider', 'account', 'resource', 'kind', 'scope', 'services', 'rtypes', 'perms', 'protocols', 'revoke', 'reasons', 'expl', 'url', 'path', 'start', 'expiry'] as const;

/** The page shows the verdict of a check, not every request behind it (the JSON report has those). */
function trimVerification(v: unknown): unknown {
  const { requests: _requests, ...rest } = v as Record<string, unknown>;
  return rest;
}

function trimExposure(x: unknown): unknown {
  const e = x as Record<string, unknown>;
  const cap = (k: string, n: number) => (Array.isArray(e[k]) ? (e[k] as unknown[]).slice(0, n) : e[k]);
  return { ...e, containers: cap('containers', 30), sensitive: cap('sensitive', 50), largest: cap('largest', 10) };
}

function trimHistory(h: NonNullable<Finding['history']>): Finding['history'] {
  return h.occurrences && h.occurrences.length > 5 ? { ...h, occurrences: h.occurrences.slice(0, 5) } : h;
}

function cutRevocation(explanation: string): string {
  const i = explanation.lastIndexOf(` ${REVOKE_SENTENCE}`);
  return i > 0 ? explanation.slice(0, i) : explanation;
}

function intern(findings: PageFinding[]): string[] {
  const table: string[] = [];
  const index = new Map<string, number>();
  const id = (s: string) => {
    let i = index.get(s);
    if (i === undefined) {
      i = table.length;
      table.push(s);
      index.set(s, i);
    }
    return i;
  };
  for (const f of findings) {
    const rec = f as unknown as Record<string, unknown>;
    for (const key of INTERNED) {
      const v = rec[key];
      if (typeof v === 'string') rec[key] = id(v);
      else if (Array.isArray(v)) rec[key] = v.map((x) => (typeof x === 'string' ? id(x) : x));
    }
  }
  return table;
}

export function statusOf(f: Finding): string {
  const v = f.verification as { status?: string } | undefined;
  if (v?.status) return v.status;
  if (f.grant?.expired) return 'expired';
  if (f.grant?.notYetValid) return 'not-yet-valid';
  return 'unknown';
}

export function pageData(input: Pick<ReportInput, 'findings' | 'now'>, tool: { name: string; version: string }): PageData {
  const playbooks: [number, number[]][][] = [];
  const index = new Map<string, number>();
  const steps: string[] = [];
  const stepIndex = new Map<string, number>();
  const step = (text: string) => {
    if (!stepIndex.has(text)) {
      stepIndex.set(text, steps.length);
      steps.push(text);
    }
    return stepIndex.get(text)!;
  };
  const playbook = (f: Finding) => {
    const list = f.playbook?.length ? f.playbook.map((s) => ({ text: s.text, commands: s.commands })) : (f.remediation ?? []).map((text) => ({ text, commands: [] as string[] }));
    if (!list.length) return -1;
    const entry = list.map((s): [number, number[]] => [step(s.text), s.commands.map(step)]);
    const key = JSON.stringify(entry);
    if (!index.has(key)) {
      index.set(key, playbooks.length);
      playbooks.push(entry);
    }
    return index.get(key)!;
  };
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  const findings = input.findings.map((f, idx): PageFinding => {
    counts[f.severity]++;
    const g = f.grant;
    const r = g?.resource;
    const resource = r ? [r.container ?? r.share ?? r.bucket ?? r.queue ?? r.table, r.path ?? r.object ?? r.key].filter(Boolean).join('/') || null : null;
    return {
      idx,
      fp: f.fingerprint,
      rule: f.rule,
      title: f.title,
      sev: f.severity,
      conf: f.confidence,
      status: statusOf(f),
      provider: g?.provider ?? providerOfRule(f.rule),
      path: f.location.path,
      line: f.location.line,
      col: f.location.column,
      cell: f.location.cell ?? null,
      account: g?.account ?? null,
      resource,
      kind: g?.kind ?? null,
      scope: g?.scope ?? null,
      services: g?.services ?? null,
      rtypes: g?.resourceTypes ?? null,
      perms: g ? g.permissions : null,
      policy: g?.storedPolicy ?? null,
      start: g?.start ?? null,
      expiry: g?.expiry ?? null,
      expired: g?.expired ?? null,
      lifetime: g?.lifetimeSeconds ?? null,
      protocols: g?.protocols ?? null,
      ip: g?.ipRange ?? null,
      revoke: g?.revocationHint ?? null,
      // the card shows how to revoke on its own line
      expl: f.explanation ? cutRevocation(f.explanation) : null,
      url: r?.url ?? null,
      secret: f.secret,
      reasons: f.reasons,
      remediation: playbook(f),
      history: f.history ? trimHistory(f.history) : null,
      verification: f.verification ? trimVerification(f.verification) : null,
      exposure: f.exposure ? trimExposure(f.exposure) : null,
    };
  });
  const strings = intern(findings);
  return { now: input.now.toISOString(), generated: new Date().toISOString(), tool, counts, findings, remediations: playbooks, steps, strings, interned: [...INTERNED] };
}

function providerOfRule(rule: string): string {
  if (rule.startsWith('azure')) return 'azure';
  if (rule.startsWith('aws') || rule.startsWith('s3')) return 'aws';
  if (rule.startsWith('gcp') || rule.startsWith('gcs') || rule.startsWith('google')) return 'gcp';
  return 'other';
}
