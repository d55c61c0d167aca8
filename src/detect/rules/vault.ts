import type { Rule } from '../types.js';
import { anyCase, ASSIGN } from './fragments.js';
import { join, sampleChars } from './samples.js';

/** HashiCorp Vault tokens: service (`hvs.`), batch (`hvb.`), recovery (`hvr.`), and legacy `s.` tokens next to Vault's name. */
const URLSAFE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';

export const vaultTokenRule: Rule = {
  id: 'vault-token',
  family: 'vault-token',
  title: 'HashiCorp Vault token',
  description: 'A HashiCorp Vault token: reads every secret its policies allow (database credentials, cloud keys, certificates) until it expires or is revoked.',
  keywords: ['hvs.', 'hvb.', 'hvr.', 'vault'],
  pattern: new RegExp(
    String.raw`(?<![A-Za-z0-9_.-])(?<secret>hv[sr]\.[A-Za-z0-9_-]{90,130}|hvb\.[A-Za-z0-9_-]{138,300})(?![A-Za-z0-9_-])` +
      // a legacy token only where a name says Vault and token: VAULT_TOKEN, X-Vault-Token, VAULT_CLIENT_TOKEN, vaultToken
      String.raw`|${anyCase('vault')}[A-Za-z0-9_.-]{0,16}?${anyCase('token')}${ASSIGN}(?<legacy>s\.[A-Za-z0-9]{24})(?![A-Za-z0-9_-])`,
    'g',
  ),
  window: { before: 64, after: 400 },
  severity: 'high',
  confidence: 'medium',
  analyzer: 'vault-token',
  grantSummary: 'token type by prefix (service, batch, recovery, or a legacy s. token named by VAULT_TOKEN)',
  examples: [`export VAULT_TOKEN=${join('hv', 's.')}${sampleChars('hv1', 95, URLSAFE)}`, `VAULT_TOKEN=${join('s', '.')}${sampleChars('hv2', 24)}`,
    `VAULT_CLIENT_TOKEN="${join('s', '.')}${sampleChars('hv3', 24)}"`,
    `vaultToken := "${join('s', '.')}${sampleChars('hv4', 24)}"`,
  ],
  negativeExamples: ['VAULT_TOKEN=hvs.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', 'VAULT_TOKEN=root', 'this.vault_token = s.vaultToken', `vault_path = "${join('s', '.')}${sampleChars('hv5', 24)}"`],
};
