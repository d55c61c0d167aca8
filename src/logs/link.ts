import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { redactQueryParam } from '../analyze/redact.js';
import { readSas, type SasCandidate } from '../analyze/sas/grant.js';
import { parseIsoLike } from '../analyze/time.js';
import { unescapeHtml } from '../decode/decoders.js';
import type { Finding } from '../model/finding.js';
import type { Grant } from '../model/grant.js';
import { parseLogTime } from './record.js';

/**
 * The leaked link being traced, in the forms the logs can be searched with: the SHA-256 of
 * its signature (Azure Monitor `AuthenticationHash`), the signature itself and its other
 * token fields (the SAS fields in a logged request URL, where `sig` is usually masked).
 */
export interface LinkTarget {
  /** `link`: a URL, token or connection string; `fingerprint`: a finding of a scan report (redacted). */
  mode: 'link' | 'fingerprint';
  /** The token as it may be shown: signature redacted unless --show-secrets. */
  shown: string;
  kind: string;
  account: string | null;
  /** Signed token fields other than `sig` (decoded), compared with a logged request URL. */
  fields: Map<string, string>;
  /** The decoded signature (secret), or null when only a redacted form is known. */
  signature: string | null;
  /** The visible start of a redacted signature (`mW1J` of `sig=mW1J…`). */
  signaturePrefix: string | null;
  /** SHA-256 (hex) of the decoded signature text: the documented AuthenticationHash input. */
  sigHash: string | null;
  /** SHA-256 (hex) of the signature's 32 decoded bytes: tried too, as the reference is unsure (⚠ §7.4). */
  sigRawHash: string | null;
  /** Validity from the token (ms since epoch). */
  start: number | null;
  expiry: number | null;
  grant: Grant;
  finding: { fingerprint: string; path: string; line: number } | null;
  /** Exposure window from the finding's history, when a scan report gave one. */
  exposure: TimeWindow | null;
  notes: string[];
}

export interface TimeWindow {
  from: number | null;
  until: number | null;
  /** Where the window came from, in words. */
  source: string;
}

/** Every signed SAS field but `sig`: together they are nearly unique per token. */
export const TOKEN_FIELDS = [
  'sv', 'ss', 'srt', 'sr', 'sp', 'st', 'se', 'si', 'spr', 'sip', 'ses', 'tn', 'sdd', 'spk', 'srk', 'epk', 'erk',
  'skoid', 'sktid', 'skt', 'ske', 'sks', 'skv', 'saoid', 'suoid', 'scid', 'sduoid', 'rscc', 'rscd', 'rsce', 'rscl', 'rsct',
] as const;

const FINGERPRINT = /^[0-9a-f]{8,64}$/i;

export function isFingerprint(text: string): boolean {
  return FINGERPRINT.test(text.trim());
}

/** Reads a URL, bare token (`?sv=…&sig=…`) or connection string with `SharedAccessSignature=`. */
export function linkFromText(input: string, opts: { now: Date; showSecrets: boolean }): LinkTarget {
  const text = unescapeHtml(input.trim());
  const candidate = candidateOf(text);
  const reading = readSas(candidate, opts.now);
  if ('notSas' in reading) throw new Error(`--link is not an Azure Storage SAS: ${reading.notSas}`);
  const { grant, signature, verdict, query } = reading;
  const fields = new Map<string, string>();
  for (const name of TOKEN_FIELDS) {
    const v = query.params.get(name);
    if (v !== undefined) fields.set(name, v);
  }
  const notes: string[] = [];
  const real = verdict === 'real';
  let prefix: string | null = null;
  if (!real) {
    prefix = redactedPrefix(signature);
    notes.push(
      `the link's signature is ${prefix !== null ? 'redacted' : 'not a real signature'}: Azure Monitor rows (matched by the SHA-256 of the full signature) cannot be matched; rows are matched by the token's other fields in logged request URLs only — pass the full link to --link for hash matching`,
    );
  }
  if (fields.size < 2) notes.push('the token has fewer than two fields besides sig: matching by token fields is unreliable');
  return {
    mode: 'link',
    shown: opts.showSecrets ? reading.token : redactQueryParam(reading.token, 'sig'),
    kind: grant.kind,
    account: grant.account ? grant.account.toLowerCase() : null,
    fields,
    signature: real ? signature : null,
    signaturePrefix: prefix,
    sigHash: real ? sha256Hex(Buffer.from(signature, 'utf8')) : null,
    sigRawHash: real ? sha256Hex(Buffer.from(signature, 'base64')) : null,
    start: timeOf(grant.start),
    expiry: timeOf(grant.keyExpiry && grant.expiry && grant.keyExpiry < grant.expiry ? grant.keyExpiry : grant.expiry),
    grant,
    finding: null,
    exposure: null,
    notes,
  };
}

function candidateOf(text: string): SasCandidate {
  const cs = /(?:^|;)\s*SharedAccessSignature=([^;]*)/i.exec(text);
  if (cs) return { query: cs[1]!, connectionString: text };
  const noFragment = text.replace(/#.*$/, '');
  const q = noFragment.indexOf('?');
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(noFragment) && q > 0) return { url: noFragment.slice(0, q), query: noFragment.slice(q + 1) };
  return { query: noFragment };
}

/**
 * `mW1J…` (how reports redact) → `mW1J`; a cut escape (`ab%2…`) leaves what precedes it.
 * Null for placeholders such as `<signature>`.
 */
function redactedPrefix(sig: string): string | null {
  const m = /^([A-Za-z0-9+/%]{1,43})(?:…|\.\.\.)$/.exec(sig);
  return m ? m[1]!.replace(/%.*$/, '') : null;
}

export function sha256Hex(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Takes a finding (by fingerprint, or a unique prefix of one) from a sasquatch JSON scan report. */
export async function linkFromReport(fingerprint: string, reportPath: string, opts: { now: Date; showSecrets: boolean }): Promise<LinkTarget> {
  const findings = await readFindings(reportPath);
  const fp = fingerprint.trim().toLowerCase();
  const hits = findings.filter((f) => f.fingerprint?.toLowerCase().startsWith(fp));
  if (!hits.length) throw new Error(`no finding with fingerprint ${fp} in ${reportPath} (${findings.length} findings)`);
  if (hits.length > 1) throw new Error(`fingerprint prefix ${fp} matches ${hits.length} findings in ${reportPath}: give more characters`);
  const f = hits[0]!;
  if (f.rule !== 'azure-sas' || !f.grant || f.grant.provider !== 'azure') {
    throw new Error(`finding ${f.fingerprint} is ${f.rule}: only Azure SAS links can be traced in storage logs`);
  }
  const url = f.grant.resource?.url;
  const target = linkFromText(url ? `${url}?${f.secret}` : f.secret, opts);
  target.mode = 'fingerprint';
  if (!target.account && f.grant.account) target.account = f.grant.account.toLowerCase();
  attachFinding(target, f);
  return target;
}

/** With a URL and a report: the finding holding the same token supplies the exposure window. */
export async function attachFindingFromReport(target: LinkTarget, reportPath: string): Promise<boolean> {
  const findings = await readFindings(reportPath);
  const f = findings.find((x) => x.rule === 'azure-sas' && typeof x.secret === 'string' && holdsSameToken(x.secret, target));
  if (!f) return false;
  attachFinding(target, f);
  return true;
}

/** Same token fields, and the report's visible start of the signature agrees with ours. */
function holdsSameToken(secret: string, target: LinkTarget): boolean {
  let other: LinkTarget;
  try {
    other = linkFromText(secret, { now: new Date(0), showSecrets: true });
  } catch {
    return false;
  }
  if (other.fields.size !== target.fields.size) return false;
  for (const [k, v] of target.fields) if (other.fields.get(k) !== v) return false;
  const ours = target.signature ?? target.signaturePrefix ?? '';
  const theirs = other.signature ?? other.signaturePrefix ?? '';
  return ours.startsWith(theirs) || theirs.startsWith(ours);
}

function attachFinding(target: LinkTarget, f: Finding): void {
  target.finding = { fingerprint: f.fingerprint, path: f.location.path, line: f.location.line };
  target.exposure = exposureOf(f);
}

/**
 * The window in which the link was public and valid: the history scan's own `exposure`
 * when present, else from the commit that introduced it to its removal or its expiry,
 * whichever came first.
 */
export function exposureOf(f: Finding): TimeWindow | null {
  const h = f.history;
  if (!h) return null;
  const source = `history of finding ${f.fingerprint.slice(0, 12)}`;
  if (h.exposure) return { from: timeOf(h.exposure.from), until: timeOf(h.exposure.until), source };
  if (!h.introduced?.date) return null;
  const ends = [timeOf(h.removed?.date ?? null), timeOf(f.grant?.expiry ?? null)].filter((t): t is number => t !== null);
  return { from: timeOf(h.introduced.date), until: ends.length ? Math.min(ends[0]!, ends[1] ?? Infinity) : null, source };
}

async function readFindings(reportPath: string): Promise<Finding[]> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(reportPath, 'utf8'));
  } catch (e) {
    throw new Error(`cannot read report ${reportPath}: ${(e as Error).message}`);
  }
  const findings = (parsed as { findings?: unknown }).findings;
  if (!Array.isArray(findings)) throw new Error(`${reportPath} is not a sasquatch JSON report (no findings array)`);
  return findings as Finding[];
}

/**
 * `2021-10-05..2023-06-24T12:00Z`; either side may be empty (open). A date without a time
 * means the start of that day for FROM and the end of that day for UNTIL.
 */
export function parseWindow(text: string): TimeWindow {
  const parts = text.trim().split('..');
  if (parts.length !== 2) throw new Error('expected FROM..UNTIL, e.g. 2021-10-05..2023-06-24 (either side may be empty)');
  const [a, b] = parts as [string, string];
  const from = a ? timeOf(a) : null;
  let until = b ? timeOf(b) : null;
  if ((a && from === null) || (b && until === null)) throw new Error(`not a date in ${text}: use ISO dates such as 2023-06-24 or 2023-06-24T12:00:00Z`);
  if (until !== null && DATE_ONLY.test(b)) until += 86_400_000 - 1;
  if (from !== null && until !== null && from > until) throw new Error(`${text} starts after it ends`);
  return { from, until, source: '--window' };
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** ISO date or instant (fractions kept, no zone = UTC) → ms; null when absent or not a time. */
export function timeOf(value: string | null | undefined): number | null {
  if (!value) return null;
  const t = DATE_ONLY.test(value.trim()) ? (parseIsoLike(value)?.getTime() ?? NaN) : parseLogTime(value);
  return Number.isNaN(t) ? null : t;
}
