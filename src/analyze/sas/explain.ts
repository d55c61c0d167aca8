import type { Grant } from '../../model/grant.js';
import { day, humanDuration } from '../time.js';
import { effectiveExpiry } from './severity.js';

/**
 * A SAS grant in plain words: who can do what to which data, until when, how, and how to
 * stop it. Written for the person deciding what to revoke first.
 */
/** The closing sentence; reports that show the revocation separately can cut it. */
export const REVOKE_SENTENCE = ' To revoke it: '.trimStart();

export function explainSas(g: Grant, now: Date): string {
  const who = g.resource?.url ? 'Anyone holding this link' : 'Anyone holding this token';
  const what = actions(g);
  const where = target(g);
  const sentences = [`${who} ${what} ${where}${timePhrase(g, now)}${protocolPhrase(g)}${ipPhrase(g)}.`];
  if (g.kind === 'user-delegation-sas') {
    sentences.push(`It was signed with a user delegation key of Entra object ${g.userDelegation?.signerObjectId ?? '?'}; what it can really do is also limited by that identity's roles.`);
  }
  if (g.emulator) sentences.push('It is for the local storage emulator, whose key is published: it is not a secret.');
  sentences.push(`${REVOKE_SENTENCE}${g.revocationHint}.`);
  return sentences.join(' ');
}

const VERBS: Record<string, string> = {
  read: 'read', list: 'list', write: 'write', delete: 'delete', 'delete-version': 'delete versions of', 'permanent-delete': 'permanently delete',
  add: 'add to', create: 'create', update: 'update', process: 'process (read and delete)', tag: 'tag', filter: 'find by tags',
  immutability: 'set immutability policies on', move: 'move', execute: 'execute', ownership: 'change the owner of', permissions: 'change the permissions of',
};

function actions(g: Grant): string {
  if (g.permissions === null) return `can do whatever stored access policy "${g.storedPolicy}" allows to`;
  if (g.permissions.length === 0) return 'can do nothing with (no permissions are granted) to';
  const verbs = g.permissions.map((p) => VERBS[p] ?? p);
  return `can ${joinWords(verbs)}`;
}

const NOUNS: Record<string, string> = { blob: 'blob', file: 'file', queue: 'queue message', table: 'table entity' };

function target(g: Grant): string {
  const acct = g.account ? `storage account ${g.account}` : 'the storage account behind this link (custom domain or bare token)';
  const r = g.resource ?? {};
  switch (g.scope) {
    case 'account': {
      const nouns = joinWords(g.services.map((s) => NOUNS[s] ?? s), 'and');
      const types = g.resourceTypes ?? [];
      const level = types.includes('object') ? `every ${nouns}` : `the ${joinWords(g.services, 'and')} containers and settings (not the objects)`;
      return `${level} in ${acct}`;
    }
    case 'container':
    case 'directory':
      return `every blob in ${g.scope} ${r.container ?? '?'}${r.path ? `/${r.path}` : ''} of ${acct}`;
    case 'share':
      return `every file in share ${r.share ?? '?'} of ${acct}`;
    case 'queue':
      return `the messages of queue ${r.queue ?? '?'} in ${acct}`;
    case 'table':
      return `the entities of table ${r.table ?? '?'} in ${acct}`;
    default: {
      const name = [r.container ?? r.share, r.path].filter(Boolean).join('/') || '?';
      return `the ${g.services[0] ?? 'object'} ${name} in ${acct}`;
    }
  }
}

function timePhrase(g: Grant, now: Date): string {
  const expiry = effectiveExpiry(g);
  if (!expiry) return g.storedPolicy ? ' for as long as the policy allows' : ' with no expiry';
  const delta = (expiry.getTime() - now.getTime()) / 1000;
  if (delta <= 0) {
    const lived = g.lifetimeSeconds !== null ? ` after being valid for ${humanDuration(g.lifetimeSeconds)}` : '';
    return ` — but it expired on ${day(expiry)}, ${humanDuration(delta)} ago${lived}`;
  }
  const from = g.notYetValid && g.start ? ` from ${day(g.start)}` : '';
  return `${from} until ${day(expiry)} — ${humanDuration(delta)} from now —`;
}

function protocolPhrase(g: Grant): string {
  return g.protocols?.includes('http') ? ' over plain HTTP too' : ' over HTTPS only';
}

function ipPhrase(g: Grant): string {
  return g.ipRange ? `, only from IP ${g.ipRange}` : ', from any IP address';
}

export function joinWords(words: string[], last = 'and'): string {
  if (words.length <= 1) return words[0] ?? '';
  return `${words.slice(0, -1).join(', ')} ${last} ${words[words.length - 1]}`;
}
