import type { Grant } from '../../model/grant.js';

/** The playbook for a leaked SAS: revoke, replace with something narrow, then read the logs. */
export function sasRemediation(g: Grant): string[] {
  if (g.emulator) return ['Nothing to revoke: emulator credentials are public. Keep them out of production configuration.'];
  const steps: string[] = [];
  const acct = g.account ?? '<account>';
  switch (g.revocation) {
    case 'rotate-account-key':
      steps.push(
        `Revoke: rotate the key that signed it (az storage account keys renew --account-name ${acct} --key key1|key2; storage logs show which key as key1(…)/key2(…)). Rotate the other key first if clients can switch.`,
      );
      break;
    case 'delete-stored-policy':
      steps.push(`Revoke: delete stored access policy "${g.storedPolicy}" (or set its expiry in the past) on ${g.resource?.container ?? g.resource?.share ?? g.resource?.queue ?? g.resource?.table ?? 'its container'}.`);
      break;
    case 'revoke-user-delegation-keys':
      steps.push(`Revoke: az storage account revoke-delegation-keys --name ${acct} (all user delegation SAS on the account), or remove the signer's role.`);
      break;
    default:
      steps.push('Revoke it at its issuer.');
  }
  steps.push(
    'Replace: issue the narrowest link that serves the need — a read-only service SAS (sp=r or rl) on one container or blob, HTTPS only, expiring in hours, bound to a stored access policy or a user delegation SAS (sasquatch mint).',
    'Prevent: set a SAS expiration policy with action Block on the account, and keep links out of code (environment or a secret store).',
    'Investigate: pull storage access logs for the exposure window and look for use of this signature (sasquatch logs --link …).',
  );
  return steps;
}
