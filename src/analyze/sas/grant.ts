import type { Grant, GrantResource, RevocationMethod, UserDelegationKey } from '../../model/grant.js';
import { iso, parseIsoLike, secondsBetween } from '../time.js';
import { ENDPOINT_KEYS, parseConnectionString } from './connection-string.js';
import { nearbyAccount } from '../azure/nearby-account.js';
import { parseAzureUrl, serviceOfLabel, type AzureUrl } from './endpoint.js';
import { readPermissions, type PermissionContext } from './permissions.js';
import { parseQuery, type ParsedQuery } from './query.js';
import { judgeSignature, type SignatureVerdict } from './signature.js';

/** What the detector captured around a `sig=`: the query and what preceded it. */
export interface SasCandidate {
  query: string;
  url?: string;
  connectionString?: string;
  /** Text around the candidate in its file, for an account it does not name itself. */
  nearby?: { before: string; after: string };
  /** 1-based line of the candidate, to say where an inferred account was read. */
  line?: number;
}

/** How far from a credential an account name is taken to be its own. */
const NEARBY_LINES = { maxLinesAbove: 25, maxLinesBelow: 5 };

export type SasKind = 'account-sas' | 'service-sas' | 'user-delegation-sas' | 'legacy-sas';

export interface SasReading {
  grant: Grant;
  /**
   * Fields Azure Storage refuses as written (`sp=zzz`, `se=notadate`, …): such a token grants
   * nothing as it stands, whatever its other fields say. Empty for a well-formed token.
   */
  malformed: string[];
  /** The decoded signature: the secret part. */
  signature: string;
  verdict: SignatureVerdict;
  query: ParsedQuery;
  /** The token as written (query string without `?`). */
  token: string;
}

const SAS_FIELDS = ['sv', 'se', 'st', 'sp', 'sr', 'ss', 'srt', 'spr', 'si', 'skoid', 'tn', 'sip', 'ses', 'sdd'];
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** Parses a candidate into a SAS grant, or explains why it is not an Azure Storage SAS. */
export function readSas(c: SasCandidate, now: Date): SasReading | { notSas: string } {
  const query = parseQuery(c.query);
  const p = query.params;
  if (!p.has('sig')) return { notSas: 'no sig parameter' };
  const where = locate(c);
  const lookalike = lookalikeReason(p, where);
  if (lookalike) return { notSas: lookalike };
  const fields = SAS_FIELDS.filter((f) => p.has(f)).length;
  const knownHost = Boolean(where.url?.account || where.url?.accountInterpolated || where.url?.endpoint.cloud === 'emulator' || c.connectionString);
  // a bare token: a service version, and enough SAS fields (a stored policy's `si` stands for the sp and se it holds)
  if (knownHost ? fields < 1 : !(DATE_ONLY.test(p.get('sv') ?? '') && (fields >= 3 || (p.has('si') && fields >= 2)))) {
    return { notSas: 'too few SAS parameters for an Azure Storage SAS' };
  }
  const signature = p.get('sig')!;
  const grant = buildGrant(query, where, now);
  if (query.duplicates.length) grant.notes.push(`repeated parameters: ${query.duplicates.join(', ')} (edited by hand?)`);
  return { grant, malformed: malformedFields(p, grant), signature, verdict: judgeSignature(signature), query, token: c.query.replace(/^\?/, '') };
}

/** What the service would reject before looking at the signature (its fields are parsed first). */
export function malformedFields(p: Map<string, string>, g: Grant): string[] {
  const out: string[] = [];
  const sp = p.get('sp');
  if (sp !== undefined && g.permissions !== null && g.permissions.length === 0) out.push(sp ? `sp=${sp} holds no valid permission letter` : 'sp is empty');
  for (const name of ['se', 'st', 'ske', 'skt']) {
    const v = p.get(name);
    if (v !== undefined && !parseIsoLike(v)) out.push(`${name}=${v} is not a date`);
  }
  if (g.kind === 'account-sas') {
    if (!g.services.length) out.push(`ss=${p.get('ss') ?? ''} names no service`);
    if (!g.resourceTypes?.length) out.push(`srt=${p.get('srt') ?? ''} names no resource type`);
  }
  const spr = g.protocols ?? [];
  if (spr.some((x) => x !== 'https' && x !== 'http') || (spr.length === 1 && spr[0] === 'http')) out.push(`spr=${p.get('spr') ?? ''} is not https or https,http`);
  return out;
}

export function kindOf(p: Map<string, string>): SasKind {
  if (!p.has('sv')) return 'legacy-sas';
  if (p.has('skoid')) return 'user-delegation-sas';
  if (p.has('ss') && p.has('srt')) return 'account-sas';
  return 'service-sas';
}

interface Where {
  url: AzureUrl | null;
  /** The URL without its query, as found. */
  urlText: string | null;
  /** Service labels of the endpoints a connection string lists. */
  endpointServices: string[];
  accountName: string | null;
  /** The URL is an endpoint of the connection string the token was found in. */
  fromConnectionString?: boolean;
  /** An account the candidate does not name itself, read from the text around it. */
  inferred?: { name: string; emulator: boolean; line: number | null };
}

function locate(c: SasCandidate): Where {
  const where = locateInCandidate(c);
  // the account the code fills in (`{account}.blob…`), or the one a bare token's configuration names nearby
  const bare = !where.url && c.connectionString === undefined;
  const open = where.url?.accountInterpolated !== undefined || (c.connectionString !== undefined && !where.url?.account);
  if (!where.accountName && !where.url?.account && (bare || open)) {
    // the variable the host is filled from (`{ACCOUNT}`, `${cfg.account}`) is the one to look for
    const variable = /[A-Za-z_][A-Za-z0-9_]*(?=[^A-Za-z0-9_]*$)/.exec(where.url?.accountInterpolated ?? '')?.[0];
    const near = nearbyAccount(c.nearby, { ...NEARBY_LINES, emulator: bare, ...(variable && variable.length > 1 ? { variables: [variable] } : {}) });
    if (near) where.inferred = { name: near.name, emulator: near.emulator, line: c.line !== undefined ? c.line + near.lines : null };
  }
  return where;
}

function locateInCandidate(c: SasCandidate): Where {
  if (c.url) return { url: parseAzureUrl(c.url), urlText: c.url, endpointServices: [], accountName: null };
  if (c.connectionString !== undefined) {
    const cs = parseConnectionString(c.connectionString);
    const endpoints = ENDPOINT_KEYS.map((k) => cs.pairs.get(k)).filter((v): v is string => Boolean(v));
    const parsed = endpoints.map((e) => parseAzureUrl(e)).filter((u): u is AzureUrl => u !== null);
    return {
      url: parsed[0] ?? null,
      urlText: endpoints[0] ?? null,
      endpointServices: parsed.map((u) => serviceOfLabel(u.endpoint.service)).filter((s): s is string => s !== null),
      accountName: cs.pairs.get('AccountName') ?? null,
      fromConnectionString: true,
    };
  }
  return { url: null, urlText: null, endpointServices: [], accountName: null };
}

/** Service Bus / Event Hubs and Logic Apps signatures share `sig=` but are not storage SAS. */
function lookalikeReason(p: Map<string, string>, where: Where): string | null {
  if (p.has('skn')) return 'Service Bus / Event Hubs SAS (skn)';
  if (/^\d+$/.test(p.get('se') ?? '')) return 'se is a Unix time: a Service Bus style SAS, not storage';
  const sv = p.get('sv');
  if (sv !== undefined && !DATE_ONLY.test(sv)) return `sv=${sv} is not a storage service version (Logic Apps or another service)`;
  const host = where.url?.endpoint.host ?? '';
  if (/(?:^|\.)logic\.azure\.(?:com|us|cn)$/.test(host)) return 'Logic Apps trigger URL';
  return null;
}

function buildGrant(query: ParsedQuery, where: Where, now: Date): Grant {
  const p = query.params;
  const kind = kindOf(p);
  const version = p.get('sv') ?? null;
  const ctx = permissionContext(kind, p, where);
  const notes: string[] = [];
  const perms = readPermissionsFor(p, ctx, version, notes);
  const start = parseTime(p, 'st', notes);
  const expiry = parseTime(p, 'se', notes);
  const keyExpiry = kind === 'user-delegation-sas' ? parseTime(p, 'ske', notes) : null;
  const effectiveExpiry = keyExpiry && expiry && keyExpiry < expiry ? keyExpiry : (expiry ?? keyExpiry);
  const account = where.url?.account ?? where.accountName ?? where.inferred?.name ?? null;
  const grant: Grant = {
    provider: 'azure',
    kind,
    account,
    accountSource: accountSourceOf(where),
    services: servicesOf(kind, p, ctx, notes),
    resource: resourceOf(where, ctx, p, notes),
    scope: scopeOf(kind, ctx),
    permissions: perms.permissions,
    permissionLetters: p.get('sp') ?? null,
    start: iso(start),
    expiry: iso(expiry),
    lifetimeSeconds: secondsBetween(start, effectiveExpiry),
    expired: effectiveExpiry ? effectiveExpiry.getTime() <= now.getTime() : null,
    notYetValid: start ? start.getTime() > now.getTime() : false,
    protocols: protocolsOf(p, notes),
    ipRange: p.get('sip') ?? null,
    version,
    encryptionScope: p.get('ses') ?? null,
    storedPolicy: p.get('si') ?? null,
    revocation: revocationOf(kind, p),
    revocationHint: '',
    endpoint: where.url?.endpoint ?? { host: null, service: null, cloud: where.inferred?.emulator ? 'emulator' : 'unknown', secondary: false },
    emulator: isEmulator(where.url, account) || Boolean(where.inferred?.emulator),
    notes,
  };
  if (where.inferred) {
    grant.accountLine = where.inferred.line;
    const at = where.inferred.line !== null ? ` on line ${where.inferred.line}` : ' nearby';
    notes.push(
      where.inferred.emulator
        ? `a bare token next to the storage emulator's endpoint (${at.trim()}): an emulator (Azurite) token`
        : `account ${where.inferred.name} is not in the ${where.url ? 'link' : 'token'}: inferred from the text${at}`,
    );
  }
  if (where.url?.accountInterpolated !== undefined) {
    notes.push(`the account is filled in at run time (${where.url.accountInterpolated} in the host)${where.inferred ? '' : ': not named nearby'}`);
  }
  if (kind === 'account-sas') grant.resourceTypes = resourceTypesOf(p.get('srt') ?? '', notes);
  if (perms.unknown.length) grant.unknownPermissions = perms.unknown;
  if (perms.invalid.length) grant.invalidPermissions = perms.invalid;
  if (kind === 'user-delegation-sas') {
    grant.userDelegation = userDelegationOf(p);
    grant.keyExpiry = iso(keyExpiry);
  }
  if (kind === 'legacy-sas') notes.push('no sv: a legacy (pre-2012) SAS, valid at most one hour unless bound to a policy');
  grant.revocationHint = revocationHint(grant);
  return grant;
}

function accountSourceOf(where: Where): Grant['accountSource'] {
  if (where.accountName || (where.url?.account && where.fromConnectionString)) return 'credential';
  if (where.url?.account) return 'url';
  return where.inferred ? 'inferred' : null;
}

function permissionContext(kind: SasKind, p: Map<string, string>, where: Where): PermissionContext {
  if (kind === 'account-sas') return 'account';
  switch (p.get('sr')) {
    case 'b':
    case 'bs':
    case 'bv':
      return 'blob';
    case 'c':
      return 'container';
    case 'd':
      return 'directory';
    case 'f':
      return 'file';
    case 's':
      return 'share';
  }
  if (p.has('tn')) return 'table';
  const label = where.url?.endpoint.service ?? null;
  if (label === 'table') return 'table';
  if (label === 'queue') return 'queue';
  if (label === 'blob' || label === 'dfs') return (where.url?.segments.length ?? 0) > 1 ? 'blob' : 'container';
  if (label === 'file') return 'file';
  const sks = p.get('sks');
  if (kind === 'user-delegation-sas' && sks === 'b') return 'blob';
  return 'queue'; // a service SAS with neither sr nor tn is a queue SAS
}

function readPermissionsFor(p: Map<string, string>, ctx: PermissionContext, version: string | null, notes: string[]) {
  const sp = p.get('sp');
  if (sp === undefined) {
    if (p.has('si')) {
      notes.push(`permissions come from stored access policy "${p.get('si')}" and are not visible in the link`);
      if (!p.has('se')) notes.push(`expiry comes from stored access policy "${p.get('si')}" too: the link lives as long as the policy says`);
      return { permissions: null, unknown: [], invalid: [] };
    }
    notes.push('no sp: the token names no permissions (the service rejects it unless a policy supplies them)');
    return { permissions: [], unknown: [], invalid: [] };
  }
  const r = readPermissions(sp, ctx, version);
  // bounded: a few notes per parameter
  notes.push(...r.notes);
  for (const inv of r.invalid) notes.push(`invalid permission letter: ${inv.reason}`);
  if (r.unknown.length) notes.push(`unknown permission letters: ${r.unknown.join('')}`);
  return r;
}

function parseTime(p: Map<string, string>, name: string, notes: string[]): Date | null {
  const v = p.get(name);
  if (v === undefined) return null;
  const d = parseIsoLike(v);
  if (!d) notes.push(`${name}=${v} is not a valid time`);
  return d;
}

const SERVICE_LETTERS: Record<string, string> = { b: 'blob', f: 'file', q: 'queue', t: 'table' };

function servicesOf(kind: SasKind, p: Map<string, string>, ctx: PermissionContext, notes: string[]): string[] {
  if (kind === 'account-sas') {
    const out: string[] = [];
    for (const ch of p.get('ss') ?? '') {
      const s = SERVICE_LETTERS[ch];
      if (s && !out.includes(s)) out.push(s);
      else if (!s) notes.push(`unknown service letter "${ch}" in ss`);
    }
    return out.sort();
  }
  if (kind === 'user-delegation-sas' && p.get('sks') && SERVICE_LETTERS[p.get('sks')!]) return [SERVICE_LETTERS[p.get('sks')!]!];
  return [serviceOfContext(ctx)];
}

function serviceOfContext(ctx: PermissionContext): string {
  if (ctx === 'file' || ctx === 'share') return 'file';
  if (ctx === 'queue' || ctx === 'table') return ctx;
  return 'blob';
}

const RESOURCE_TYPE_LETTERS: Record<string, string> = { s: 'service', c: 'container', o: 'object' };

function resourceTypesOf(srt: string, notes: string[]): string[] {
  const out: string[] = [];
  for (const ch of srt) {
    const t = RESOURCE_TYPE_LETTERS[ch];
    if (t && !out.includes(t)) out.push(t);
    else if (!t) notes.push(`unknown resource type letter "${ch}" in srt`);
  }
  return out.sort();
}

function resourceOf(where: Where, ctx: PermissionContext, p: Map<string, string>, notes: string[]): GrantResource | null {
  const u = where.url;
  const resource: GrantResource = { url: where.urlText, host: u?.endpoint.host ?? null };
  let segs = u?.segments ?? [];
  // a container (or share) SAS grants the whole container whatever path the URL goes on to name
  if ((ctx === 'container' || ctx === 'share') && segs.length > 1) {
    notes.push(`the URL names ${segs.slice(1).join('/')} inside ${ctx} ${segs[0]}, but a ${ctx} SAS grants the whole ${ctx}`);
    segs = segs.slice(0, 1);
  }
  const label = u?.endpoint.service ?? null;
  const service = label ? serviceOfLabel(label) : serviceOfContext(ctx);
  if (service === 'queue') resource.queue = segs[0] ?? null;
  else if (service === 'table') resource.table = p.get('tn') ?? tableOfPath(segs[0]);
  else if (service === 'file') {
    resource.share = segs[0] ?? null;
    resource.path = segs.length > 1 ? segs.slice(1).join('/') : null;
  } else {
    resource.container = segs[0] ?? null;
    resource.path = segs.length > 1 ? segs.slice(1).join('/') : null;
  }
  if (!where.urlText && !resource.table && !p.has('tn')) return null;
  return resource;
}

function tableOfPath(seg: string | undefined): string | null {
  if (!seg) return null;
  const name = seg.replace(/\(.*$/, '');
  return name === 'Tables' || name === '' ? null : name;
}

function scopeOf(kind: SasKind, ctx: PermissionContext): string {
  if (kind === 'account-sas') return 'account';
  switch (ctx) {
    case 'blob':
    case 'file':
      return 'object';
    default:
      return ctx;
  }
}

function protocolsOf(p: Map<string, string>, notes: string[]): string[] {
  const spr = p.get('spr');
  if (spr === undefined) return ['https', 'http'];
  const list = spr.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  if (list.length === 1 && list[0] === 'http') notes.push('spr=http alone is not valid (the service requires https or https,http)');
  return list;
}

function revocationOf(kind: SasKind, p: Map<string, string>): RevocationMethod {
  if (kind === 'user-delegation-sas') return 'revoke-user-delegation-keys';
  if (p.has('si')) return 'delete-stored-policy';
  return 'rotate-account-key';
}

function revocationHint(g: Grant): string {
  const acct = g.account ?? 'the storage account';
  switch (g.revocation) {
    case 'revoke-user-delegation-keys':
      return `revoke the user delegation keys of ${acct} (kills every user delegation SAS on it) or remove the signer's RBAC role; the link also dies when its key expires`;
    case 'delete-stored-policy':
      return `delete or expire the stored access policy "${g.storedPolicy}" on its container/share/queue/table; the account key need not change`;
    default:
      return `rotate the account key of ${acct} that signed it: there is no other way to revoke an ${g.kind === 'account-sas' ? 'account' : 'ad hoc service'} SAS, and every other SAS and connection string using that key breaks too`;
  }
}

function userDelegationOf(p: Map<string, string>): UserDelegationKey {
  const g = (k: string) => p.get(k) ?? null;
  return {
    signerObjectId: g('skoid'),
    signerTenantId: g('sktid'),
    keyStart: iso(parseIsoLike(g('skt'))),
    keyExpiry: iso(parseIsoLike(g('ske'))),
    keyService: g('sks'),
    keyVersion: g('skv'),
    authorizedObjectId: g('saoid'),
    unauthorizedObjectId: g('suoid'),
    correlationId: g('scid'),
    delegatedUserObjectId: g('sduoid'),
  };
}

function isEmulator(url: AzureUrl | null, account: string | null): boolean {
  return Boolean(url?.loopback && (account === 'devstoreaccount1' || url.endpoint.cloud === 'emulator'));
}
