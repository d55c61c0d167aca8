import { DEFAULT_POLICY } from '../analyze/policy.js';
import { explainSas } from '../analyze/sas/explain.js';
import { readPermissions } from '../analyze/sas/permissions.js';
import { judgeSas } from '../analyze/sas/severity.js';
import { iso, secondsBetween } from '../analyze/time.js';
import { BUILTIN_RULES } from '../detect/rules/index.js';
import type { Finding } from '../model/finding.js';
import type { Verification } from '../model/verification.js';
import { explainText } from '../pipeline/explain.js';
import { renderExplainText } from '../report/explain.js';
import { makeStyle, type Style } from '../report/style.js';
import { verificationLines } from '../report/verification.js';
import type { ActionEntry } from './action-log.js';
import { renderSteps } from './az.js';
import type { Minted } from './mint.js';
import type { MintSpec } from './mint-plan.js';
import type { RevokeResult } from './revoke.js';

/**
 * Text and JSON for mint and revoke. A minted link is explained with the same explainer as
 * `sasquatch explain`; a policy-bound link's permissions and times are read back from the
 * policy (the token itself only names it), so the card says what the link really grants.
 */
export function mintedFinding(m: Minted, now: Date): Finding {
  const f = explainText(m.url, BUILTIN_RULES, { now, policy: DEFAULT_POLICY, showSecrets: false })[0];
  if (!f?.grant) throw new Error('the minted link is not recognised as a SAS (this is a bug)');
  const g = f.grant;
  if (m.policy) {
    if (g.permissions === null && m.policy.permissions) g.permissions = readPermissions(m.policy.permissions, g.scope === 'object' ? 'blob' : 'container', g.version ?? null).permissions;
    if (!g.expiry && m.policy.expiry) g.expiry = iso(m.policy.expiry);
    if (!g.start && m.policy.start) g.start = iso(m.policy.start);
    g.lifetimeSeconds = secondsBetween(g.start ? new Date(g.start) : null, g.expiry ? new Date(g.expiry) : null);
    g.expired = g.expiry ? new Date(g.expiry).getTime() <= now.getTime() : null;
    g.notes = g.notes.filter((n) => !/not visible in the link/.test(n));
    g.notes.push(`permissions and times are those of stored access policy "${m.policy.id}" (read back from the container)`);
  }
  f.explanation = explainSas(g, now);
  const judged = judgeSas(g, now, DEFAULT_POLICY);
  f.severity = judged.severity;
  f.reasons = judged.reasons;
  delete f.playbook;
  delete f.remediation;
  return f;
}

export function renderMintText(m: Minted, card: Finding, extra: { fromNotes: string[]; verification: Verification | null; actions: ActionEntry[]; color: boolean; now: Date }): string {
  const style = makeStyle(extra.color);
  const out: string[] = [];
  out.push(style.bold(`Minted ${article(m.spec.kind)} ${kindName(m.spec.kind)} for ${target(m.spec)} of ${m.spec.account}`), '', `  ${m.url}`, '');
  out.push(style.dim('(the link above is printed once and written to no log; the action log keeps only the SHA-256 of its signature)'), '');
  out.push(renderExplainText([card], extra.now, extra.color).trimEnd(), '');
  const why = [...extra.fromNotes, ...m.spec.notes, ...m.notes];
  if (why.length) {
    out.push(style.bold('Why it looks like this:'));
    for (const n of why) out.push(`  - ${n}`);
    out.push('');
  }
  if (extra.verification) {
    // bounded: the lines of one verification (as are those below)
    out.push(...verificationLines(extra.verification, style), '');
  }
  out.push(style.bold('To revoke it:'), `  ${revokeHint(m)}`);
  // bounded: one line per action taken
  if (extra.actions.length) out.push('', ...actionLines(extra.actions, style));
  return `${out.join('\n')}\n`;
}

export function renderMintPlan(spec: MintSpec, fromNotes: string[], color: boolean): string {
  const style = makeStyle(color);
  const out = [style.bold(`Would mint ${article(spec.kind)} ${kindName(spec.kind)} for ${target(spec)} of ${spec.account} (dry run: nothing signed, nothing changed)`), ''];
  const row = (k: string, v: string | null) => out.push(`  ${k.padEnd(12)} ${v ?? '—'}`);
  row('permissions', spec.permissions);
  row('start', iso(spec.start));
  row('expiry', iso(spec.expiry));
  row('protocol', spec.protocol);
  row('IP range', spec.ipRange ?? 'any');
  row('policy', spec.policy ?? 'none');
  row('version', spec.version);
  if (spec.services) row('services', spec.services);
  if (spec.resourceTypes) row('types', spec.resourceTypes);
  out.push('', style.bold('Why it looks like this:'));
  for (const n of [...fromNotes, ...spec.notes]) out.push(`  - ${n}`);
  return `${out.join('\n')}\n`;
}

export function mintJson(m: Minted, card: Finding, fromNotes: string[], verification: Verification | null, actions: ActionEntry[]): object {
  return {
    link: m.url,
    kind: m.spec.kind,
    account: m.spec.account,
    container: m.spec.container,
    blob: m.spec.blob,
    permissions: m.policy?.permissions ?? m.spec.permissions,
    start: iso(m.policy?.start ?? m.spec.start),
    expiry: iso(m.policy?.expiry ?? m.spec.expiry),
    protocol: m.spec.protocol,
    ipRange: m.spec.ipRange,
    policy: m.policy ? { name: m.policy.id, created: m.policy.created, permissions: m.policy.permissions, start: iso(m.policy.start), expiry: iso(m.policy.expiry) } : null,
    userDelegationKey: m.userDelegationKey,
    version: m.spec.version,
    severity: card.severity,
    reasons: card.reasons,
    explanation: card.explanation ?? null,
    grant: card.grant ?? null,
    notes: [...fromNotes, ...m.spec.notes, ...m.notes],
    revoke: revokeHint(m),
    verification,
    actions,
  };
}

function revokeHint(m: Minted): string {
  if (m.policy) return `sasquatch revoke '<the link above>' (deletes stored access policy "${m.policy.id}" on ${m.spec.container}; every link bound to it dies, the key stays)`;
  if (m.spec.kind === 'user-delegation-sas') return `it dies when its user delegation key expires (${m.userDelegationKey?.keyExpiry ?? '?'}); before that: az storage account revoke-delegation-keys (all user delegation SAS of ${m.spec.account})`;
  return `it expires ${iso(m.spec.expiry)}; before that only rotating the account key that signed it revokes it (mint with --policy NAME next time)`;
}

function kindName(kind: string): string {
  return kind === 'account-sas' ? 'account SAS' : kind === 'user-delegation-sas' ? 'user delegation SAS' : 'service SAS';
}

function article(kind: string): string {
  return kind === 'account-sas' ? 'an' : 'a';
}

function target(spec: Pick<MintSpec, 'kind' | 'container' | 'blob'>): string {
  if (spec.kind === 'account-sas') return 'the whole account';
  return spec.blob ? `blob ${spec.container}/${spec.blob}` : `container ${spec.container}`;
}

function actionLines(actions: readonly ActionEntry[], style: Style): string[] {
  const shown = actions.filter((a) => a.action !== 'verify');
  if (!shown.length) return [];
  return [style.bold('Actions:'), ...shown.map((a) => `  ${a.time}  ${a.action.padEnd(28)} ${a.result}${a.detail ? style.dim(`  ${a.detail}`) : ''}`)];
}

// ---------------------------------------------------------------- revoke

const OUTCOME: Record<RevokeResult['outcome'], string> = {
  revoked: 'REVOKED — the link is refused now',
  'already-dead': 'ALREADY DEAD — nothing left to revoke',
  expired: 'EXPIRED — nothing to revoke',
  'action-required': 'STILL LIVE — action required',
  unknown: 'COULD NOT CHECK — whether the link still works is unknown',
  declined: 'NOT CONFIRMED — nothing was changed',
  failed: 'FAILED',
};

export function renderRevokeText(r: RevokeResult, card: Finding, color: boolean): string {
  const style = makeStyle(color);
  const out: string[] = [];
  const sev = r.outcome === 'revoked' || r.outcome === 'already-dead' || r.outcome === 'expired' ? 'low' : r.outcome === 'unknown' ? 'medium' : 'critical';
  const dry = r.dryRun ? style.bold(' (DRY RUN: nothing was changed)') : '';
  out.push(`${style.bold(`${card.title} on ${r.account ?? '?'}${r.container ? `/${r.container}` : ''}`)} — ${style.severity(sev, OUTCOME[r.outcome])}${dry}`, '');
  if (card.explanation) out.push(wrap(card.explanation, 96), '');
  // bounded: the lines of one verification
  if (r.before) out.push(...verificationLines(r.before, style, { requests: false }).map((l) => l.replace('verified:', 'before:')));
  for (const n of r.notes) out.push(`  - ${n}`);
  if (r.identification) out.push('', `${style.bold('Signing key:')} ${keyLine(r)}`);
  // bounded: dependents are listed up to a limit
  if (r.dependents) out.push('', ...dependentLines(r, style));
  if (r.dryRun) {
    out.push('', style.bold('Would do (dry run: nothing sent that changes anything):'));
    if (!r.planned.length) out.push('  nothing — see below');
    for (const p of r.planned) out.push(`  - ${p}`);
  }
  if (r.commands.length) {
    out.push('', style.bold(commandsTitle(r)));
    for (const l of renderSteps(r.commands)) out.push(`  ${l.startsWith('#') ? style.dim(l) : l}`);
  }
  // bounded: the lines of one verification
  if (r.after) out.push('', ...verificationLines(r.after, style, { requests: true }).map((l) => l.replace('verified:', 'after:')));
  if (r.cannot.length) {
    out.push('', style.bold('Not done:'));
    for (const c of r.cannot) out.push(`  - ${c}`);
  }
  out.push('', style.bold('Next:'));
  for (const n of r.next) out.push(`  - ${n}`);
  out.push('', style.dim(`signature SHA-256 ${r.sigSha256} (Azure Monitor logs it as SasSignature(…))`));
  return `${out.join('\n')}\n`;
}

function commandsTitle(r: RevokeResult): string {
  if (r.outcome === 'revoked') return 'Equivalent az commands (already done here):';
  return r.kind === 'user-delegation-sas' || r.policy ? 'Commands (az CLI):' : 'Commands (az CLI), exact for this account:';
}

function keyLine(r: RevokeResult): string {
  const id = r.identification!;
  switch (id.verdict) {
    case 'identified':
      return id.slot ? `${id.slot} — ${id.reason}` : `the key in ${id.source} (its slot, key1 or key2, is not known) — ${id.reason}`;
    case 'no-match':
      return `not one of the keys given — ${id.reason}`;
    case 'unknown':
      return `unknown — ${id.reason}`;
    default:
      return `cannot be recomputed — ${id.reason}`;
  }
}

function dependentLines(r: RevokeResult, style: Style): string[] {
  const deps = r.dependents ?? [];
  const title = r.policy ? 'Links bound to the same policy (they die with it):' : r.rotate ? `What else breaks when ${r.rotate === 'both' ? 'both keys rotate' : `${r.rotate} rotates`} (from the report):` : 'Credentials for the same account in the report (which key they use decides what breaks):';
  if (!deps.length) return [style.bold(title), '  none found'];
  const order = { 'rotating-key': 0, unknown: 1, 'other-key': 2 } as const;
  const sorted = [...deps].sort((a, b) => order[a.use] - order[b.use]);
  const mark = (d: (typeof deps)[number]) => (d.unaffected ? 'unaffected' : d.use === 'rotating-key' ? (r.policy ? 'dies' : 'BREAKS') : d.use === 'other-key' ? 'keeps working' : 'unknown');
  return [style.bold(title), ...sorted.map((d) => `  ${mark(d).padEnd(13)} ${d.what} at ${d.location}${d.leaked ? ' (the leaked link)' : ''} — ${d.how}`)];
}

export function revokeJson(r: RevokeResult, card: Finding, actions: readonly ActionEntry[]): object {
  return {
    outcome: r.outcome,
    dryRun: r.dryRun,
    planned: r.planned,
    kind: r.kind,
    account: r.account,
    container: r.container,
    policy: r.policy,
    sigSha256: r.sigSha256,
    grant: card.grant ?? null,
    explanation: card.explanation ?? null,
    before: r.before,
    after: r.after,
    signingKey: r.identification ? { verdict: r.identification.verdict, slot: r.identification.slot, source: r.identification.source, keySha256: r.identification.keySha256, layout: r.identification.layout, reason: r.identification.reason } : null,
    rotate: r.rotate,
    resourceGroup: r.resourceGroup,
    commands: r.commands,
    dependents: r.dependents,
    cannot: r.cannot,
    notes: r.notes,
    next: r.next,
    actions,
  };
}

function wrap(text: string, width: number): string {
  const lines: string[] = [];
  let cur = '';
  for (const w of text.split(' ')) {
    if (cur && cur.length + w.length + 1 > width) {
      lines.push(cur);
      cur = w;
    } else cur = cur ? `${cur} ${w}` : w;
  }
  if (cur) lines.push(cur);
  return lines.join('\n');
}
