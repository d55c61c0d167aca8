import type { Finding } from '../model/finding.js';
import type { Grant } from '../model/grant.js';
import { humanDuration, relative } from '../analyze/time.js';
import { printableDeep } from './printable.js';
import { fit } from './layout.js';
import { accountText } from './grant-summary.js';
import { makeStyle } from './style.js';

/**
 * `sasquatch explain` output: one card per link, every grant field labelled; laid out for
 * `width` (the terminal's; 96 columns of prose when there is none). `counts` gives how many
 * times each card's credential appears in the input, when more than once.
 */
export function renderExplainText(findings: Finding[], now: Date, color: boolean, opts: { width?: number; counts?: number[] } = {}): string {
  const style = makeStyle(color);
  const prose = Math.min(96, (opts.width ?? 97) - 1);
  const cards = printableDeep(findings).map((f, i) => card(f, now, style, prose, opts.counts?.[i] ?? 1));
  const text = cards.join('\n');
  const lines = opts.width ? text.split('\n').flatMap((l) => fit(l, opts.width!)) : text.split('\n');
  return `${lines.join('\n')}\n`;
}

function card(f: Finding, now: Date, style: ReturnType<typeof makeStyle>, prose: number, count: number): string {
  const lines: string[] = [];
  const times = count > 1 ? ` — appears ${count.toLocaleString('en-US')} times in the input` : '';
  lines.push(`${style.bold(f.title)} — ${style.severity(f.severity, f.severity.toUpperCase())}${f.example ? ' (placeholder, not a secret)' : ''}${times}`);
  if (f.explanation) lines.push('', wrap(f.explanation, prose));
  const g = f.grant;
  const row = (k: string, v: string | null | undefined) => lines.push(`  ${k.padEnd(15)} ${v ?? '—'}`);
  const wide = (k: string, v: string | null | undefined) => lines.push(`  ${k.padEnd(22)} ${v ?? '—'}`);
  if (g && !SAS_KINDS.has(g.kind)) {
    lines.push('');
    otherGrantRows(g, now, wide);
  } else if (!g && f.details) {
    lines.push('');
    for (const [k, v] of Object.entries(f.details)) if (v !== null && v !== undefined) wide(words(k), Array.isArray(v) ? v.join(', ') : String(v));
  }
  if (g && SAS_KINDS.has(g.kind)) {
    lines.push('');
    row('kind', g.kind);
    row('account', g.account ? accountText(g) : '(not in the link: custom domain or bare token)');
    if (g.endpoint?.host) row('host', `${g.endpoint.host} (${g.endpoint.cloud}${g.endpoint.service ? `, ${g.endpoint.service}` : ''})`);
    row('services', g.services.join(', '));
    if (g.resourceTypes) row('resource types', g.resourceTypes.join(', '));
    row('scope', g.scope);
    const r = g.resource;
    if (r) row('resource', Object.entries(r).filter(([k, v]) => v && k !== 'url' && k !== 'host').map(([k, v]) => `${k} ${v}`).join(', ') || '—');
    row('permissions', g.permissions === null ? `from stored policy "${g.storedPolicy}"` : `${g.permissions.join(', ') || 'none'}${g.permissionLetters ? `  (sp=${g.permissionLetters})` : ''}`);
    if (g.invalidPermissions?.length) row('invalid letters', g.invalidPermissions.map((i) => i.reason).join('; '));
    if (g.unknownPermissions?.length) row('unknown letters', g.unknownPermissions.join(''));
    row('start', g.start ?? 'on arrival (no st)');
    row('expiry', g.expiry ? `${g.expiry} (${relative(new Date(g.expiry), now)})` : null);
    if (g.keyExpiry) row('key expiry', `${g.keyExpiry} (${relative(new Date(g.keyExpiry), now)})`);
    row('lifetime', g.lifetimeSeconds !== null ? humanDuration(g.lifetimeSeconds) : 'unknown');
    row('protocols', g.protocols?.join(', ') ?? null);
    row('IP range', g.ipRange ?? 'any');
    if (g.version) row('version', g.version);
    if (g.encryptionScope) row('encryption scope', g.encryptionScope);
    row('stored policy', g.storedPolicy ?? 'none');
    row('revoke', g.revocationHint);
    for (const n of g.notes) row('note', n);
  }
  lines.push('', `${style.bold(`Why ${f.severity}:`)} ${f.reasons.join('; ')}`);
  if (f.playbook?.length) {
    lines.push('', style.bold('What to do:'));
    f.playbook.forEach((s, i) => {
      lines.push(indent(wrap(s.text, prose - 4), `  ${i + 1}. `, '     '));
      for (const c of s.commands) lines.push(`       ${style.dim('$')} ${c}`);
    });
  } else if (f.remediation?.length) {
    lines.push('', style.bold('What to do:'));
    f.remediation.forEach((s, i) => lines.push(`  ${i + 1}. ${s}`));
  }
  lines.push('', `${style.dim('token:')} ${f.secret}`);
  return lines.join('\n');
}

const SAS_KINDS = new Set(['account-sas', 'service-sas', 'user-delegation-sas', 'legacy-sas']);

/** Presigned and signed URLs and keys: the common grant fields, then the provider's details. */
function otherGrantRows(g: Grant, now: Date, row: (k: string, v: string | null | undefined) => void): void {
  row('kind', `${g.kind} (${g.provider})`);
  row('account', g.account ? accountText(g) : 'not named');
  row('scope', g.scope);
  const r = g.resource;
  if (r) row('resource', Object.entries(r).filter(([k, v]) => v && k !== 'url' && !(k === 'object' && r.key === v)).map(([k, v]) => `${k} ${v}`).join(', ') || '—');
  if (g.start || g.expiry) {
    row('start', g.start);
    row('expiry', g.expiry ? `${g.expiry} (${relative(new Date(g.expiry), now)})` : null);
    row('lifetime', g.lifetimeSeconds !== null ? humanDuration(g.lifetimeSeconds) : 'unknown');
  }
  for (const [k, v] of Object.entries(g.details ?? {})) if (v !== null && v !== undefined && !(Array.isArray(v) && !v.length)) row(words(k), typeof v === 'object' && !Array.isArray(v) ? JSON.stringify(v) : Array.isArray(v) ? v.join(', ') : String(v));
  row('revoke', g.revocationHint);
  for (const n of g.notes) row('note', n);
}

/** camelCase field names as words for people: accessKeyId → access key id. */
function words(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
}

function indent(text: string, first: string, rest: string): string {
  return text
    .split('\n')
    .map((l, i) => `${i === 0 ? first : rest}${l}`)
    .join('\n');
}

function wrap(text: string, width: number): string {
  const words = text.split(' ');
  const lines: string[] = [];
  let cur = '';
  for (const w of words) {
    if (cur && cur.length + w.length + 1 > width) {
      lines.push(cur);
      cur = w;
    } else cur = cur ? `${cur} ${w}` : w;
  }
  if (cur) lines.push(cur);
  return lines.join('\n');
}
