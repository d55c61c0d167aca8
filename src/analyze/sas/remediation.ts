import type { PlaybookStep } from '../../model/finding.js';
import type { Grant } from '../../model/grant.js';
import { day } from '../time.js';
import { replacementFor } from './replacement.js';
import { effectiveExpiry } from './severity.js';

/**
 * The playbook for a leaked Azure SAS, per kind: revoke it (the one way that kind can be
 * killed), replace it with the narrowest link that serves the same use, then read the
 * storage logs for the window in which it was exposed — with the exact commands.
 * `$LINK` stands for the leaked URL: it is never written into a report.
 */
export function sasPlaybook(g: Grant, now: Date): PlaybookStep[] {
  if (g.emulator) {
    return [{ step: 'revoke', text: 'Nothing to revoke: emulator credentials are public. Keep them out of production configuration.', commands: [] }];
  }
  const acct = g.account ?? '<account>';
  const expiry = effectiveExpiry(g);
  const expired = expiry !== null && expiry.getTime() <= now.getTime();
  const steps: PlaybookStep[] = [expired ? expiredStep(g, expiry!) : revokeStep(g, acct)];
  const replace = replaceStep(g);
  if (replace) steps.push(replace);
  steps.push(investigateStep(g, expired ? expiry : null), preventStep(g, acct));
  return steps;
}

/** The playbook as plain sentences (the `remediation` field); `playbook` has the commands. */
export function sasRemediation(g: Grant, now: Date): string[] {
  return sasPlaybook(g, now).map((s) => s.text);
}

const LINK_NOTE = '($LINK: the leaked URL; `read -rs LINK` keeps it out of shell history.)';

function revokeStep(g: Grant, acct: string): PlaybookStep {
  switch (g.revocation) {
    case 'delete-stored-policy': {
      const where = g.resource?.container ?? g.resource?.share ?? g.resource?.queue ?? g.resource?.table ?? '<container>';
      return {
        step: 'revoke',
        text: `Revoke: delete stored access policy "${g.storedPolicy}" on ${where}: every link bound to it dies, the account key stays. sasquatch revoke deletes it after asking and checks the link is dead. ${LINK_NOTE}`,
        commands: [
          `sasquatch revoke "$LINK" --connection-string-env AZURE_STORAGE_CONNECTION_STRING`,
          `az storage container policy delete --account-name ${acct} --container-name ${where} --name ${g.storedPolicy}`,
        ],
      };
    }
    case 'revoke-user-delegation-keys':
      return {
        step: 'revoke',
        text: `Revoke: revoke the user delegation keys of ${acct} (every user delegation SAS on it dies) or remove the signer's (${g.userDelegation?.signerObjectId ?? 'skoid'}) role; it also dies when its key expires${g.keyExpiry ? ` (${day(g.keyExpiry)})` : ''}. ${LINK_NOTE}`,
        commands: [
          `sasquatch revoke "$LINK" --execute --subscription <subscription-id>`,
          `az storage account revoke-delegation-keys --name ${acct} --resource-group "$(az storage account list --query "[?name=='${acct}'].resourceGroup | [0]" -o tsv)"`,
        ],
      };
    default:
      return {
        step: 'revoke',
        text: `Revoke: an ${g.kind === 'account-sas' ? 'account' : 'ad hoc service'} SAS dies only when the key that signed it (key1 or key2) is rotated, which breaks every other SAS and connection string using that key. sasquatch revoke names the key, lists what else uses it and prints the exact az commands (--execute rotates it). ${LINK_NOTE}`,
        commands: [`sasquatch revoke "$LINK" --account-key-env KEY1 --secondary-key-env KEY2 --report scan.json`],
      };
  }
}

function expiredStep(g: Grant, expiry: Date): PlaybookStep {
  return {
    step: 'revoke',
    text: `Nothing to revoke: it expired on ${day(expiry)}. Remove it from the code anyway${g.revocation === 'rotate-account-key' ? ', and keep in mind the key that signed it can sign new links' : ''}.`,
    commands: [],
  };
}

function replaceStep(g: Grant): PlaybookStep | null {
  const r = replacementFor(g);
  if (r.unsupported) return { step: 'replace', text: `Replace: ${r.unsupported}; issue the narrowest credential that serves the need, short-lived and kept out of code.`, commands: [] };
  // the blob's own name stays out of the sentence: findings of one container share their playbook
  const target = r.blob ? `the one blob it named, in container ${r.container}` : r.container ? `container ${r.container}` : 'the container it was used for';
  const policy = `${(r.container ?? 'read').slice(0, 40)}-read`;
  const perms = r.permissions === 'rl' ? 'read and list' : 'read';
  return {
    step: 'replace',
    text: `Replace: a ${perms} service SAS on ${target}, HTTPS only, for 1 hour, bound to stored access policy "${policy}" (revocable without touching the key) — or a user delegation SAS.`,
    commands: [`sasquatch mint --from "$LINK" --policy ${policy}${r.container ? '' : ' --container <container>'} --connection-string-env AZURE_STORAGE_CONNECTION_STRING`],
  };
}

function investigateStep(g: Grant, expiredAt: Date | null): PlaybookStep {
  const from = g.start ? g.start.slice(0, 10) : '';
  const until = expiredAt ? day(expiredAt) : '';
  const window = from || until ? ` --window ${from}..${until}` : '';
  const span = `${from || 'the day it was first published'} to ${until || 'the moment it is revoked'}`;
  return {
    step: 'investigate',
    text: `Investigate: its use in the storage logs from ${span} — who, from where, what was read, written or deleted (Azure Monitor rows also name the signing key).`,
    commands: [`sasquatch logs <log files or $logs container URL> --link "$LINK"${window}`],
  };
}

function preventStep(g: Grant, acct: string): PlaybookStep {
  const rg = `"$(az storage account list --query "[?name=='${acct}'].resourceGroup | [0]" -o tsv)"`;
  return {
    step: 'prevent',
    text: `Prevent: a SAS expiration policy with action Block on ${acct}${g.kind === 'account-sas' ? ', AllowSharedKeyAccess=false once clients use Entra ID' : ''}; links out of code (sasquatch hook install).`,
    commands: [`az storage account update --name ${acct} --resource-group ${rg} --sas-expiration-period 0.01:00:00 --sas-expiration-action Block`],
  };
}

/** Rule-level help (SARIF `rules[].help`): the playbook for each kind of SAS. */
export const SAS_RULE_HELP = {
  text: [
    'A leaked Azure Storage SAS: anyone holding the link can do what its signed fields allow until it expires or is revoked.',
    'Revoke — by kind:',
    '  account SAS / ad hoc service SAS: only rotating the account key that signed it kills it, and that breaks every SAS and connection string using the key. `sasquatch revoke "$LINK" --account-key-env KEY1 --secondary-key-env KEY2 --report scan.json` says which key (key1/key2), what else breaks, and prints the exact az commands (--execute rotates it through Azure Resource Manager).',
    '  service SAS bound to a stored access policy (si=): delete the policy or set its expiry in the past; the key stays. `sasquatch revoke "$LINK" --connection-string-env AZURE_STORAGE_CONNECTION_STRING`.',
    '  user delegation SAS (skoid=): revoke the account\'s user delegation keys (`az storage account revoke-delegation-keys`) or remove the signer\'s role; it also dies when its key expires (≤ 7 days).',
    'Replace — `sasquatch mint --from "$LINK" --policy NAME`: a read-only (r, or rl) service SAS on the one container or blob it was used for, HTTPS only, 1 hour by default, bound to a stored access policy so it can be revoked without rotating the key.',
    'Investigate — `sasquatch logs <logs> --link "$LINK" --window FROM..UNTIL`: requests that used this signature while it was exposed (callers, objects read, writes and deletes).',
    'Prevent — a SAS expiration policy with action Block (`az storage account update --sas-expiration-period 0.01:00:00 --sas-expiration-action Block`), links kept out of code.',
  ].join('\n'),
  markdown: [
    'A leaked Azure Storage SAS: anyone holding the link can do what its signed fields allow until it expires or is revoked.',
    '',
    '**1. Revoke** — it depends on the kind:',
    '',
    '| Kind | How it dies | Command |',
    '|---|---|---|',
    '| account SAS, ad hoc service SAS | rotate the account key that signed it (breaks every SAS and connection string using that key) | `sasquatch revoke "$LINK" --account-key-env KEY1 --secondary-key-env KEY2 --report scan.json` (says key1/key2, lists what else breaks, prints the exact `az storage account keys renew`; `--execute` rotates) |',
    '| service SAS with a stored access policy (`si=`) | delete the policy, or set its expiry in the past | `sasquatch revoke "$LINK" --connection-string-env AZURE_STORAGE_CONNECTION_STRING` |',
    '| user delegation SAS (`skoid=`) | revoke the user delegation keys, or remove the signer\'s role; dies at key expiry (≤ 7 days) | `az storage account revoke-delegation-keys --name ACCOUNT --resource-group RG` |',
    '',
    '**2. Replace** — `sasquatch mint --from "$LINK" --policy NAME`: a read-only (`r`/`rl`) service SAS on the one container or blob it served, HTTPS only, 1 hour by default, bound to a stored access policy so it can be revoked without rotating the key.',
    '',
    '**3. Investigate** — `sasquatch logs <logs> --link "$LINK" --window FROM..UNTIL`: every request that used this signature while it was exposed.',
    '',
    '**4. Prevent** — a SAS expiration policy with action `Block`; links kept out of code (`sasquatch hook install`).',
    '',
    '`$LINK` is the leaked URL; read it with `read -rs LINK` so it stays out of shell history.',
  ].join('\n'),
};
